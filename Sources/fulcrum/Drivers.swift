import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumService

extension Fulcrum {
    /// `fulcrum drivers`: which activities move each objective, with intervals and a plain reading.
    struct Drivers: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Which activities move each objective: effects with 95% intervals, ranked, with a causal warning.",
            discussion: """
                Objectives: opportunity (a lead becomes a new-business opportunity within 90 days; drivers from its \
                first 14 days), win (a closed new-business deal is won; drivers from its life), churn (a paying \
                customer churns in a quarter; drivers from the quarter before). Each is a linear probability model \
                with cluster-robust errors by account, controlling for segment, size, season and year; effects are \
                percentage points of the objective's rate. Method and worked example: docs/drivers.md.
                """)

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Objective: opportunity, win or churn (repeatable; default: all).")
        var objective: [String] = []

        @Option(help: "Lifecycle definitions YAML (default: lifecycle.yaml beside the store).")
        var config: String?

        @Option(help: "Output format: table or json.")
        var format = "table"

        func validate() throws {
            guard ["table", "json"].contains(format) else {
                throw ValidationError("--format: '\(format)' is not one of table, json")
            }
            for id in objective where !DriverPanels.objectiveIds.contains(id) {
                throw ValidationError(DriverService.UnknownObjective(id: id).description)
            }
        }

        func run() throws {
            let store = try storeOptions.openStoreForReading()
            let results = try reportingMetricErrors {
                try DriverService.analyze(
                    store: store, storePath: storeOptions.resolvedPath.path, config: config,
                    objectives: objective.isEmpty ? DriverPanels.objectiveIds : objective)
            }
            if format == "json" {
                print(try ServiceJSON.encode(results, snakeCase: true))
                return
            }
            print(DriverText.render(results), terminator: "")
        }
    }
}

/// The table form of a driver analysis: one block per objective.
enum DriverText {
    static func render(_ results: [DriverObjectiveResult]) -> String {
        var out = ""
        for r in results {
            out += "\(r.objective): \(r.name) — \(r.outcome)\n"
            out += "  \(r.rows) \(r.unit)s of \(r.clusters) accounts, baseline \(Format.percent(r.baseline)); "
            out += "drivers measured in \(r.window); controls: \(r.controls.joined(separator: ", "))\n"
            var table = TextTable(
                headers: [
                    "rank", "driver", "measure", "with", "effect (pp)", "95% CI (pp)", "relative", "p (Holm)",
                    "reading",
                ],
                alignments: [.right, .left, .left, .right, .right, .left, .right, .right, .left])
            for d in r.drivers {
                table.append([
                    "\(d.rank)", d.label, d.measure, "\(d.exposed)", d.effect.map(points) ?? "",
                    d.low.flatMap { low in d.high.map { "[\(points(low)), \(points($0))]" } } ?? "",
                    d.relative.map { signed($0 * 100, places: 0) + "%" } ?? "", d.adjustedP.map(pValue) ?? "",
                    d.reading,
                ])
            }
            out += table.render()
            if !out.hasSuffix("\n") { out += "\n" }
            for note in r.notes { out += "  note: \(note)\n" }
            out += "\n"
        }
        return out
    }

    static func points(_ fraction: Double) -> String { signed(fraction * 100, places: 1) }

    static func signed(_ v: Double, places: Int) -> String {
        let text = DecimalText.text(abs(v), places: places)
        return (v < 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "-" : "+") + text
    }

    static func pValue(_ p: Double) -> String { p < 0.001 ? "<0.001" : DecimalText.text(p, places: 3) }
}
