import Foundation
import FulcrumCore
import FulcrumImport
import GRDB

/// Which kind of export the files are.
public enum ImportSourceKind: String, CaseIterable, Sendable {
    case canonical, salesforce, hubspot, stripe
}

public struct ImportOptions: Sendable {
    public var kind: ImportSourceKind = .canonical
    /// The `source` the rows are stored under; defaults to the kind's name.
    public var sourceName: String?
    /// Write the valid rows and report the rest instead of writing nothing.
    public var skipInvalid = false
    /// Where rejected rows go with `skipInvalid` (CSV: file, line, column, reason, record).
    public var rejectFile: String?
    /// Overrides the "data through" date computed from the rows.
    public var dataThrough: Day?
    public var dates = DateParseOptions()
    /// A mapping file (YAML) on top of the source's built-in mapping; its time zone and date order
    /// apply unless `dates` was set explicitly by the caller (see `datesFromMapping`).
    public var mappingFile: MappingFile?
    /// Take the time zone and date order from the mapping file when it sets them.
    public var datesFromMapping = true
    /// Every row through the general path (tests compare it with the fast path of canonical CSV files).
    var generalPathOnly = false
    public init() {}
}

/// Rows read and what became of them, for one file.
public struct FileSummary: Sendable, Equatable, Codable {
    public var file: String
    public var table: String
    public var read = 0
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var rejected = 0
}

public struct ImportResult: Sendable, Codable {
    public var source: String
    public var files: [FileSummary]
    /// The first problems (at most `ImportFailure.shownProblems`) and their total.
    public var problems: [String]
    public var problemCount: Int
    public var dataThrough: String?
    public var identity: IdentitySummary
    /// Price history rebuilt from invoice lines (billing sources only).
    public var invoiceHistory: InvoiceHistorySummary?
    /// What the numbers built on this import can and cannot support (e.g. history before the first current-state export).
    public var notes: [String]
}

/// The import wrote nothing: every problem found (the first 100) and their count.
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public static let shownProblems = 100
    public var problems: [ImportProblem]
    public var problemCount: Int
    public var files: [FileSummary]
    public var description: String {
        var lines = problems.map(\.description)
        if problemCount > problems.count { lines.append("… and \(problemCount - problems.count) more problems") }
        return lines.joined(separator: "\n")
    }
}

/// Progress of a long import, for a progress bar.
public struct ImportProgress: Sendable {
    public var file: String
    public var rows: Int
    public var bytesDone: Int
    public var bytesTotal: Int
    public var seconds: Double
}

