import FulcrumCore
import GRDB
import GRDBSQLite

/// Binds values to a prepared statement with SQLite's C API, skipping GRDB's
/// `StatementArguments` (an array of `DatabaseValue` per row), for bulk loads.
/// Parameters are still bound, never spliced into SQL.
struct FastBinder {
    private let handle: OpaquePointer
    private var index: Int32 = 0
    /// SQLite copies the bytes before `bind` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: Statement) { handle = statement.sqliteStatement }

    /// Binds a whole row and runs the statement.
    static func run(_ statement: Statement, _ values: [DatabaseValue], _ db: Database) throws {
        var binder = FastBinder(statement)
        binder.reset()
        for value in values { binder.bind(value) }
        try binder.step(db)
    }

    mutating func reset() {
        sqlite3_reset(handle)
        index = 0
    }

    mutating func bind(_ v: Int64) {
        index += 1
        sqlite3_bind_int64(handle, index, v)
    }
    mutating func bind(_ v: Int) { bind(Int64(v)) }
    mutating func bind(_ v: Bool) { bind(Int64(v ? 1 : 0)) }
    mutating func bind(_ v: Double) {
        index += 1
        sqlite3_bind_double(handle, index, v)
    }
    mutating func bind(_ v: String) {
        index += 1
        var s = v
        text(&s)
    }

    /// A day as `YYYY-MM-DD`, formatted on the stack (no String per row).
    mutating func bind(_ d: Day) {
        index += 1
        let c = d.components
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { buf in
            Self.write(c.year, c.month, c.day, into: buf)
            _ = sqlite3_bind_text(
                handle, index, UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: CChar.self), 10,
                Self.transient)
        }
    }

    /// An instant as `YYYY-MM-DDTHH:MM:SSZ` (UTC), formatted on the stack.
    mutating func bind(_ t: Timestamp) {
        index += 1
        let c = t.day.components
        let second = Int(t.seconds - Int64(t.day.ordinal) * 86_400)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf in
            Self.write(c.year, c.month, c.day, into: buf)
            buf[10] = UInt8(ascii: "T")
            Self.two(second / 3600, buf, 11)
            buf[13] = UInt8(ascii: ":")
            Self.two(second / 60 % 60, buf, 14)
            buf[16] = UInt8(ascii: ":")
            Self.two(second % 60, buf, 17)
            buf[19] = UInt8(ascii: "Z")
            _ = sqlite3_bind_text(
                handle, index, UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: CChar.self), 20,
                Self.transient)
        }
    }

    mutating func bind(_ m: Month) { bind(m.iso) }

    mutating func bind<T>(_ v: T?) where T: FastBindable {
        if let v {
            v.bind(to: &self)
        } else {
            index += 1
            sqlite3_bind_null(handle, index)
        }
    }

    private static func write(_ year: Int, _ month: Int, _ day: Int, into buf: UnsafeMutableBufferPointer<UInt8>) {
        two(year / 100, buf, 0)
        two(year % 100, buf, 2)
        buf[4] = UInt8(ascii: "-")
        two(month, buf, 5)
        buf[7] = UInt8(ascii: "-")
        two(day, buf, 8)
    }

    private static func two(_ n: Int, _ buf: UnsafeMutableBufferPointer<UInt8>, _ at: Int) {
        buf[at] = UInt8(48 + n / 10)
        buf[at + 1] = UInt8(48 + n % 10)
    }

    mutating func bind(_ value: DatabaseValue) {
        index += 1
        switch value.storage {
        case .null: sqlite3_bind_null(handle, index)
        case .int64(let n): sqlite3_bind_int64(handle, index, n)
        case .double(let d): sqlite3_bind_double(handle, index, d)
        case .string(var s): text(&s)
        case .blob(let data):
            _ = data.withUnsafeBytes {
                sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), Self.transient)
            }
        }
    }

    private func text(_ s: inout String) {
        _ = s.withUTF8 { sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    /// Runs the statement; a failure becomes GRDB's `DatabaseError` with SQLite's message.
    func step(_ db: Database) throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }
}

/// Values `FastBinder` binds without boxing; optionals of them bind NULL when nil.
protocol FastBindable { func bind(to binder: inout FastBinder) }
extension Int64: FastBindable { func bind(to b: inout FastBinder) { b.bind(self) } }
extension Int: FastBindable { func bind(to b: inout FastBinder) { b.bind(self) } }
extension Bool: FastBindable { func bind(to b: inout FastBinder) { b.bind(self) } }
extension Double: FastBindable { func bind(to b: inout FastBinder) { b.bind(self) } }
extension String: FastBindable { func bind(to b: inout FastBinder) { b.bind(self) } }
extension Day: FastBindable { func bind(to b: inout FastBinder) { b.bind(self) } }
extension Timestamp: FastBindable { func bind(to b: inout FastBinder) { b.bind(self) } }
extension Month: FastBindable { func bind(to b: inout FastBinder) { b.bind(self) } }
