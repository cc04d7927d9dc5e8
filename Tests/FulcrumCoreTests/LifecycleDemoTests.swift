import Testing

@testable import FulcrumCore

/// The lifecycle reports on a generated company: properties that must hold, and the effects
/// docs/demo-company.md plants (fast lead response converts better, demos raise the win rate).
@Suite("Lifecycle reports on the demo company")
struct LifecycleDemoTests {
    static let context: MetricContext = {
        var inputs = MetricInputs(dataThrough: DemoCalendar.asOf)
        var touches: [String: TouchCount] = [:]
        var segmentOf: [Int64: String] = [:]
        _ = DemoCompanyGenerator(size: .small, seed: 1, accountCount: 1_000).generate { batch in
            inputs.accounts += batch.accounts
            for a in batch.accounts { segmentOf[a.id] = a.segment }
            inputs.subscriptions += batch.subscriptions
            inputs.changes += batch.subscriptionChanges
            inputs.statusPeriods += batch.statusPeriods
            inputs.fxRates += batch.fxRates
            inputs.spend += batch.spend
            inputs.opportunities += batch.opportunities
            inputs.people += batch.people
            inputs.reps += batch.reps
            inputs.teams += batch.teams
            inputs.activities += batch.activities
            inputs.stageChanges += batch.stageChanges
            inputs.targets += batch.targets
            inputs.tickets += batch.tickets
            inputs.surveys += batch.surveys
            inputs.campaigns += batch.campaigns
            inputs.customFields += batch.customFields.filter { $0.entity == "accounts" }
            inputs.dealFields += batch.customFields.filter { $0.entity == "opportunities" }
            // The store's roll-up, done here in memory.
            for t in batch.touches {
                let segment = t.accountId.flatMap { segmentOf[$0] }
                let key =
                    "\(t.occurredAt.day.month.index)|\(t.kind)|\(t.channel)|\(t.campaignId ?? -1)|\(segment ?? "")"
                touches[
                    key,
                    default: TouchCount(
                        month: t.occurredAt.day.month, kind: t.kind, channel: t.channel, campaignId: t.campaignId,
                        segment: segment, count: 0)
                ].count += 1
            }
        }
        inputs.touchCounts = Array(touches.values)
        return try! MetricContext(inputs: inputs)
    }()

    func run(_ report: String, by: Dimension? = nil, grain: PeriodGrain = .year, from: Month = Month(2018, 1)) throws
        -> ReportTable
    {
        try ReportCatalog.run(
            ReportQuery(report: report, by: by, grain: grain, from: from, to: Month(2026, 10)), context: Self.context)
    }

    @Test("planted: leads answered within the hour reach opportunity more often than slower ones")
    func fastResponseConvertsBetter() throws {
        let t = try run("lead-response", from: Month(2017, 1))
        var fast = (0, 0)
        var slow = (0, 0)
        let leads = t.columnIndex("leads")!
        let reached = t.columnIndex("reached_opportunity")!
        for row in t.rows {
            guard case .text(let bucket) = row.cells[1], case .count(let n) = row.cells[leads],
                case .count(let r) = row.cells[reached]
            else { continue }
            if ["<=5m", "5-30m", "30-60m"].contains(bucket) {
                fast.0 += n
                fast.1 += r
            } else if ["1-24h", ">24h"].contains(bucket) {
                slow.0 += n
                slow.1 += r
            }
        }
        let ratio = (Double(fast.1) / Double(fast.0)) / (Double(slow.1) / Double(slow.0))
        // Planted × 1.5 vs × 0.85 (1.76) before the 0.95 cap; docs/demo-company.md saw 1.57 on seed 1.
        #expect(ratio > 1.35 && ratio < 1.9, "fast ÷ slow opportunity rate \(ratio)")
        #expect(fast.0 > 100 && slow.0 > 100)
    }

    @Test("planted: deals with a demo are won about twice as often")
    func demosRaiseWinRate() throws {
        let t = try run("sales", by: .demo, grain: .year, from: Month(2017, 1))
        var won: [String: Int] = [:]
        var lost: [String: Int] = [:]
        for row in t.rows {
            guard case .text(let k) = row.cells[1], case .count(let w) = row.cells[t.columnIndex("won")!],
                case .count(let l) = row.cells[t.columnIndex("lost")!]
            else { continue }
            won[k, default: 0] += w
            lost[k, default: 0] += l
        }
        let rate = { (k: String) in Double(won[k]!) / Double(won[k]! + lost[k]!) }
        let ratio = rate("with demo") / rate("without demo")
        // Planted × 1.45 vs × 0.7 (2.07, cap 0.92); docs/demo-company.md saw 2.04 on seed 1.
        #expect(ratio > 1.7 && ratio < 2.5, "with ÷ without demo win rate \(ratio)")
    }

    @Test("lead reports are the same whatever order the people come in (first responses found by id either way)")
    func peopleInAnyOrder() throws {
        var inputs = Self.context.inputs
        #expect(inputs.firstResponses == nil && !inputs.activities.isEmpty)
        inputs.people.reverse()
        let reversed = try MetricContext(inputs: inputs)
        for report in ["funnel", "leads", "lead-response", "rep-scorecard", "lifecycle", "targets"] {
            let query = ReportQuery(report: report, grain: .quarter, from: Month(2024, 1), to: Month(2026, 10))
            let table = try ReportCatalog.run(query, context: Self.context)
            #expect(!table.rows.isEmpty)
            #expect(try ReportCatalog.run(query, context: reversed).renderCSV() == table.renderCSV(), "\(report)")
        }
        // Someone was answered: the first-response path is exercised.
        let response = try run("lead-response", grain: .year, from: Month(2024, 1))
        #expect(response.rows.contains { $0.cells[response.columnIndex("median_minutes")!].doubleValue != nil })
    }