/// Runs an import: reads every file, writes all of it in one transaction, and
/// either commits (no problems, or `skipInvalid`) or rolls back (any problem),
/// so the store is never half-written — SQLite's journal also covers a crash or
/// `kill -9` in the middle.
public enum Importer {
    public static func run(
        store: SQLiteStore, paths: [String], options: ImportOptions,
        progress: (@Sendable (ImportProgress) -> Void)? = nil
    ) throws -> ImportResult {
        let source = options.sourceName ?? options.kind.rawValue
        let (expanded, skipped) = try expand(paths)
        var files = expanded
        // Stripe prices and subscription items are a lookup for the subscriptions' prices, read first.
        var catalog: StripeCatalog?
        var catalogNote: String?
        if options.kind == .stripe {
            let catalogFiles = files.filter(StripeCatalog.isCatalogFile)
            if !catalogFiles.isEmpty {
                let c = StripeCatalog()
                for file in catalogFiles {
                    do { try c.load(path: file) } catch {
                        throw ImportFailure(problems: [error], problemCount: 1, files: [])
                    }
                }
                catalog = c
                catalogNote =
                    "read \(catalogFiles.joined(separator: ", ")) as the subscriptions' price list: \(c.prices.count) price\(c.prices.count == 1 ? "" : "s"), "
                    + "items of \(c.items.count) subscription\(c.items.count == 1 ? "" : "s") (stored in the subscriptions' amounts, not as rows of their own)"
                files.removeAll(where: StripeCatalog.isCatalogFile)
            }
        }
        let specs = try store.writer.read { try TableSpec.load($0) }
        // A source export's folder holds files Fulcrum has no table for (Salesforce's Contract, Pricebook2,
        // custom objects, …): they are named in a note, not refused. A file named on the command line is refused.
        let named = Set(paths)
        var notUsed: [String] = []
        if options.kind != .canonical {
            files.removeAll { file in
                guard !named.contains(file), !isMapped(file, kind: options.kind, mappingFile: options.mappingFile)
                else { return false }
                notUsed.append(file)
                return true
            }
        }
        if files.isEmpty, !notUsed.isEmpty {
            let known = BuiltinMappings.mapping(for: options.kind.rawValue)?.files.map { $0.names[0] + ".csv" } ?? []
            throw ImportFailure(
                problems: [
                    ImportProblem(
                        file: paths.first ?? "", line: 1, column: 1,
                        reason: "no file here is a \(options.kind.rawValue) export this importer knows (found "
                            + notUsed.prefix(5).map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
                            + (notUsed.count > 5 ? ", …" : "") + "); expected one of " + known.joined(separator: ", ")
                            + " — is --source right?")
                ], problemCount: 1, files: [])
        }
        let plans = try files.flatMap {
            try Importer.plans($0, kind: options.kind, specs: specs, mappingFile: options.mappingFile, catalog: catalog)
        }.sorted { $0.order < $1.order }
        var rejects = try options.skipInvalid ? RejectWriter(path: options.rejectFile ?? "fulcrum-rejects.csv") : nil
        var shown: [ImportProblem] = []
        var problemCount = 0
        var summaries: [FileSummary] = []
        var dataThrough: Day?
        var identity = IdentitySummary()
        var notes: [String] = []
        if let catalogNote { notes.append(catalogNote) }
        var notedPaths = Set<String>()
        for plan in plans where !plan.unusedColumns.isEmpty && notedPaths.insert(plan.path).inserted {
            let columns = plan.unusedColumns
            notes.append(
                "\((plan.path as NSString).lastPathComponent): \(columns.count) column\(columns.count == 1 ? "" : "s") "
                    + "that no mapping reads, not imported (map them under columns or custom_fields): "
                    + columns.prefix(20).joined(separator: ", ") + (columns.count > 20 ? ", …" : ""))
        }
        if !notUsed.isEmpty {
            let names = notUsed.map { ($0 as NSString).lastPathComponent }
            notes.append(
                "not used: \(notUsed.count) file\(notUsed.count == 1 ? "" : "s") of the export that no Fulcrum table is filled from: "
                    + names.prefix(20).joined(separator: ", ") + (names.count > 20 ? ", …" : ""))
        }
        if !skipped.isEmpty {
            notes.append(
                "skipped \(skipped.count) file\(skipped.count == 1 ? "" : "s") in the folder\(paths.count == 1 ? "" : "s") that \(skipped.count == 1 ? "is" : "are") not .csv or .jsonl: "
                    + skipped.prefix(10).joined(separator: ", ") + (skipped.count > 10 ? ", …" : ""))
        }
        var invoiceHistory: InvoiceHistorySummary?
        var written: Set<String> = []
        var bodyEnded = Date()
        // A file that cannot be read to its end (unreadable, a header without a required column, an I/O
        // error) fails the import even with --skip-invalid: its rows could not be counted, let alone listed.
        var fileFailed = false

        func record(_ problem: ImportProblem) throws {
            problemCount += 1
            if shown.count < ImportFailure.shownProblems { shown.append(problem) }
            try rejects?.write(problem)
        }

        do {
            // A large page cache keeps a big import's pages out of the WAL until commit (SQLite spills early otherwise).
            // Foreign keys are checked once, on the written tables, before the commit (PRAGMA foreign_key_check),
            // not per row; the pragma cannot change inside a transaction.
            try store.writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA cache_size = -65536; PRAGMA foreign_keys = OFF")
            }
            defer {
                try? store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA foreign_keys = ON") }
            }
            try store.writer.write { db in
                var dates = options.dates
                if options.datesFromMapping, let m = options.mappingFile {
                    if let zone = m.timeZone { dates.timeZone = zone }
                    if let order = m.slashOrder { dates.slashOrder = order }
                }
                let writer = RowWriter(db: db, source: source, specs: specs, dates: dates)
                let softTargets = Set(specs.keys).subtracting(plans.map(\.table))
                if options.kind != .canonical {
                    let today = Day(ordinal: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
                    writer.history = HistoryKeeper(source: source, day: options.dataThrough ?? today)
                }
                for plan in plans {
                    let reader: any SourceFileReader
                    do { reader = try plan.open() } catch let p as ImportProblem {
                        fileFailed = true
                        try record(p)
                        continue
                    }
                    var summary = FileSummary(file: plan.path, table: plan.table)
                    // Canonical files are our own format and stay strict; exports may point outside themselves.
                    writer.softTargets = plan.mapped ? softTargets : []
                    writer.softSelfReferences = plan.mapped
                    let fileStarted = Date()
                    if let missing = plan.missingRequired.first {
                        fileFailed = true
                        try record(
                            ImportProblem(
                                file: plan.path, line: 1, column: 1,
                                reason:
                                    "missing required column \(plan.missingRequired.map { "'\($0)'" }.joined(separator: ", ")) for table '\(plan.table)'"
                            ))
                        summaries.append(summary)
                        continue
                    }
                    if writer.specs[plan.table].map({ spec in
                        spec.columns.contains { $0.kind == .reference(plan.table) }
                    }) ?? false {
                        writer.pendingKeys = plan.keys()
                    }
                    let countBefore = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(plan.table)") ?? 0
                    try writer.beginFile(table: plan.table, db)
                    written.insert(plan.table)
                    // A big file into an empty table: its secondary indexes are built once after the rows (sorting)
                    // rather than row by row. The unique (source, id) index stays: the upsert needs it.
                    var rebuild: [String] = []
                    if countBefore == 0, reader.progress.total >= bulkBytes {
                        for (name, sql) in try Row.fetchAll(
                            db,
                            sql: """
                                SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
                                """, arguments: [plan.table]
                        ).map({ ($0[0] as String, $0[1] as String) }) {
                            try db.execute(sql: "DROP INDEX \(name)")
                            rebuild.append(sql)
                        }
                    }
                    var changed = 0
                    var slowRows = 0
                    var problems: [ImportProblem] = []
                    func handle(_ item: SourceItem) throws {
                        switch item {
                        case .problem(let p):
                            summary.rejected += 1
                            try record(p)
                        case .row(let row):
                            problems.removeAll(keepingCapacity: true)
                            switch try writer.write(row, db, problems: &problems) {
                            case .written(let didChange): if didChange { changed += 1 }
                            case .rejected:
                                summary.rejected += 1
                                for p in problems { try record(p) }
                            }
                        }
                    }
                    func reportProgress() {
                        if let progress, summary.read % 50_000 == 0 {
                            let p = reader.progress
                            progress(
                                ImportProgress(
                                    file: plan.path, rows: summary.read, bytesDone: p.done, bytesTotal: p.total,
                                    seconds: Date().timeIntervalSince(fileStarted)))
                        }
                    }
                    if !options.generalPathOnly, let csv = reader as? CanonicalCSVFile,
                        let fast = try writer.fastLayout(csv, table: plan.table, db)
                    {
                        // Rows in canonical form are bound straight from the file's bytes; the rest take the general path.
                        while true {
                            let clean: Bool?
                            do { clean = try csv.nextRaw() } catch let p as ImportProblem {
                                fileFailed = true
                                try record(p)
                                break
                            }
                            guard let clean else { break }
                            summary.read += 1
                            if clean, case .written(let didChange) = writer.writeFast(csv, fast, db) {
                                if didChange { changed += 1 }
                            } else {
                                slowRows += 1
                                try handle(csv.currentItem())
                            }
                            reportProgress()
                        }
                    } else {
                        while true {
                            let item: SourceItem?
                            do { item = try reader.next() } catch let p as ImportProblem {
                                fileFailed = true
                                try record(p)
                                break
                            }
                            guard let item else { break }
                            summary.read += 1
                            slowRows += 1
                            try handle(item)
                            reportProgress()
                        }
                    }
                    for p in try writer.finishFile(db) { try record(p) }
                    if let mapped = reader as? MappedCSVFile, mapped.leftOut > 0 {
                        notes.append(
                            "\(plan.path): left out \(mapped.leftOut) record\(mapped.leftOut == 1 ? "" : "s") the source marks as deleted (not counted as read)"
                        )
                    }
                    let indexing = Date()
                    for sql in rebuild { try db.execute(sql: sql) }
                    if !rebuild.isEmpty { timing("\(plan.table) indexes", since: indexing) }
                    let countAfter = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(plan.table)") ?? 0
                    summary.inserted = countAfter - countBefore
                    summary.updated = changed - summary.inserted
                    summary.unchanged = summary.read - summary.rejected - changed
                    if summary.read > 0, summary.read == summary.rejected {
                        try record(
                            ImportProblem(
                                file: plan.path, line: 1, column: 1,
                                reason:
                                    "none of its \(summary.read) rows could be written; nothing was imported from it"))
                    }
                    summaries.append(summary)
                    timing("\(plan.table) \(summary.read) rows (\(slowRows) by the general path)", since: fileStarted)
                }
                // --skip-invalid tolerates rejected rows, not a file of which nothing could be written, nor no rows at all.
                let nothingRead = summaries.allSatisfy { $0.read == 0 }
                let fileWroteNothing = summaries.contains { $0.read > 0 && $0.read == $0.rejected }
                if problemCount > 0 && (!options.skipInvalid || fileWroteNothing || nothingRead || fileFailed) {
                    throw RollBack()
                }
                if nothingRead {
                    try record(ImportProblem(file: files.first ?? "", line: 1, column: 1, reason: "no rows to import"))
                    throw RollBack()
                }
                if let catalog, !catalog.keptOwnPrice.isEmpty {
                    let ids = catalog.keptOwnPrice
                    notes.append(
                        "\(ids.count) subscription\(ids.count == 1 ? "" : "s") name prices the prices export does not include; "
                            + "kept the price of \(ids.count == 1 ? "its" : "their") own row (plan.amount × quantity): "
                            + ids.prefix(10).joined(separator: ", ") + (ids.count > 10 ? ", …" : ""))
                }
                if !writer.createdByName.isEmpty {
                    notes.append(
                        "created "
                            + writer.createdByName.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(
                                separator: " and ")
                            + " for names the files give (by_name) that no record in the store has")
                }
                var started = Date()
                try UnresolvedReferences.resolve(db)
                let unresolved = try UnresolvedReferences.groups(db, source: source)
                if !unresolved.isEmpty {
                    let total = unresolved.reduce(0) { $0 + $1.rows }
                    let parts = unresolved.map { group in
                        "\(group.rows) \(group.entity).\(group.column) → \(group.target)"
                            + (RowWriter.sourceFileHint[group.target].map { " (" + $0 + ")" } ?? "")
                    }
                    notes.append(
                        "kept \(total) reference\(total == 1 ? "" : "s") to records this export does not include, empty until "
                            + "an import brings them (listed by fulcrum accounts unmatched): "
                            + parts.joined(separator: "; "))
                }
                let closedEarly =
                    try Int.fetchOne(
                        db,
                        sql:
                            "SELECT count(*) FROM opportunities WHERE source = ? AND closed_on < substr(created_on, 1, 10)",
                        arguments: [source]) ?? 0
                if closedEarly > 0 {
                    notes.append(
                        "\(closedEarly) opportunit\(closedEarly == 1 ? "y" : "ies") closed before \(closedEarly == 1 ? "it was" : "they were") "
                            + "created (a CRM that stamps its created date at load time): kept, and left out of sales-cycle "
                            + "durations, which say so")
                }
                identity = try IdentityPass.run(db)
                timing("identity pass", since: started)
                started = Date()
                dataThrough = options.dataThrough ?? writer.latestEvent
                if options.kind != .canonical,
                    try Int.fetchOne(
                        db, sql: "SELECT count(*) FROM subscriptions WHERE source = ?", arguments: [source]) ?? 0 > 0
                {
                    let rebuilt = try InvoiceHistoryPass.run(db, source: source)
                    invoiceHistory = rebuilt
                    let key = "first_data_through:" + source
                    var first = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
                    if first == nil, let through = dataThrough?.iso {
                        try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?)", arguments: [key, through])
                        first = through
                    }
                    if rebuilt.withInvoiceLines > 0 {
                        notes.append(
                            """
                            price history of \(rebuilt.withInvoiceLines) \(source) subscriptions rebuilt from invoice lines \
                            (\(rebuilt.fromStart) back to their start, \(rebuilt.changesWritten) price changes)
                            """)
                    }
                    let uncovered = rebuilt.subscriptions - rebuilt.fromStart
                    if uncovered > 0, let first {
                        notes.append(
                            """
                            \(uncovered) of \(rebuilt.subscriptions) \(source) subscriptions have no invoice lines back to their start: \
                            their MRR history before \(first.prefix(7)) (this source's first export) rests on their start date and \
                            their price at that export; later changes are kept as each newer export is imported (docs/import.md)
                            """)
                    }
                }
                // The references every row was given are ids read from the store, so this finds nothing unless
                // something is wrong with the import itself; it keeps the store's foreign keys true all the same.
                for table in Schema.tableNames where written.contains(table) || Self.passTables.contains(table) {
                    if let row = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check(\(table))") {
                        try record(
                            ImportProblem(
                                file: plans.first { $0.table == table }?.path ?? files.first ?? "", line: 1, column: 1,
                                reason: """
                                    \(table) row \(row[1] as Int64? ?? 0) refers to a missing \(row[2] as String) row; nothing was imported
                                    """))
                        throw RollBack()
                    }
                }
                timing("foreign key check", since: started)
                let storeThrough = try recordSource(
                    db, source: source, dataThrough: dataThrough, explicit: options.dataThrough != nil,
                    rows: summaries.reduce(0) { $0 + $1.inserted + $1.updated + $1.unchanged })
                if let before = storeThrough.before, let after = storeThrough.after, after < before {
                    notes.append(
                        """
                        the store's data through moved back from \(before) to \(after): source '\(source)' is complete only through \(after) \
                        (its latest dated row), and every report stops at the earliest source; if this export is newer, import it again \
                        with --data-through YYYY-MM-DD
                        """)
                }
                // What the source is now complete through (a later date from an earlier import stands).
                if let stored = storeThrough.source { dataThrough = Day(iso: stored) }
                bodyEnded = Date()
            }
            timing("commit", since: bodyEnded)
        } catch is RollBack {
            try rejects?.close()
            throw ImportFailure(problems: shown, problemCount: problemCount, files: summaries)
        } catch let error as DatabaseError {
            throw SQLiteStore.describe(error, path: store.location)
        }
        try rejects?.close()
        return ImportResult(
            source: source, files: summaries, problems: shown.map(\.description), problemCount: problemCount,
            dataThrough: dataThrough?.iso, identity: identity, invoiceHistory: invoiceHistory, notes: notes)
    }

    private struct RollBack: Error {}

    /// FULCRUM_TIMINGS=1 prints where an import spends its time (bench/import.sh records it).
    static let timings = ProcessInfo.processInfo.environment["FULCRUM_TIMINGS"] == "1"
    static func timing(_ what: String, since start: Date) {
        if timings {
            FileHandle.standardError.write(
                Data("timings: \(what): \(String(format: "%.2f", Date().timeIntervalSince(start))) s\n".utf8))
        }
    }

    /// Files at least this big into an empty table get their secondary indexes built after the rows.
    static let bulkBytes = 4 << 20
    /// Tables the passes after the rows write (identity, invoice history, custom fields, deferred references).
    static let passTables: Set<String> = [
        "people", "touches", "activities", "subscriptions", "subscription_changes", "custom_fields",
    ]

    /// Records the source's data-through date and sets the store's to the
    /// earliest of all sources' (the day up to which every source is complete).
    /// An inferred date (the latest dated row) never moves a source's date back — importing
    /// only some of its files says nothing about how far the source reaches — and no date
    /// leaves the known one; a date given with --data-through is taken as it is.
    /// Returns the store's data-through before and after, and the source's as recorded.
    @discardableResult
    static func recordSource(
        _ db: Database, source: String, dataThrough: Day?, explicit: Bool = false,
        rows: Int
    ) throws -> (before: String?, after: String?, source: String?) {
        let before = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'data_through'")
        let recorded = try String.fetchOne(
            db,
            sql: """
                INSERT INTO data_sources(source, data_through, imported_at, rows) VALUES (?, ?, ?, ?)
                ON CONFLICT(source) DO UPDATE SET data_through = CASE WHEN ? THEN excluded.data_through
                    ELSE nullif(max(coalesce(data_through, ''), coalesce(excluded.data_through, '')), '') END,
                  imported_at = excluded.imported_at, rows = excluded.rows
                RETURNING data_through
                """,
            arguments: [
                source, dataThrough?.iso, Timestamp(seconds: Int64(Date().timeIntervalSince1970)).iso, rows, explicit,
            ])
        let origin = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'origin'")
        if origin == nil {
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('origin', 'import')")
        }
        if origin != "demo",
            let through = try String.fetchOne(
                db, sql: "SELECT min(data_through) FROM data_sources WHERE data_through IS NOT NULL")
        {
            try db.execute(
                sql:
                    "INSERT INTO meta(key, value) VALUES ('data_through', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [through])
            return (before, through, recorded)
        }
        return (before, before, recorded)
    }

    /// A spreadsheet workbook by its extension, or with `sniff` also by its first bytes (a zip — xlsx,
    /// ods, numbers — or the OLE2 header of a legacy xls) whatever it is named. Folders are judged by
    /// extension only, so a zip archive lying beside the exports is skipped, not taken for a workbook.
    static func isWorkbook(_ path: String, sniff: Bool) -> Bool {
        if ["xlsx", "xls", "xlsm", "ods", "numbers"].contains((path as NSString).pathExtension.lowercased()) {
            return true
        }
        guard sniff, let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        return head.starts(with: [0x50, 0x4B, 0x03, 0x04])
            || head == Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    }

    static func workbookProblem(_ path: String, remedy: String) -> ImportProblem {
        ImportProblem(
            file: path, line: 1, column: 1, reason: "a spreadsheet workbook, not CSV or JSON Lines: " + remedy)
    }

    /// Whether a built-in mapping of the source or the mapping file reads this file.
    static func isMapped(_ path: String, kind: ImportSourceKind, mappingFile: MappingFile?) -> Bool {
        if let builtin = BuiltinMappings.mapping(for: kind.rawValue), !builtin.mappings(forFile: path).isEmpty {
            return true
        }
        return mappingFile?.entries.contains { FileMapping.normalize($0.file) == FileMapping.normalize(path) } ?? false
    }

    /// The names in a folder; a folder that cannot be read (no permission) is an error that says why,
    /// not a folder that seems to hold no files.
    static func folderEntries(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else {
            throw ImportProblem(
                file: path, line: 1, column: 1, reason: "cannot read the folder: \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Files named on the command line, with folders expanded to their .csv and .jsonl files (sorted),
    /// and the other files of those folders (hidden ones aside), which the import names as skipped.
    /// A spreadsheet workbook, named or in a folder, is an error: it is almost surely an export meant
    /// to be imported, and reading it as CSV (or leaving it out) would misreport or drop its rows.
    static func expand(_ paths: [String]) throws -> (files: [String], skipped: [String]) {
        var files: [String] = []
        var skipped: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ImportFailure(
                    problems: [ImportProblem(file: path, line: 1, column: 1, reason: "no such file or folder")],
                    problemCount: 1, files: [])
            }
            if isDirectory.boolValue {
                let names: [String]
                do { names = try folderEntries(path) } catch let problem as ImportProblem {
                    throw ImportFailure(problems: [problem], problemCount: 1, files: [])
                }
                let found = names.filter { $0.lowercased().hasSuffix(".csv") || $0.lowercased().hasSuffix(".jsonl") }
                    .sorted()
                let folder = path.hasSuffix("/") ? path : path + "/"
                let others = names.filter { !$0.hasPrefix(".") && !found.contains($0) }.sorted()
                let workbooks = others.map { folder + $0 }.filter { isWorkbook($0, sniff: false) }
                if !workbooks.isEmpty {
                    throw ImportFailure(
                        problems: workbooks.map {
                            workbookProblem($0, remedy: "save it as CSV (UTF-8), or move it out of the folder")
                        },
                        problemCount: workbooks.count, files: [])
                }
                skipped += others.map { folder + $0 }.filter { name in
                    var isDir: ObjCBool = false
                    return FileManager.default.fileExists(atPath: name, isDirectory: &isDir) && !isDir.boolValue
                }
                guard !found.isEmpty else {
                    throw ImportFailure(
                        problems: [
                            ImportProblem(
                                file: path, line: 1, column: 1, reason: "folder holds no .csv or .jsonl files")
                        ],
                        problemCount: 1, files: [])
                }
                files += found.map { folder + $0 }
            } else if isWorkbook(path, sniff: true) {
                throw ImportFailure(
                    problems: [workbookProblem(path, remedy: "save it as CSV (UTF-8) and import that file")],
                    problemCount: 1, files: [])
            } else {
                files.append(path)
            }
        }
        return (files, skipped)
    }
}
