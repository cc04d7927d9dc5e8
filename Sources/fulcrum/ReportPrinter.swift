import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumStore

/// Runs a catalog report against a store and prints it. For CSV the settings go to
/// standard error as `# ` lines, so standard output stays a clean CSV file.
enum ReportPrinter {
    static func run(id: String, options: ReportOptions, store: any Store, storePath: String) throws {
        var query = try options.query(report: id)
        if ReportCatalog.usesLifecycleSettings(id) {
            query.settings.lifecycle = try lifecycleSettings(options: options, storePath: storePath)
        }
        let needs = try reportingMetricErrors { try ReportCatalog.needs(for: query) }
        let context = try ReportInputs.context(store: store, needs: needs, query: query)
        // The context (every billing row, the ledger) is kept until the process ends rather than freed
        // object by object after the report is built: a report is the command's last act, and exit
        // returns the memory at once. Only the latest context is held, so repeated calls free the last.
        lastContext = context
        let table = try reportingMetricErrors {
            try ReportCatalog.run(query, context: context, explain: options.explain)
        }
        print(table, format: options.format, explain: options.explain)
    }

    /// `--config FILE`, else `lifecycle.yaml` beside the store when it exists, else the documented defaults.
    static func lifecycleSettings(options: ReportOptions, storePath: String) throws -> LifecycleSettings {
        let path = options.config ?? LifecycleConfig.defaultPath(forStore: storePath)
        guard options.config != nil || FileManager.default.fileExists(atPath: path) else { return LifecycleSettings() }
        do {
            return try LifecycleConfig.load(path)
        } catch let problem as LifecycleConfig.Problem {
            FileHandle.standardError.write(Data("fulcrum: error: \(problem)\n".utf8))
            throw ExitCode.failure
        }
    }

    nonisolated(unsafe) static var lastContext: MetricContext?

    static func print(_ table: ReportTable, format: String, explain: Bool) {
        switch format {
        case "csv":
            FileHandle.standardOutput.write(Data((explain ? table.renderExplain(csv: true) : table.renderCSV()).utf8))
            let settings = table.settings.map { "# \($0.name): \($0.value)\n" }.joined()
            FileHandle.standardError.write(Data(settings.utf8))
        case "json":
            Swift.print(table.renderJSON(explain: explain))
        default:
            Swift.print(table.renderTable())
            if explain {
                Swift.print("\nRecords behind each cell:\n" + table.renderExplain(csv: false), terminator: "")
            }
        }
    }
}
