import ArgumentParser
import Foundation
import FulcrumCore

extension Fulcrum {
    /// `fulcrum metrics`: the metric registry, every definition in plain words.
    struct Metrics: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every metric with its definition, formula, unit, tier and dimensions.")

        @Option(help: "Output format: table or json.")
        var format: String = "table"

        func validate() throws {
            guard ["table", "json"].contains(format) else {
                throw ValidationError("--format: '\(format)' is not one of table, json")
            }
        }

        func run() throws {
            let metrics = MetricRegistry.all
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(metrics), as: UTF8.self))
                return
            }
            var table = TextTable(
                headers: ["id", "name", "tier", "unit", "report", "by"], alignments: Array(repeating: .left, count: 6))
            for m in metrics {
                table.append([
                    m.id, m.name, m.tier.rawValue, m.unit.rawValue, m.report, m.dimensions.joined(separator: ","),
                ])
            }
            print(table.render())
            print("\nDefinitions:")
            for m in metrics { print("  \(m.id): \(m.definition) = \(m.formula)") }
            print(
                "\nPrint any of them with `fulcrum report <report or metric id>`; docs/metrics.md has a worked example for each."
            )
        }
    }
}