    @Test("funnel: conversions between 0 and 1 in the cohort view; cohort size = the period's new leads")
    func funnelProperties() throws {
        let funnel = try run("funnel", grain: .quarter, from: Month(2024, 1))
        let leads = try run("leads", grain: .quarter, from: Month(2024, 1))
        for row in funnel.rows where row.cells[1] == .text("cohort") {
            for column in ["pct_previous", "pct_first"] {
                if let v = row.cells[funnel.columnIndex(column)!].doubleValue { #expect(v >= 0 && v <= 1) }
            }
        }
        for row in leads.rows {
            guard case .text(let quarter) = row.cells[0] else { continue }
            #expect(funnel.cell("reached", quarter, "cohort", "lead") == row.cells[leads.columnIndex("new_leads")!])
        }
    }

    @Test("rep scorecards: bookings of the reps (and of deals without an owner) add up to the company's")
    func scorecardsAddUp() throws {
        let cards = try run("rep-scorecard", grain: .quarter, from: Month(2025, 1))
        let sales = try run("sales", grain: .quarter, from: Month(2025, 1))
        for row in sales.rows {
            guard case .text(let quarter) = row.cells[0],
                case .money(let new) = row.cells[sales.columnIndex("bookings_new")!],
                case .money(let upsell) = row.cells[sales.columnIndex("bookings_upsell")!]
            else { continue }
            let total = cards.rows.filter { $0.cells[0] == .text(quarter) && $0.cells[2] != .text("(team)") }
                .reduce(Int64(0)) {
                    if case .money(let m) = $1.cells[cards.columnIndex("bookings")!] { return $0 + m }
                    return $0
                }
            #expect(total == new + upsell, "\(quarter)")
        }
    }

    @Test("targets: every team objective of the demo has a target row with an actual")
    func targetsCoverObjectives() throws {
        let t = try run("targets", grain: .quarter, from: Month(2026, 1))
        let metrics = Set(t.values("metric").compactMap { if case .text(let m) = $0 { m } else { nil } })
        for m in [
            "leads", "mqls", "sqls", "demos", "opportunities", "bookings", "net_new_asp", "churn_rate", "upsell_share",
            "mrr",
        ] {
            #expect(metrics.contains(m), "\(m)")
        }
        #expect(t.values("actual").allSatisfy { $0 != .blank })
        // Most are met, some missed (docs/demo-company.md).
        let met = t.values("met").filter { $0 == .text("yes") }.count
        #expect(met > 0 && met < t.rows.count)
    }

    @Test("lifecycle: each period starts where the last ended, and paying stages add up to the customers")
    func lifecycleFlow() throws {
        let t = try run("lifecycle", grain: .quarter, from: Month(2025, 1))
        let customers = try run("customers", grain: .quarter, from: Month(2025, 1))
        var ends: [String: Int] = [:]
        for row in t.rows {
            guard case .text(let q) = row.cells[0], case .text(let stage) = row.cells[1],
                case .count(let start) = row.cells[t.columnIndex("at_start")!],
                case .count(let end) = row.cells[t.columnIndex("at_end")!]
            else { continue }
            if let previous = ends[stage] { #expect(previous == start, "\(q) \(stage)") }
            ends[stage] = end
            _ = q
        }
        for row in customers.rows {
            guard case .text(let q) = row.cells[0] else { continue }
            let paying = ["customer", "expanding", "at risk", "reactivated"].reduce(0) {
                if case .count(let n)? = t.cell("at_end", q, $1) { return $0 + n }
                return $0
            }
            #expect(.count(paying) == row.cells[customers.columnIndex("customers")!], "\(q)")
        }
    }

    @Test("cs scorecard: first response before resolution, NPS within ±100, every account has a CSM")
    func csScorecard() throws {
        let t = try run("cs-scorecard", grain: .year, from: Month(2025, 1))
        for row in t.rows {
            if let first = row.cells[t.columnIndex("first_response_median_hours")!].doubleValue,
                let resolved = row.cells[t.columnIndex("resolution_median_hours")!].doubleValue
            {
                #expect(first <= resolved)
            }
            if let nps = row.cells[t.columnIndex("nps")!].doubleValue { #expect(nps >= -100 && nps <= 100) }
            if let lost = row.cells[t.columnIndex("churned_mrr")!].doubleValue { #expect(lost >= 0) }
        }
        #expect(t.values("csm").filter { $0 == .text("(unassigned)") }.count <= 2)
    }
}

extension LifecycleDemoTests {
    @Test(
        "accounts show: each month's MRR = last month's + its movement + its FX change, foreign-currency accounts too")
    func accountHistoryCloses() throws {
        let context = Self.context
        let foreign = Set(context.inputs.subscriptions.filter { $0.currency != "USD" }.map(\.accountId)).sorted()
        var checked = 0
        for id in foreign.prefix(40) {
            guard let profile = AccountProfile.build(context, account: id) else { continue }
            var previous: Int64 = 0
            var previousMonth: Month?
            for m in profile.history {
                let month = Month(iso: m.month)!
                if let p = previousMonth, p.adding(1) != month { previous = 0 }  // a gap: no MRR in between
                #expect(previous + (m.changeMinor ?? 0) + (m.fxChangeMinor ?? 0) == m.mrrMinor, "\(id) \(m.month)")
                previous = m.mrrMinor
                previousMonth = month
                checked += 1
            }
        }
        #expect(checked > 100)
    }
}
