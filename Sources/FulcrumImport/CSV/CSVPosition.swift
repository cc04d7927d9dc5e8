/// Where a field starts in the file, kept per field because a quoted field
/// with embedded newlines makes later fields start on later lines.
public struct CSVPosition: Equatable, Hashable, Sendable {
    /// 1-based physical line.
    public let line: Int
    /// 1-based byte column within `line` (the BOM is not counted).
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}
