import Testing

@testable import FulcrumCore

/// Every number here is worked out by hand from LifecycleFixture (and shown in docs/lifecycle.md).
@Suite("Lifecycle reports on a hand-worked fixture")
struct LifecycleReportTests {
    func close(_ cell: ReportTable.Cell?, _ expected: Double, _ tolerance: Double = 1e-6) -> Bool {
        guard let v = cell?.doubleValue else { return false }
        return abs(v - expected) < tolerance
    }

    @Test("funnel, cohort view: reached or beyond, conversion, time in stage, young cohorts")
    func funnelCohort() throws {
        let t = try LifecycleFixture.report("funnel")
        let reached = ["lead": 3, "MQL": 2, "SAL": 2, "SQL": 2, "opportunity": 2, "customer": 1]
        for (stage, n) in reached { #expect(t.cell("reached", "2024-03", "cohort", stage) == .count(n), "\(stage)") }
        #expect(close(t.cell("pct_previous", "2024-03", "cohort", "MQL"), 2.0 / 3))
        #expect(close(t.cell("pct_previous", "2024-03", "cohort", "customer"), 0.5))
        #expect(close(t.cell("pct_first", "2024-03", "cohort", "customer"), 1.0 / 3))
        // MQL: P1 one hour, P2 one day; SAL: P1 23 hours, P2 nine days (its skipped SAL is reached at its opportunity).
        #expect(close(t.cell("median_days", "2024-03", "cohort", "MQL"), (1.0 / 24 + 1) / 2))
        #expect(close(t.cell("median_days", "2024-03", "cohort", "SAL"), (23.0 / 24 + 9) / 2))
        #expect(close(t.cell("median_days", "2024-03", "cohort", "customer"), 29.625))
        #expect(t.cell("young", "2024-03", "cohort", "lead") == .text("young"))
        #expect(t.cell("pct_previous", "2024-03", "cohort", "lead") == .blank)
    }

    @Test("funnel, period view: stage events in the period and seed 002's leads-to-close ratio")
    func funnelPeriod() throws {
        let t = try LifecycleFixture.report("funnel")
        #expect(t.cell("reached", "2024-03", "period", "SAL") == .count(2))
        #expect(t.cell("reached", "2024-03", "period", "customer") == .count(0))
        #expect(t.cell("reached", "2024-04", "period", "lead") == .count(1))
        #expect(t.cell("reached", "2024-04", "period", "MQL") == .count(1), "P4 by its lead score")
        #expect(t.cell("reached", "2024-04", "period", "customer") == .count(1))
        #expect(t.cell("reached", "2024-04", "period", "closed sales") == .count(1))
        #expect(close(t.cell("pct_first", "2024-04", "period", "closed sales"), 1.0))
        #expect(close(t.cell("pct_first", "2024-03", "period", "closed sales"), 0))
        var strict = LifecycleSettings()
        strict.mqlScoreAtLeast = nil
        let noScore = try LifecycleFixture.report("funnel", settings: strict)
        #expect(noScore.cell("reached", "2024-04", "period", "MQL") == .count(0))
    }

    @Test("lead response: a 4-minute and a 40-minute answer, a breach, SLA compliance, conversion by speed")
    func leadResponse() throws {
        let t = try LifecycleFixture.report("lead-response")
        #expect(t.cell("leads", "2024-03", "<=5m") == .count(1))
        #expect(t.cell("leads", "2024-03", "30-60m") == .count(1))
        #expect(t.cell("leads", "2024-03", "5-30m") == .count(0))
        #expect(t.cell("leads", "2024-03", "no response") == .count(1))
        #expect(close(t.cell("median_minutes", "2024-03", "<=5m"), 4), "the automated email at 2 minutes is ignored")
        #expect(close(t.cell("median_minutes", "2024-03", "all"), 22))
        #expect(t.cell("sla_due", "2024-03", "all") == .count(3))
        #expect(t.cell("within_sla", "2024-03", "all") == .count(2))
        #expect(close(t.cell("sla_compliance", "2024-03", "all"), 2.0 / 3))
        #expect(close(t.cell("opportunity_rate", "2024-03", "<=5m"), 1))
        #expect(close(t.cell("opportunity_rate", "2024-03", "no response"), 0))
        var tight = LifecycleSettings()
        tight.responseSLAMinutes = 30
        let t30 = try LifecycleFixture.report("lead-response", settings: tight)
        #expect(close(t30.cell("sla_compliance", "2024-03", "all"), 1.0 / 3))
    }

    @Test("leads: counts, lead score, marketing cycle, aging buckets at each period end")
    func leads() throws {
        let t = try LifecycleFixture.report("leads")
        #expect(t.cell("new_leads", "2024-03") == .count(3))
        #expect(t.cell("sqls", "2024-03") == .count(2))
        #expect(close(t.cell("marketing_cycle_days", "2024-03"), 10))
        #expect(t.cell("open_leads", "2024-03") == .count(1))
        #expect(t.cell("open_8-30d", "2024-03") == .count(1), "P3 is 21 days old on 03-31")
        #expect(close(t.cell("avg_lead_score", "2024-04"), 70))
        #expect(t.cell("avg_lead_score", "2024-03") == .blank)
        #expect(t.cell("open_leads", "2024-04") == .count(2))
        #expect(t.cell("open_31-90d", "2024-04") == .count(1), "P3 is 51 days old on 04-30")
        #expect(t.cell("open_8-30d", "2024-04") == .count(1), "P4 is 28 days old on 04-30")
    }

    @Test("sales: pipeline created, win rate, ASP, cycle, bookings by type, open and slipping deals")
    func sales() throws {
        let t = try LifecycleFixture.report("sales")
        #expect(t.cell("opportunities_created", "2024-03") == .count(2))
        #expect(t.cell("pipeline_created", "2024-03") == .money(1_800_000))
        #expect(t.cell("won", "2024-04") == .count(1))
        #expect(close(t.cell("win_rate", "2024-04"), 1))
        #expect(t.cell("asp", "2024-04") == .money(1_200_000))
        #expect(close(t.cell("median_cycle_days", "2024-04"), 28))
        #expect(close(t.cell("win_rate", "2024-05"), 0))
        #expect(t.cell("bookings_upsell", "2024-05") == .money(240_000))
        #expect(t.cell("open_deals", "2024-03") == .count(2))
        #expect(t.cell("open_deals", "2024-05") == .count(1))
        #expect(t.cell("slipping_deals", "2024-04") == .count(0))
        #expect(t.cell("slipping_deals", "2024-05") == .count(1))
        #expect(t.cell("slipping_value", "2024-06") == .money(2_400_000))
        let demo = try LifecycleFixture.report("sales", by: .demo)
        #expect(close(demo.cell("win_rate", "2024-04", "with demo"), 1))
        #expect(close(demo.cell("win_rate", "2024-05", "without demo"), 0))
        let owner = try LifecycleFixture.report("sales", by: .owner)
        #expect(owner.cell("bookings_new", "2024-04", "Ava") == .money(1_200_000))
        let team = try LifecycleFixture.report("sales", by: .team)
        #expect(team.cell("lost", "2024-05", "Sales — Tech") == .count(1))
    }

    @Test("pipeline: open deals by the stage they were in at each period's end")
    func pipeline() throws {
        let t = try LifecycleFixture.report("pipeline")
        #expect(t.cell("open_deals", "2024-04", "Demo") == .count(1))
        #expect(t.cell("open_value", "2024-04", "Demo") == .money(2_400_000))
        #expect(close(t.cell("avg_age_days", "2024-04", "Demo"), 29))
        #expect(t.cell("open_deals", "2024-04", "(no stage history)") == .count(1), "O2, closed since")
        #expect(t.cell("slipping_deals", "2024-06", "Demo") == .count(1))
    }

    @Test("targets: attainment, gap and met for company, rep and team rows; unknown metrics noted")
    func targets() throws {
        let t = try LifecycleFixture.report("targets")
        #expect(close(t.cell("actual", "2024-04", "company", "company", "leads"), 1))
        #expect(close(t.cell("attainment", "2024-04", "company", "company", "leads"), 0.5))
        #expect(close(t.cell("gap", "2024-04", "company", "company", "leads"), -1))
        #expect(t.cell("met", "2024-04", "company", "company", "leads") == .text("no"))
        #expect(close(t.cell("actual", "2024-04", "rep", "2", "bookings"), 12_000))
        #expect(close(t.cell("attainment", "2024-04", "rep", "2", "bookings"), 1.2))
        #expect(t.cell("scope_name", "2024-04", "rep", "2", "bookings") == .text("Ava"))
        #expect(close(t.cell("actual", "2024-03", "team", "Marketing", "leads"), 3), "marketing owns every lead")
        #expect(t.cell("met", "2024-04", "team", "Sales — Tech", "bookings") == .text("yes"))
        #expect(t.notes.contains { $0.contains("pageviews") })
    }

    @Test("rep scorecard: activities without automated sends, SLA, quota attainment, rank, period before")
    func repScorecard() throws {
        let t = try LifecycleFixture.report("rep-scorecard")
        #expect(t.cell("calls", "2024-03", "Sales Development", "Sam") == .count(2))
        #expect(t.cell("emails", "2024-03", "Sales Development", "Sam") == .count(0))
        #expect(t.cell("leads_owned", "2024-03", "Sales Development", "Sam") == .count(3))
        #expect(close(t.cell("sla_compliance", "2024-03", "Sales Development", "Sam"), 2.0 / 3))
        #expect(t.cell("bookings", "2024-04", "Sales — Tech", "Ava") == .money(1_200_000))
        #expect(t.cell("quota", "2024-04", "Sales — Tech", "Ava") == .money(1_000_000), "the rep target wins")
        #expect(close(t.cell("attainment", "2024-04", "Sales — Tech", "Ava"), 1.2))
        #expect(t.cell("quota", "2024-04", "Sales — Tech", "Bo") == .money(800_000), "else the monthly quota")
        #expect(t.cell("rank_in_team", "2024-04", "Sales — Tech", "Ava") == .count(1))
        #expect(t.cell("rank_in_team", "2024-04", "Sales — Tech", "Bo") == .count(2))
        #expect(t.cell("bookings_prev", "2024-05", "Sales — Tech", "Ava") == .money(1_200_000))
        #expect(t.cell("bookings", "2024-04", "Sales — Tech", "(team)") == .money(1_200_000))
    }

    @Test("lifecycle: accounts by stage at period end and the flow between stages")
    func lifecycle() throws {
        let t = try LifecycleFixture.report("lifecycle")
        #expect(t.cell("at_end", "2024-03", "opportunity") == .count(2))
        #expect(t.cell("at_end", "2024-03", "lead") == .count(1))
        #expect(t.cell("entered", "2024-04", "customer") == .count(1))
        #expect(t.cell("left", "2024-04", "opportunity") == .count(1))
        #expect(t.cell("entered", "2024-04", "opportunity") == .count(1), "A3 opened O3")
        #expect(t.cell("at_end", "2024-04", "lead") == .count(0))
        // Flow closes: at_start + entered − left = at_end, and each period starts where the last ended.
        for row in t.rows {
            let v = { (c: String) in row.cells[t.columnIndex(c)!].doubleValue! }
            #expect(v("at_start") + v("entered") - v("left") == v("at_end"))
        }
    }
}

/// Edge cases found in review: departed reps, unmatched target keys, stage instants before creation.
@Suite("Lifecycle reports: edge cases")
struct LifecycleEdgeCaseTests {
    func run(_ id: String, _ change: (inout MetricInputs) -> Void) throws -> ReportTable {
        var inputs = LifecycleFixture.inputs
        change(&inputs)
        let context = try MetricContext(inputs: inputs)
        return try ReportCatalog.run(
            ReportQuery(report: id, from: Month(2024, 3), to: Month(2024, 6)), context: context)
    }

