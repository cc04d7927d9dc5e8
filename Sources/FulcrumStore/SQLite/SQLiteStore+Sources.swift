import GRDB

/// One imported source and how far its data goes.
public struct DataSource: Sendable, Codable, Equatable {
    public var source: String
    public var dataThrough: String?
    public var importedAt: String
    public var rows: Int
}

extension SQLiteStore {
    /// Every source imported into the store, with its "data through" date.
    public func dataSources() throws -> [DataSource] {
        try query { try $0.dataSources() }
    }
}
