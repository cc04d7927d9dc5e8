/// What every `fulcrum report` returns: typed columns and cells, the settings the
/// numbers depend on, and for each cell the records behind it. Rendering (table,
/// CSV, JSON, explain) is separate, so every report prints the same way.
public struct ReportTable: Sendable {
    public enum Kind: String, Sendable, Codable {
        /// Text and the period label. Key columns identify a row.
        case text
        /// Minor units of the report currency.
        case money
        case count
        /// A fraction printed as a percentage (0.25 → 25.0%).
        case percent
        /// A ratio printed as a multiple (3.2x), e.g. LTV/CAC.
        case multiple
        /// A plain decimal: months, days.
        case number
        /// A statistic (p-value, correlation), printed to three decimals in tables.
        case statistic
    }

    public struct Column: Sendable {
        public var name: String
        public var kind: Kind
        /// Key columns (period, dimension value) identify the row in comparisons and explain listings.
        public var isKey: Bool
        public init(_ name: String, _ kind: Kind, key: Bool = false) {
            self.name = name
            self.kind = kind
            self.isKey = key
        }
    }

    public enum Cell: Sendable, Hashable {
        case text(String)
        case money(Int64)
        case count(Int)
        case number(Double)
        /// Not observable or undefined (a cohort too young, a ratio over zero): never printed as 0.
        case blank

        /// A ratio cell, blank when the denominator is zero or the value is not finite.
        public static func ratio(_ numerator: Double, _ denominator: Double) -> Cell {
            guard denominator != 0 else { return .blank }
            let v = numerator / denominator
            return v.isFinite ? .number(v) : .blank
        }

        public static func optional(_ value: Double?) -> Cell {
            guard let value, value.isFinite else { return .blank }
            return .number(value)
        }

        public var doubleValue: Double? {
            switch self {
            case .money(let m): Double(m)
            case .count(let c): Double(c)
            case .number(let n): n
            case .text, .blank: nil
            }
        }
    }

    public struct Row: Sendable {
        public var cells: [Cell]
        /// The period is not complete (data ends inside it); its numbers will still move.
        public var partial: Bool
        /// The records behind each cell and how they make it, parallel to `cells`; empty when not tracked.
        public var explain: [Explanation]
        public init(_ cells: [Cell], partial: Bool = false, explain: [Explanation] = []) {
            self.cells = cells
            self.partial = partial
            self.explain = explain
        }
    }

    /// One definition choice the numbers depend on, printed with every report.
    public struct Setting: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var report: String
    public var title: String
    public var currency: String
    public var columns: [Column]
    public var rows: [Row]
    public var settings: [Setting]
    public var notes: [String]

    public init(
        report: String, title: String, currency: String, columns: [Column], rows: [Row] = [],
        settings: [Setting] = [], notes: [String] = []
    ) {
        self.report = report
        self.title = title
        self.currency = currency
        self.columns = columns
        self.rows = rows
        self.settings = settings
        self.notes = notes
    }

    public func columnIndex(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// Every record named by an explanation, for looking up their source ids once.
    public var explainedRecords: Set<String> {
        var out = Set<String>()
        for row in rows { for e in row.explain { out.formUnion(e.records) } }
        return out
    }

    /// The cell of `column` in every row, for tests and comparisons.
    public func values(_ column: String) -> [Cell] {
        guard let i = columnIndex(column) else { return [] }
        return rows.map { $0.cells[i] }
    }

    /// The first row whose key cells equal `keys` (in key-column order).
    public func row(_ keys: String...) -> Row? {
        let keyIndexes = columns.indices.filter { columns[$0].isKey }
        return rows.first { row in
            keyIndexes.count == keys.count && zip(keyIndexes, keys).allSatisfy { row.cells[$0.0] == .text($0.1) }
        }
    }

    public func cell(_ column: String, _ keys: String...) -> Cell? {
        guard let i = columnIndex(column) else { return nil }
        let keyIndexes = columns.indices.filter { columns[$0].isKey }
        return rows.first { row in
            keyIndexes.count == keys.count && zip(keyIndexes, keys).allSatisfy { row.cells[$0.0] == .text($0.1) }
        }?.cells[i]
    }
}