    @Test("a rep who left still has a row while records carry the rep, so the rows add up to the company")
    func departedRep() throws {
        let t = try run("rep-scorecard") { $0.reps[2].leftOn = Day(2024, 3, 31) }  // Bo leaves after March
        #expect(t.cell("lost", "2024-05", "Sales — Tech", "Bo") == .count(1), "O2 was Bo's")
        #expect(t.cell("lost", "2024-05", "Sales — Tech", "(team)") == .count(1), "and in the team's total")
    }

    @Test("a target whose key names no team or segment has a blank actual and a note; keys match in any case")
    func unmatchedTargetKeys() throws {
        let t = try run("targets") { inputs in
            var typo = inputs.targets[0]
            typo.id = 99
            typo.scope = .team
            typo.scopeKey = "Markting"
            inputs.targets.append(typo)
            inputs.targets[2].scopeKey = "MARKETING"
        }
        #expect(t.cell("actual", "2024-04", "team", "Markting", "leads") == .blank)
        #expect(t.cell("met", "2024-04", "team", "Markting", "leads") == .text(""))
        #expect(t.notes.contains { $0.contains("team 'Markting'") }, "\(t.notes)")
        #expect(t.cell("actual", "2024-03", "team", "MARKETING", "leads")?.doubleValue == 3)
    }

    @Test("a stage instant before the lead's creation counts as the creation: no negative time in stage")
    func instantBeforeCreation() throws {
        let t = try run("funnel") { $0.people[1].mqlAt = LifecycleFixture.at("2024-03-01") }  // P2 created 03-05
        for row in t.rows {
            if let d = row.cells[t.columnIndex("median_days")!].doubleValue { #expect(d >= 0) }
        }
    }
}
