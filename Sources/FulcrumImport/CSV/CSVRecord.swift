/// One data record, with enough position data to blame a bad value on an
/// exact `file:line:column`.
public struct CSVRecord: Equatable, Sendable {
    /// Field values, quotes removed and doubled quotes collapsed.
    public let fields: [String]
    /// 1-based physical line where the record starts.
    public let line: Int
    /// Byte offset of the record's first byte in the file (the BOM counts here).
    public let byteOffset: Int
    /// Start of each field; same count as `fields`.
    public let fieldPositions: [CSVPosition]

    public init(fields: [String], line: Int, byteOffset: Int, fieldPositions: [CSVPosition]) {
        self.fields = fields
        self.line = line
        self.byteOffset = byteOffset
        self.fieldPositions = fieldPositions
    }

    /// The value in a column found by name through `CSVHeader`.
    public subscript(column: CSVColumn) -> String { fields[column.index] }

    /// Where the value in `column` starts, for error messages.
    public func position(of column: CSVColumn) -> CSVPosition { fieldPositions[column.index] }
}
