/// Turns a table of text cells into model inputs, learned on the training rows and replayed when
/// scoring: numeric columns as numbers (blank = missing, with a `(missing)` indicator column when the
/// training rows had blanks), text columns one-hot (the 50 most frequent training values, the rest
/// as `(other)`; a value never seen in training scores as all zeros and is counted).
public struct FeatureEncoder: Sendable, Hashable, Codable {
    public enum Column: Sendable, Hashable, Codable {
        case numeric(name: String, missingIndicator: Bool)
        case categorical(name: String, levels: [String], other: Bool)

        public var name: String {
            switch self {
            case .numeric(let name, _), .categorical(let name, _, _): name
            }
        }
    }

    public static let maxLevels = 50

    public var columns: [Column]

    /// Names of the encoded features, in matrix order.
    public var featureNames: [String] {
        columns.flatMap { c -> [String] in
            switch c {
            case .numeric(let name, let missing): missing ? [name, name + " (missing)"] : [name]
            case .categorical(let name, let levels, let other):
                levels.map { "\(name)=\($0)" } + (other ? ["\(name)=(other)"] : [])
            }
        }
    }

    /// A cell that is not a number in a numeric column, found while encoding.
    public struct BadNumber: Error, Sendable, Hashable {
        public var column: String
        public var row: Int
        public var value: String
    }

    /// What encoding met that a reader should know: blanks per numeric column, unseen values per text column.
    public struct Report: Sendable, Hashable, Codable {
        public var blanks: [String: Int] = [:]
        public var unseen: [String: Int] = [:]
    }

    public init(columns: [Column]) { self.columns = columns }

    /// Learns the encoding from `cells[column][row]` over `rows`: a column is numeric when every non-blank
    /// training cell parses as a number.
    public static func fit(names: [String], cells: [[String]], rows: [Int]) -> FeatureEncoder {
        var columns: [Column] = []
        for (c, name) in names.enumerated() {
            var numeric = true
            var blanks = 0
            var counts: [String: Int] = [:]
            for r in rows {
                let v = trimmed(cells[c][r])
                if v.isEmpty {
                    blanks += 1
                    continue
                }
                if numeric, Double(v) == nil { numeric = false }
                counts[v, default: 0] += 1
            }
            if numeric {
                columns.append(.numeric(name: name, missingIndicator: blanks > 0))
            } else {
                let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                let levels = ranked.prefix(maxLevels).map(\.key).sorted()
                columns.append(
                    .categorical(name: name, levels: levels, other: ranked.count > maxLevels || blanks > 0))
            }
        }
        return FeatureEncoder(columns: columns)
    }

    /// The matrix (row-major, NaN = missing number) of `rows`, with what it met on the way.
    public func encode(names: [String], cells: [[String]], rows: [Int]) throws(BadNumber) -> (
        x: [Double], report: Report
    ) {
        let width = featureNames.count
        var x = [Double](repeating: 0, count: width * rows.count)
        var report = Report()
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var offset = 0
        for column in columns {
            let source = index[column.name]
            switch column {
            case .numeric(let name, let indicator):
                for (i, r) in rows.enumerated() {
                    let v = source.map { Self.trimmed(cells[$0][r]) } ?? ""
                    if v.isEmpty {
                        x[i * width + offset] = .nan
                        report.blanks[name, default: 0] += 1
                        if indicator { x[i * width + offset + 1] = 1 }
                    } else if let d = Double(v), d.isFinite {
                        x[i * width + offset] = d
                    } else {
                        throw BadNumber(column: name, row: r, value: v)
                    }
                }
                offset += indicator ? 2 : 1
            case .categorical(let name, let levels, let other):
                let position = Dictionary(levels.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
                for (i, r) in rows.enumerated() {
                    let v = source.map { Self.trimmed(cells[$0][r]) } ?? ""
                    if let p = position[v] {
                        x[i * width + offset + p] = 1
                    } else if other {
                        x[i * width + offset + levels.count] = 1
                    } else {
                        report.unseen[name, default: 0] += 1
                    }
                }
                offset += levels.count + (other ? 1 : 0)
            }
        }
        return (x, report)
    }

    public static func trimmed(_ s: String) -> String {
        // Most cells start and end with a visible ASCII character: nothing to trim, no Unicode lookups.
        if let first = s.utf8.first, let last = s.utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return s
        }
        var v = Substring(s)
        while v.first?.isWhitespace == true { v = v.dropFirst() }
        while v.last?.isWhitespace == true { v = v.dropLast() }
        return String(v)
    }
}
