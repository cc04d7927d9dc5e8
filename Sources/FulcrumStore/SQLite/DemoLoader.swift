import Foundation
import FulcrumCore
import GRDB

/// Builds a demo company into a store file, all or nothing: it is written to a
/// temporary file beside the target and renamed over it only when complete,
/// so a failure or a kill never leaves a half-written store behind.
public enum DemoLoader {
    public struct Result: Sendable {
        public var truth: DemoTruth
        public var rows: Int
    }

    /// - Parameter replace: replace a store that holds imported (non-demo) data.
    public static func build(
        at path: String, size: DemoSize, seed: UInt64, accountCount: Int? = nil, replace: Bool = false
    ) throws -> Result {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) {
            let existing = try SQLiteStore(path: path, migrate: false)
            let origin = try existing.writer.read { db -> String? in
                guard try db.tableExists("meta") else { return nil }
                return try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'origin'")
            }
            let hasTables = try existing.writer.read { db in try db.tableExists("accounts") }
            if hasTables, origin != "demo", !replace {
                throw StoreError(
                    .notEmpty, path: path,
                    reason: "holds imported data; pass --replace to overwrite it with the demo company")
            }
        }
        let directory = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !directory.isEmpty, !(fm.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw StoreError(.cannotOpen, path: path, reason: "folder \(directory) does not exist")
        }
        if !directory.isEmpty, !fm.isWritableFile(atPath: directory) {
            throw StoreError(.cannotOpen, path: path, reason: "folder \(directory) is not writable")
        }
        let temporary = path + ".building-\(ProcessInfo.processInfo.processIdentifier)"
        removeStoreFiles(temporary)
        do {
            let result = try buildFile(temporary, size: size, seed: seed, accountCount: accountCount)
            removeStoreFiles(path)
            guard rename(temporary, path) == 0 else {
                throw StoreError(
                    .writeFailed, path: path,
                    reason: "cannot move the new store into place: \(String(cString: strerror(errno)))")
            }
            return result
        } catch {
            removeStoreFiles(temporary)
            throw error
        }
    }

    static func buildFile(_ path: String, size: DemoSize, seed: UInt64, accountCount: Int?) throws -> Result {
        var config = SQLiteStore.configuration()
        // References are checked once, after the load (PRAGMA foreign_key_check), not per row.
        config.foreignKeysEnabled = false
        // The file is private until renamed, so durability can wait for the end.
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -200000")
        }
        let result: Result
        // Touches and daily usage (over half the rows) go into a second file on a thread of their own, with
        // their indexes built there, and are moved in at the end with SQLite's transfer optimization
        // (`INSERT INTO t SELECT * FROM side.t` copies rows and index entries in order, without re-sorting):
        // the two files are written on the two cores at once.
        let sidePath = path + ".side"
        removeStoreFiles(sidePath)
        defer { removeStoreFiles(sidePath) }
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            let migrator = Schema.migrator()
            try migrator.migrate(queue, upTo: Schema.tablesMigration)
            let side = try DatabaseQueue(path: sidePath, configuration: config)
            try migrator.migrate(side, upTo: Schema.tablesMigration)
            var rows = 0
            let clock = ContinuousClock()
            let started = clock.now
            var inserting = Duration.zero
            // The generator runs on its own thread, a few batches ahead of the inserts, so generating and
            // storing overlap on the two cores instead of taking turns.
            let handoff = BatchHandoff(capacity: 4)
            let generator = DemoCompanyGenerator(size: size, seed: seed, accountCount: accountCount)
            let producer = Thread {
                // The inserts failed: stop generating (the thrown error ends `generate`).
                struct Stopped: Error {}
                if let truth = try? generator.generate(emit: { batch in
                    if !handoff.put(batch) { throw Stopped() }
                }) {
                    handoff.finish(truth)
                }
            }
            producer.stackSize = 8 << 20
            producer.start()
            let sideWriter = SideWriter(side)
            do {
                while var batch = handoff.take() {
                    rows += batch.rowCount
                    var sideBatch = DemoBatch()
                    swap(&sideBatch.touches, &batch.touches)
                    swap(&sideBatch.usage, &batch.usage)
                    guard sideWriter.handoff.put(sideBatch) else { throw sideWriter.failure() }
                    let t = clock.now
                    try queue.inTransaction { db in
                        try SQLiteStore.insert(batch, source: "demo", into: db)
                        return .commit
                    }
                    inserting += clock.now - t
                }
            } catch {
                handoff.cancel()
                sideWriter.handoff.cancel()
                _ = sideWriter.wait()
                throw error
            }
            sideWriter.handoff.finish()
            let truth = handoff.waitForTruth()
            let loaded = clock.now
            // This file's indexes while the side file builds its own; then the side tables move in.
            try migrator.migrate(queue)
            if let error = sideWriter.wait() { throw error }
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "ATTACH DATABASE ? AS side", arguments: [sidePath])
                try db.inTransaction {
                    for table in SideWriter.tables {
                        try db.execute(sql: "INSERT INTO main.\(table) SELECT * FROM side.\(table)")
                    }
                    return .commit
                }
                try db.execute(sql: "DETACH DATABASE side")
            }
            try queue.read { db in
                if let dangling = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
                    throw StoreError(
                        .writeFailed, path: path,
                        reason: """
                            the demo generator wrote a dangling reference (\(dangling[0] as String) row \(dangling[1] as Int64? ?? 0) → \(dangling[2] as String)); nothing was stored
                            """)
                }
            }
            // FULCRUM_TIMINGS=1 prints where a demo build spends its time (bench/demo.sh records it).
            if ProcessInfo.processInfo.environment["FULCRUM_TIMINGS"] == "1" {
                let generating = loaded - started - inserting  // the part of generating that inserts did not hide
                FileHandle.standardError.write(
                    Data("timings: generate \(generating), insert \(inserting), index \(clock.now - loaded)\n".utf8))
            }
            try queue.write { db in
                let meta = [
                    "origin": "demo", "demo_size": size.rawValue, "demo_seed": String(seed),
                    "demo_accounts": String(accountCount ?? size.accounts), "data_through": DemoCalendar.asOf.iso,
                ]
                for (key, value) in meta.sorted(by: { $0.key < $1.key }) {
                    try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?)", arguments: [key, value])
                }
                try db.execute(
                    sql: "INSERT INTO data_sources(source, data_through, imported_at, rows) VALUES ('demo', ?, ?, ?)",
                    arguments: [DemoCalendar.asOf.iso, DemoCalendar.asOf.iso + "T23:59:59Z", rows])
            }
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA optimize")
            }
            try queue.close()
            result = Result(truth: truth, rows: rows)
        } catch let error as DatabaseError {
            throw SQLiteStore.describe(error, path: path)
        }
        return result
    }

    /// Removes a store file and its journal files (a store that was never placed, or is being replaced).
    public static func removeStoreFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

