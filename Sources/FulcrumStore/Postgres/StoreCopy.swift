import Foundation
import GRDB
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO

/// Moving a store between backends, whole and all-or-nothing.
///
/// Into PostgreSQL the rows go through `COPY … FROM STDIN` (text format) inside one transaction that first
/// deletes the old rows: readers keep seeing the old store until the commit and the new one after it
/// (never a mix), and a copy that fails or is killed leaves the server exactly as it was.
public enum StoreCopy {
    /// Rows copied per table.
    public typealias Counts = [String: Int]

    /// Replaces everything in `target` with the contents of `source`. A target that already holds accounts is
    /// refused unless `replace` is set, so a team's server store is never overwritten by a typo.
    @discardableResult
    public static func copy(from source: SQLiteStore, to target: PostgresStore, replace: Bool = false) throws
        -> Counts
    {
        if !replace, let accounts = try target.tableCounts()["accounts"], accounts > 0 {
            throw StoreError(
                .notEmpty, path: target.location,
                reason: "holds \(accounts) accounts already; pass --replace to overwrite it with \(source.location)")
        }
        let tables = try source.writer.read { db in try PostgresSchema.tableNames.map { try encode($0, db) } }
        try target.connections.with { connection in
            try blocking {
                try await load(tables, into: connection, location: target.location)
            }
        }
        return Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0.rows) })
    }

    /// One table's rows as COPY text-format lines, in chunks of about a megabyte.
    struct EncodedTable: Sendable {
        var name: String
        var columns: [String]
        var chunks: [ByteBuffer]
        var rows: Int
    }

    static func encode(_ table: String, _ db: Database) throws -> EncodedTable {
        let columns = try db.columns(in: table).map(\.name)
        let unknownAccount =
            PostgresSchema.accountMayBeUnknown.contains(table) ? columns.firstIndex(of: "account_id") : nil
        let order = table == "experiment_assignments" ? " ORDER BY rowid" : ""
        let statement = try db.makeStatement(
            sql: "SELECT \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \(table)\(order)")
        var chunks: [ByteBuffer] = []
        var buffer = ByteBuffer()
        buffer.reserveCapacity(1 << 20)
        var rows = 0
        let cursor = try Row.fetchCursor(statement)
        while let row = try cursor.next() {
            for index in 0..<columns.count {
                if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                let value = row[index] as DatabaseValue
                switch value.storage {
                case .null:
                    if index == unknownAccount { buffer.writeString("0") } else { buffer.writeString("\\N") }
                case .int64(let v): buffer.writeString(String(v))
                case .double(let v): buffer.writeString("\(v)")
                case .string(let s): writeEscaped(s, to: &buffer)
                case .blob(let data): writeEscaped(String(decoding: data, as: UTF8.self), to: &buffer)
                }
            }
            buffer.writeInteger(UInt8(ascii: "\n"))
            rows += 1
            if buffer.readableBytes >= 1 << 20 {
                chunks.append(buffer)
                buffer = ByteBuffer()
                buffer.reserveCapacity(1 << 20)
            }
        }
        if buffer.readableBytes > 0 { chunks.append(buffer) }
        return EncodedTable(name: table, columns: columns, chunks: chunks, rows: rows)
    }

    /// Text-format escapes: backslash, tab, newline and carriage return are the only bytes COPY treats specially.
    static func writeEscaped(_ text: String, to buffer: inout ByteBuffer) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeString("\\t")
            case UInt8(ascii: "\n"): buffer.writeString("\\n")
            case UInt8(ascii: "\r"): buffer.writeString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    /// Deletes the old rows and COPYs the new ones in one transaction.
    static func load(_ tables: [EncodedTable], into connection: PostgresConnection, location: String) async throws {
        let logger = ConnectionPool.logger
        func run(_ sql: String) async throws {
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).get()
        }
        do {
            try await run("BEGIN")
            for table in tables.reversed() { try await run("DELETE FROM \(table.name)") }
            for table in tables where table.rows > 0 {
                try await connection.copyFrom(
                    table: table.name, columns: table.columns, format: .text(.init()), logger: logger
                ) { writer in
                    for chunk in table.chunks { try await writer.write(chunk) }
                }
            }
            try await run(PostgresStore.bumpRevision)
            try await run("COMMIT")
        } catch {
            _ = try? await run("ROLLBACK")
            throw PostgresRunner.describe(error, location: location)
        }
    }
}

