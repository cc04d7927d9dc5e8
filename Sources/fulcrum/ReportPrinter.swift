import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumService
import FulcrumStore

/// Runs a catalog report against a store and prints it. For CSV the settings go to
/// standard error as `# ` lines, so standard output stays a clean CSV file.
enum ReportPrinter {
    static func run(id: String, options: ReportOptions, store: any Store, storePath: String) throws {
        let plan = try self.plan(ids: [id], options: options, storePath: storePath)
        let context = try reportingMetricErrors { try plan.context(store: store) }
        // The context (every billing row, the ledger) is kept until the process ends rather than freed
        // object by object after the report is built: a report is the command's last act, and exit
        // returns the memory at once. Only the latest context is held, so repeated calls free the last.
        lastContext = context
        let table = try reportingMetricErrors {
            try ReportCatalog.run(plan.queries[0], context: context, explain: options.explain)
        }
        print(table, format: options.format, explain: options.explain, labels: try labels(table, options, store))
    }

    /// The source ids and account names of the records an explained table names.
    static func labels(_ table: ReportTable, _ options: ReportOptions, _ store: any Store) throws -> [String:
        RecordLabel]
    {
        options.explain ? try store.recordLabels(table.explainedRecords) : [:]
    }

    /// The shared plan (service layer) for the CLI's options; its errors worded as the CLI words them.
    static func plan(ids: [String], options: ReportOptions, storePath: String) throws -> ReportPlan {
        do {
            return try reportingMetricErrors {
                try ReportPlan(ids: ids, parameters: options.parameters, spell: { "--" + $0 }) {
                    try ReportPlan.lifecycleSettings(config: options.config, storePath: storePath)
                }
            }
        } catch let error as ParameterError {
            throw ValidationError(error.description)
        }
    }

    /// Several reports from one read of the store: the data all of them need is loaded once and shared,
    /// each is printed in turn (table) or written to `output/ID.csv|json|txt`.
    static func run(ids: [String], options: ReportOptions, store: any Store, storePath: String, output: String?) throws
    {
        let plan = try self.plan(ids: ids, options: options, storePath: storePath)
        let context = try reportingMetricErrors { try plan.context(store: store) }
        lastContext = context
        if let output {
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            } catch {
                FileHandle.standardError.write(Data("fulcrum: error: \(output): cannot create the folder\n".utf8))
                throw ExitCode.failure
            }
        }
        let tables = plan.tables(context: context, explain: options.explain)
        for (id, result) in zip(ids, tables) {
            let table = try reportingMetricErrors { try result.get() }
            let labels = try labels(table, options, store)
            guard let output else {
                print(table, format: options.format, explain: options.explain, labels: labels)
                Swift.print("")
                continue
            }
            var files: [(String, String)]
            switch options.format {
            case "csv":
                files = [
                    (id + ".csv", options.explain ? table.renderExplain(csv: true, labels: labels) : table.renderCSV()),
                    (id + ".settings.txt", table.settings.map { "# \($0.name): \($0.value)\n" }.joined()),
                ]
            case "json": files = [(id + ".json", table.renderJSON(explain: options.explain, labels: labels) + "\n")]
            default:
                var text = table.renderTable() + "\n"
                if options.explain {
                    text += "\nRecords behind each cell:\n" + table.renderExplain(csv: false, labels: labels)
                }
                files = [(id + ".txt", text)]
            }
            for (name, text) in files {
                let path = URL(fileURLWithPath: output).appendingPathComponent(name).path
                guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
                    FileHandle.standardError.write(Data("fulcrum: error: \(path): cannot write the report\n".utf8))
                    throw ExitCode.failure
                }
            }
        }
    }

    nonisolated(unsafe) static var lastContext: MetricContext?

    static func print(_ table: ReportTable, format: String, explain: Bool, labels: [String: RecordLabel] = [:]) {
        switch format {
        case "csv":
            FileHandle.standardOutput.write(
                Data((explain ? table.renderExplain(csv: true, labels: labels) : table.renderCSV()).utf8))
            let settings = table.settings.map { "# \($0.name): \($0.value)\n" }.joined()
            FileHandle.standardError.write(Data(settings.utf8))
        case "json":
            Swift.print(table.renderJSON(explain: explain, labels: labels))
        default:
            Swift.print(table.renderTable())
            if explain {
                Swift.print(
                    "\nRecords behind each cell:\n" + table.renderExplain(csv: false, labels: labels), terminator: "")
            }
        }
    }
}
