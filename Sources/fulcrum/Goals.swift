import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumService

extension Fulcrum {
    /// `fulcrum goals`: seed 000's goal tree — business goals, team objectives, activities — with each
    /// node's value at the last complete period and its change from the period before.
    struct Goals: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The goal tree: business goals → team objectives → activities, each with its value and trend.",
            discussion: """
                The default tree follows seed 000 (LTV and CAC; MQLs, SQLs, pipeline, bookings, churn, upsell; calls, \
                e-mails, meetings, demos, content, e-mail clicks, webinars, events, tickets answered). --tree FILE replaces it (YAML; \
                docs/attribution.md, "Goal tree"). Every value is a cell of a catalog report.
                """)

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Goal tree YAML (default: the built-in tree after seed 000).")
        var tree: String?

        @Option(help: "Period of the values and trends: month, quarter or year.")
        var period = "quarter"

        @Option(help: "Last month, YYYY-MM (default: the last month with data).")
        var to: String?

        @Option(help: "Lifecycle definitions YAML (default: lifecycle.yaml beside the store).")
        var config: String?

        @Option(help: "Output format: table or json.")
        var format = "table"

        func validate() throws {
            guard ["table", "json"].contains(format) else {
                throw ValidationError("--format: '\(format)' is not one of table, json")
            }
            var p = ReportParameters()
            p.period = period
            p.to = to
            do { _ = try p.query(report: "mrr") { "--" + $0 } } catch let e as ParameterError {
                throw ValidationError(e.description)
            }
        }

        func run() throws {
            let goalTree: GoalTree
            do {
                goalTree = try tree.map(GoalTree.load) ?? .default
            } catch let problem as GoalTree.Problem {
                FileHandle.standardError.write(Data("fulcrum: error: \(problem)\n".utf8))
                throw ExitCode.failure
            }
            let store = try storeOptions.openStoreForReading()
            let values = try reportingMetricErrors {
                try GoalEvaluator.evaluate(
                    goalTree, store: store, storePath: storeOptions.resolvedPath.path, config: config, grain: period,
                    to: to)
            }
            if format == "json" {
                print(try ServiceJSON.encode(values, snakeCase: true))
                return
            }
            var table = TextTable(
                headers: ["level", "node", "period", "value", "previous", "change", "serves", "source"],
                alignments: [.left, .left, .left, .right, .right, .right, .left, .left])
            func show(_ v: Double?, _ kind: String, _ currency: String) -> String {
                guard let v else { return "" }
                switch kind {
                case "percent": return Format.percent(v)
                case "money":
                    var scale = 1.0
                    for _ in 0..<Currency.exponent(of: currency) { scale *= 10 }
                    return Format.money(Int64((v * scale).rounded()), currency: currency)
                default: return DecimalText.text(v, places: v == v.rounded() ? 0 : 1)
                }
            }
            for v in values {
                table.append([
                    v.level, (v.level == "activity" ? "    " : v.level == "team objective" ? "  " : "") + v.name,
                    v.period,
                    show(v.value, v.kind, v.currency), show(v.previous, v.kind, v.currency),
                    v.change.map {
                        v.changeUnit == "relative" ? Format.percent($0) : DecimalText.text($0 * 100, places: 1) + " pp"
                    } ?? "",
                    v.parents.joined(separator: ", "), v.source,
                ])
            }
            print(table.render())
            print(
                "\nEach value is the named report's cell at the last complete \(period) (window reports: their trailing window); previous = one \(period) before. Webinars and events have no report column yet and are not in the default tree."
            )
        }
    }
}
