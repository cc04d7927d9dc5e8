import Testing

@testable import FulcrumCore

/// Revenue collected to date, campaign slices, blank CAC without attributed spend, reports that
/// cannot be compared, and the headline's use of the shared spend rule — on MetricFixture.
@Suite("Revenue to date, campaigns and CAC attribution")
struct MetricAcquisitionTests {
    static func run(
        _ inputs: MetricInputs, _ report: String, by: Dimension? = nil, from: Month = Month(2024, 1),
        to: Month = Month(2024, 6),
        compare: Comparison? = nil
    ) throws -> ReportTable {
        try ReportCatalog.run(
            ReportQuery(report: report, by: by, from: from, to: to, compare: compare),
            context: MetricContext(inputs: inputs))
    }

    @Test(
        "revenue to date: refunds netted, each month's payments at that month's rate, one rounding per account, month and currency"
    )
    func revenueToDate() throws {
        var inputs = MetricFixture.inputs
        inputs.fxRates = inputs.fxRates.map {
            var r = $0
            if r.month == Month(2024, 3) { r.rate = 1.20 }
            return r
        }
        // A1 and its merged duplicate A4 each paid €0.05 in May: pooled €0.10 × 1.10 = 11 cents
        // (converted one by one it would be 6 + 6 = 12).
        inputs.collected += [
            CollectedRevenue(accountId: 1, month: Month(2024, 5), currency: "EUR", amountMinor: 5),
            CollectedRevenue(accountId: 4, month: Month(2024, 5), currency: "EUR", amountMinor: 5),
            CollectedRevenue(accountId: 1, month: Month(2024, 7), currency: "USD", amountMinor: 12_000),
        ]  // after --to
        let t = try Self.run(inputs, "accounts-ltv", to: Month(2024, 6))
        #expect(t.cell("revenue_to_date", "1") == .money(68_000 + 11))
        #expect(t.cell("revenue_to_date", "3") == .money(11_000 + 12_000 + 11_000 + 11_000 + 11_000))  // March at 1.20
        #expect(t.cell("revenue_to_date", "5") == .money(100_000))
        // Through April only: A1 100 + 120 + 170 + 80 + A4 30.
        let april = try Self.run(inputs, "accounts-ltv", to: Month(2024, 4))
        #expect(april.cell("revenue_to_date", "1") == .money(10_000 + 12_000 + 17_000 + 8_000 + 3_000))
        #expect(t.settings.contains { $0.name == "revenue to date" && $0.value.contains("refunds") })

        // The store's order (account, month, currency) folds one account at a time: the same numbers, and an
        // account-month paid in "eur" and "EUR" is still one currency rounded once (€0.05 + €0.05 = 11 cents).
        var ordered = inputs
        ordered.collected += [
            CollectedRevenue(accountId: 3, month: Month(2024, 5), currency: "eur", amountMinor: 5),
            CollectedRevenue(accountId: 3, month: Month(2024, 5), currency: "EUR", amountMinor: 5),
        ]
        ordered.collected.sort {
            ($0.accountId, $0.month.index, $0.currency) < ($1.accountId, $1.month.index, $1.currency)
        }
        let folded = try Self.run(ordered, "accounts-ltv", to: Month(2024, 6))
        #expect(folded.cell("revenue_to_date", "1") == .money(68_000 + 11))
        #expect(folded.cell("revenue_to_date", "3") == .money(11_000 + 12_000 + 11_000 + 11_000 + 11_000 + 11))
        #expect(folded.cell("revenue_to_date", "5") == .money(100_000))
    }

    @Test("revenue to date: a foreign payment without a rate for its month is an error, as in the ledger")
    func revenueToDateMissingRate() throws {
        var inputs = MetricFixture.inputs
        inputs.collected.append(
            CollectedRevenue(accountId: 2, month: Month(2024, 6), currency: "GBP", amountMinor: 1_000))
        #expect(throws: RevenueError.self) { try Self.run(inputs, "accounts-ltv", to: Month(2024, 6)) }
    }

