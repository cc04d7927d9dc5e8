import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumService

extension Fulcrum.Plan {
    /// `fulcrum plan what-if`: today's plan against a changed one, projected month by month.
    struct WhatIf: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "what-if",
            abstract: "Move budget or change an input and see leads, bookings, MRR, ARR and LTV/CAC over 12–36 months.",
            discussion: """
                --move FROM:TO=AMOUNT moves monthly marketing dollars between segments; --change SEGMENT.FIELD=VALUE \
                changes an input, FIELD one of \(PlanChange.Field.allCases.map(\.rawValue).joined(separator: ", ")), \
                VALUE in points for rates (-2pt), relative (+10%) or added (+5000). Customers and MRR start from the \
                store's current ones (zero for a table) and lose each segment's monthly churn.
                """)

        @OptionGroup var source: PlanSourceOptions

        @Option(help: "Move marketing spend, FROM:TO=AMOUNT a month (repeatable).")
        var move: [String] = []

        @Option(help: "Change an input, SEGMENT.FIELD=VALUE (repeatable).")
        var change: [String] = []

        @Option(help: "Months to project, 12 to 36.")
        var months = 24

        @Option(help: "Output format: table or json.")
        var format: OutputFormat = .table

        func validate() throws {
            guard (12...36).contains(months) else {
                throw ValidationError("--months: \(months) is not between 12 and 36")
            }
            guard !move.isEmpty || !change.isEmpty else {
                throw ValidationError("give at least one --move or --change")
            }
        }

        struct Result: Encodable {
            var changes: [String]
            var months: Int
            var baseline: [Point]
            var scenario: [Point]
            struct Point: Encodable {
                var month: Int
                var leads: Double
                var deals: Double
                var bookings: Double
                var spend: Double
                var customers: Double
                var mrr: Double
                var arr: Double
                var ltvCac: Double?
            }
        }

        func run() throws {
            let inputs = try source.load()
            let (changes, changed) = try planErrors { () throws -> ([PlanChange], [PlanUnit]) in
                let changes = try move.map(PlanChange.parseMove) + change.map(PlanChange.parseChange)
                var units = inputs.units
                for c in changes { units = try c.apply(to: units) }
                return (changes, units)
            }
            let before = PlanProjection.project(units: inputs.units, baseline: inputs.baseline, months: months)
            let after = PlanProjection.project(units: changed, baseline: inputs.baseline, months: months)
            func points(_ p: PlanProjection) -> [Result.Point] {
                p.points.map {
                    .init(
                        month: $0.month, leads: $0.leads, deals: $0.deals, bookings: $0.bookings, spend: $0.spend,
                        customers: $0.customers, mrr: $0.mrr, arr: $0.arr, ltvCac: $0.ltvToCAC)
                }
            }
            let result = Result(
                changes: changes.map(\.description), months: months, baseline: points(before), scenario: points(after))
            if format == .json {
                print(try ServiceJSON.encode(result, snakeCase: true))
                return
            }
            var out = "What if: \(result.changes.joined(separator: "; ")) — source: \(inputs.source)\n"
            out +=
                "Cumulative leads and bookings, MRR and ARR at each month's end; today's plan → changed plan (difference)\n"
            var table = TextTable(
                headers: ["month", "leads", "bookings", "MRR", "ARR", "LTV/CAC"],
                alignments: [.right, .right, .right, .right, .right, .right])
            func cell(_ a: Double, _ b: Double, _ f: (Double) -> String) -> String {
                "\(f(a)) → \(f(b)) (\(b - a >= 0 ? "+" : "-")\(f(abs(b - a))))"
            }
            for (a, b) in zip(result.baseline, result.scenario) where a.month % 3 == 0 || a.month == 1 {
                table.append([
                    "\(a.month)", cell(a.leads, b.leads, PlanText.count), cell(a.bookings, b.bookings, PlanText.money),
                    cell(a.mrr, b.mrr, PlanText.money), cell(a.arr, b.arr, PlanText.money),
                    "\(PlanText.multiple(a.ltvCac)) → \(PlanText.multiple(b.ltvCac))",
                ])
            }
            out += table.render() + "\n"
            if inputs.baseline.isEmpty {
                out += "note: MRR and ARR are what the plan adds from month 1 (a table has no current customers)\n"
            } else {
                out += "note: MRR starts from each segment's MRR at the end of the history; churn applies to it too\n"
            }
            print(out, terminator: "")
        }
    }
}
