/// The header row, validated so that name lookup is unambiguous.
public struct CSVHeader: Sendable {
    /// Trimmed names in file order.
    public let names: [String]
    /// Whether `column(named:)` ignores case (duplicates are then also checked ignoring case).
    public let caseInsensitive: Bool
    /// 1-based line of the header record, used when a required column is missing.
    public let line: Int
    let file: String
    private let indexByKey: [String: Int]

    /// Validates names: surrounding spaces/tabs are trimmed; an empty name or a
    /// repeated name is an error at that field's position, because either would
    /// make lookup by name silently pick the wrong column.
    init(record: CSVRecord, caseInsensitive: Bool, file: String) throws(CSVError) {
        var names: [String] = []
        var indexByKey: [String: Int] = [:]
        for (i, raw) in record.fields.enumerated() {
            let name = trimSpaces(raw)
            let pos = record.fieldPositions[i]
            if name.isEmpty {
                throw CSVError(
                    code: .emptyHeaderName, file: file, line: pos.line, column: pos.column,
                    message: "header field \(i + 1) is empty")
            }
            let key = caseInsensitive ? name.lowercased() : name
            if let first = indexByKey[key] {
                throw CSVError(
                    code: .duplicateHeaderName, file: file, line: pos.line, column: pos.column,
                    message: "duplicate header name '\(name)' in field \(i + 1) (first in field \(first + 1))")
            }
            indexByKey[key] = i
            names.append(name)
        }
        self.names = names
        self.caseInsensitive = caseInsensitive
        self.line = record.line
        self.file = file
        self.indexByKey = indexByKey
    }

    /// Stand-in until the reader has parsed the real header.
    static let placeholder = CSVHeader()

    private init() {
        names = []
        caseInsensitive = false
        line = 0
        file = ""
        indexByKey = [:]
    }

    /// The column with this name, or nil when the file has no such column.
    public func column(named name: String) -> CSVColumn? {
        let key = caseInsensitive ? name.lowercased() : name
        guard let index = indexByKey[key] else { return nil }
        return CSVColumn(index: index, name: names[index])
    }

    /// Like `column(named:)` but a missing column is an error pointing at the header line.
    public func require(_ name: String) throws(CSVError) -> CSVColumn {
        if let column = column(named: name) { return column }
        throw CSVError(
            code: .missingColumn, file: file, line: line, column: 1,
            message: "missing required column '\(name)' (header has: \(names.joined(separator: ", ")))")
    }
}

/// Removes ASCII spaces and tabs at both ends; header cells often carry padding.
func trimSpaces(_ s: String) -> String {
    let u = s.utf8
    guard let first = u.firstIndex(where: { $0 != ASCII.space && $0 != ASCII.tab }) else { return "" }
    let last = u.lastIndex(where: { $0 != ASCII.space && $0 != ASCII.tab })!
    return String(s[first...last])
}
