@testable import FulcrumCore

/// A hand-built company whose every metric is computed by hand in MetricReportTests
/// (and in docs/metrics.md). Data through 2024-06-30; amounts in cents.
///
/// - A1 Tech: $100 monthly from 01-15; price changed twice in February ($150 on 02-05, $120 on 02-20:
///   an upgrade and a downgrade in one month); a second $50 subscription 03-01 → 04-20.
/// - A4 Tech is a duplicate of A1 (merged into it) with $30 monthly from 04-01.
/// - A2 Telecom: annual prepaid $1,200 a year from 01-01, ended 03-01; back with $80 monthly from 05-10.
/// - A3 Tech: €100 monthly from 02-10 (EUR→USD 1.10 every month).
/// - A5 Consulting: a $0 subscription from 01-01, and $200 monthly from 01-10 with a trial to 02-01.
/// - A6 Consulting: a $50 trial 03-01 → 03-15 that ended with the trial.
enum MetricFixture {
    static let dataThrough = Day(2024, 6, 30)

    static func sub(
        _ id: Int64, _ account: Int64, _ start: Day, _ end: Day?, _ minor: Int64, currency: String = "USD",
        interval: Subscription.Interval = .month, trialEnd: Day? = nil, opportunity: Int64? = nil,
        plan: String = "Growth"
    ) -> Subscription {
        var s = Subscription()
        s.id = id
        s.accountId = account
        s.startedOn = start
        s.endedOn = end
        s.amountMinor = minor
        s.currency = currency
        s.interval = interval
        s.trialEndOn = trialEnd
        s.opportunityId = opportunity
        s.plan = plan
        s.product = "Core"
        return s
    }

    static func account(_ id: Int64, _ segment: String, mergedInto: Int64? = nil, owner: Int64? = nil) -> Account {
        var a = Account()
        a.id = id
        a.name = "A\(id)"
        a.segment = segment
        a.mergedInto = mergedInto
        a.ownerRepId = owner
        return a
    }

    static func change(_ id: Int64, _ sub: Int64, _ on: Day, _ minor: Int64) -> SubscriptionChange {
        var c = SubscriptionChange()
        c.id = id
        c.subscriptionId = sub
        c.accountId = 1
        c.effectiveOn = on
        c.amountMinor = minor
        return c
    }

    static func spend(
        _ id: Int64, _ team: Team.Function, _ category: SpendEntry.Category, _ minor: Int64,
        segment: String? = nil, channel: String? = nil, month: Month = Month(2024, 2)
    ) -> SpendEntry {
        var s = SpendEntry()
        s.id = id
        s.month = month
        s.team = team
        s.category = category
        s.amountMinor = minor
        s.segment = segment
        s.channel = channel
        return s
    }

    static func opportunity(
        _ id: Int64, _ account: Int64, created: Day, closed: Day, won: Bool, _ minor: Int64,
        currency: String = "USD", channel: String
    ) -> Opportunity {
        var o = Opportunity()
        o.id = id
        o.accountId = account
        o.type = .new
        o.createdOn = created
        o.closedOn = closed
        o.isClosed = true
        o.isWon = won
        o.amountMinor = minor
        o.currency = currency
        o.channel = channel
        o.leadSource = channel
        o.stage = won ? "Closed Won" : "Closed Lost"
        return o
    }

    static func person(
        _ id: Int64, _ account: Int64?, _ created: Day, channel: String, reachedOpportunity: Bool = false
    ) -> Person {
        var p = Person()
        p.id = id
        p.accountId = account
        p.createdAt = Timestamp(day: created)
        p.channel = channel
        if reachedOpportunity { p.opportunityAt = Timestamp(day: created + 3) }
        return p
    }

