import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumImport
import FulcrumService
import FulcrumStore

extension Fulcrum.Plan {
    /// `fulcrum plan targets`: the global optimum as monthly target rows for `report targets`.
    struct Targets: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "targets",
            abstract:
                "Turn the global optimum into monthly targets per team and segment (CSV, or written to the store).",
            discussion: """
                Rows: per segment and for the company leads, opportunities, new_bookings, mrr and churn_rate; \
                leads for marketing teams, opportunities and new_bookings for sales teams with a segment, mrr and \
                churn_rate for customer-success teams. --out writes canonical targets.csv; --write imports the rows \
                into the store under source 'plan' (re-running replaces the same months' rows), and \
                `fulcrum report targets --from START` compares them with actuals.
                """)

        @OptionGroup var source: PlanSourceOptions
        @OptionGroup var limits: PlanLimitOptions

        @Option(help: "First month of the targets, YYYY-MM (default: the month after the store's history).")
        var start: String?

        @Option(help: "Number of months.")
        var months = 12

        @Option(help: "Write the rows as a canonical targets CSV to this path.")
        var out: String?

        @Flag(help: "Import the rows into the store (source 'plan').")
        var write = false

        func validate() throws {
            guard (1...60).contains(months) else {
                throw ValidationError("--months: \(months) is not between 1 and 60")
            }
            if let start, Month(iso: start) == nil {
                throw ValidationError("--start: '\(start)' is not a month (YYYY-MM)")
            }
            guard out != nil || write else { throw ValidationError("give --out FILE, --write, or both") }
            if write && source.economics != nil {
                throw ValidationError("--write needs the store (--store), not --economics; use --out for a table")
            }
        }

        func run() throws {
            let inputs = try source.load()
            guard let first = start.flatMap({ Month(iso: $0) }) ?? inputs.through?.adding(1) else {
                throw fail("--start: a plan from --economics has no history; give the first month (YYYY-MM)")
            }
            let report = try planErrors {
                try PlanComparison.compute(
                    units: inputs.units, objective: try limits.parsedObjective(), constraints: try limits.constraints())
            }
            let global = report.scenarios.last!.allocation
            var units = inputs.units
            for i in units.indices { units[i].marketingSpend = global.units[i].outcome.marketingSpend }
            var teams: [Team] = []
            if source.economics == nil {
                teams = try runReportingErrors { try source.storeOptions.openStoreForReading().teams() }
            }
            let rows = PlanTargets.rows(
                units: units, baseline: inputs.baseline, start: first, months: months, teams: teams)
            var csv = "id,month,scope,scope_key,metric,value\n"
            for r in rows {
                let id = "plan:\(r.month.iso):\(r.scope.rawValue):\(r.scopeKey):\(r.metric)"
                csv +=
                    [id, r.month.iso, r.scope.rawValue, r.scopeKey, r.metric, String(r.value)].map { CSVText.cell($0) }
                    .joined(separator: ",") + "\n"
            }
            if let out {
                do { try csv.write(toFile: out, atomically: true, encoding: .utf8) } catch {
                    throw fail("\(out): cannot write the targets: \(error.localizedDescription)")
                }
                print("Wrote \(rows.count) target rows for \(first.iso)…\(first.adding(months - 1).iso) to \(out)")
            }
            if write {
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "fulcrum-plan-\(ProcessInfo.processInfo.processIdentifier)")
                try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: dir) }
                let file = dir.appendingPathComponent("targets.csv").path
                try csv.write(toFile: file, atomically: true, encoding: .utf8)
                let store = try source.storeOptions.openStoreForWriting()
                let location = store.location
                var options = ImportOptions()
                options.sourceName = "plan"
                options.dataThrough = try runReportingErrors { try store.metaValue("data_through") }.flatMap {
                    Day(iso: $0)
                }
                do {
                    try runReportingErrors {
                        if let store = store as? PostgresStore {
                            _ = try store.staged { try Importer.run(store: $0, paths: [file], options: options) }
                        } else if let store = store as? SQLiteStore {
                            _ = try Importer.run(store: store, paths: [file], options: options)
                            try store.close()
                        }
                    }
                } catch let failure as ImportFailure {
                    throw fail("writing the targets failed, nothing was written to \(location): \(failure.description)")
                }
                print(
                    "Wrote \(rows.count) target rows for \(first.iso)…\(first.adding(months - 1).iso) to \(source.storeOptions.resolvedPath.path) (source 'plan'); compare: fulcrum report targets --from \(first.iso)"
                )
            }
        }
    }
}
