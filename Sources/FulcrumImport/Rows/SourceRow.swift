/// One record of an export, renamed to the canonical table and columns but not
/// yet typed: every cell keeps its text and where it was read, so the store can
/// reject a bad value with `file:line:column`.
public struct SourceRow: Sendable {
    /// Canonical table name (docs/data-model.md).
    public var table: String
    public var cells: [SourceCell]
    public var file: String
    /// Line where the record starts.
    public var line: Int
    /// The record's fields as read, for the reject file.
    public var original: [String]
    /// The record as it is in the file when it is not a row of CSV fields (a JSON line), for the reject file.
    public var recordText: String?
    /// Canonical columns a rule maps from a source column that is present but empty in this record (so a
    /// required column left empty is blamed on the source cell, by its name).
    public var emptySources: [EmptySource] = []

    public init(
        table: String, cells: [SourceCell], file: String, line: Int, original: [String], recordText: String? = nil
    ) {
        self.table = table
        self.cells = cells
        self.file = file
        self.line = line
        self.original = original
        self.recordText = recordText
    }

    /// The cell for a canonical column, if the source has that column.
    public func cell(_ column: String) -> SourceCell? { cells.first { $0.column == column } }
}

/// A source cell that was empty where a canonical column was mapped from it.
public struct EmptySource: Sendable, Equatable {
    public var target: String
    public var source: String
    public var line: Int
    public var column: Int
}

/// A field's text under its canonical column name, with its position.
public struct SourceCell: Sendable {
    public var column: String
    public var text: String
    public var line: Int
    public var columnNumber: Int
    /// How the store must read the text when it is not canonical (epoch times, amounts in major units).
    public var hint: CellHint

    public init(column: String, text: String, line: Int, columnNumber: Int, hint: CellHint = .none) {
        self.column = column
        self.text = text
        self.line = line
        self.columnNumber = columnNumber
        self.hint = hint
    }
}

/// Reading instructions a source mapping attaches to a cell.
public enum CellHint: Sendable, Equatable {
    case none
    /// All digits: Unix seconds; otherwise a date as written.
    case epochSeconds
    /// All digits: Unix milliseconds; otherwise a date as written.
    case epochMilliseconds
    /// A decimal amount in major units, converted with the row's currency exponent.
    case majorUnits
    /// As `majorUnits`, then × this quantity, exact in minor units: Stripe Dashboard's `Amount` × `Quantity`,
    /// written with a dot decimal, so `120,000` is grouping (one hundred twenty thousand), not ambiguous.
    case majorUnitsTimes(Int64)
    /// A reference given by the referenced record's name, not its id (a mapping's `by_name`).
    case byName

    /// The amount is in major units and needs the row's currency to be read.
    public var isMajorUnits: Bool {
        switch self {
        case .majorUnits, .majorUnitsTimes: true
        default: false
        }
    }
}

/// A problem with one record or one file, always positioned.
public struct ImportProblem: Error, Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var column: Int
    public var reason: String
    /// The record's fields as read, when there is one (empty for file-level problems).
    public var original: [String]
    /// The record as it is in the file, when it could not be split into fields (a line skipped for a
    /// quote problem, a ragged row, invalid UTF-8) or is not CSV (a JSON line). The reject file
    /// writes it as it is, else `original` joined as a CSV line.
    public var recordText: String?

    public init(
        file: String, line: Int, column: Int, reason: String, original: [String] = [], recordText: String? = nil
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
        self.original = original
        self.recordText = recordText
    }

    public init(_ error: CSVError, recordText: String? = nil) {
        self.init(
            file: error.file, line: error.line, column: error.column, reason: error.message, recordText: recordText)
    }

    /// Whether this is a problem of one record (the import can go on past it) rather than of the file.
    public var isRecordProblem: Bool { recordText != nil || !original.isEmpty }

    public var description: String { "\(file):\(line):\(column): \(reason)" }
}

/// What a source reader yields: a row to write or a record it could not read.
public enum SourceItem: Sendable {
    case row(SourceRow)
    case problem(ImportProblem)
}

/// A reader over one export file.
public protocol SourceFileReader: AnyObject {
    /// Canonical tables this file writes, in the order its rows come.
    var tables: [String] { get }
    /// Bytes consumed so far and in total, for progress; total 0 when unknown.
    var progress: (done: Int, total: Int) { get }
    /// The next item, or nil at the end. A file-level failure (unreadable,
    /// unterminated quote) is thrown and ends the file.
    func next() throws(ImportProblem) -> SourceItem?
}

extension CSVReader {
    /// The next record for an import. A problem with one record (ragged row, invalid UTF-8, a quote
    /// problem or an oversized line, which cost the line they start on) comes back as a `.problem` with the
    /// record's text, so the import goes on with the next record; an I/O error is thrown and ends the file.
    /// nil at the end.
    func nextImportRecord() throws(ImportProblem) -> Result<CSVRecord, ImportProblem>? {
        do {
            return try next().map { .success($0) }
        } catch {
            if let problem = importProblem(error) { return .failure(problem) }
            throw ImportProblem(error)
        }
    }

    /// The error as a problem of one record (with its text), or nil when it ends the file (I/O).
    func importProblem(_ error: CSVError) -> ImportProblem? {
        error.code == .io ? nil : ImportProblem(error, recordText: badRecordText ?? "")
    }
}