    @Test("CAC is blank, not $0, for (none) and for slices no spend is attributed to — in table, CSV and JSON")
    func cacBlankWithoutSpend() throws {
        var inputs = MetricFixture.inputs
        inputs.people.removeAll { $0.id == 2 }  // A5 loses its only lead: no acquisition channel
        let t = try Self.run(inputs, "cac", by: .channel, from: Month(2024, 2), to: Month(2024, 2))
        #expect(t.cell("new_customers", "2024-02", "(none)") == .count(1))
        #expect(t.cell("marketing_spend", "2024-02", "(none)") == .money(0))
        #expect(t.cell("cac_simple", "2024-02", "(none)") == .blank)
        #expect(t.cell("cac_fully_loaded", "2024-02", "(none)") == .blank)
        #expect(t.cell("cac_simple", "2024-02", "Paid Search") == .money(45_000))  // attributed spend: unchanged
        #expect(t.renderCSV().contains("\n2024-02,(none),1,0.00,,0.00,0.00,,false\n"))
        #expect(
            t.renderJSON(explain: false).contains(
                "{\"month\": \"2024-02\", \"channel\": \"(none)\", \"new_customers\": 1, \"marketing_spend\": 0.00, \"cac_simple\": null,"
            ))
        #expect(t.renderTable().contains("(none)"))
        // A slice with new customers but no spend tagged to it: Organic Search (A5 with its lead) in February.
        let organic = try MetricFixture.run("cac", by: .channel, from: Month(2024, 2), to: Month(2024, 2))
        #expect(organic.cell("new_customers", "2024-02", "Organic Search") == .count(1))
        #expect(organic.cell("cac_simple", "2024-02", "Organic Search") == .blank)
        // January has no spend at all: CAC is blank, not $0, unsliced too.
        let january = try MetricFixture.run("cac", from: Month(2024, 1), to: Month(2024, 1))
        #expect(january.cell("new_customers", "2024-01") == .count(2))
        #expect(january.cell("cac_simple", "2024-01") == .blank)
        // Unit economics over the window: the (none) channel has A5's customer but no spend.
        let ue = try Self.run(inputs, "unit-economics", by: .channel)
        #expect(ue.cell("new_customers", "(none)") == .count(1))
        #expect(ue.cell("cac_fully_loaded", "(none)") == .blank)
        #expect(ue.cell("ltv_cac_fully_loaded", "(none)") == .blank)
        #expect(ue.cell("cac_fully_loaded", "Total") == .money(25_000))  // the window's $1,000 ÷ 4, unchanged
    }

    /// MetricFixture plus three campaigns, first touches and leads' campaigns.
    static var campaignInputs: MetricInputs {
        var i = MetricFixture.inputs
        func campaign(_ id: Int64, _ name: String, _ channel: String, _ segment: String?) -> Campaign {
            var c = Campaign()
            c.id = id
            c.name = name
            c.channel = channel
            c.segment = segment
            c.startedOn = Day(2024, 1, 1)
            c.endedOn = Day(2024, 4, 1)
            return c
        }
        i.campaigns = [
            campaign(1, "Q1 Tech Paid Search", "Paid Search", "Tech"), campaign(2, "Q1 Events", "Events", nil),
            campaign(3, "Q1 Telecom Events", "Events", "Telecom"),
        ]
        i.firstCampaignTouches = [
            AccountInstant(accountId: 1, at: Timestamp(day: Day(2023, 12, 1)), campaignId: 1),
            // A1's merged duplicate, earlier
            AccountInstant(accountId: 4, at: Timestamp(day: Day(2023, 11, 1)), campaignId: 2),
            AccountInstant(accountId: 3, at: Timestamp(day: Day(2024, 1, 1)), campaignId: 1),
            // organic first touch, lead without campaign
            AccountInstant(accountId: 5, at: Timestamp(day: Day(2024, 1, 18)), campaignId: nil),
        ]
        i.people = i.people.map { p in
            var p = p
            if p.id == 1 || p.id == 3 { p.campaignId = 1 }
            if p.id == 4 { p.campaignId = 3 }  // A2 has no touch: its lead's campaign
            if p.id == 2 { p.campaignId = 2 }  // A5's first touch has no campaign, but its lead does
            return p
        }
        return i
    }

    @Test("--by campaign: accounts by first touch (else lead), spend by running campaigns of its channel")
    func campaigns() throws {
        let inputs = Self.campaignInputs
        let context = try MetricContext(inputs: inputs)
        #expect(context.value(of: .campaign, account: 1) == "Q1 Events")  // earliest touch of A1 and A4
        #expect(context.value(of: .campaign, account: 2) == "Q1 Telecom Events")  // no touch: the lead's campaign
        #expect(context.value(of: .campaign, account: 5) == "Q1 Events")  // first touch without campaign: the lead's
        #expect(context.value(of: .campaign, account: 6) == "(none)")
        // February: $300 Tech Paid Search → Q1 Tech Paid Search; $100 Telecom Events → Q1 Events and Q1 Telecom Events
        // (no segment, and the same segment), $50 each; $200 untagged marketing shared 300 : 50 : 50 → 150, 25, 25;
        // $400 sales (no channel) shared the same way → 300, 50, 50.
        let t = try Self.run(inputs, "cac", by: .campaign, from: Month(2024, 2), to: Month(2024, 2))
        #expect(t.columns.map(\.name).prefix(2) == ["month", "campaign"])
        #expect(t.cell("marketing_spend", "2024-02", "Q1 Tech Paid Search") == .money(45_000))
        #expect(t.cell("marketing_spend", "2024-02", "Q1 Events") == .money(7_500))
        #expect(t.cell("marketing_spend", "2024-02", "Q1 Telecom Events") == .money(7_500))
        #expect(t.cell("sales_spend", "2024-02", "Q1 Tech Paid Search") == .money(30_000))
        #expect(t.cell("new_customers", "2024-02", "Q1 Tech Paid Search") == .count(1))  // A3
        #expect(t.cell("cac_simple", "2024-02", "Q1 Tech Paid Search") == .money(45_000))
        #expect(t.cell("cac_fully_loaded", "2024-02", "Q1 Tech Paid Search") == .money(75_000))
        #expect(t.cell("new_customers", "2024-02", "Q1 Events") == .count(1))  // A5
        #expect(t.cell("cac_fully_loaded", "2024-02", "Q1 Events") == .money(12_500))
        #expect(t.cell("cac_simple", "2024-02", "Q1 Telecom Events") == .blank)  // spend, no customer
        let spend = t.values("fully_loaded_spend").compactMap(\.n).reduce(0, +)
        #expect(spend == 100_000)  // to the cent
        #expect(t.settings.contains { $0.name == "campaign" } && t.settings.contains { $0.name == "campaign spend" })
        // New customers by campaign.
        let c = try Self.run(inputs, "customers", by: .campaign, from: Month(2024, 1), to: Month(2024, 1))
        #expect(c.cell("new", "2024-01", "Q1 Events") == .count(1))  // A1, merged duplicate pooled
        #expect(c.cell("new", "2024-01", "Q1 Telecom Events") == .count(1))  // A2
        // Funnel: leads by their own campaign; a lead without an account counts in its campaign.
        let f = try Self.run(inputs, "segment-economics", by: .campaign)
        #expect(f.columns.first?.name == "campaign")
        #expect(f.cell("leads", "Q1 Tech Paid Search") == .count(2))  // persons 1 and 3
        #expect(f.cell("leads", "Q1 Events") == .count(1))  // person 2
        #expect(f.cell("leads", "Total") == .count(3))
        #expect(f.cell("deals", "Q1 Tech Paid Search") == .count(1))  // A3's won opportunity
        #expect(f.cell("deals", "Q1 Events") == .count(1))  // A1's
    }

    @Test("--by campaign where it does not apply: an error naming --by and the reports that take it")
    func campaignNotMeaningful() throws {
        for report in ["mrr", "mrr-movements", "churn", "retention", "cohorts-logo", "growth", "accounts-ltv"] {
            do {
                _ = try Self.run(Self.campaignInputs, report, by: .campaign)
                Issue.record("\(report) sliced by campaign")
            } catch let e as MetricError {
                #expect(e.parameter == "--by")
                #expect(e.reason.contains("acquisition dimension") && e.reason.contains("cac"), "\(e)")
            }
        }
        let needs = try ReportCatalog.needs(for: ReportQuery(report: "cac", by: .campaign))
        #expect(needs.isSuperset(of: [.campaigns, .firstCampaignTouches, .people]))
    }

    @Test("--compare on cohort matrices and the account ranking is an error naming --compare")
    func compareNotSupported() throws {
        for report in ["cohorts-logo", "cohorts-revenue", "accounts-ltv"] {
            do {
                _ = try MetricFixture.run(report, compare: .previous)
                Issue.record("\(report) compared")
            } catch let e as MetricError {
                #expect(e.parameter == "--compare")
                #expect(e.reason.contains("cannot be compared: "), "\(e)")
            }
        }
    }

    @Test("headline spend per segment follows the shared allocation rule exactly, ties and all")
    func headlineUsesSharedAllocation() throws {
        var inputs = MetricInputs(dataThrough: Day(2024, 12, 31))
        inputs.accounts = ["A", "B", "C"].enumerated().map { MetricFixture.account(Int64($0.offset + 1), $0.element) }
        inputs.subscriptions = (1...3).map { MetricFixture.sub(Int64($0), Int64($0), Day(2024, 3, 1), nil, 10_000) }
        // 100 each tagged, $1.00 untagged: 33⅓ cents each, one cent left over → the first segment by name.
        inputs.spend = [
            MetricFixture.spend(1, .marketing, .media, 100, segment: "A", month: Month(2024, 6)),
            MetricFixture.spend(2, .marketing, .media, 100, segment: "B", month: Month(2024, 6)),
            MetricFixture.spend(3, .marketing, .media, 100, segment: "C", month: Month(2024, 6)),
            MetricFixture.spend(4, .marketing, .wages, 100, month: Month(2024, 6)),
            MetricFixture.spend(5, .sales, .wages, 5_000, month: Month(2024, 6)),
        ]
        let headline = try HeadlineReport.compute(
            accounts: inputs.accounts, billing: inputs.subscriptions, changes: [], statusPeriods: [],
            fxRates: [], spend: inputs.spend, dataThrough: inputs.dataThrough)
        #expect(headline.rows.map(\.marketingSpendMinor) == [134, 133, 133])
        let cac = try ReportCatalog.run(
            ReportQuery(report: "cac", by: .segment, grain: .year, from: Month(2024, 1), to: Month(2024, 12)),
            context: MetricContext(inputs: inputs))
        for row in headline.rows {
            #expect(cac.cell("marketing_spend", "2024", row.segment) == .money(row.marketingSpendMinor))
            #expect(cac.cell("cac_simple", "2024", row.segment) == row.cacMinor.map { .money($0) })
        }
    }
}
