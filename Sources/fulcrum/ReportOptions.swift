import ArgumentParser
import FulcrumCore
import FulcrumService

/// The options every metric report takes: slicing, periods, range, format, comparison and
/// the definition settings users argue about.
struct ReportOptions: ParsableArguments {
    @Option(
        help:
            "Slice by: segment, plan, channel, rep, cohort, campaign (acquisition reports), custom:NAME (an account custom field; on deal reports also the deal's or its owner's), owner, team, product, source or demo (deal and lead reports)."
    )
    var by: String?

    @Option(help: "Row period: month, quarter or year.")
    var period: String = "month"

    @Option(help: "First month, YYYY-MM (widened to a whole period).")
    var from: String?

    @Option(help: "Last month, YYYY-MM (default: the last month with data).")
    var to: String?

    @Option(help: "Output format: table, csv or json.")
    var format: String = "table"

    @Flag(help: "List the records behind each cell (source id, account, amount) and the rule that makes it.")
    var explain = false

    @Option(help: "Compare with the previous period or the same period a year before: previous or year.")
    var compare: String?

    @Option(name: .customLong("churn-recognition"), help: "When churn counts: end-of-period (default) or cancel-date.")
    var churnRecognition: String = "end-of-period"

    @Flag(name: .customLong("include-trials"), help: "Count trials in MRR (off by default).")
    var includeTrials = false

    @Option(name: .customLong("gross-margin"), help: "Gross margin for LTV, 0–1 (default 0.8).")
    var grossMargin: Double = 0.8

    @Option(name: .customLong("discount-rate"), help: "Annual discount rate for model-based LTV (default 0.10).")
    var discountRate: Double = 0.10

    @Option(
        help:
            "Lifecycle definitions (MQL, SAL/SQL statuses, response SLA, at risk) as YAML; default: lifecycle.yaml beside the store when it exists (docs/lifecycle.md)."
    )
    var config: String?

    @Option(help: "Rows in ranked lists (accounts-ltv).")
    var limit: Int = 20

    @Option(help: "Attribution: what is credited — pipeline (default), bookings or new-mrr.")
    var metric: String?

    @Option(
        help: "Attribution: one model — first, last, linear, position, time-decay, markov (default: all side by side).")
    var model: String?

    @Option(name: .customLong("half-life"), help: "Attribution: time-decay half-life in days (default 7).")
    var halfLife: Double?

    /// The options as the shared parser takes them (the server parses URL parameters the same way).
    var parameters: ReportParameters {
        var p = ReportParameters()
        p.by = by
        p.period = period
        p.from = from
        p.to = to
        p.compare = compare
        p.churnRecognition = churnRecognition
        p.includeTrials = includeTrials
        p.grossMargin = grossMargin
        p.discountRate = discountRate
        p.limit = limit
        p.metric = metric
        p.model = model
        p.halfLife = halfLife
        return p
    }

    func validate() throws {
        _ = try query(report: "")
        guard ["table", "csv", "json"].contains(format) else {
            throw ValidationError("--format: '\(format)' is not one of table, csv, json")
        }
    }

    func query(report: String) throws -> ReportQuery {
        do {
            return try parameters.query(report: report) { "--" + $0 }
        } catch let error as ParameterError {
            throw ValidationError(error.description)
        }
    }
}
