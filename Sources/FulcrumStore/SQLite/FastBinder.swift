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

    mutating func bind(_ value: (any DatabaseValueConvertible)?) {
        index += 1
        switch value {
        case nil: sqlite3_bind_null(handle, index)
        case let v as Int64: sqlite3_bind_int64(handle, index, v)
        case let v as Int: sqlite3_bind_int64(handle, index, Int64(v))
        case let v as Bool: sqlite3_bind_int64(handle, index, v ? 1 : 0)
        case let v as Double: sqlite3_bind_double(handle, index, v)
        case var v as String: text(&v)
        case let v?:
            switch v.databaseValue.storage {
            case .null: sqlite3_bind_null(handle, index)
            case .int64(let n): sqlite3_bind_int64(handle, index, n)
            case .double(let d): sqlite3_bind_double(handle, index, d)
            case .string(var s): text(&s)
            case .blob(let data): _ = data.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
            }
        }
    }

    mutating func bind(_ value: DatabaseValue) {
        index += 1
        switch value.storage {
        case .null: sqlite3_bind_null(handle, index)
        case .int64(let n): sqlite3_bind_int64(handle, index, n)
        case .double(let d): sqlite3_bind_double(handle, index, d)
        case .string(var s): text(&s)
        case .blob(let data): _ = data.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
        }
    }

    private func text(_ s: inout String) {
        s.withUTF8 { sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    /// Runs the statement; a failure becomes GRDB's `DatabaseError` with SQLite's message.
    func step(_ db: Database) throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }
}
