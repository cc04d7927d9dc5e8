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
        try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT source, data_through, imported_at, rows FROM data_sources ORDER BY source"
            ).map {
                DataSource(source: $0[0], dataThrough: $0[1], importedAt: $0[2], rows: $0[3])
            }
        }
    }
}
