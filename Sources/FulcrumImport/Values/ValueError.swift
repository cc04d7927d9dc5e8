/// Why a field value could not be parsed; the reader adds `file:line:column`
/// (see `CSVReader.value(_:_:_:)`), so the message only explains the value.
public struct ValueError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
