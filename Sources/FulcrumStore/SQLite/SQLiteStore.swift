import CSQLiteSettings
import Foundation
import FulcrumCore
import GRDB

/// The embedded default store: one SQLite file in WAL mode with foreign keys on.
public final class SQLiteStore: Store, @unchecked Sendable {
    public let location: String
    let writer: any DatabaseWriter
    /// Built by `createPrivate`: the journal is in memory until `close()`.
    private var writesDirectly = false

    /// Process-wide SQLite settings, made once at program start before any store is opened: without its
    /// global memory statistics SQLite takes no process-wide lock per allocation, so threads writing or
    /// reading different connections (the demo loader's two files, the server's readers) do not queue on
    /// one mutex. Returns false when SQLite was already in use (the setting is then left as it was).
    @discardableResult
    public static func prepareProcess() -> Bool {
        fulcrum_sqlite_disable_memory_statistics() == 0
    }

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

    /// Creates a store in a file no other process sees yet (a first import's `PATH.importing-PID`, placed
    /// only when complete and removed if the import fails or dies). Its writes go straight into the file with
    /// the rollback journal in memory — a new file's pages are never journaled — so building it takes the
    /// store's size in free disk, not twice that as through the WAL (which holds every written page until a
    /// checkpoint: 15 GB more for the large company). `close()` puts it in WAL mode, as every placed store is.
    public static func createPrivate(path: String) throws -> SQLiteStore {
        let store = try SQLiteStore(path: path, migrate: true)
        try store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = MEMORY") }
        store.writesDirectly = true
        return store
    }

