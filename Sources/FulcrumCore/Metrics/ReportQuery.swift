/// The calendar grain a report's rows are bucketed by.
public enum PeriodGrain: String, Sendable, Codable, CaseIterable {
    case month, quarter, year

    /// Months per period.
    public var length: Int {
        switch self {
        case .month: 1
        case .quarter: 3
        case .year: 12
        }
    }

    /// The first month of the period containing `month`.
    public func start(of month: Month) -> Month {
        switch self {
        case .month: month
        case .quarter: Month(month.year, (month.quarter - 1) * 3 + 1)
        case .year: Month(month.year, 1)
        }
    }

    /// `2024-03`, `2024-Q1` or `2024`.
    public func label(_ month: Month) -> String {
        switch self {
        case .month: month.iso
        case .quarter: String(month.year) + "-Q" + String(month.quarter)
        case .year: String(month.year)
        }
    }
}

/// One calendar period: its label and months (clipped to the data the store holds).
public struct Period: Sendable, Hashable {
    public var label: String
    public var first: Month
    /// Last month of the period that has data (the period's own last month unless data ends earlier).
    public var last: Month
    /// True when data ends before the period does, or inside its last month.
    public var partial: Bool
    public var months: ClosedRange<Month> { first...last }
}

/// Comparison with an earlier range: the previous period, or the same period a year before.
public enum Comparison: String, Sendable, Codable, CaseIterable {
    case previous, year
}

/// Definitions users argue about, with Fulcrum's documented defaults; printed with every report.
public struct MetricSettings: Sendable, Hashable {
    public var revenue = RevenueSettings()
    /// Share of revenue left after cost of revenue; the stand-in for seed 002's "net profit"
    /// in LTV, since the store holds no cost-of-revenue data.
    public var grossMargin = 0.80
    /// Annual discount rate for model-based (sBG) lifetime value.
    public var annualDiscountRate = 0.10
    /// The lifecycle definitions (MQL, SAL, SQL, response SLA, at risk) of the funnel and scorecard reports.
    public var lifecycle = LifecycleSettings()
    /// What the attribution report credits (pipeline, bookings, new-mrr), by which model (nil: every
    /// model side by side), and time-decay's half-life in days.
    public var attributionMetric = "pipeline"
    public var attributionModel: String?
    public var halfLifeDays = 7.0
    public init() {}

    /// Monthly rate equivalent to the annual one: (1 + annual)^(1/12) − 1.
    public var monthlyDiscountRate: Double { Math.pow(1 + annualDiscountRate, 1.0 / 12) - 1 }
}

/// What the user asked for: which report, sliced how, over which months.
public struct ReportQuery: Sendable {
    public var report: String
    public var by: Dimension?
    public var grain: PeriodGrain
    public var from: Month?
    public var to: Month?
    public var compare: Comparison?
    public var settings: MetricSettings
    /// Rows for `accounts --by-ltv` and other ranked lists.
    public var limit: Int

    public init(
        report: String, by: Dimension? = nil, grain: PeriodGrain = .month, from: Month? = nil, to: Month? = nil,
        compare: Comparison? = nil, settings: MetricSettings = MetricSettings(), limit: Int = 20
    ) {
        self.report = report
        self.by = by
        self.grain = grain
        self.from = from
        self.to = to
        self.compare = compare
        self.settings = settings
        self.limit = limit
    }
}

/// A request the metrics cannot answer, naming the parameter at fault.
public struct MetricError: Error, Sendable, CustomStringConvertible, Equatable {
    public var parameter: String
    public var reason: String
    public init(parameter: String, reason: String) {
        self.parameter = parameter
        self.reason = reason
    }
    public var description: String { parameter + ": " + reason }
}
