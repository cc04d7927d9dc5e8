import FulcrumCore
import GRDB
import GRDBSQLite

/// Reads query results with SQLite's C API: steps a prepared statement and reads each column
/// directly (integers as integers, days parsed from the column's bytes), skipping GRDB's
/// `Row` and `DatabaseValue` conversions. For the large reads reports make (billing, accounts).
struct FastRows: StoreRow {
    let handle: OpaquePointer
    let sql: String

    /// Maps every row of `sql` through `transform`; `capacity` (when known, e.g. the table's row count)
    /// sizes the result once instead of growing and copying it.
    static func map<T>(
        _ db: Database, sql: String, arguments: StatementArguments = StatementArguments(), capacity: Int = 0,
        _ transform: (FastRows) throws -> T
    ) throws -> [T] {
        var out: [T] = []
        out.reserveCapacity(capacity)
        out.adviseHugePages()
        try forEach(db, sql: sql, arguments: arguments) { out.append(try transform($0)) }
        return out
    }

    /// Calls `body` with every row of `sql` in turn, keeping none (reads that fold rows as they come).
    static func forEach(
        _ db: Database, sql: String, arguments: StatementArguments = StatementArguments(),
        _ body: (FastRows) throws -> Void
    ) throws {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        // The statement owns the handle: keep it alive until the last row is read.
        try withExtendedLifetime(statement) {
            let rows = FastRows(handle: statement.sqliteStatement, sql: sql)
            defer { sqlite3_reset(rows.handle) }
            while true {
                let code = sqlite3_step(rows.handle)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) } ?? "error \(code)"
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
                }
                try body(rows)
            }
        }
    }

    func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
    func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
    func double(_ i: Int32) -> Double { sqlite3_column_double(handle, i) }

    func withBytes<R>(_ i: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard let p = sqlite3_column_text(handle, i) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, i))))
    }
}

/// The shared queries on SQLite: one connection inside the read (or write) transaction GRDB opened.
struct SQLiteRunner: QueryRunner {
    let db: Database
    let location: String

    func rows<T>(_ sql: String, _ arguments: [QueryValue], capacity: Int, _ transform: (FastRows) throws -> T) throws
        -> [T]
    {
        try FastRows.map(db, sql: sql, arguments: Self.bound(arguments), capacity: capacity, transform)
    }

    var groupsByScanning: Bool { true }

    func forEachRow(_ sql: String, _ arguments: [QueryValue], _ body: (FastRows) throws -> Void) throws {
        try FastRows.forEach(db, sql: sql, arguments: Self.bound(arguments), body)
    }

    private static func bound(_ arguments: [QueryValue]) -> StatementArguments {
        StatementArguments(
            arguments.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .int(let v): return v
                case .double(let v): return v
                case .text(let v): return v
                case .null: return nil
                }
            })
    }

    func expectedRows(_ table: String) throws -> Int { try count(table) }
}
