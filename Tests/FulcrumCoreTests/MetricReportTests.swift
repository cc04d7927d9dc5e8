import Testing

@testable import FulcrumCore

/// Every report on MetricFixture, against numbers computed by hand (see MetricFixture's comment).
@Suite("Metric reports on a hand-computed fixture")
struct MetricReportTests {
    @Test(
        "mrr-movements: same-month upgrade and downgrade, churn and reactivation, annual prepaid, FX, merged duplicate, zero amount"
    )
    func movements() throws {
        let t = try MetricFixture.run("mrr-movements")
        #expect(t.columns.map(\.name) == ["month", "new", "expansion", "contraction", "churn", "reactivation", "mrr"])
        #expect(
            t.values("month") == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"].map { .text($0) })
        // A1+A2; A3 €100 = $110 + A5 after trial
        #expect(t.values("new") == [20_000, 31_000, 0, 0, 0, 0].map { .money($0) })
        // $100 → $150 → $120 nets to +$20
        #expect(t.values("expansion") == [0, 2_000, 5_000, 0, 0, 0].map { .money($0) })
        // −$50 add-on + $30 merged duplicate
        #expect(t.values("contraction") == [0, 0, 0, -2_000, 0, 0].map { .money($0) })
        #expect(t.values("churn") == [0, 0, -10_000, 0, 0, 0].map { .money($0) })  // annual $1,200 = $100 a month
        #expect(t.values("reactivation") == [0, 0, 0, 0, 8_000, 0].map { .money($0) })
        #expect(t.values("mrr") == [20_000, 53_000, 48_000, 46_000, 54_000, 54_000].map { .money($0) })
        #expect(t.settings.contains { $0.name == "churn recognition" && $0.value.contains("end of the paid period") })
    }

