import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumImport
import FulcrumService
import FulcrumStore

extension Fulcrum {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import exports (canonical CSV / JSON Lines files, or folders of them) into the store.",
            discussion: """
                Canonical files are named after their table (accounts.csv, people.jsonl, …) with the columns of \
                docs/data-model.md; folders are searched for .csv and .jsonl files. Rows are upserted by \
                (source, id): importing the same files again changes nothing. All or nothing: if any row is \
                invalid, nothing is written and every problem is listed as file:line:column: reason; \
                --skip-invalid writes the valid rows and lists the rest in a reject file. See docs/import.md.
                """
        )

        @Argument(help: "Files or folders to import.")
        var paths: [String]

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Kind of export: \(ImportSourceKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        var source: ImportSourceKind = .canonical

        @Option(
            name: .customLong("source-name"),
            help: "Name the rows are stored under (default: the --source kind), e.g. crm-eu.")
        var sourceName: String?

        @Option(
            help:
                "A mapping file (YAML): column renames, value maps, time zone, date order, custom fields. See docs/import.md."
        )
        var mapping: String?

        @Flag(
            name: .customLong("skip-invalid"),
            help: "Write the valid rows; put rejected rows and their reasons in the reject file.")
        var skipInvalid = false

        @Option(
            name: .customLong("reject-file"),
            help: "Where --skip-invalid writes rejected rows (default: fulcrum-rejects.csv).")
        var rejectFile: String?

        @Option(
            name: .customLong("data-through"),
            help: "The day the export is complete through (YYYY-MM-DD); default: the latest event in it.")
        var dataThrough: String?

        @Option(
            name: .customLong("time-zone"),
            help: "UTC offset for times written without one, e.g. +02:00 (default: UTC).")
        var timeZone: String?

        @Option(
            name: .customLong("date-order"),
            help: "How to read a/b/yyyy dates: mdy (US), dmy, or auto (decide when a part is above 12).")
        var dateOrder: DateOrder = .auto

        @Option(help: "Output format of the summary: table or json.")
        var format: OutputFormat = .table

        enum DateOrder: String, ExpressibleByArgument, CaseIterable { case mdy, dmy, auto }

        func validate() throws {
            if let dataThrough, Day(iso: dataThrough) == nil {
                throw ValidationError("--data-through: expected a day as YYYY-MM-DD, got '\(dataThrough)'")
            }
            if let timeZone, UTCOffset(timeZone) == nil {
                throw ValidationError("--time-zone: expected a UTC offset such as +02:00 or Z, got '\(timeZone)'")
            }
            if rejectFile != nil, !skipInvalid {
                throw ValidationError("--reject-file only applies with --skip-invalid")
            }
        }

        func run() throws {
            var options = ImportOptions()
            options.kind = source
            options.sourceName = sourceName
            options.skipInvalid = skipInvalid
            options.rejectFile = rejectFile
            options.dataThrough = dataThrough.flatMap { Day(iso: $0) }
            if let mapping {
                do {
                    options.mappingFile = try MappingFile.load(path: mapping)
                } catch {
                    FileHandle.standardError.write(Data("fulcrum: error: \(error)\n".utf8))
                    throw ExitCode.failure
                }
            }
            // The command line wins over the mapping file, field by field.
            options.datesFromMapping = false
            let cliOrder: SlashDateOrder? = dateOrder == .mdy ? .monthFirst : dateOrder == .dmy ? .dayFirst : nil
            options.dates = DateParseOptions(
                slashOrder: cliOrder ?? options.mappingFile?.slashOrder ?? .auto,
                timeZone: timeZone.flatMap(UTCOffset.init) ?? options.mappingFile?.timeZone ?? .utc)
            let (path, isDefault) = storeOptions.resolvedPath
            if storeOptions.isPostgres {
                // The importer runs on a staged SQLite copy whose result replaces the server's contents in one
                // transaction (PostgresStore.staged): the same rules, all or nothing.
                let store = try storeOptions.openPostgres()
                let result = try runReportingErrors {
                    try store.staged { staging in
                        try importFiles(options: options, into: staging, named: store.location, created: false)
                    }
                }
                printResult(result, path: store.location)
                return
            }
            if isDefault {
                try? FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            }
            guard !FileManager.default.fileExists(atPath: path) else {
                let result = try importFiles(options: options, into: path, named: path, created: false)
                printResult(result, path: path)
                return
            }
            // A new store is built beside its final path and linked into place only when complete, so a failed
            // or killed first import leaves no store behind, and two imports that create the same store at once
            // cannot meet half-way: the one that links second imports into the first one's store.
            NewStore.removeAbandoned(beside: path)
            let building = NewStore.buildingPath(for: path)
            let result: ImportResult
            do {
                result = try importFiles(options: options, into: building, named: path, created: true)
            } catch {
                DemoLoader.removeStoreFiles(building)
                throw error
            }
            switch NewStore.place(building, at: path) {
            case .placed:
                printResult(result, path: path)
            case .taken:
                // Another process created the store meanwhile: import into it like into any existing store.
                let again = try importFiles(options: options, into: path, named: path, created: false)
                printResult(again, path: path)
            case .failed(let reason):
                FileHandle.standardError.write(
                    Data("fulcrum: error: \(path): cannot create the store (\(reason))\n".utf8))
                throw ExitCode.failure
            }
        }

        /// Opens (or creates) the store at `storePath`, imports and closes it; a failure prints what was read and
        /// every problem, and exits. `path` is the store as the user named it.
        private func importFiles(options: ImportOptions, into storePath: String, named path: String, created: Bool)
            throws -> ImportResult
        {
            let store = try runReportingErrors {
                do {
                    // A new store is private until placed: built without the WAL (half the free disk).
                    return try created
                        ? SQLiteStore.createPrivate(path: storePath) : SQLiteStore.create(path: storePath)
                } catch var error as StoreError {
                    error.path = path  // the store as the user named it, not the name it is built under
                    throw error
                }
            }
            let result = try importFiles(options: options, into: store, named: path, created: created)
            try runReportingErrors { try store.close() }
            return result
        }

        /// Imports into an open store; a failure prints what was read and every problem, and exits.
        private func importFiles(options: ImportOptions, into store: SQLiteStore, named path: String, created: Bool)
            throws -> ImportResult
        {
            let bar = ProgressBar.forStandardError()
            let result: ImportResult
            do {
                var progress: (@Sendable (ImportProgress) -> Void)?
                if let bar { progress = { bar.show($0) } }
                let paths = self.paths
                result = try runReportingErrors {
                    try Importer.run(store: store, paths: paths, options: options, progress: progress)
                }
            } catch let failure as ImportFailure {
                bar?.clear()
                if !failure.files.isEmpty { printSummary(failure.files, stream: .standardError, rolledBack: true) }
                FileHandle.standardError.write(Data((failure.description + "\n").utf8))
                let outcome = created ? "no store was created at \(path)" : "nothing was written to \(path)"
                FileHandle.standardError.write(
                    Data(
                        "fulcrum: error: import failed with \(failure.problemCount) problem\(failure.problemCount == 1 ? "" : "s"); \(outcome)\n"
                            .utf8))
                throw ExitCode.failure
            }
            bar?.clear()
            return result
        }

        private func printResult(_ result: ImportResult, path: String) {
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: (try? encoder.encode(result)) ?? Data(), as: UTF8.self))
            case .table:
                printSummary(result.files, stream: .standardOutput)
                print("Source '\(result.source)': data through \(result.dataThrough ?? "unknown") → \(path)")
                for note in result.notes { print("Note: " + note) }
                let id = result.identity
                if id.unmatchedBefore > 0 {
                    print(
                        "Identity: \(id.unmatchedBefore) people without an account; matched \(id.matchedByEmailDomain) by e-mail domain, "
                            + "\(id.matchedByCompanyName) by company name; \(id.stillUnmatched) unmatched (list them: fulcrum accounts unmatched)"
                    )
                }
                if id.dealsWithoutAccount > 0 {
                    print(
                        "Deals: \(id.dealsWithoutAccount) without an account; \(id.dealsLinked) took their person's account; "
                            + "\(id.dealsStillUnmatched) kept without one, counted under (none) (list them: fulcrum accounts unmatched)"
                    )
                }
                if result.problemCount > 0 {
                    print(
                        "\(result.problemCount) rejected: see \(rejectFile ?? "fulcrum-rejects.csv"); first: \(result.problems.first ?? "")"
                    )
                }
                let store = storeOptions.store.map { " --store \($0)" } ?? ""
                print("Next: fulcrum report headline\(store)   (fulcrum status\(store) lists every table)")
            }
        }

        /// Per-file counts. After a failed import nothing was written, so only rows read and rejected are shown.
        private func printSummary(_ files: [FileSummary], stream: FileHandle, rolledBack: Bool = false) {
            var table =
                rolledBack
                ? TextTable(headers: ["file", "table", "read", "rejected"])
                : TextTable(headers: ["file", "table", "read", "inserted", "updated", "unchanged", "rejected"])
            for f in files {
                let counts =
                    rolledBack ? [f.read, f.rejected] : [f.read, f.inserted, f.updated, f.unchanged, f.rejected]
                table.append([f.file, f.table] + counts.map { Format.grouped(Int64($0)) })
            }
            stream.write(Data((table.render() + "\n").utf8))
        }
    }
}

extension ImportSourceKind: ExpressibleByArgument {}

/// A one-line progress bar on stderr (rows, rows/s, time left), only when
/// stderr is a terminal, so pipes and CI logs stay clean.
final class ProgressBar: @unchecked Sendable {
    static func forStandardError() -> ProgressBar? { isatty(2) == 1 ? ProgressBar() : nil }

    func show(_ p: ImportProgress) {
        let rate = p.seconds > 0 ? Double(p.rows) / p.seconds : 0
        var line = "\(p.file): \(Format.grouped(Int64(p.rows))) rows, \(Format.grouped(Int64(rate))) rows/s"
        if p.bytesTotal > 0, p.bytesDone > 0 {
            let fraction = min(1, Double(p.bytesDone) / Double(p.bytesTotal))
            let width = 24
            let filled = Int(fraction * Double(width))
            line =
                "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
                + line
            if fraction > 0.01 { line += ", \(Int(p.seconds / fraction - p.seconds)) s left" }
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    func clear() { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
}
