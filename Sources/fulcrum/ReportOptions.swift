import ArgumentParser
import FulcrumCore

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

    @Flag(help: "List the record ids behind each cell.")
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

    static func month(_ text: String?, _ name: String) throws -> Month? {
        guard let text else { return nil }
        guard let m = Month(iso: text), text.count == 7, (1...12).contains(m.month) else {
            throw ValidationError("\(name): '\(text)' is not a month in YYYY-MM form")
        }
        return m
    }

    func validate() throws {
        _ = try query(report: "")
        guard ["table", "csv", "json"].contains(format) else {
            throw ValidationError("--format: '\(format)' is not one of table, csv, json")
        }
    }

    func query(report: String) throws -> ReportQuery {
        guard let grain = PeriodGrain(rawValue: period) else {
            throw ValidationError("--period: '\(period)' is not one of month, quarter, year")
        }
        var dimension: Dimension?
        if let by {
            guard let d = Dimension(name: by), d != .period else {
                throw ValidationError(
                    "--by: '\(by)' is not a dimension; use segment, plan, channel, rep, cohort, campaign, owner, team, product, source, demo or custom:NAME"
                )
            }
            dimension = d
        }
        var comparison: Comparison?
        if let compare {
            guard let c = Comparison(rawValue: compare) else {
                throw ValidationError("--compare: '\(compare)' is not one of previous, year")
            }
            comparison = c
        }
        var settings = MetricSettings()
        switch churnRecognition {
        case "end-of-period": settings.revenue.churnRecognition = .endOfPaidPeriod
        case "cancel-date": settings.revenue.churnRecognition = .cancelDate
        default:
            throw ValidationError("--churn-recognition: '\(churnRecognition)' is not one of end-of-period, cancel-date")
        }
        settings.revenue.includeTrials = includeTrials
        guard (0...1).contains(grossMargin) else {
            throw ValidationError("--gross-margin: \(grossMargin) is not between 0 and 1")
        }
        guard discountRate > 0, discountRate < 10 else {
            throw ValidationError("--discount-rate: \(discountRate) must be above 0")
        }
        guard limit >= 1 else { throw ValidationError("--limit: must be at least 1") }
        settings.grossMargin = grossMargin
        settings.annualDiscountRate = discountRate
        return ReportQuery(
            report: report, by: dimension, grain: grain, from: try Self.month(from, "--from"),
            to: try Self.month(to, "--to"),
            compare: comparison, settings: settings, limit: limit)
    }
}
