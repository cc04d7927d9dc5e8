/// A column resolved by header name; callers hold these instead of raw
/// indexes so a reordered export still maps to the right values.
public struct CSVColumn: Equatable, Hashable, Sendable {
    /// 0-based position of the column in each record.
    public let index: Int
    /// The header name as written in the file (trimmed).
    public let name: String
}
