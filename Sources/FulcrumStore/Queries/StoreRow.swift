import FulcrumCore

/// One result row read by column index: all the shared queries (`StoreQueries`) need from a backend.
///
/// Both backends keep the same logical values — integers, floating point, and text for days
/// (`YYYY-MM-DD`) and instants (`YYYY-MM-DDTHH:MM:SSZ`) — so every value is decoded by the same code
/// and a report cannot tell which database it read.
protocol StoreRow {
    func isNull(_ i: Int32) -> Bool
    func int64(_ i: Int32) -> Int64
    func double(_ i: Int32) -> Double
    /// The column's UTF-8 bytes (empty for NULL), read in place without making a String.
    func withBytes<R>(_ i: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R
}

/// A bound query parameter: values are always bound, never spliced into SQL.
enum QueryValue: Sendable, Equatable {
    case int(Int64)
    case double(Double)
    case text(String)
    case null
}

/// Runs SQL on one backend inside whatever read transaction the caller opened. SQL is written once with `?`
/// placeholders in the dialect both backends share; a backend rewrites placeholders as it needs.
protocol QueryRunner {
    associatedtype Row: StoreRow
    /// Where the store lives, for error messages.
    var location: String { get }
    /// Every row of `sql` mapped through `transform`; `capacity` (when known) sizes the result once.
    func rows<T>(_ sql: String, _ arguments: [QueryValue], capacity: Int, _ transform: (Row) throws -> T) throws
        -> [T]
    /// Whether a GROUP BY over a large table is better done by the caller over a plain scan: SQLite groups by
    /// sorting every row; PostgreSQL hashes.
    var groupsByScanning: Bool { get }
    /// Calls `body` with every row of `sql` in turn and keeps none: for reads folded as they come, too
    /// large to hold as values (52 million touches on the large company).
    func forEachRow(_ sql: String, _ arguments: [QueryValue], _ body: (Row) throws -> Void) throws
    /// The rows a read of all of `table` will return, when the backend can size its result before reading
    /// (SQLite steps row by row: an exact count saves regrowing a large array); 0 when it need not.
    func expectedRows(_ table: String) throws -> Int
}

extension QueryRunner {
    func rows<T>(_ sql: String, _ arguments: [QueryValue] = [], _ transform: (Row) throws -> T) throws -> [T] {
        try rows(sql, arguments, capacity: 0, transform)
    }

    /// Rows in `table` (a name from the schema, never user input), to size a result before reading it.
    func count(_ table: String) throws -> Int {
        try rows("SELECT count(*) FROM \(table)") { $0.int(0) }.first ?? 0
    }
}

extension StoreRow {
    func int(_ i: Int32) -> Int { Int(int64(i)) }
    func optionalInt64(_ i: Int32) -> Int64? { isNull(i) ? nil : int64(i) }
    func optionalInt(_ i: Int32) -> Int? { isNull(i) ? nil : int(i) }
    func optionalDouble(_ i: Int32) -> Double? { isNull(i) ? nil : double(i) }
    func bool(_ i: Int32) -> Bool { int64(i) != 0 }

    /// The column as text ("" for NULL).
    func string(_ i: Int32) -> String {
        withBytes(i) { $0.isEmpty ? "" : String(decoding: $0, as: UTF8.self) }
    }

    func optionalString(_ i: Int32) -> String? { isNull(i) ? nil : string(i) }

    /// The value made from a text column by `make`, built once per distinct text and reused after
    /// (for low-cardinality columns: segments, plans, currencies, statuses). NULL reads as "".
    func text<Value>(_ i: Int32, _ cache: inout TextCache<Value>, _ make: (String) -> Value) -> Value {
        withBytes(i) { cache.value(for: $0, make) }
    }

    func optionalText<Value>(_ i: Int32, _ cache: inout TextCache<Value>, _ make: (String) -> Value) -> Value? {
        isNull(i) ? nil : text(i, &cache, make)
    }

    /// A `YYYY-MM-DD` column, parsed from its bytes (the rules of `Day(iso:)`); an error names the column.
    @inline(__always)
    func day(_ i: Int32, _ column: String) throws -> Day {
        if let day = withBytes(i, { $0.count == 10 ? ISOBytes.day($0.baseAddress!) : nil }) { return day }
        throw StoreError(.notAStore, path: column, reason: "not a YYYY-MM-DD date: \(string(i))")
    }

    func optionalDay(_ i: Int32, _ column: String) throws -> Day? { isNull(i) ? nil : try day(i, column) }

    /// A `YYYY-MM-DDTHH:MM:SSZ` column (also with a space for `T`, or without `Z`), parsed from its bytes.
    @inline(__always)
    func timestamp(_ i: Int32, _ column: String) throws -> Timestamp {
        if let t = withBytes(i, { ISOBytes.timestamp($0) }) { return t }
        throw StoreError(.notAStore, path: column, reason: "not an ISO-8601 timestamp: \(string(i))")
    }

    func optionalTimestamp(_ i: Int32, _ column: String) throws -> Timestamp? {
        isNull(i) ? nil : try timestamp(i, column)
    }

    /// The month of a column that starts `YYYY-MM` (a day or an instant), read from its first seven bytes.
    func monthPrefix(_ i: Int32, _ column: String) throws -> Month {
        let month = withBytes(i) { b -> Month? in
            guard b.count >= 7, let p = b.baseAddress, p[4] == UInt8(ascii: "-") else { return nil }
            var year = 0
            for k in 0..<4 {
                let d = p[k] &- 48
                guard d < 10 else { return nil }
                year = year * 10 + Int(d)
            }
            let m0 = p[5] &- 48
            let m1 = p[6] &- 48
            guard m0 < 10, m1 < 10, (1...12).contains(Int(m0) * 10 + Int(m1)) else { return nil }
            return Month(year, Int(m0) * 10 + Int(m1))
        }
        if let month { return month }
        throw StoreError(.notAStore, path: column, reason: "not a YYYY-MM date: \(string(i))")
    }

    /// A `YYYY-MM` column (or the month prefix a query cut from a day or instant).
    func month(_ i: Int32, _ column: String) throws -> Month {
        let text = string(i)
        guard let month = Month(iso: text) else {
            throw StoreError(.notAStore, path: column, reason: "not YYYY-MM: \(text)")
        }
        return month
    }
}

/// Days and instants parsed straight from their ISO-8601 bytes (a store holds millions of them).
enum ISOBytes {
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

    /// `YYYY-MM-DDTHH:MM:SS` with an optional `Z` (or a space for `T`), nil for anything else.
    @inline(__always)
    static func timestamp(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        let count = bytes.count
        guard count == 19 || (count == 20 && bytes[19] == UInt8(ascii: "Z")), let p = bytes.baseAddress,
            p[10] == UInt8(ascii: "T") || p[10] == UInt8(ascii: " "), p[13] == UInt8(ascii: ":"),
            p[16] == UInt8(ascii: ":"), let day = day(p)
        else { return nil }
        let h0 = p[11] &- 48
        let h1 = p[12] &- 48
        let m0 = p[14] &- 48
        let m1 = p[15] &- 48
        let s0 = p[17] &- 48
        let s1 = p[18] &- 48
        guard h0 < 10, h1 < 10, m0 < 10, m1 < 10, s0 < 10, s1 < 10 else { return nil }
        let h = Int(h0) * 10 + Int(h1)
        let m = Int(m0) * 10 + Int(m1)
        let s = Int(s0) * 10 + Int(s1)
        guard h < 24, m < 60, s < 60 else { return nil }
        return Timestamp(day: day, hour: h, minute: m, second: s)
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
