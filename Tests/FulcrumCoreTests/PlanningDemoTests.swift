import Testing

@testable import FulcrumCore

/// The planner on the demo company: the lead-cost curves fitted from its history recover the
/// planted cost per lead (docs/demo-company.md) within their reported 95% intervals, see no
/// diminishing returns (none is planted), and today's plan reproduces the year's deals.
@Suite("Budget planning on the demo company")
struct PlanningDemoTests {
    struct Company {
        var context: MetricContext
        var truth: DemoTruth
        var segmentOf: [Int64: String]
        var people: [Person]
    }

    static let company: Company = {
        var inputs = MetricInputs(dataThrough: DemoCalendar.asOf)
        var segmentOf: [Int64: String] = [:]
        let truth = DemoCompanyGenerator(size: .small, seed: 2, accountCount: 3_000).generate { batch in
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
            inputs.campaigns += batch.campaigns
        }
        return Company(
            context: try! MetricContext(inputs: inputs), truth: truth, segmentOf: segmentOf, people: inputs.people)
    }()

    @Test("fitted cost per lead holds the planted one; linear response; today reproduces the deals won")
    func recoversPlantedEconomics() throws {
        let c = Self.company
        let plan = try PlanHistory.inputs(context: c.context, months: 24, source: "demo")
        let window = Month(2024, 11)...Month(2026, 10)
        #expect(plan.window == "2024-11…2026-10")
        // Marketing spend per segment is media × (1 + 0.35 + 0.10 + 0.06 + 0.10) (wages, tools, services,
        // overhead shared in proportion to media); media is bought for every person of the segment,
        // including free-mail leads, which carry no account and so no segment in the reports.
        var withAccount: [String: Int] = [:]
        var freeMail: [String: Int] = [:]
        let freeMailIds = Set(c.truth.freeMailEmployers.map(\.0))
        let employer = Dictionary(c.truth.freeMailEmployers.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        for p in c.people where window.contains(p.createdAt.day.month) {
            if let a = p.accountId, let s = c.segmentOf[a] {
                withAccount[s, default: 0] += 1
            } else if freeMailIds.contains(p.id), let a = employer[p.id], let s = c.segmentOf[a] {
                freeMail[s, default: 0] += 1
            }
        }
        for segment in DemoSegment.all {
            let unit = try #require(plan.units.first { $0.name == segment.name })
            let evidence = try #require(plan.evidence.first { $0.unit == segment.name })
            let fit = evidence.leadCost
            let n = Double(withAccount[segment.name]!)
            let planted = segment.costPerLead * 1.61 * (n + Double(freeMail[segment.name] ?? 0)) / n
            #expect(
                fit.costPerLeadLow <= planted && planted <= fit.costPerLeadHigh,
                "\(segment.name): planted \(planted), fitted \(fit.cost.costPerLead) [\(fit.costPerLeadLow), \(fit.costPerLeadHigh)]"
            )
            #expect(fit.method == .linear, "\(segment.name): \(fit.reason)")
            #expect(unit.leadCost.elasticity == 1)
        }
        // The plan's today reproduces the twelve months' deals and bookings per month.
        let ttm = try ReportCatalog.run(
            ReportQuery(report: "segment-economics", from: Month(2025, 11), to: Month(2026, 10)), context: c.context)
        let dealsColumn = ttm.columnIndex("deals")!
        for unit in plan.units {
            let row = ttm.rows.first { $0.cells[0] == .text(unit.name) }!
            let deals = row.cells[dealsColumn].doubleValue!
            #expect(abs(unit.outcome(marketing: unit.marketingSpend).deals * 12 - deals) < 1e-6 * deals + 0.5)
        }
    }

    @Test("the demo's segment economics tell seed 001's story at realistic magnitudes")
    func segmentStory() throws {
        let t = try ReportCatalog.run(
            ReportQuery(report: "segment-economics", from: Month(2025, 11), to: Month(2026, 10)),
            context: Self.company.context)
        func value(_ segment: String, _ column: String) -> Double {
            let row = t.rows.first { $0.cells[0] == .text(segment) }!
            return row.cells[t.columnIndex(column)!].doubleValue!
        }
        let segments = ["Tech", "Telecom", "Consulting"]
        func best(_ column: String, lowest: Bool = false) -> String {
            segments.max { lowest ? value($0, column) > value($1, column) : value($0, column) < value($1, column) }!
        }
        #expect(best("cost_per_lead", lowest: true) == "Tech")
        #expect(best("logo_churn_ttm", lowest: true) == "Tech")
        #expect(best("asp") == "Telecom")
        #expect(best("acv_cac_fully_loaded") == "Consulting")
        #expect(best("logo_churn_ttm") == "Consulting")
        #expect(best("ltv_cac_fully_loaded") == "Tech")
        #expect(
            best("ltv_cac_fully_loaded", lowest: true) == "Consulting",
            "\(segments.map { ($0, value($0, "ltv_cac_fully_loaded"), value($0, "ltv"), value($0, "cac_fully_loaded"), value($0, "logo_churn_ttm")) })"
        )
        for s in segments {
            let ratio = value(s, "ltv_cac_fully_loaded")
            #expect(ratio >= 2 && ratio <= 5, "\(s): LTV/CAC \(ratio)")
        }
    }
}
