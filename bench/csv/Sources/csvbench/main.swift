import Foundation

/// csvbench: generates a large CSV and compares readers (see DECISION.md).
/// Usage: csvbench gen PATH [rows] | ours PATH | yaslab PATH | swiftcsv PATH | correctness
let args = CommandLine.arguments
guard args.count >= 2 else {
    print("usage: csvbench gen PATH [rows] | ours PATH | yaslab PATH | swiftcsv PATH | correctness")
    exit(2)
}

switch args[1] {
case "gen":
    generate(path: args[2], rows: args.count > 3 ? Int(args[3])! : 2_000_000)
case "ours", "yaslab", "swiftcsv":
    let path = args[2]
    let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    let clock = ContinuousClock()
    var result = Count()
    let elapsed = try clock.measure {
        switch args[1] {
        case "ours": result = try readOurs(path)
        case "yaslab": result = try readYaslab(path)
        default: result = try readSwiftCSV(path)
        }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let mb = Double(size) / 1_000_000
    print(String(format: "%@: %d records, %d field bytes, %.2f s, %.0f rows/s, %.1f MB/s, peak RSS %d MiB",
                 args[1], result.records, result.fieldBytes, seconds, Double(result.records) / seconds,
                 mb / seconds, peakRSSKiB() / 1024))
case "correctness":
    runCorrectness()
default:
    print("unknown command \(args[1])")
    exit(2)
}