    @Test("CSV: exact header, major units, negative amounts stay numbers, formula-like text neutralized")
    func csv() throws {
        let t = try MetricFixture.run("mrr-movements", from: Month(2024, 3), to: Month(2024, 4))
        #expect(
            t.renderCSV() == """
                month,new,expansion,contraction,churn,reactivation,mrr,partial
                2024-03,0.00,50.00,0.00,-100.00,0.00,480.00,false
                2024-04,0.00,0.00,-20.00,0.00,0.00,460.00,false

                """)
        let byTier = try MetricFixture.run(
            "mrr-movements", by: .customField("tier"), from: Month(2024, 6), to: Month(2024, 6))
        #expect(byTier.renderCSV().contains("\n2024-06,'=SUM(A1),0.00,"))
    }

    @Test("explain lists the accounts behind a cell, merged duplicates under the survivor")
    func explain() throws {
        let t = try MetricFixture.run("mrr-movements", from: Month(2024, 4), to: Month(2024, 4), explain: true)
        let i = try #require(t.columnIndex("contraction"))
        let contraction = t.rows[0].explain[i]
        #expect(contraction.rule == .sum && contraction.records == ["account:1"])
        #expect(contraction.value == t.rows[0].cells[i].doubleValue, "the amounts listed add up to the cell")
        let mrr = t.rows[0].explain[try #require(t.columnIndex("mrr"))]
        #expect(mrr.records == ["account:1", "account:3", "account:5"], "merged duplicates under the survivor")
        #expect(mrr.value == 46_000)
        let text = t.renderExplain(csv: false)
        #expect(text.contains("2024-04  mrr = $460 (sum of 3 records):\n"), "\(text)")
        #expect(text.contains("  account:3\n"), "\(text)")
    }

    @Test("customers, churn rates and quick ratio")
    func churn() throws {
        let c = try MetricFixture.run("customers")
        #expect(c.values("customers") == [2, 4, 3, 3, 4, 4].map { .count($0) })
        #expect(c.values("reactivated") == [0, 0, 0, 0, 1, 0].map { .count($0) })
        let t = try MetricFixture.run("churn")
        #expect(t.cell("logo_churn", "2024-03") == .number(0.25))
        #expect(close(t.cell("gross_mrr_churn", "2024-03")?.n, 10_000.0 / 53_000))
        #expect(close(t.cell("net_mrr_churn", "2024-03")?.n, 5_000.0 / 53_000))
        #expect(t.cell("quick_ratio", "2024-03") == .number(0.5))
        #expect(t.cell("quick_ratio", "2024-04") == .number(0))
        #expect(t.cell("quick_ratio", "2024-06") == .blank)  // nothing lost: undefined, not infinite
        #expect(t.cell("logo_churn", "2024-01") == .blank)  // no opening customers
    }

    @Test("mrr series: ARR, ARPA, growth, quarterly rows")
    func series() throws {
        let t = try MetricFixture.run("mrr")
        #expect(t.cell("arr", "2024-06") == .money(648_000))
        #expect(t.cell("arpa", "2024-06") == .money(13_500))
        #expect(close(t.cell("mrr_growth", "2024-05")?.n, 8_000.0 / 46_000))
        let q = try MetricFixture.run("mrr-movements", grain: .quarter)
        #expect(q.columns[0].name == "quarter")
        #expect(q.values("quarter") == [.text("2024-Q1"), .text("2024-Q2")])
        #expect(q.values("new") == [.money(51_000), .money(0)])
        #expect(q.values("churn") == [.money(-10_000), .money(0)])
        #expect(q.values("mrr") == [.money(48_000), .money(54_000)])
    }

    @Test("slicing by segment, plan, channel, rep and custom field resolves merges")
    func slices() throws {
        let seg = try MetricFixture.run("mrr", by: .segment, from: Month(2024, 6), to: Month(2024, 6))
        #expect(seg.cell("mrr", "2024-06", "Tech") == .money(26_000))  // A1 $120 + A4 $30 + A3 $110
        #expect(seg.cell("customers", "2024-06", "Tech") == .count(2))
        #expect(seg.cell("mrr", "2024-06", "Telecom") == .money(8_000))
        let channel = try MetricFixture.run("customers", by: .channel, from: Month(2024, 6), to: Month(2024, 6))
        #expect(channel.cell("customers", "2024-06", "Events") == .count(1))  // A1's won opportunity
        // A5 self-serve: its lead's channel
        #expect(channel.cell("customers", "2024-06", "Organic Search") == .count(1))
        #expect(channel.cell("customers", "2024-06", "Partner") == .count(1))
        let rep = try MetricFixture.run("customers", by: .rep, from: Month(2024, 6), to: Month(2024, 6))
        #expect(rep.cell("customers", "2024-06", "Ana Lee") == .count(1))
        let plan = try MetricFixture.run("customers", by: .plan, from: Month(2024, 6), to: Month(2024, 6))
        #expect(plan.cell("customers", "2024-06", "Free") == .count(1))  // A5's earliest subscription
    }

    @Test("bad requests name the parameter")
    func errors() throws {
        #expect(throws: MetricError.self) { try MetricFixture.run("nope") }
        do {
            _ = try MetricFixture.run("growth", by: .segment)
            Issue.record("growth sliced")
        } catch let e as MetricError { #expect(e.parameter == "--by") }
        do {
            _ = try MetricFixture.run("mrr", by: .customField("color"))
            Issue.record("unknown field")
        } catch let e as MetricError { #expect(e.parameter == "--by") }
        do {
            _ = try MetricFixture.run("mrr", to: Month(2024, 7))
            Issue.record("future --to")
        } catch let e as MetricError { #expect(e.parameter == "--to") }
        do {
            _ = try MetricFixture.run("mrr", from: Month(2024, 5), to: Month(2024, 3))
            Issue.record("reversed range")
        } catch let e as MetricError { #expect(e.parameter == "--from") }
        #expect(try ReportCatalog.entry("nrr").id == "retention")  // a metric id prints its report
    }

    @Test("cohort matrices: blank when too young, weighted averages")
    func cohorts() throws {
        let logo = try MetricFixture.run("cohorts-logo")
        #expect(logo.columns.map(\.name).suffix(6) == ["0", "1", "2", "3", "4", "5"])
        let jan = try #require(logo.row("2024-01"))
        #expect(Array(jan.cells[1...2]) == [.count(2), .money(20_000)])
        // A2 churns in March, is back in May
        #expect(Array(jan.cells[3...]) == [1, 1, 0.5, 0.5, 1, 1].map { .number($0) })
        let feb = try #require(logo.row("2024-02"))
        #expect(feb.cells.last == .blank)  // July is not observed yet
        #expect(logo.row("2024-03")?.cells[3] == .blank)  // empty cohort: blank, not 0
        let all = try #require(logo.row("all"))
        #expect(all.cells[2 + 3] == .number(0.75))  // (1 + 2) ÷ (2 + 2)
        #expect(all.cells.last == .number(1))  // only January observed
        let revenue = try MetricFixture.run("cohorts-revenue")
        let janRevenue = try #require(revenue.row("2024-01"))
        #expect(janRevenue.cells[3...7].map(\.n) == [1, 1.1, 0.85, 0.75, 1.15])
        let allRevenue = try #require(revenue.row("all"))
        #expect(close(allRevenue.cells[4].n, (22_000.0 + 31_000) / (20_000 + 31_000)))  // weighted by starting MRR
    }

    @Test("GRR and NRR over trailing twelve months")
    func retention() throws {
        var inputs = MetricInputs(dataThrough: Day(2024, 1, 31))
        inputs.accounts = (1...4).map { MetricFixture.account(Int64($0), "Tech") }
        inputs.subscriptions = [
            MetricFixture.sub(1, 1, Day(2023, 1, 1), nil, 10_000),
            MetricFixture.sub(2, 2, Day(2023, 1, 1), Day(2023, 7, 1), 10_000),
            MetricFixture.sub(3, 3, Day(2023, 1, 1), nil, 10_000),
            MetricFixture.sub(4, 4, Day(2023, 6, 1), nil, 50_000),
        ]
        var up = SubscriptionChange()
        up.id = 1
        up.subscriptionId = 1
        up.accountId = 1
        up.effectiveOn = Day(2024, 1, 5)
        up.amountMinor = 15_000
        var down = SubscriptionChange()
        down.id = 2
        down.subscriptionId = 3
        down.accountId = 3
        down.effectiveOn = Day(2023, 11, 1)
        down.amountMinor = 6_000
        inputs.changes = [up, down]
        let t = try ReportCatalog.run(
            ReportQuery(report: "retention", from: Month(2024, 1), to: Month(2024, 1)),
            context: MetricContext(inputs: inputs))
        #expect(t.cell("cohort_customers", "2024-01") == .count(3))  // account 4 started after January 2023
        #expect(t.cell("retained_customers", "2024-01") == .count(2))
        #expect(close(t.cell("grr", "2024-01")?.n, 16_000.0 / 30_000))  // min(150,100) + 0 + min(60,100)
        #expect(close(t.cell("nrr", "2024-01")?.n, 21_000.0 / 30_000))  // 150 + 0 + 60
    }

    @Test("CAC simple and fully loaded, by segment and channel, customer success excluded")
    func cac() throws {
        let t = try MetricFixture.run("cac", from: Month(2024, 2), to: Month(2024, 2))
        #expect(t.cell("new_customers", "2024-02") == .count(2))
        #expect(t.cell("marketing_spend", "2024-02") == .money(60_000))
        #expect(t.cell("cac_simple", "2024-02") == .money(30_000))
        #expect(t.cell("fully_loaded_spend", "2024-02") == .money(100_000))
        #expect(t.cell("cac_fully_loaded", "2024-02") == .money(50_000))
        let seg = try MetricFixture.run("cac", by: .segment, from: Month(2024, 2), to: Month(2024, 2))
        #expect(seg.cell("marketing_spend", "2024-02", "Tech") == .money(45_000))  // $300 tagged + ¾ of $200 untagged
        // sales has no tags: shared like marketing's
        #expect(seg.cell("sales_spend", "2024-02", "Tech") == .money(30_000))
        #expect(seg.cell("cac_fully_loaded", "2024-02", "Tech") == .money(75_000))
        #expect(seg.cell("cac_simple", "2024-02", "Telecom") == .blank)  // no new customers
        let spendSum = seg.rows.compactMap { $0.cells[seg.columnIndex("fully_loaded_spend")!].n }.reduce(0, +)
        #expect(spendSum == 100_000)  // allocation adds up to the cent
        let channel = try MetricFixture.run("cac", by: .channel, from: Month(2024, 2), to: Month(2024, 2))
        #expect(channel.cell("new_customers", "2024-02", "Paid Search") == .count(1))
        #expect(channel.cell("cac_simple", "2024-02", "Paid Search") == .money(45_000))
    }

    @Test("unit economics: ARPA, LTV, ACV, ratios, payback, magic number")
    func unitEconomics() throws {
        let t = try MetricFixture.run("unit-economics", from: Month(2024, 1), to: Month(2024, 6))
        #expect(t.cell("arpa", "Total") == .money(13_500))
        #expect(close(t.cell("monthly_logo_churn", "Total")?.n, 1.0 / 16))  // 1 churn over 0+2+4+3+3+4 customer-months
        #expect(t.cell("ltv_simple", "Total") == .money(172_800))  // 135 × 0.8 ÷ 0.0625
        #expect(t.cell("cac_simple", "Total") == .money(15_000))
        #expect(t.cell("cac_fully_loaded", "Total") == .money(25_000))
        #expect(t.cell("acv", "Total") == .money(153_000))  // 12 × (100+100+110+200)/4
        #expect(close(t.cell("acv_cac_fully_loaded", "Total")?.n, 6.12))
        #expect(close(t.cell("ltv_cac_fully_loaded", "Total")?.n, 6.912))
        #expect(close(t.cell("payback_months", "Total")?.n, 25_000.0 / (12_750 * 0.8)))
        #expect(close(t.cell("magic_number", "Total")?.n, 0.72))  // (−20 + 80) × 12 ÷ $1,000
        #expect(t.settings.contains { $0.name == "gross margin" && $0.value.hasPrefix("80%") })
    }

    @Test("segment economics: leads, conversion, deals, ASP, bookings")
    func segmentEconomics() throws {
        let t = try MetricFixture.run("segment-economics", from: Month(2024, 1), to: Month(2024, 6))
        #expect(t.cell("leads", "Tech") == .count(1))
        #expect(t.cell("leads", "Total") == .count(3))  // the lead with no account counts in Total only
        #expect(t.cell("lead_to_opportunity", "Total") == .number(1.0 / 3))
        #expect(t.cell("opportunity_to_won", "Tech") == .number(1))
        #expect(t.cell("opportunity_to_won", "Consulting") == .number(0))
        #expect(t.cell("deals", "Tech") == .count(2))
        #expect(t.cell("bookings", "Tech") == .money(252_000))  // $1,200 + €1,200 at 1.10
        #expect(t.cell("asp", "Tech") == .money(126_000))
        #expect(t.cell("cost_per_lead", "Tech") == .money(45_000))
        #expect(t.cell("logo_churn_ttm", "Telecom") == .blank)  // no Telecom customers at the start
    }

    @Test("revenue velocity, acceleration and first touch to first payment")
    func velocity() throws {
        let t = try MetricFixture.run("velocity", from: Month(2024, 1), to: Month(2024, 2))
        #expect(t.cell("velocity_per_day", "2024-01") == .money(3_000))  // 1 × 100% × $1,200 ÷ 40 days
        #expect(t.cell("cycle_days", "2024-02") == .number(35))
        #expect(t.cell("velocity_per_day", "2024-02") == .money(3_771))  // 2 × 50% × $1,320 ÷ 35
        #expect(t.cell("acceleration_per_day", "2024-02") == .money(771))
        #expect(close(t.cell("acceleration", "2024-02")?.n, (132_000.0 / 35 - 3_000) / 3_000))
        #expect(t.cell("touch_to_payment_days", "2024-02") == .number(40))
        #expect(t.cell("customers_measured", "2024-02") == .count(1))  // A5 has no touch
    }

    @Test("trials stay out of MRR and convert; self-serve customers counted")
    func trials() throws {
        let t = try MetricFixture.run("trials")
        #expect(t.cell("trial_mrr", "2024-01") == .money(20_000))
        #expect(t.cell("trials_started", "2024-01") == .count(1))
        #expect(t.cell("trials_ended", "2024-02") == .count(1))
        #expect(t.cell("trial_to_paid", "2024-02") == .number(1))
        #expect(t.cell("trial_to_paid", "2024-03") == .number(0))  // ended with its trial
        #expect(t.cell("self_serve_new", "2024-01") == .count(1))  // A2 (no opportunity)
        #expect(t.cell("self_serve_customers", "2024-06") == .count(2))  // A2, A5
    }

    @Test("--compare keeps periods present on one side only")
    func compare() throws {
        let t = try MetricFixture.run("customers", from: Month(2024, 1), to: Month(2024, 2), compare: .previous)
        #expect(t.columns.map(\.name).contains("customers_previous"))
        #expect(t.cell("customers", "2024-02") == .count(4))
        #expect(t.cell("customers_previous", "2024-02") == .count(2))
        #expect(t.cell("customers_change", "2024-02") == .count(2))
        let seg = try MetricFixture.run(
            "customers", by: .segment, from: Month(2024, 4), to: Month(2024, 4), compare: .previous)
        #expect(seg.cell("customers", "2024-04", "Telecom") == .blank)  // Telecom only had a customer in March…
        #expect(seg.cell("customers_previous", "2024-04", "Telecom") == .count(0))
    }

    @Test("accounts by LTV: revenue collected to date (refunds netted), merged duplicate counted once")
    func accountLTV() throws {
        let t = try MetricFixture.run("accounts-ltv", to: Month(2024, 6))
        #expect(t.rows.count == 4)
        // 100 + 120 + 170 + (120 − 40 refunded) + A4's 3 × 30 + 120 (the failed attempt collects nothing) + (120 − 120 refunded)
        #expect(t.cell("revenue_to_date", "1") == .money(10_000 + 12_000 + 17_000 + 8_000 + 9_000 + 12_000 + 0))
        #expect(t.cell("revenue_to_date", "2") == .money(136_000))  // the annual $1,200 paid up front, then $80 twice
        #expect(t.cell("owner", "1") == .text("Ana Lee"))
        #expect(t.cell("status", "2") == .text("active"))
        #expect(t.row("4") == nil)
    }

    @Test("the registry: unique ids, every metric printed by a report in the catalog")
    func registry() {
        let ids = MetricRegistry.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        for m in MetricRegistry.all {
            #expect(ReportCatalog.ids.contains(m.report), "\(m.id) names unknown report \(m.report)")
            #expect(!m.definition.isEmpty && !m.formula.isEmpty)
        }
        #expect(Set(MetricRegistry.all.map(\.tier)) == Set(MetricTier.allCases))
    }
}
