import FulcrumCore
import GRDB
import GRDBSQLite

/// Reads query results with SQLite's C API: steps a prepared statement and reads each column
/// directly (integers as integers, days parsed from the column's bytes), skipping GRDB's
/// `Row` and `DatabaseValue` conversions. For the large reads reports make (billing, accounts).
struct FastRows {
    let handle: OpaquePointer
    let sql: String

    /// Maps every row of `sql` through `transform`.
    static func map<T>(_ db: Database, sql: String, _ transform: (FastRows) throws -> T) throws -> [T] {
        let statement = try db.makeStatement(sql: sql)
        // The statement owns the handle: keep it alive until the last row is read.
        return try withExtendedLifetime(statement) {
            let rows = FastRows(handle: statement.sqliteStatement, sql: sql)
            defer { sqlite3_reset(rows.handle) }
            var out: [T] = []
            while true {
                let code = sqlite3_step(rows.handle)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) } ?? "error \(code)"
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
                }
                out.append(try transform(rows))
            }
            return out
        }
    }

    func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
    func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
    func optionalInt64(_ i: Int32) -> Int64? { isNull(i) ? nil : int64(i) }
    func int(_ i: Int32) -> Int { Int(sqlite3_column_int64(handle, i)) }
    func optionalInt(_ i: Int32) -> Int? { isNull(i) ? nil : int(i) }
    func double(_ i: Int32) -> Double { sqlite3_column_double(handle, i) }
    func optionalDouble(_ i: Int32) -> Double? { isNull(i) ? nil : double(i) }

    /// The column's bytes as UTF-8 text ("" for NULL).
    func string(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(handle, i) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, i))), as: UTF8.self)
    }

    func optionalString(_ i: Int32) -> String? { isNull(i) ? nil : string(i) }

    /// A `YYYY-MM-DD` column, parsed from its bytes (the rules of `Day(iso:)`); an error names the column.
    func day(_ i: Int32, _ column: String) throws -> Day {
        if let p = sqlite3_column_text(handle, i), sqlite3_column_bytes(handle, i) == 10 {
            func digits(_ from: Int, _ count: Int) -> Int? {
                var v = 0
                for k in from..<(from + count) {
                    let b = p[k]
                    guard b >= 48, b <= 57 else { return nil }
                    v = v * 10 + Int(b - 48)
                }
                return v
            }
            if p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-"), let y = digits(0, 4), let m = digits(5, 2), let d = digits(8, 2),
               let day = Day(validating: y, m, d) {
                return day
            }
        }
        throw StoreError(.notAStore, path: column, reason: "not a YYYY-MM-DD date: \(string(i))")
    }

    func optionalDay(_ i: Int32, _ column: String) throws -> Day? { isNull(i) ? nil : try day(i, column) }
}
