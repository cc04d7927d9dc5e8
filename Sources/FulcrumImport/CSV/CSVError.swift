/// A CSV failure that always names where it happened, so a person can open the
/// file at `file:line:column` and see the problem.
///
/// `line` is the 1-based physical line; `column` is the 1-based byte column in
/// that line (UTF-8 code units, BOM excluded), matching how editors such as vim
/// and compilers report columns.
public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, for callers that branch on the kind of failure.
    public enum Code: String, Sendable {
        case io
        case missingHeader
        case emptyHeaderName
        case duplicateHeaderName
        case missingColumn
        case invalidUTF8
        case unterminatedQuote
        case strayQuote
        case raggedRow
        case recordTooLarge
        case invalidValue
    }

    public let code: Code
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(code: Code, file: String, line: Int, column: Int, message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, the format editors and CI logs link to.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}
