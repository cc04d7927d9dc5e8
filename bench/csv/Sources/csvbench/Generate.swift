import Foundation

/// Writes `rows` records of 10 columns (~100 bytes each). Every 10th name is
/// quoted with a comma, every 50th note holds a CRLF newline and doubled
/// quotes, and some values are non-ASCII, so the quoted path is exercised.
func generate(path: String, rows: Int) {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let handle = FileHandle(forWritingAtPath: path)!
    var out = "id,name,email,amount,created,country,note,status,city,score\n"
    let countries = ["US", "DE", "FR", "JP", "BR"]
    let cities = ["Zürich", "São Paulo", "Paris", "Tokyo", "Austin"]
    for i in 0..<rows {
        let name = i % 10 == 0 ? "\"Doe, Jane \(i)\"" : "Customer \(i)"
        let note = i % 50 == 0 ? "\"first line\r\nsecond \"\"quoted\"\" line\"" : "plain note number \(i % 997)"
        out += "\(i),\(name),user\(i)@example.com,\(i % 100_000).\(i % 100),2024-\(i % 12 + 1)-\(i % 28 + 1),"
        out += "\(countries[i % 5]),\(note),\(i % 3 == 0 ? "won" : "open"),\(cities[i % 5]),\(i % 1000)\n"
        if out.utf8.count > 4 << 20 {
            handle.write(out.data(using: .utf8)!)
            out = ""
        }
    }
    handle.write(out.data(using: .utf8)!)
    handle.closeFile()
}

/// Records and total field bytes, so every reader does comparable work.
struct Count {
    var records = 0
    var fieldBytes = 0
}

/// Peak resident set size of this process in KiB, from /proc/self/status VmHWM.
func peakRSSKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
    }
    return 0
}
