import FulcrumCore
import FulcrumImport
import GRDB
import GRDBSQLite

/// The fast path of canonical CSV files: cells are checked and bound straight from the
/// reader's bytes with SQLite's C API, without a `String` per cell or a `SourceRow` per record.
///
/// It only takes the rows it can write exactly as `RowWriter.write` would: plain values in
/// their canonical form (`2024-01-15`, `2024-01-15T10:00:00Z`, digits, listed words, ids of
/// rows already written). Any other row — a value in another accepted form the per-cell
/// converter handles, a bad value, a reference to a later row — goes through `write` with
/// the record built as before, so the rules and the problems reported stay the same.
extension RowWriter {
    final class FastLayout {
        /// The column's kind without payload, so the per-cell switch retains nothing.
        enum Kind { case text, integer, reference, day, instant, bool, other }
        /// A class, so walking the fields per row copies one reference, not every property.
        final class Field {
            let index: Int
            let column: TableSpec.Column
            let kind: Kind
            let required: Bool
            let isEvent: Bool
            let isCurrency: Bool
            let allowed: [[UInt8]]?
            /// For references: the target's key map (nil for a reference to the file's own table, read live).
            let map: [String: Int64]?
            let selfReference: Bool

            init(
                index: Int, column: TableSpec.Column, isEvent: Bool, isCurrency: Bool, allowed: [[UInt8]]?,
                map: [String: Int64]?, selfReference: Bool
            ) {
                self.index = index
                self.column = column
                switch column.kind {
                case .text: kind = .text
                case .integer: kind = .integer
                case .reference: kind = .reference
                case .day: kind = .day
                case .instant: kind = .instant
                case .bool: kind = .bool
                case .real, .month: kind = .other
                }
                required = column.required
                self.isEvent = isEvent
                self.isCurrency = isCurrency
                self.allowed = allowed
                self.map = map
                self.selfReference = selfReference
            }
        }
        let spec: TableSpec
        let fields: [Field]
        let table: String
        let keyed: Bool
        let idIndex: Int?
        let externalIdIndex: Int?
        let statement: Statement
        let isReferenced: Bool
        /// The source name, bound without a copy per row.
        let source: UnsafeMutableBufferPointer<CChar>

        init(
            spec: TableSpec, fields: [Field], idIndex: Int?, externalIdIndex: Int?, statement: Statement,
            isReferenced: Bool, source: String
        ) {
            self.spec = spec
            table = spec.table
            keyed = spec.keyedByExternalId
            self.fields = fields
            self.idIndex = idIndex
            self.externalIdIndex = externalIdIndex
            self.statement = statement
            self.isReferenced = isReferenced
            self.source = .allocate(capacity: source.utf8.count)
            _ = self.source.initialize(from: source.utf8.map { CChar(bitPattern: $0) })
        }

        /// Cells are bound without a copy (`SQLITE_STATIC`): they point into the reader's buffer, valid until its
        /// next record, and every row binds every parameter before it steps. Nothing dangles once the file is done.
        deinit {
            sqlite3_clear_bindings(statement.sqliteStatement)
            source.deallocate()
        }
    }

    enum FastOutcome {
        case written(changed: Bool)
        case slow
    }

    /// The fast layout of a canonical CSV file, or nil when its rows need the general path
    /// (custom fields, history, an account to derive, `custom_fields` rows).
    func fastLayout(_ file: CanonicalCSVFile, table: String, _ db: Database) throws -> FastLayout? {
        guard history == nil, table != "custom_fields", let spec = specs[table],
            spec.keyedByExternalId || !spec.primaryKey.isEmpty
        else { return nil }
        var fields: [FastLayout.Field] = []
        var idIndex: Int?
        var externalIdIndex: Int?
        for (index, name) in file.columnMapping {
            if name == "id" {
                idIndex = index
                continue
            }
            if name == "external_id" {
                externalIdIndex = index
                continue
            }
            guard let column = spec.column(name) else { return nil }
            var map: [String: Int64]?
            var selfReference = false
            if case .reference(let target) = column.kind {
                if target == table { selfReference = true } else { map = try keyMap(target, db) }
            }
            fields.append(
                FastLayout.Field(
                    index: index, column: column, isEvent: Self.eventColumns.contains(column.name),
                    isCurrency: column.isCurrency, allowed: column.allowed.map { $0.map { Array($0.utf8) } },
                    map: map, selfReference: selfReference))
        }
        if spec.column("account_id") != nil, !fields.contains(where: { $0.column.name == "account_id" }) { return nil }
        if spec.keyedByExternalId, idIndex == nil, externalIdIndex == nil { return nil }
        let isReferenced = referencedTables.contains(table)
        if isReferenced || fields.contains(where: \.selfReference) { _ = try keyMap(table, db) }
        let statement = try upsertStatement(spec, fields.map(\.column.name), db)
        return FastLayout(
            spec: spec, fields: fields, idIndex: idIndex, externalIdIndex: externalIdIndex,
            statement: statement, isReferenced: isReferenced, source: source)
    }

