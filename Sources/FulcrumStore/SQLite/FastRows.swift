import FulcrumCore
import GRDB
import GRDBSQLite

/// Reads query results with SQLite's C API: steps a prepared statement and reads each column
/// directly (integers as integers, days parsed from the column's bytes), skipping GRDB's
/// `Row` and `DatabaseValue` conversions. For the large reads reports make (billing, accounts).
struct FastRows {
    let handle: OpaquePointer
    let sql: String

    /// Maps every row of `sql` through `transform`; `capacity` (when known, e.g. the table's row count)
    /// sizes the result once instead of growing and copying it.
    static func map<T>(
        _ db: Database, sql: String, arguments: StatementArguments = StatementArguments(), capacity: Int = 0,
        _ transform: (FastRows) throws -> T
    ) throws -> [T] {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        // The statement owns the handle: keep it alive until the last row is read.
        return try withExtendedLifetime(statement) {
            let rows = FastRows(handle: statement.sqliteStatement, sql: sql)
            defer { sqlite3_reset(rows.handle) }
            var out: [T] = []
            out.reserveCapacity(capacity)
            out.adviseHugePages()
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
        return String(
            decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, i))), as: UTF8.self)
    }

    func optionalString(_ i: Int32) -> String? { isNull(i) ? nil : string(i) }

    /// The value made from a text column by `make`, built once per distinct text and reused after
    /// (for low-cardinality columns: segments, plans, currencies, statuses). NULL reads as "".
    func text<Value>(_ i: Int32, _ cache: inout TextCache<Value>, _ make: (String) -> Value) -> Value {
        guard let p = sqlite3_column_text(handle, i) else {
            return cache.value(for: UnsafeBufferPointer(start: nil, count: 0), make)
        }
        return cache.value(for: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, i))), make)
    }

    func optionalText<Value>(_ i: Int32, _ cache: inout TextCache<Value>, _ make: (String) -> Value) -> Value? {
        isNull(i) ? nil : text(i, &cache, make)
    }

    /// A `YYYY-MM-DD` column, parsed from its bytes (the rules of `Day(iso:)`); an error names the column.
    @inline(__always)
    func day(_ i: Int32, _ column: String) throws -> Day {
        if let p = sqlite3_column_text(handle, i), sqlite3_column_bytes(handle, i) == 10, let day = FastRows.day(p) {
            return day
        }
        throw StoreError(.notAStore, path: column, reason: "not a YYYY-MM-DD date: \(string(i))")
    }

    /// The day written as `YYYY-MM-DD` in the 10 bytes at `p`, nil unless all ten are that shape and the date exists.
    @inline(__always)
    static func day(_ p: UnsafePointer<UInt8>) -> Day? {
        let y0 = p[0] &- 48
        let y1 = p[1] &- 48
        let y2 = p[2] &- 48
        let y3 = p[3] &- 48
        let m0 = p[5] &- 48
        let m1 = p[6] &- 48
        let d0 = p[8] &- 48
        let d1 = p[9] &- 48
        guard p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-"), y0 < 10, y1 < 10, y2 < 10, y3 < 10,
            m0 < 10, m1 < 10, d0 < 10, d1 < 10
        else { return nil }
        let year = Int(y0) * 1000 + Int(y1) * 100 + Int(y2) * 10 + Int(y3)
        return Day(validating: year, Int(m0) * 10 + Int(m1), Int(d0) * 10 + Int(d1))
    }

    func optionalDay(_ i: Int32, _ column: String) throws -> Day? { isNull(i) ? nil : try day(i, column) }

    /// A `YYYY-MM-DDTHH:MM:SSZ` column (also with a space for `T`, or without `Z`), parsed from its bytes.
    @inline(__always)
    func timestamp(_ i: Int32, _ column: String) throws -> Timestamp {
        let count = sqlite3_column_bytes(handle, i)
        if let p = sqlite3_column_text(handle, i), count == 19 || (count == 20 && p[19] == UInt8(ascii: "Z")),
            p[10] == UInt8(ascii: "T") || p[10] == UInt8(ascii: " "), p[13] == UInt8(ascii: ":"),
            p[16] == UInt8(ascii: ":"), let day = FastRows.day(p)
        {
            let h0 = p[11] &- 48
            let h1 = p[12] &- 48
            let m0 = p[14] &- 48
            let m1 = p[15] &- 48
            let s0 = p[17] &- 48
            let s1 = p[18] &- 48
            if h0 < 10, h1 < 10, m0 < 10, m1 < 10, s0 < 10, s1 < 10 {
                let h = Int(h0) * 10 + Int(h1)
                let m = Int(m0) * 10 + Int(m1)
                let s = Int(s0) * 10 + Int(s1)
                if h < 24, m < 60, s < 60 { return Timestamp(day: day, hour: h, minute: m, second: s) }
            }
        }
        throw StoreError(.notAStore, path: column, reason: "not an ISO-8601 timestamp: \(string(i))")
    }

    func optionalTimestamp(_ i: Int32, _ column: String) throws -> Timestamp? {
        isNull(i) ? nil : try timestamp(i, column)
    }
}

/// Values already made from a column's text, looked up by the text's bytes. Holds at most
/// `limit` distinct texts; beyond that every value is made afresh, so a high-cardinality
/// column costs one failed scan more per row and nothing else.
struct TextCache<Value> {
    private var keys: [[UInt8]] = []
    private var values: [Value] = []
    private let limit: Int

    init(limit: Int = 16) { self.limit = limit }

    mutating func value(for bytes: UnsafeBufferPointer<UInt8>, _ make: (String) -> Value) -> Value {
        search: for (k, key) in keys.enumerated() where key.count == bytes.count {
            for j in 0..<key.count where key[j] != bytes[j] { continue search }
            return values[k]
        }
        let value = make(bytes.isEmpty ? "" : String(decoding: bytes, as: UTF8.self))
        if keys.count < limit {
            keys.append(Array(bytes))
            values.append(value)
        }
        return value
    }
}
