/// Plain-text tables and number formats shared by the CLI and exports, so every
/// surface prints the same figures the same way.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }
    public var headers: [String]
    public var alignments: [Alignment]
    public var rows: [[String]] = []

    public init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.indices.map { $0 == 0 ? .left : .right }
    }

    public mutating func append(_ row: [String]) { rows.append(row) }

    public func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                return alignments[i] == .left ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }
}

public enum Format {
    /// Whole currency units with thousands separators, e.g. `$1,234,567` (minor units in, rounded half away from zero).
    public static func money(_ minor: Int64, currency: String = "USD") -> String {
        let exponent = Currency.exponent(of: currency)
        var divisor: Int64 = 1
        for _ in 0..<exponent { divisor *= 10 }
        let whole = (Double(minor) / Double(divisor)).rounded(.toNearestOrAwayFromZero)
        let symbol = ["USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"][currency] ?? currency + " "
        return (whole < 0 ? "-" : "") + symbol + grouped(Int64(abs(whole)))
    }

    /// Whole units of a major-unit amount (`$1,234`), for messages and plans computed in dollars.
    public static func dollars(_ value: Double, currency: String = "USD") -> String {
        money(Int64((value * Math.pow(10, Double(Currency.exponent(of: currency)))).rounded()), currency: currency)
    }

    public static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// A share as a percentage with one decimal, or an em dash when undefined.
    public static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        let tenths = (value * 1000).rounded()
        let sign = tenths < 0 ? "-" : ""
        let magnitude = Int64(abs(tenths))
        return "\(sign)\(magnitude / 10).\(magnitude % 10)%"
    }
}