/// Runs async work from synchronous code and waits for it. Only for threads outside Swift's cooperative pool
/// and NIO's event loops (a command's main thread), which may block.
func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    let result = NIOLockedValueBox<Result<T, any Error>?>(nil)
    Task {
        let outcome: Result<T, any Error>
        do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
        result.withLockedValue { $0 = outcome }
        done.signal()
    }
    done.wait()
    return try result.withLockedValue { $0! }.get()
}

extension StoreCopy {
    /// Copies everything in `source` (PostgreSQL) into `target` (a SQLite store, emptied first) in one SQLite
    /// transaction, reading the server in one REPEATABLE READ snapshot. Account 0 becomes NULL again.
    @discardableResult
    public static func copy(from source: PostgresStore, to target: SQLiteStore) throws -> Counts {
        var counts: Counts = [:]
        let snapshot: [(table: String, columns: [String], rows: [[DatabaseValue]])] = try source.query { queries in
            try PostgresSchema.tableNames.map { table in
                let columns = try target.writer.read { db in try db.columns(in: table).map(\.name) }
                let unknownAccount =
                    PostgresSchema.accountMayBeUnknown.contains(table) ? columns.firstIndex(of: "account_id") : nil
                let order = table == "experiment_assignments" ? " ORDER BY seq" : ""
                let rows = try queries.runner.rows(
                    "SELECT \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \(table)\(order)"
                ) { row in
                    (0..<columns.count).map { index -> DatabaseValue in
                        if index == unknownAccount, row.int64(Int32(index)) == 0 { return .null }
                        return row.databaseValue(Int32(index))
                    }
                }
                return (table, columns, rows)
            }
        }
        try target.write { db in
            // Rows arrive in the server's order (a sharded table's is not by id): references are checked at commit.
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            for (table, _, _) in snapshot.reversed() { try db.execute(sql: "DELETE FROM \(table)") }
            for (table, columns, rows) in snapshot {
                counts[table] = rows.count
                guard !rows.isEmpty else { continue }
                let statement = try db.makeStatement(
                    sql:
                        "INSERT INTO \(table) (\(columns.map { "\"\($0)\"" }.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
                )
                for row in rows { try FastBinder.run(statement, row, db) }
            }
        }
        return counts
    }
}

extension PostgresStoreRow {
    /// The cell as the SQLite value of the same logical column.
    func databaseValue(_ i: Int32) -> DatabaseValue {
        let cell = row[Int(i)]
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int8, .int4, .int2, .bool: return int64(i).databaseValue
        case .float8, .float4, .numeric: return double(i).databaseValue
        default: return string(i).databaseValue
        }
    }
}

extension PostgresStore {
    /// Runs a writer that works on a SQLite store (the importer, the demo generator) against this store: the
    /// store is copied into a temporary SQLite file, `body` changes that, and the result replaces this store's
    /// contents in one transaction. Every rule of the import (validation, idempotent upserts, identity
    /// resolution) is therefore the SQLite one, with no second copy; a failure or a kill at any point leaves
    /// this store as it was, and readers see the old state until the commit. Fulcrum writers to the same
    /// server wait for one another (an advisory lock held for the whole run).
    public func staged<T>(_ body: (SQLiteStore) throws -> T) throws -> T {
        try connections.with { lockConnection in
            let lock = PostgresRunner(connection: lockConnection, location: location)
            try lock.execute("SELECT pg_advisory_lock(\(Self.writerLock))", [])
            defer { try? lock.execute("SELECT pg_advisory_unlock(\(Self.writerLock))", []) }
            return try sqliteSnapshot { staging in
                let value = try body(staging)
                try StoreCopy.copy(from: staging, to: self, replace: true)
                return value
            }
        }
    }

    /// Runs `body` on a private SQLite copy of this store, taken in one read transaction so it is one consistent
    /// state (the CSV export reads it; `staged` writes it back); the copy is removed afterwards.
    public func sqliteSnapshot<T>(_ body: (SQLiteStore) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fulcrum-snapshot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let snapshot = try SQLiteStore.create(path: folder.appendingPathComponent("snapshot.sqlite").path)
        defer { try? snapshot.close() }
        do {
            try StoreCopy.copy(from: self, to: snapshot)
        } catch let error as DatabaseError {
            throw StoreError(
                .notAStore, path: location,
                reason: "its rows do not form a consistent store (\(error.message ?? "\(error.resultCode)"))")
        }
        return try body(snapshot)
    }

    /// The advisory lock key Fulcrum's writers take on a server.
    static let writerLock = 8_124_322
}