    /// Opens an existing store for reading only. Nothing is written to its files — no migration, no
    /// journal change — so reading never changes a byte of the store, a store on a read-only file or a
    /// read-only mount can be read, and a damaged store is refused before anything touches it. A store
    /// written by an older Fulcrum whose schema needs an upgrade is upgraded first (the only write),
    /// which a read-only store cannot be: that is an error saying so.
    public static func openForReading(path: String) throws -> SQLiteStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(
                .notFound, path: path, reason: "no store here; create one with `fulcrum demo` or `fulcrum import`")
        }
        var config = configuration()
        config.readonly = true
        let queue: any DatabaseWriter
        do {
            do {
                // A read-only pool: reports read their largest tables side by side.
                let pool = try DatabasePool(path: path, configuration: config)
                try pool.read { db in _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
                queue = pool
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN && onReadOnlyMount(path) {
                // A WAL store on a read-only mount: its -shm file can be neither found nor created. Nothing
                // can write to it while the mount is read-only, so it is opened as immutable.
                queue = try DatabaseQueue(path: immutableURI(path), configuration: config)
            }
            try checkIsStore(queue, path: path)
            let migrator = Schema.migrator()
            let (superseded, complete) = try queue.read { db in
                (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
            }
            if superseded {
                throw StoreError(
                    .newerSchema, path: path,
                    reason: "written by a newer Fulcrum (unknown schema migrations); upgrade Fulcrum")
            }
            if !complete {
                try queue.close()
                return try SQLiteStore(path: path, migrate: true)
            }
            return SQLiteStore(location: path, writer: queue)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw SQLiteStore.describe(error, path: path, reading: true)
        }
    }

    /// Whether the file system holding `path` is mounted read-only: only then is nothing able to write the
    /// store while it is read as immutable (SQLite then skips the write-ahead log and locking).
    static func onReadOnlyMount(_ path: String) -> Bool {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return false }
        return info.f_flag & UInt(ST_RDONLY) != 0
    }

    /// `file:` URI of `path` with SQLite's `immutable` flag (the library here is built with URI names).
    static func immutableURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var escaped = ""
        for scalar in absolute.unicodeScalars {
            switch scalar {
            case "%": escaped += "%25"
            case "?": escaped += "%3F"
            case "#": escaped += "%23"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return "file:" + escaped + "?immutable=1"
    }

    /// Checkpoints the write-ahead log into the main file and closes the store's connections, so the
    /// main file alone holds the whole store (it can then be linked or copied elsewhere). The store cannot
    /// be used afterwards. The checkpoint is explicit: the pool closes its writer before its readers, and
    /// a read-only connection that closes last does not checkpoint.
    public func close() throws {
        if writesDirectly {
            let mode = try writer.writeWithoutTransaction { db in
                try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            }
            guard mode == "wal" else {
                throw StoreError(.writeFailed, path: location, reason: "the new store could not be put in WAL mode")
            }
            writesDirectly = false
        }
        let busy = try writer.writeWithoutTransaction { db in
            try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")?[0] as Int?
        }
        if busy != 0 {
            throw StoreError(.busy, path: location, reason: "the store is in use; it could not be completed")
        }
        if let pool = writer as? DatabasePool {
            try pool.close()
        } else if let queue = writer as? DatabaseQueue {
            try queue.close()
        }
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

    /// A store opened for writing is one serialized connection. (GRDB's pool writes a table and drops it
    /// whenever it opens a store whose write-ahead log is empty, which would change a store that a failed
    /// command must leave byte for byte as it was.) The file is put in WAL mode once, when it is new.
    init(path: String, migrate: Bool, upTo migration: String? = nil) throws {
        self.location = path
        do {
            let queue = try DatabaseQueue(path: path, configuration: SQLiteStore.configuration())
            if try queue.read({ try String.fetchOne($0, sql: "PRAGMA journal_mode") }) != "wal" {
                try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
            }
            writer = queue
            try SQLiteStore.checkIsStore(writer, path: path)
            if migrate {
                let migrator = Schema.migrator()
                if try writer.read({ try migrator.hasBeenSuperseded($0) }) {
                    throw StoreError(
                        .newerSchema, path: path,
                        reason: "written by a newer Fulcrum (unknown schema migrations); upgrade Fulcrum")
                }
                if let migration {
                    try migrator.migrate(writer, upTo: migration)
                } else if try !writer.read({ try migrator.hasCompletedMigrations($0) }) {
                    // Only a store that needs it is migrated: an up-to-date one is not written to by opening it.
                    try migrator.migrate(writer)
                }
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

    static func describe(_ error: DatabaseError, path: String, reading: Bool = false) -> StoreError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return StoreError(
                .notAStore, path: path, reason: "not a Fulcrum store (not an SQLite database, or corrupt)")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
            return StoreError(
                .cannotOpen, path: path,
                reason:
                    "cannot open for \(reading ? "reading" : "writing") (\(error.message ?? "permission denied or missing folder"))"
            )
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(
                .busy, path: path,
                reason:
                    "another fulcrum command is writing to this store (waited 5 s); run this one again when it has finished"
            )
        default:
            return StoreError(.writeFailed, path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    public func tableCounts() throws -> [String: Int] { try query { try $0.tableCounts(Schema.tableNames) } }

    public func metaValue(_ key: String) throws -> String? { try query { try $0.metaValue(key) } }

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

extension SQLiteStore {
    /// The migrations a store file has not applied yet, oldest first, read without changing the file.
    public static func pendingMigrations(path: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.notFound, path: path, reason: "no store here")
        }
        let store = try openForReadingWithoutMigrating(path: path)
        let migrator = Schema.migrator()
        let applied = try store.writer.read { try migrator.appliedIdentifiers($0) }
        try store.writer.close()
        return migrator.migrations.filter { !applied.contains($0) }
    }

    private static func openForReadingWithoutMigrating(path: String) throws -> SQLiteStore {
        var config = configuration()
        config.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            try checkIsStore(queue, path: path)
            return SQLiteStore(location: path, writer: queue)
        } catch let error as DatabaseError {
            throw describe(error, path: path, reading: true)
        }
    }
}
