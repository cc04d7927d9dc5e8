#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Column rules shared by the canonical CSV and JSON Lines readers.
///
/// A canonical file is named after its table (`accounts.csv`, `people.jsonl`)
/// and its header uses the table's column names (docs/data-model.md). Extra
/// columns named `custom.<name>` become custom fields; `source` is ignored
/// (it names the store a file was exported from; the import names its own).
/// Any other unknown column is an error, so a typo never drops data silently.
public enum CanonicalColumns {
    public static let customPrefix = "custom."

    /// The canonical column a header name maps to, or nil for an ignored column.
    public static func resolve(_ name: String, table: String, known: Set<String>) -> Result<String?, ValueError> {
        if name == "source" { return .success(nil) }
        if known.contains(name) { return .success(name) }
        if name.hasPrefix(customPrefix), name.count > customPrefix.count { return .success(name) }
        let list = known.sorted().joined(separator: ", ")
        return .failure(
            ValueError(
                "unknown column '\(name)' for table '\(table)' (known: \(list); custom fields are named custom.<name>)")
        )
    }

    /// The table a canonical file name stands for: `accounts.csv`, `accounts.jsonl`, `path/to/accounts.CSV`.
    public static func table(forFile path: String, tables: Set<String>) -> Result<String, ValueError> {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = base.lastIndex(of: ".") else {
            return .failure(
                ValueError("cannot tell the table from the file name '\(base)': expected <table>.csv or <table>.jsonl"))
        }
        let name = String(base[..<dot])
        guard tables.contains(name) else {
            return .failure(
                ValueError(
                    "'\(base)' is not a canonical file: expected one of \(tables.sorted().map { $0 + ".csv" }.joined(separator: ", "))"
                ))
        }
        return .success(name)
    }
}

/// Reads one canonical CSV file as `SourceRow`s of its table.
public final class CanonicalCSVFile: SourceFileReader {
    public let tables: [String]
    private let reader: CSVReader
    private let mapping: [(index: Int, column: String)]
    private let totalBytes: Int
    private var lastOffset = 0

    /// - Throws: an `ImportProblem` for an unreadable file or a bad header (unknown or duplicate column).
    public init(path: String, table: String, knownColumns: Set<String>) throws(ImportProblem) {
        do {
            reader = try CSVReader(path: path)
        } catch {
            throw ImportProblem(error)
        }
        tables = [table]
        var mapping: [(Int, String)] = []
        for (index, name) in reader.header.names.enumerated() {
            switch CanonicalColumns.resolve(name, table: table, known: knownColumns) {
            case .success(let column?): mapping.append((index, column))
            case .success(nil): continue
            case .failure(let e):
                throw ImportProblem(file: path, line: reader.header.line, column: 1, reason: e.message)
            }
        }
        self.mapping = mapping
        totalBytes = FileSize.of(path)
    }

    public var progress: (done: Int, total: Int) { (lastOffset, totalBytes) }

    public func next() throws(ImportProblem) -> SourceItem? {
        guard let next = try reader.nextImportRecord() else {
            lastOffset = totalBytes
            return nil
        }
        let record: CSVRecord
        switch next {
        case .success(let r): record = r
        case .failure(let problem): return .problem(problem)
        }
        lastOffset = record.byteOffset
        return .row(row(record))
    }

    private func row(_ record: CSVRecord) -> SourceRow {
        var cells: [SourceCell] = []
        cells.reserveCapacity(mapping.count)
        for (index, column) in mapping {
            let pos = record.fieldPositions[index]
            cells.append(
                SourceCell(column: column, text: record.fields[index], line: pos.line, columnNumber: pos.column))
        }
        return SourceRow(
            table: tables[0], cells: cells, file: reader.fileName, line: record.line, original: record.fields)
    }

    // MARK: Raw records (bulk loads)

    /// Header position → canonical column, for the fields a row uses (ignored columns left out).
    public var columnMapping: [(index: Int, column: String)] { mapping }
    public var fileName: String { reader.fileName }

    /// Moves to the next record without building strings: true when its fields can be read with
    /// `withField` (right field count, valid UTF-8), false when `currentItem()` must be used
    /// (it returns the record's problem), nil at the end. Throws what `next()` throws.
    public func nextRaw() throws(ImportProblem) -> Bool? {
        let more: Bool
        do { more = try reader.nextRaw() } catch {
            guard let problem = reader.importProblem(error) else { throw ImportProblem(error) }
            pendingProblem = problem
            return false
        }
        guard more else {
            lastOffset = totalBytes
            return nil
        }
        lastOffset = reader.rawByteOffset
        return reader.rawFieldCount == reader.header.names.count && reader.rawFieldsAreValidUTF8()
    }

    /// The record `nextRaw()` moved to, as `next()` would have returned it.
    public func currentItem() -> SourceItem {
        if let problem = pendingProblem {
            pendingProblem = nil
            return .problem(problem)
        }
        do {
            return .row(row(try reader.buildCurrent()))
        } catch {
            return .problem(ImportProblem(error, recordText: reader.badRecordText ?? ""))
        }
    }

    /// A problem `nextRaw()` met instead of a record (a skipped line), returned by `currentItem()`.
    private var pendingProblem: ImportProblem?

    /// Line where the current raw record starts.
    public var rawLine: Int { reader.rawLine }

    /// The bytes of header field `index` in the current raw record, valid until the next `nextRaw()`.
    public func field(_ index: Int) -> UnsafeBufferPointer<UInt8> { reader.rawField(index) }
}

/// File sizes for progress bars.
enum FileSize {
    static func of(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }
}
