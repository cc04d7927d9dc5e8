import ArgumentParser
import FulcrumCore
import FulcrumService

extension Fulcrum {
    /// `fulcrum next-steps`: what each rep should do first — customers at risk and leads ready to buy,
    /// ranked by expected value, each with its drivers and a suggested action (docs/prediction.md).
    struct NextSteps: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "next-steps",
            abstract:
                "Customers at risk, leads ready to buy and trials, by expected value, with drivers and an action.",
            discussion: """
                Uses the stored churn, conversion and trial models (fulcrum model train churn|conversion|trial). Expected value = \
                probability × annual value: 12 × MRR for a customer, the segment's average first-year value for a lead, 12 × the plan's monthly price for a trial.
                """)

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Only this owner's accounts (part of the rep's name, any case).")
        var owner: String?

        @Option(help: "Rows to show.")
        var limit = 20

        @Option(help: "Output format: table, csv or json.")
        var format = "table"

        func validate() throws {
            guard ["table", "csv", "json"].contains(format) else {
                throw ValidationError("--format: '\(format)' is not one of table, csv, json")
            }
            guard limit > 0 else { throw ValidationError("--limit: must be at least 1") }
        }

        func run() throws {
            let store = try storeOptions.openStoreForReading()
            let (currency, steps, notes) = try reportingMetricErrors {
                try PredictionService.nextSteps(store: store, storePath: storeOptions.resolvedPath.path, owner: owner)
            }
            if steps.isEmpty, notes.count == 3 {
                throw fail(
                    "the store has no churn, conversion or trial model: run `fulcrum model train churn`, `fulcrum model train conversion` or `fulcrum model train trial`"
                )
            }
            let table = PredictionService.nextStepsTable(steps, currency: currency, notes: notes, limit: limit)
            ReportPrinter.print(table, format: format, explain: false)
        }
    }
}
