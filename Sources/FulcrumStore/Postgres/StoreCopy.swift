import Foundation
import GRDB
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO

/// Moving a store between backends, whole and all-or-nothing, in bounded memory.
///
/// Into PostgreSQL the rows go through `COPY … FROM STDIN` (text format) inside one transaction that first
/// deletes the old rows: readers keep seeing the old store until the commit and the new one after it
/// (never a mix), and a copy that fails or is killed leaves the server exactly as it was. Rows are encoded a
/// megabyte at a time while earlier megabytes are sent, so a store of any size is moved holding only a few of
/// them (the large company's 15 GB store would not fit in memory as one encoded copy).
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
        return try target.connections.with { connection in
            let channel = ChunkChannel()
            let location = target.location
            let loaded = started { try await load(channel, into: connection, location: location) }
            var counts: Counts = [:]
            do {
                try source.writer.read { db in
                    for table in PostgresSchema.tableNames { counts[table] = try encode(table, db, into: channel) }
                }
                channel.finish()
            } catch {
                // The loader rolls back on seeing the failure and reports it (or its own, when it failed first).
                channel.fail(error)
            }
            try loaded()
            return counts
        }
    }

    /// Streams one table's rows as COPY text-format lines in chunks of about a megabyte; returns the row count.
    static func encode(_ table: String, _ db: Database, into channel: ChunkChannel) throws -> Int {
        let columns = try db.columns(in: table).map(\.name)
        let unknownAccount =
            PostgresSchema.accountMayBeUnknown.contains(table) ? columns.firstIndex(of: "account_id") : nil
        let order = table == "experiment_assignments" ? " ORDER BY rowid" : ""
        let statement = try db.makeStatement(
            sql: "SELECT \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \(table)\(order)")
        try channel.send(.table(name: table, columns: columns))
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
                try channel.send(.chunk(buffer))
                buffer = ByteBuffer()
                buffer.reserveCapacity(1 << 20)
            }
        }
        if buffer.readableBytes > 0 { try channel.send(.chunk(buffer)) }
        try channel.send(.tableEnd)
        return rows
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

    /// Deletes the old rows and COPYs the new ones as they come through `channel`, in one transaction.
    static func load(_ channel: ChunkChannel, into connection: PostgresConnection, location: String) async throws {
        let logger = ConnectionPool.logger
        func run(_ sql: String) async throws {
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).get()
        }
        do {
            try await run("BEGIN")
            for table in PostgresSchema.tableNames.reversed() { try await run("DELETE FROM \(table)") }
            while let item = await channel.next() {
                guard case .table(let table, let columns) = item else {
                    if case .failed(let error) = item { throw error }
                    preconditionFailure("rows before their table")
                }
                try await connection.copyFrom(table: table, columns: columns, format: .text(.init()), logger: logger) {
                    writer in
                    while let item = await channel.next() {
                        switch item {
                        case .chunk(let chunk): try await writer.write(chunk)
                        case .tableEnd: return
                        case .failed(let error): throw error
                        case .table: preconditionFailure("a table inside a table")
                        }
                    }
                    preconditionFailure("the rows of \(table) ended without their end")
                }
            }
            try await run(PostgresStore.bumpRevision)
            try await run("COMMIT")
        } catch {
            channel.stop()
            _ = try? await run("ROLLBACK")
            throw PostgresRunner.describe(error, location: location)
        }
    }
}

/// A bounded hand-over of encoded chunks from a reading thread (which may block) to the async COPY writer:
/// the reader waits while `capacity` chunks are in flight, so memory stays a few megabytes whatever the size.
final class ChunkChannel: @unchecked Sendable {
    enum Item: @unchecked Sendable {
        case table(name: String, columns: [String])
        case chunk(ByteBuffer)
        case tableEnd
        case failed(any Error)
    }

    private var items: AsyncStream<Item>.Iterator
    private let continuation: AsyncStream<Item>.Continuation
    private let room: DispatchSemaphore
    private let stopped = NIOLockedValueBox(false)

