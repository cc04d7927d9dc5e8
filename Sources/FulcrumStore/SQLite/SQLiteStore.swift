import Foundation
import FulcrumCore
import GRDB

/// The embedded default store: one SQLite file in WAL mode with foreign keys on.
public final class SQLiteStore: Store, @unchecked Sendable {
    public let location: String
    let writer: any DatabaseWriter

    /// Opens an existing store, migrating it to the current schema.
    /// - Throws: `StoreError` naming the path when it is missing, unreadable or not a Fulcrum store.
    public static func open(path: String) throws -> SQLiteStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(
                .notFound, path: path, reason: "no store here; create one with `fulcrum demo` or `fulcrum import`")
        }
        return try SQLiteStore(path: path, migrate: true)
    }

    /// Opens (creating if needed) a store at `path`.
    public static func create(path: String) throws -> SQLiteStore {
        try SQLiteStore(path: path, migrate: true)
    }

    /// An in-memory store for tests.
    public static func inMemory() throws -> SQLiteStore {
        let queue = try DatabaseQueue(configuration: configuration())
        try Schema.migrator().migrate(queue)
        return SQLiteStore(location: ":memory:", writer: queue)
    }

    init(location: String, writer: any DatabaseWriter) {
        self.location = location
        self.writer = writer
    }

    init(path: String, migrate: Bool, upTo migration: String? = nil, pool: Bool = true) throws {
        self.location = path
        do {
            let config = SQLiteStore.configuration()
            writer =
                pool
                ? try DatabasePool(path: path, configuration: config)
                : try DatabaseQueue(path: path, configuration: config)
            try SQLiteStore.checkIsStore(writer, path: path)
            if migrate {
                let migrator = Schema.migrator()
                if try writer.read({ try migrator.hasBeenSuperseded($0) }) {
                    throw StoreError(
                        .newerSchema, path: path,
                        reason: "written by a newer Fulcrum (unknown schema migrations); upgrade Fulcrum")
                }
                if let migration { try migrator.migrate(writer, upTo: migration) } else { try migrator.migrate(writer) }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw SQLiteStore.describe(error, path: path)
        }
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(5)
        return config
    }

    /// A file that SQLite opens but that holds other tables is not ours to migrate.
    static func checkIsStore(_ writer: any DatabaseWriter, path: String) throws {
        let tables = try writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        }
        if !tables.isEmpty, !tables.contains("grdb_migrations") {
            throw StoreError(
                .notAStore, path: path,
                reason:
                    "not a Fulcrum store (an SQLite database with other tables: \(tables.prefix(3).joined(separator: ", ")))"
            )
        }
    }

    static func describe(_ error: DatabaseError, path: String) -> StoreError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return StoreError(
                .notAStore, path: path, reason: "not a Fulcrum store (not an SQLite database, or corrupt)")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
            return StoreError(
                .cannotOpen, path: path,
                reason: "cannot open for writing (\(error.message ?? "permission denied or missing folder"))")
        default:
            return StoreError(.writeFailed, path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    public func tableCounts() throws -> [String: Int] {
        try writer.read { db in
            var counts: [String: Int] = [:]
            for table in Schema.tableNames {
                counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }

    public func metaValue(_ key: String) throws -> String? {
        try writer.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }

    public func setMeta(_ values: [String: String]) throws {
        try writer.write { db in
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    sql:
                        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    arguments: [key, value])
            }
        }
    }

    /// Names of the migrations applied, in order.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try Schema.migrator().appliedIdentifiers(db) }.sorted()
    }

    /// Runs `body` in one write transaction: all of it lands or none of it.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try writer.write(body)
    }
}