/// Hands generated batches from the generator's thread to the inserting one, at most `capacity` ahead,
/// so memory stays bounded however fast the generator is.
final class BatchHandoff: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [DemoBatch] = []
    private let capacity: Int
    private var done = false
    private var cancelled = false
    private var truth: DemoTruth?

    init(capacity: Int) { self.capacity = capacity }

    /// Blocks while `capacity` batches wait; false once the consumer has given up.
    func put(_ batch: DemoBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// No more batches (with the generator's truth, from the generator).
    func finish(_ truth: DemoTruth? = nil) {
        condition.lock()
        defer { condition.unlock() }
        self.truth = truth
        done = true
        condition.broadcast()
    }

    /// The next batch, or nil once the producer has finished and every batch was taken (or it was cancelled).
    func take() -> DemoBatch? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !done && !cancelled { condition.wait() }
        if batches.isEmpty || cancelled { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }

    /// One side failed: the producer's `put` is refused from now on and the consumer's `take` gives nil.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        batches.removeAll()
        condition.broadcast()
    }

    func waitForTruth() -> DemoTruth {
        condition.lock()
        defer { condition.unlock() }
        while truth == nil { condition.wait() }
        return truth!
    }
}

/// Inserts the touches and daily usage of every batch into the side file on a thread of its own, then builds
/// their indexes there (the same statements as the main file's, so the final move is a transfer).
final class SideWriter: @unchecked Sendable {
    static let tables = ["touches", "usage_daily"]
    let handoff = BatchHandoff(capacity: 4)
    private let done = DispatchSemaphore(value: 0)
    private var error: Error?

    init(_ side: DatabaseQueue) {
        let thread = Thread { [self] in
            do {
                while let batch = handoff.take() {
                    try side.inTransaction { db in
                        try SQLiteStore.insert(batch, source: "demo", into: db)
                        return .commit
                    }
                }
                try side.inDatabase { db in
                    for table in Self.tables {
                        for statement in Schema.indexes where statement.contains(" ON \(table)(") {
                            try db.execute(sql: statement)
                        }
                    }
                }
            } catch {
                self.error = error
                handoff.cancel()
            }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the side file to be complete; its error, if it failed.
    func wait() -> Error? {
        done.wait()
        done.signal()
        return error
    }

    /// The error that stopped the side writer (after `put` was refused).
    func failure() -> Error {
        wait() ?? StoreError(.writeFailed, path: "", reason: "the demo's side writer stopped")
    }
}
