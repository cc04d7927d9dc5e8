import Foundation
import FulcrumCore
import GRDB

/// Canonical CSV export: one file per table, header = column names, RFC 4180
/// quoting, UTF-8, LF line ends. Text cells starting with = + - @, tab or CR are
/// prefixed with an apostrophe so a spreadsheet never runs them as formulas
/// (`CSVText.isFormulaLike`); numbers (including negative amounts) are written as they are.
extension SQLiteStore {
    public static let exportedTables = Schema.tableNames.filter { !Schema.bookkeepingTables.contains($0) }

    public func exportCSV(to directory: String) throws -> [String] {
        var written: [String] = []
        try writer.read { db in
            for table in SQLiteStore.exportedTables {
                let path = directory + "/" + table + ".csv"
                guard FileManager.default.createFile(atPath: path, contents: nil),
                    let handle = FileHandle(forWritingAtPath: path)
                else {
                    throw StoreError(.writeFailed, path: path, reason: "cannot create file")
                }
                defer { try? handle.close() }
                let columns = try db.columns(in: table).map(\.name)
                var buffer = [UInt8]()
                buffer.reserveCapacity(1 << 20)
                buffer.append(contentsOf: columns.joined(separator: ",").utf8)
                buffer.append(10)
                let order = try db.primaryKey(table).columns.joined(separator: ", ")
                let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(table) ORDER BY \(order)")
                while let row = try cursor.next() {
                    for i in 0..<columns.count {
                        if i > 0 { buffer.append(44) }
                        SQLiteStore.appendCell(row[i] as DatabaseValue, to: &buffer)
                    }
                    buffer.append(10)
                    if buffer.count > (1 << 20) {
                        try handle.write(contentsOf: buffer)
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
                try handle.write(contentsOf: buffer)
                written.append(path)
            }
        }
        return written
    }

    static func appendCell(_ value: DatabaseValue, to buffer: inout [UInt8]) {
        switch value.storage {
        case .null: break
        case .int64(let n): buffer.append(contentsOf: String(n).utf8)
        case .double(let d): buffer.append(contentsOf: String(d).utf8)
        case .string(let s): appendText(s, to: &buffer)
        case .blob(let data): appendText(data.base64EncodedString(), to: &buffer)
        }
    }

    static func appendText(_ text: String, to buffer: inout [UInt8]) {
        var utf8 = Array(text.utf8)
        if CSVText.isFormulaLike(utf8) { utf8.insert(UInt8(ascii: "'"), at: 0) }
        let special: Set<UInt8> = [44, 34, 10, 13]
        let needsQuotes = utf8.contains(where: special.contains) || utf8.first == 32 || utf8.last == 32
        guard needsQuotes else {
            buffer.append(contentsOf: utf8)
            return
        }
        buffer.append(34)
        for b in utf8 {
            if b == 34 { buffer.append(34) }
            buffer.append(b)
        }
        buffer.append(34)
    }
}
