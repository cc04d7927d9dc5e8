/// Small byte-level helpers shared by the value parsers; parsing ASCII bytes
/// avoids locale-dependent Foundation formatters.
enum ByteText {
    /// UTF-8 bytes of `text` without leading/trailing spaces, tabs and no-break spaces.
    static func trimmed(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var lo = 0
        var hi = bytes.count
        while lo < hi, let w = spaceWidth(bytes, at: lo) { lo += w }
        while hi > lo {
            let w = spaceWidthEnding(bytes[lo..<hi])
            if w == 0 { break }
            hi -= w
        }
        return Array(bytes[lo..<hi])
    }

    /// Byte width of a space-like character at `i` (ASCII space, tab, U+00A0, U+202F), or nil.
    static func spaceWidth(_ b: [UInt8], at i: Int) -> Int? {
        if b[i] == 0x20 || b[i] == 0x09 { return 1 }
        if b[i] == 0xC2, i + 1 < b.count, b[i + 1] == 0xA0 { return 2 }
        if b[i] == 0xE2, i + 2 < b.count, b[i + 1] == 0x80, b[i + 2] == 0xAF { return 3 }
        return nil
    }

    /// Byte width of a space-like character ending `b`, or 0.
    static func spaceWidthEnding(_ b: ArraySlice<UInt8>) -> Int {
        let n = b.endIndex
        let s = b.startIndex
        if n - s >= 1 && (b[n - 1] == 0x20 || b[n - 1] == 0x09) { return 1 }
        if n - s >= 2 && b[n - 2] == 0xC2 && b[n - 1] == 0xA0 { return 2 }
        if n - s >= 3 && b[n - 3] == 0xE2 && b[n - 2] == 0x80 && b[n - 1] == 0xAF { return 3 }
        return 0
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Value of an all-digit run, or nil if empty, not all digits, or too long for `Int64`.
    static func digits(_ b: ArraySlice<UInt8>) -> Int64? {
        guard !b.isEmpty else { return nil }
        var v: Int64 = 0
        for c in b {
            guard isDigit(c) else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(c - 0x30))
            if o1 || o2 { return nil }
            v = a
        }
        return v
    }
}