    init(capacity: Int = 8) {
        let (stream, continuation) = AsyncStream.makeStream(of: Item.self)
        items = stream.makeAsyncIterator()
        self.continuation = continuation
        // Counted up from 0, not created at `capacity`: libdispatch traps when a semaphore is freed below its
        // starting value, which a channel given up with chunks still in flight would be.
        room = DispatchSemaphore(value: 0)
        for _ in 0..<capacity { room.signal() }
    }

    /// Hands over one item, waiting for room; throws once the writer has stopped.
    func send(_ item: Item) throws {
        room.wait()
        if stopped.withLockedValue({ $0 }) {
            room.signal()
            throw CancellationError()
        }
        continuation.yield(item)
    }

    func finish() { continuation.finish() }

    func fail(_ error: any Error) {
        continuation.yield(.failed(error))
        continuation.finish()
    }

    /// The next item for the writer (its only reader), making room for one more.
    func next() async -> Item? {
        let item = await items.next()
        room.signal()
        return item
    }

    /// The writer gave up: a waiting or later `send` throws instead of blocking forever.
    func stop() {
        stopped.withLockedValue { $0 = true }
        room.signal()
    }
}

/// Starts async work now and returns the wait for its result, so the calling thread can do its share meanwhile.
/// The work runs on a thread of its own, not Swift's cooperative pool: the waiting thread may be one of that
/// pool's (a test, a caller inside a Task), and a pool whose every thread waits would never run what they wait for.
func started<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) -> () throws -> T {
    let done = DispatchSemaphore(value: 0)
    let result = NIOLockedValueBox<Result<T, any Error>?>(nil)
    Task(executorPreference: OwnThreadExecutor()) {
        let outcome: Result<T, any Error>
        do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
        result.withLockedValue { $0 = outcome }
        done.signal()
    }
    return {
        done.wait()
        return try result.withLockedValue { $0! }.get()
    }
}

/// Runs a task's jobs on a serial dispatch queue of its own (which always gets a thread), away from the
/// cooperative pool.
final class OwnThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let queue: DispatchQueue

    init(label: String = "fulcrum.store-copy") { queue = DispatchQueue(label: label) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

extension StoreCopy {
    /// Copies everything in `source` (PostgreSQL) into `target` (a SQLite store, emptied first) in one SQLite
    /// transaction, reading the server in one REPEATABLE READ snapshot; rows are written as they stream in
    /// (each row on the driver's thread while this one waits), none held. Account 0 becomes NULL again.
    @discardableResult
    public static func copy(from source: PostgresStore, to target: SQLiteStore) throws -> Counts {
        var counts: Counts = [:]
        let tables = try target.writer.read { db in
            try PostgresSchema.tableNames.map { table in (table, try db.columns(in: table).map(\.name)) }
        }
        try target.write { db in
            // Rows arrive in the server's order (a sharded table's is not by id): references are checked at commit.
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            for (table, _) in tables.reversed() { try db.execute(sql: "DELETE FROM \(table)") }
            try source.query { queries in
                for (table, columns) in tables {
                    let unknownAccount =
                        PostgresSchema.accountMayBeUnknown.contains(table) ? columns.firstIndex(of: "account_id") : nil
                    let quoted = columns.map { "\"\($0)\"" }.joined(separator: ", ")
                    let insert = try db.makeStatement(
                        sql:
                            "INSERT INTO \(table) (\(quoted)) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
                    )
                    let order = table == "experiment_assignments" ? " ORDER BY seq" : ""
                    var rows = 0
                    var values = [DatabaseValue](repeating: .null, count: columns.count)
                    try queries.runner.forEachRow("SELECT \(quoted) FROM \(table)\(order)", []) { row in
                        for index in 0..<columns.count {
                            values[index] =
                                index == unknownAccount && row.int64(Int32(index)) == 0
                                ? .null : row.databaseValue(Int32(index))
                        }
                        try FastBinder.run(insert, values, db)
                        rows += 1
                    }
                    counts[table] = rows
                }
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