    /// Writes the current raw record of `file`, or says it must go through `write`.
    func writeFast(_ file: CanonicalCSVFile, _ layout: FastLayout, _ db: Database) -> FastOutcome {
        let h = layout.statement.sqliteStatement
        sqlite3_reset(h)
        var param: Int32 = 0
        for field in layout.fields {
            param += 1
            if !bind(file.field(field.index), field, layout, param, h) { return .slow }
        }
        var key: String?
        if layout.keyed {
            var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            if let i = layout.idIndex { bytes = file.field(i) }
            if bytes.isEmpty, let i = layout.externalIdIndex { bytes = file.field(i) }
            guard !bytes.isEmpty else { return .slow }
            let first = bytes[0]
            let last = bytes[bytes.count - 1]
            guard !Self.isBlank(first), first != Self.quote, !Self.isBlank(last) else { return .slow }
            if layout.isReferenced { key = String(decoding: bytes, as: UTF8.self) }
            _ = sqlite3_bind_text(
                h, param + 2, UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self),
                Int32(bytes.count), nil)
            sqlite3_bind_text(h, param + 1, layout.source.baseAddress, Int32(layout.source.count), nil)
        }
        // A failed step (a CHECK, say) changed nothing; `write` runs the row again and reports it.
        guard sqlite3_step(h) == SQLITE_DONE else {
            sqlite3_reset(h)
            _ = fileWrites.takeDuplicate()
            return .slow
        }
        // A second row of this file with the key changed nothing; `write` runs it again and reports it.
        if fileWrites.takeDuplicate() { return .slow }
        let changed = sqlite3_changes(db.sqliteConnection) > 0
        if let key, keyMaps[layout.table]?[key] == nil {
            keyMaps[layout.table]![key] = sqlite3_last_insert_rowid(db.sqliteConnection)
        }
        return .written(changed: changed)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    private static let quote = UInt8(ascii: "'")
    @inline(__always) private static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
    @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) private static func two(_ p: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int? {
        let a = p[at] &- 0x30
        let b = p[at + 1] &- 0x30
        return a < 10 && b < 10 ? Int(a) * 10 + Int(b) : nil
    }

    /// `YYYY-MM-DD`, a valid date, as its day.
    private static func isoDay(_ p: UnsafeBufferPointer<UInt8>) -> Day? {
        guard p[4] == 0x2D, p[7] == 0x2D, let c = two(p, 0), let y = two(p, 2), let m = two(p, 5), let d = two(p, 8)
        else { return nil }
        let year = c * 100 + y
        guard Day.isValid(year: year, month: m, day: d) else { return nil }
        return Day(year, m, d)
    }

    /// Binds one cell the way `ValueConverter` would convert it; false when the row must take the general path.
    @inline(__always)
    private func bind(
        _ bytes: UnsafeBufferPointer<UInt8>, _ field: FastLayout.Field, _ layout: FastLayout, _ param: Int32,
        _ h: OpaquePointer
    ) -> Bool {
        let n = bytes.count
        if n == 0 {
            if field.required { return false }
            sqlite3_bind_null(h, param)
            return true
        }
        let first = bytes[0]
        let last = bytes[n - 1]
        if Self.isBlank(first) || first == Self.quote || Self.isBlank(last) {
            return general(bytes, field, layout, param, h)
        }
        let text = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
        switch field.kind {
        case .text:
            if let allowed = field.allowed, !allowed.contains(where: { $0.elementsEqual(bytes) }) { return false }
            if field.isCurrency {
                guard n == 3, bytes.allSatisfy({ $0 &- 0x41 < 26 }) else { return false }
            }
            sqlite3_bind_text(h, param, text, Int32(n), nil)
            return true
        case .integer:
            var i = 0
            var negative = false
            if first == 0x2D {
                negative = true
                i = 1
            } else if first == 0x2B {
                i = 1
            }
            guard n - i >= 1, n - i <= 18 else { return general(bytes, field, layout, param, h) }
            var v: Int64 = 0
            while i < n {
                let d = bytes[i] &- 0x30
                guard d < 10 else { return false }
                v = v * 10 + Int64(d)
                i += 1
            }
            if let minimum = field.column.minimum, (negative ? -v : v) < minimum { return false }
            sqlite3_bind_int64(h, param, negative ? -v : v)
            return true
        case .reference:
            let key = String(decoding: bytes, as: UTF8.self)
            let id = field.selfReference ? keyMaps[layout.table]?[key] : field.map![key]
            guard let id else { return false }
            sqlite3_bind_int64(h, param, id)
            return true
        case .day:
            guard n == 10, let day = Self.isoDay(bytes) else { return general(bytes, field, layout, param, h) }
            if field.isEvent, latestEvent.map({ day > $0 }) ?? true { latestEvent = day }
            sqlite3_bind_text(h, param, text, 10, nil)
            return true
        case .instant:
            guard n == 20, bytes[10] == 0x54, bytes[13] == 0x3A, bytes[16] == 0x3A, bytes[19] == 0x5A,
                let hour = Self.two(bytes, 11), let minute = Self.two(bytes, 14), let second = Self.two(bytes, 17),
                hour < 24, minute < 60, second < 60,
                let day = Self.isoDay(UnsafeBufferPointer(rebasing: bytes[0..<10]))
            else { return general(bytes, field, layout, param, h) }
            if field.isEvent, latestEvent.map({ day > $0 }) ?? true { latestEvent = day }
            sqlite3_bind_text(h, param, text, 20, nil)
            return true
        case .bool:
            if n == 1, first == 0x30 || first == 0x31 {
                sqlite3_bind_int64(h, param, first == 0x31 ? 1 : 0)
                return true
            }
            return general(bytes, field, layout, param, h)
        case .other:
            return general(bytes, field, layout, param, h)
        }
    }

    /// Any other cell: through `ValueConverter`, as `write` converts it.
    private func general(
        _ bytes: UnsafeBufferPointer<UInt8>, _ field: FastLayout.Field, _ layout: FastLayout, _ param: Int32,
        _ h: OpaquePointer
    ) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard
            case .success(let value) = converter.convert(
                text, kind: field.column.kind, column: field.column, isCurrency: field.isCurrency)
        else {
            return false
        }
        if let minimum = field.column.minimum, case .int64(let n) = value.storage, n < minimum { return false }
        if value.isNull {
            if field.column.required { return false }
            sqlite3_bind_null(h, param)
            return true
        }
        var bound = value
        if case .reference = field.column.kind {
            guard case .string(let key) = value.storage,
                let id = field.selfReference ? keyMaps[layout.table]?[key] : field.map![key]
            else { return false }
            bound = id.databaseValue
        }
        if field.isEvent, case .string(let s) = bound.storage, let day = Day(iso: s.prefix(10)) {
            if latestEvent.map({ day > $0 }) ?? true { latestEvent = day }
        }
        switch bound.storage {
        case .null: sqlite3_bind_null(h, param)
        case .int64(let v): sqlite3_bind_int64(h, param, v)
        case .double(let v): sqlite3_bind_double(h, param, v)
        case .string(var s):
            _ = s.withUTF8 {
                sqlite3_bind_text(
                    h, param, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), Int32($0.count),
                    Self.transient)
            }
        case .blob: return false
        }
        return true
    }
}
