import Foundation

/// The lifecycle stages the motivational-indicator table covers, each with its panel and outcomes:
/// leads (what is known seven days after a lead arrives; outcome: an opportunity within 90 days)
/// and customers (what is known at a quarter-end; outcomes: churn and expansion in the next three
/// months). Early on only profile and buying behaviour are known; direct feedback (surveys,
/// tickets) comes with customers, so the customer stage also correlates every indicator with it.
public enum IndicatorStages {
    public struct Section: Sendable {
        public var stage: String
        public var outcome: String
        public var meaning: String
        public var rows: Int
        public var accounts: Int
        public var baseRate: Double
        public var feedback: [String]
        public var table: [MotivationalIndicators.Row]
    }

    /// The direct-feedback measures every customer indicator is correlated with.
    public static let customerFeedback = ["nps_last", "csat_180d", "tickets_90d"]

    static let leadIndicators: [MotivationalIndicators.Indicator] = [
        .init("fast_response", .process), .init("responded", .process), .init("hours_to_response", .process),
        .init("webinars", .process), .init("events", .process), .init("content_downloads", .process),
        .init("email_clicks", .process), .init("email_opens", .process), .init("people", .profile),
        .init("referred", .profile), .init("employees_log", .profile),
    ]

    static let customerIndicators: [MotivationalIndicators.Indicator] = [
        .init("nps_last", .feedback), .init("detractors_120d", .feedback), .init("csat_180d", .feedback),
        .init("tickets_90d", .feedback), .init("urgent_tickets_90d", .feedback),
        .init("hours_to_resolve_90d", .process), .init("active_users", .process),
        .init("active_users_trend", .process), .init("seat_utilization", .process),
        .init("events_per_day", .process), .init("touches_90d", .process), .init("conversations_90d", .process),
        .init("failed_payments_90d", .process), .init("contractions_6m", .process),
        .init("expansions_6m", .process), .init("discount_active", .process), .init("cancel_scheduled", .process),
        .init("months_to_renewal", .process), .init("mrr_log", .profile), .init("tenure_months", .profile),
        .init("annual_plan", .profile), .init("seats", .profile), .init("referred", .profile),
        .init("employees_log", .profile),
    ]

    /// Customer rows beyond this many use every sixth (ninth, …) month-end instead of every third.
    public static let rowBudget = 400_000

    public static let stages = ["lead", "customer"]

    public static func sections(_ context: MetricContext, stages wanted: [String] = stages) -> [Section] {
        var out: [Section] = []
        if wanted.contains("lead") {
            let panel = LeadFeatures.build(context)
            out.append(
                section(
                    stage: "lead", outcome: "opportunity",
                    meaning:
                        "a lead still open \(LeadFeatures.scoreAfterDays) days after it arrived opens a new-business opportunity within \(LeadFeatures.horizonDays) days; indicators as known on that seventh day",
                    names: panel.names, x: panel.x, y: panel.y, accounts: panel.accounts,
                    indicators: leadIndicators, feedback: []))
        }
        if wanted.contains("customer") {
            let months = customerMonths(context)
            for outcome in AccountFeatures.Outcome.allCases {
                let panel = AccountFeatures.build(context, months: months, outcome: outcome)
                out.append(
                    section(
                        stage: "customer", outcome: outcome.rawValue,
                        meaning:
                            "a paying customer at a quarter-end \(outcome == .churn ? "churns" : "expands") within the next \(AccountFeatures.horizonMonths) months (MRR ledger); indicators as known at that month-end",
                        names: panel.names, x: panel.x, y: panel.y, accounts: panel.accounts,
                        indicators: customerIndicators, feedback: customerFeedback))
            }
        }
        return out
    }

    /// Month-ends three months apart (so outcome windows do not overlap), back from the last one
    /// whose window is over; further apart when the rows would pass the budget.
    static func customerMonths(_ context: MetricContext) -> [Month] {
        let last = context.lastCompleteMonth(atOrBefore: context.dataMonth).adding(-AccountFeatures.horizonMonths)
        guard let first = context.firstPaidMonth.values.min(), first <= last else { return [] }
        var paying = 0
        for e in context.ledger.accountMRR where e.mrrMinor > 0 && e.month <= last { paying += 1 }
        let step = AccountFeatures.horizonMonths * max(1, Int((Double(paying) / 3 / Double(rowBudget)).rounded(.up)))
        var months: [Month] = []
        var m = last
        while m >= first {
            months.append(m)
            m = m.adding(-step)
        }
        return months.reversed()
    }

    static func section(
        stage: String, outcome: String, meaning: String, names: [String], x: [Double], y: [Double],
        accounts: [Int64], indicators: [MotivationalIndicators.Indicator], feedback: [String]
    ) -> Section {
        let labelled = y.indices.filter { !y[$0].isNaN }
        let positives = labelled.reduce(0.0) { $0 + y[$1] }
        return Section(
            stage: stage, outcome: outcome, meaning: meaning, rows: labelled.count,
            accounts: Set(labelled.map { accounts[$0] }).count,
            baseRate: labelled.isEmpty ? 0 : positives / Double(labelled.count), feedback: feedback,
            table: MotivationalIndicators.table(
                names: names, x: x, y: y, cluster: accounts, indicators: indicators, feedback: feedback))
    }
}