    static var inputs: MetricInputs {
        var i = MetricInputs(dataThrough: dataThrough)
        var rep = Rep()
        rep.id = 1
        rep.name = "Ana Lee"
        i.reps = [rep]
        i.accounts = [
            account(1, "Tech", owner: 1), account(2, "Telecom"), account(3, "Tech"), account(4, "Tech", mergedInto: 1),
            account(5, "Consulting"), account(6, "Consulting"),
        ]
        i.subscriptions = [
            sub(1, 1, Day(2024, 1, 15), nil, 10_000, opportunity: 1, plan: "Growth"),
            sub(2, 1, Day(2024, 3, 1), Day(2024, 4, 20), 5_000, opportunity: 1, plan: "Add-on"),
            sub(3, 2, Day(2024, 1, 1), Day(2024, 3, 1), 120_000, interval: .year, plan: "Annual"),
            sub(4, 2, Day(2024, 5, 10), nil, 8_000, plan: "Starter"),
            sub(5, 3, Day(2024, 2, 10), nil, 10_000, currency: "EUR", opportunity: 2, plan: "Growth"),
            sub(6, 4, Day(2024, 4, 1), nil, 3_000, plan: "Starter"),
            sub(7, 5, Day(2024, 1, 1), nil, 0, plan: "Free"),
            sub(8, 5, Day(2024, 1, 10), nil, 20_000, trialEnd: Day(2024, 2, 1), plan: "Growth"),
            sub(9, 6, Day(2024, 3, 1), Day(2024, 3, 15), 5_000, trialEnd: Day(2024, 3, 15), plan: "Starter"),
        ]
        i.changes = [change(1, 1, Day(2024, 2, 5), 15_000), change(2, 1, Day(2024, 2, 20), 12_000)]
        i.fxRates = (1...6).map { m in
            var r = FXRate()
            r.month = Month(2024, m)
            r.currency = "EUR"
            r.rate = 1.10
            return r
        }
        i.spend = [
            spend(1, .marketing, .media, 30_000, segment: "Tech", channel: "Paid Search"),
            spend(2, .marketing, .media, 10_000, segment: "Telecom", channel: "Events"),
            spend(3, .marketing, .wages, 20_000),
            spend(4, .sales, .wages, 40_000),
            spend(5, .cs, .wages, 99_900),
        ]
        i.opportunities = [
            opportunity(
                1, 1, created: Day(2023, 12, 1), closed: Day(2024, 1, 10), won: true, 120_000, channel: "Events"),
            opportunity(
                2, 3, created: Day(2024, 1, 1), closed: Day(2024, 2, 5), won: true, 120_000, currency: "EUR",
                channel: "Paid Search"),
            opportunity(
                3, 6, created: Day(2024, 1, 15), closed: Day(2024, 2, 14), won: false, 50_000, channel: "Events"),
        ]
        i.people = [
            person(1, 3, Day(2024, 1, 1), channel: "Paid Search", reachedOpportunity: true),
            person(2, 5, Day(2024, 1, 20), channel: "Organic Search"),
            person(3, nil, Day(2024, 2, 1), channel: "Webinar"),
            person(4, 2, Day(2023, 10, 1), channel: "Partner"),
        ]
        var tier = CustomField()
        tier.entity = "accounts"
        tier.recordId = 1
        tier.accountId = 1
        tier.name = "tier"
        tier.value = "=SUM(A1)"
        i.customFields = [tier]
        i.firstTouches = [AccountInstant(accountId: 3, at: Timestamp(day: Day(2024, 1, 1)))]
        i.firstPayments = [
            AccountInstant(accountId: 3, at: Timestamp(day: Day(2024, 2, 10))),
            AccountInstant(accountId: 5, at: Timestamp(day: Day(2024, 2, 1))),
        ]
        i.collected = collected
        return i
    }

    /// Revenue collected, as the store rolls payments up (per raw account, month and currency; succeeded
    /// payments less refunds, failed attempts left out):
    /// - A1: 01-15 $100; 02-15 $120; 03-01 add-on $50 and 03-15 $120; 04-15 $120 with $40 refunded;
    ///   05-15 $120 failed, paid 05-20; 06-15 $120 refunded in full. A4 (merged into A1): $30 on 04-01, 05-01, 06-01.
    /// - A2: 01-01 the annual $1,200 up front; 05-10 and 06-10 $80.
    /// - A3: €100 on the 10th of February to June. A5: $200 on the 1st of February to June.
    static var collected: [CollectedRevenue] {
        func c(_ account: Int64, _ month: Int, _ minor: Int64, _ currency: String = "USD") -> CollectedRevenue {
            CollectedRevenue(accountId: account, month: Month(2024, month), currency: currency, amountMinor: minor)
        }
        return [
            c(1, 1, 10_000), c(1, 2, 12_000), c(1, 3, 17_000), c(1, 4, 8_000), c(1, 5, 12_000), c(1, 6, 0),
            c(4, 4, 3_000), c(4, 5, 3_000), c(4, 6, 3_000),
            c(2, 1, 120_000), c(2, 5, 8_000), c(2, 6, 8_000),
        ]
            + (2...6).map { c(3, $0, 10_000, "EUR") } + (2...6).map { c(5, $0, 20_000) }
    }

    static func context() throws -> MetricContext { try MetricContext(inputs: inputs) }

    static func run(
        _ report: String, by: Dimension? = nil, grain: PeriodGrain = .month, from: Month = Month(2024, 1),
        to: Month = Month(2024, 6), compare: Comparison? = nil, explain: Bool = false
    ) throws -> ReportTable {
        try ReportCatalog.run(
            ReportQuery(report: report, by: by, grain: grain, from: from, to: to, compare: compare),
            context: context(), explain: explain)
    }
}

extension ReportTable.Cell {
    /// The number in a cell, for comparisons with hand-computed values.
    var n: Double? { doubleValue }
}

func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance * max(1, abs(b))
}
