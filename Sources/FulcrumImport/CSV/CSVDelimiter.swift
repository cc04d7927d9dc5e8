/// The field separators we accept; a closed set keeps detection predictable.
public enum CSVDelimiter: UInt8, CaseIterable, Sendable {
    case comma = 0x2C
    case semicolon = 0x3B
    case tab = 0x09
    case pipe = 0x7C

    /// Picks the separator that occurs most often outside quotes in the header
    /// record (`bytes` must start at the header). Ties go to the earlier case in
    /// `allCases` (comma, semicolon, tab, pipe); no separator at all means a
    /// single-column file, read as comma. Returns nil when the buffer ends
    /// before the header record does and more input may follow.
    static func detect(in bytes: UnsafeBufferPointer<UInt8>, atEOF: Bool) -> CSVDelimiter? {
        var counts = [Int](repeating: 0, count: allCases.count)
        var inQuotes = false
        var complete = atEOF
        for b in bytes {
            if b == ASCII.quote {
                inQuotes.toggle()
            } else if !inQuotes {
                if b == ASCII.lf || b == ASCII.cr {
                    complete = true
                    break
                }
                if let k = allCases.firstIndex(where: { $0.rawValue == b }) { counts[k] += 1 }
            }
        }
        guard complete else { return nil }
        var best = 0
        for k in counts.indices where counts[k] > counts[best] { best = k }
        return allCases[best]
    }
}

/// Byte constants the scanner compares against.
enum ASCII {
    static let quote: UInt8 = 0x22
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
}
