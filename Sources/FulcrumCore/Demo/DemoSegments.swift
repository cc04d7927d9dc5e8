/// The economics each demo segment is generated from. They follow the story of
/// seed 001 ("Think Globally, Act Locally"): Tech brings cheap leads and small
/// deals but churns least; Telecom brings few, large deals; Consulting gives
/// the best short-term return on total spend but churns most. The same numbers
/// are written down in docs/demo-company.md so analyses can be checked against them.
public struct DemoSegment: Sendable, Hashable {
    public var name: String
    /// Share of accounts in this segment.
    public var accountShare: Double
    public var industries: [String]
    /// Mean number of people (leads and contacts) per account beyond the first.
    public var extraPeopleMean: Double
    /// Media spend per lead, in dollars.
    public var costPerLead: Double
    /// Base probability that an account's primary lead becomes a new-business opportunity.
    public var opportunityRate: Double
    /// Base probability that a new-business opportunity is won.
    public var winRate: Double
    /// Median sales cycle in days.
    public var cycleDays: Double
    /// Median MRR of a new sales-led customer, in dollars.
    public var medianMRR: Double
    /// Share of sales-led deals billed annually.
    public var annualShare: Double
    /// Annual logo churn at average health.
    public var annualChurn: Double
    /// Fully loaded sales cost of a won deal, in dollars (a lost one costs 35% of it).
    public var salesCostPerDeal: Double
    /// Price per seat per month, in dollars.
    public var seatPrice: Double
    /// Share of accounts that never talk to sales and try the product instead.
    public var selfServeShare: Double
    /// Account-executive headcount per 1,000 accounts.
    public var repsPerThousandAccounts: Double
    public var employeesMedian: Double

    public static let tech = DemoSegment(
        name: "Tech", accountShare: 0.60, industries: ["Software", "Internet", "Hardware", "Fintech"],
        extraPeopleMean: 8.2, costPerLead: 75, opportunityRate: 0.60, winRate: 0.45, cycleDays: 25,
        medianMRR: 400, annualShare: 0.2, annualChurn: 0.08, salesCostPerDeal: 13_000, seatPrice: 40,
        selfServeShare: 0.30, repsPerThousandAccounts: 6, employeesMedian: 80)
    public static let telecom = DemoSegment(
        name: "Telecom", accountShare: 0.15, industries: ["Telecommunications", "Wireless", "Cable"],
        extraPeopleMean: 12.5, costPerLead: 300, opportunityRate: 0.65, winRate: 0.40, cycleDays: 75,
        medianMRR: 3_000, annualShare: 0.7, annualChurn: 0.15, salesCostPerDeal: 75_000, seatPrice: 60,
        selfServeShare: 0, repsPerThousandAccounts: 2, employeesMedian: 2_000)
    public static let consulting = DemoSegment(
        name: "Consulting", accountShare: 0.25, industries: ["Management Consulting", "IT Services", "Accounting"],
        extraPeopleMean: 9.0, costPerLead: 170, opportunityRate: 0.70, winRate: 0.50, cycleDays: 40,
        medianMRR: 1_200, annualShare: 0.35, annualChurn: 0.22, salesCostPerDeal: 28_000, seatPrice: 50,
        selfServeShare: 0, repsPerThousandAccounts: 3, employeesMedian: 300)

    public static let all: [DemoSegment] = [tech, telecom, consulting]

    /// Monthly churn hazard equivalent to the annual rate.
    public var monthlyChurn: Double { 1 - Math.pow(1 - annualChurn, 1.0 / 12) }
}

/// Planted effects that analyses must recover; documented in docs/demo-company.md.
public enum DemoPlanted {
    /// Primary leads answered by a person within an hour become opportunities this much more often…
    public static let fastResponseFactor = 1.5
    /// …and those answered later this much less often (ratio 1.5 / 0.85 ≈ 1.76).
    public static let slowResponseFactor = 0.85
    /// Accounts whose primary lead attended a webinar become opportunities this much more often.
    public static let webinarFactor = 1.4
    /// Referred accounts: more opportunities and less churn.
    public static let referralOpportunityFactor = 1.3
    public static let referralChurnFactor = 0.7
    /// Opportunities with a demo win this much more often than those without (1.45 / 0.7 ≈ 2.07).
    public static let demoWinFactor = 1.45
    public static let noDemoWinFactor = 0.7
    /// Share of opportunities that get a demo.
    public static let demoShare = 0.6
    /// Before churn: active users fall to this share of normal over the last 60 days…
    public static let preChurnUsageFloor = 0.35
    /// …support tickets arrive this many times as often in the last 90 days…
    public static let preChurnTicketFactor = 3.0
    /// …and NPS answers in the last 120 days are detractors (0–6) this often (vs 15% otherwise).
    public static let preChurnDetractorShare = 0.75
    public static let baseDetractorShare = 0.15
    /// Share of sales-led customers that get a second account record from another rep.
    public static let duplicateShare = 0.03
    /// Share of churned customers that come back.
    public static let reactivationShare = 0.12
    /// Trials converting to paid, self-serve.
    public static let trialConversion = 0.45
    public static let trialDays = 14
}
