import FulcrumCore

/// Escaped HTML text. Pages are built from strings with every value passed through `escape`, so a
/// company or account name can never inject markup.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A query string from name/value pairs, empty values left out (for links that keep the filters).
    static func query(_ items: [(String, String?)]) -> String {
        let parts = items.compactMap { name, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return percentEncode(name) + "=" + percentEncode(value)
        }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"), UInt8(ascii: ":"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    /// A report's value as shown on a page (the CLI table's formatting; blank as a dash).
    static func display(_ cell: ReportTable.Cell, _ kind: ReportTable.Kind, currency: String) -> String {
        cell == .blank ? "—" : ReportTable.display(cell, kind: kind, currency: currency)
    }

    /// The machine-readable value of a cell as the report's JSON gives it (money in major units),
    /// carried in `data-value` so a test can check a page against `fulcrum report … --format json`.
    static func dataValue(_ cell: ReportTable.Cell, _ kind: ReportTable.Kind, currency: String) -> String {
        ReportTable.plain(cell, kind: kind, currency: currency, csv: false)
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
