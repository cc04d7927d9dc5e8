import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumService
import FulcrumStore

extension Fulcrum {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate the demo company into a store and print the headline report.",
            discussion: """
                The same --size and --seed always give the same company. The store is built in a \
                temporary file and moved into place only when complete. A store holding imported \
                data is never replaced without --replace.
                """
        )

        @Option(help: "Company size: small (~1,000 accounts), medium (~50,000) or large (~500,000).")
        var size: DemoSize = .small

        @Option(help: "Random seed; the same seed gives the same company.")
        var seed: UInt64 = 1

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Also write every table as canonical CSV files into this folder.")
        var export: String?

        @Flag(help: "Replace a store that holds imported (non-demo) data.")
        var replace = false

        @Option(help: "Output format of the report: table or json.")
        var format: OutputFormat = .table

        func run() throws {
            if storeOptions.isPostgres { return try runOnPostgres() }
            let (path, isDefault) = storeOptions.resolvedPath
            if isDefault {
                try? FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            }
            if let export { try CSVExporter.checkTarget(export) }
            let started = ContinuousClock.now
            let result = try runReportingErrors {
                try DemoLoader.build(at: path, size: size, seed: seed, replace: replace)
            }
            let elapsed = ContinuousClock.now - started
            let store = try storeOptions.openSQLiteForReading("demo")
            if let export {
                let files = try runReportingErrors { try CSVExporter.export(store: store, to: export) }
                FileHandle.standardError.write(Data("Exported \(files.count) tables to \(export)\n".utf8))
            }
            try printSummary(rows: result.rows, in: path, elapsed: elapsed, store: store)
        }

        /// The one-line summary (table format) and the headline report of the new store.
        private func printSummary(rows: Int, in location: String, elapsed: Duration, store: any Store) throws {
            if format == .table {
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                print(
                    "Demo company (\(size.rawValue), seed \(seed)): \(Format.grouped(Int64(rows))) rows in \(location) (\((seconds * 10).rounded() / 10) s)"
                )
                print("")
            }
            try HeadlineCommand.print(store: store, format: format.rawValue)
        }

        /// On a PostgreSQL store: the company is generated into a temporary SQLite file, as always, then
        /// copied to the server in one transaction (COPY), replacing what was there — a store holding imported
        /// data only with --replace.
        private func runOnPostgres() throws {
            if let export { try CSVExporter.checkTarget(export) }
            let store = try storeOptions.openPostgres()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "fulcrum-demo-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("demo.sqlite").path
            let started = ContinuousClock.now
            let result = try runReportingErrors {
                let result = try DemoLoader.build(at: path, size: size, seed: seed)
                let staged = try SQLiteStore.open(path: path)
                let holdsImports =
                    try store.tableCounts()["accounts", default: 0] > 0 && store.metaValue("origin") != "demo"
                if holdsImports && !replace {
                    throw StoreError(
                        .notEmpty, path: store.location,
                        reason: "holds imported data; pass --replace to replace it with the demo company")
                }
                try StoreCopy.copy(from: staged, to: store, replace: true)
                if let export {
                    let files = try CSVExporter.export(store: staged, to: export)
                    FileHandle.standardError.write(Data("Exported \(files.count) tables to \(export)\n".utf8))
                }
                return result
            }
            let elapsed = ContinuousClock.now - started
            try printSummary(rows: result.rows, in: store.location, elapsed: elapsed, store: store)
        }
    }
}

extension DemoSize: ExpressibleByArgument {}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}
