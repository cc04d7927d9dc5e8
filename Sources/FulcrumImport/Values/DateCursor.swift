/// Left-to-right reader over the ASCII bytes of a date string; each method
/// consumes input only when it matches.
struct DateCursor {
    let b: [UInt8]
    var i = 0

    init(_ bytes: [UInt8]) { b = bytes }

    var atEnd: Bool { i >= b.count }
    var peek: UInt8? { i < b.count ? b[i] : nil }

    /// A run of `min...max` digits (the whole run must fit) as an Int.
    mutating func number(_ min: Int, _ max: Int) -> Int? {
        var j = i
        var v = 0
        while j < b.count, ByteText.isDigit(b[j]), j - i < max + 1 {
            v = v * 10 + Int(b[j] - 0x30)
            j += 1
        }
        let n = j - i
        guard n >= min, n <= max, !(j < b.count && ByteText.isDigit(b[j])) else { return nil }
        i = j
        return v
    }

    /// Count of digits starting here, without consuming them.
    var digitRun: Int {
        var j = i
        while j < b.count, ByteText.isDigit(b[j]) { j += 1 }
        return j - i
    }

    mutating func eat(_ c: Character) -> Bool {
        guard let p = peek, p == c.asciiValue! else { return false }
        i += 1
        return true
    }

    mutating func spaces() -> Int {
        let s = i
        while let p = peek, p == 0x20 { i += 1 }
        return i - s
    }

    /// ASCII letters, lowercased.
    mutating func word() -> String {
        let s = i
        while let p = peek, (p | 0x20) >= 0x61 && (p | 0x20) <= 0x7A { i += 1 }
        return String(decoding: b[s..<i].map { $0 | 0x20 }, as: UTF8.self)
    }

    /// `±HH`, `±HHMM` or `±HH:MM` as seconds east of UTC (at most ±18:00).
    mutating func offset() -> Int? {
        let save = i
        guard let p = peek, p == UInt8(ascii: "+") || p == UInt8(ascii: "-") else { return nil }
        i += 1
        var hours = 0
        var minutes = 0
        switch digitRun {
        case 4:
            hours = twoDigits(i)
            minutes = twoDigits(i + 2)
            i += 4
        case 2:
            hours = twoDigits(i)
            i += 2
            if eat(":") {
                guard digitRun == 2 else {
                    i = save
                    return nil
                }
                minutes = twoDigits(i)
                i += 2
            }
        default:
            i = save
            return nil
        }
        guard minutes < 60, hours * 60 + minutes <= 18 * 60 else {
            i = save
            return nil
        }
        let s = hours * 3600 + minutes * 60
        return p == UInt8(ascii: "-") ? -s : s
    }

    private func twoDigits(_ at: Int) -> Int { Int(b[at] - 0x30) * 10 + Int(b[at + 1] - 0x30) }
}
