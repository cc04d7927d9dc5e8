/// CSV cells by RFC 4180, with the same formula neutralization as the store's canonical
/// export (SQLiteStore.appendText): a text cell starting with = + - @ gets an apostrophe
/// prefix so a spreadsheet never runs it. Only text cells pass through here; numbers,
/// including negative amounts, are written as numbers.
public enum CSVText {
    public static func cell(_ text: String) -> String {
        var value = text
        if isFormulaLike(text.utf8) { value = "'" + value }
        let needsQuotes =
            value.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || value.first == " " || value.last == " "
        guard needsQuotes else { return value }
        return "\"" + value.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension CSVText {
    /// Whether a spreadsheet could run a cell with this text as a formula: it starts with one of
    /// OWASP's trigger characters (= + - @, tab, carriage return) and is not a plain number
    /// (a negative amount such as `-12.50` is data, and stays a number when opened).
    public static func isFormulaLike<Bytes: Collection>(_ utf8: Bytes) -> Bool where Bytes.Element == UInt8 {
        guard let first = utf8.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D: return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return !isPlainNumber(utf8.dropFirst())
        default: return false
        }
    }

    /// Digits with at most one decimal point and an optional exponent (`12`, `12.50`, `1e-3`).
    static func isPlainNumber<Bytes: Collection>(_ utf8: Bytes) -> Bool where Bytes.Element == UInt8 {
        var digits = 0
        var sawPoint = false
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let b = utf8[index]
            if b >= 0x30 && b <= 0x39 {
                digits += 1
            } else if b == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else if b == UInt8(ascii: "e") || b == UInt8(ascii: "E"), digits > 0 {
                var rest = utf8[utf8.index(after: index)...]
                if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                    rest = rest.dropFirst()
                }
                return !rest.isEmpty && rest.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            } else {
                return false
            }
            index = utf8.index(after: index)
        }
        return digits > 0
    }
}

/// JSON string literals without Foundation.
public enum JSONText {
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
