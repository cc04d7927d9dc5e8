import GRDB

/// The rows the current file has written, so a second row of the file with the same key is
/// refused instead of silently overwriting the first (that would drop the first row's data).
///
/// Memory stays flat: rows inserted by the file are those whose rowid is at least the table's
/// next rowid when the file started (an `INTEGER PRIMARY KEY` only grows); rows the file updated
/// are marked in a bitmap over the rowids that existed before, one bit per row.
/// The upsert asks through the SQL function `fulcrum_first_write(rowid)` in its `DO UPDATE … WHERE`,
/// so it is consulted exactly when a row's key is already in the table.
final class FileWrites: @unchecked Sendable {
    static let functionName = "fulcrum_first_write"

    private var firstNewRowid: Int64 = .max
    private var updated: [UInt64] = []
    /// Set when the last statement met a key this file had already written; read and cleared by the writer.
    private(set) var duplicate = false

    /// Starts a file writing into `table` (a table keyed by `id INTEGER PRIMARY KEY`).
    func begin(table: String, _ db: Database) throws {
        let maxRowid = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM \(table)") ?? 0
        firstNewRowid = maxRowid + 1
        updated = [UInt64](repeating: 0, count: Int(maxRowid / 64) + 1)
        duplicate = false
    }

    /// Whether `rowid` was written by this file already.
    func written(_ rowid: Int64) -> Bool {
        if rowid >= firstNewRowid { return true }
        guard rowid >= 0, Int(rowid / 64) < updated.count else { return false }
        return updated[Int(rowid / 64)] & (1 << UInt64(rowid % 64)) != 0
    }

    /// The SQL function: true (go on) for a row's first write in this file, false (no update) and
    /// `duplicate` set for a second one.
    func firstWrite(_ rowid: Int64) -> Bool {
        if written(rowid) {
            duplicate = true
            return false
        }
        if rowid >= 0, Int(rowid / 64) < updated.count { updated[Int(rowid / 64)] |= 1 << UInt64(rowid % 64) }
        return true
    }

    /// Reads and clears `duplicate`.
    func takeDuplicate() -> Bool {
        defer { duplicate = false }
        return duplicate
    }

    func register(_ db: Database) {
        db.add(
            function: DatabaseFunction(Self.functionName, argumentCount: 1, pure: false) { [self] arguments in
                guard let rowid = Int64.fromDatabaseValue(arguments[0]) else { return true }
                return firstWrite(rowid)
            })
    }
}
