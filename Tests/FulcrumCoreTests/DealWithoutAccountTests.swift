import Testing

@testable import FulcrumCore

/// A deal whose source names no account (and whose person has none) is kept: it counts in
/// every total and, sliced by an account dimension, under "(none)" — never dropped.
@Suite("Deals without an account")
struct DealWithoutAccountTests {
    static var inputs: MetricInputs {
        var inputs = MetricFixture.inputs
        var deal = MetricFixture.opportunity(
            9, 1, created: Day(2024, 1, 1), closed: Day(2024, 1, 21), won: true, 60_000, channel: "Events")
        deal.accountId = nil
        inputs.opportunities.append(deal)
        return inputs
    }

    static func run(_ report: String, by: Dimension? = nil) throws -> ReportTable {
        try ReportCatalog.run(
            ReportQuery(report: report, by: by, from: Month(2024, 1), to: Month(2024, 2)),
            context: MetricContext(inputs: inputs))
    }

    @Test("velocity counts it in the total and under (none) by segment")
    func velocity() throws {
        let total = try Self.run("velocity")
        // January: deal 1 ($1,200, 40 days) and deal 9 ($600, 20 days): 2 × 100% × $900 ÷ 30 days = $60/day.
        #expect(total.cell("opportunities", "2024-01") == .count(2))
        #expect(total.cell("avg_deal", "2024-01") == .money(90_000))
        #expect(total.cell("cycle_days", "2024-01") == .number(30))
        #expect(total.cell("velocity_per_day", "2024-01") == .money(6_000))
        let bySegment = try Self.run("velocity", by: .segment)
        #expect(bySegment.cell("opportunities", "2024-01", "(none)") == .count(1))
        #expect(bySegment.cell("velocity_per_day", "2024-01", "(none)") == .money(3_000))  // 1 × 100% × $600 ÷ 20
        #expect(bySegment.settings.contains { $0.value.contains("a deal without an account counts under (none)") })
    }

    @Test("segment economics puts its booking under (none) and in the total")
    func segmentEconomics() throws {
        let without = try ReportCatalog.run(
            ReportQuery(report: "segment-economics", from: Month(2024, 1), to: Month(2024, 6)),
            context: MetricContext(inputs: MetricFixture.inputs))
        let with = try ReportCatalog.run(
            ReportQuery(report: "segment-economics", from: Month(2024, 1), to: Month(2024, 6)),
            context: MetricContext(inputs: Self.inputs))
        #expect(with.cell("deals", "(none)") == .count(1))
        #expect(with.cell("bookings", "(none)") == .money(60_000))
        guard case .count(let before)? = without.cell("deals", "Total"),
            case .money(let booked)? = without.cell("bookings", "Total")
        else {
            Issue.record("no Total row")
            return
        }
        #expect(with.cell("deals", "Total") == .count(before + 1))
        #expect(with.cell("bookings", "Total") == .money(booked + 60_000))
    }
}

/// Salesforce's stock data stamps CreatedDate at load time, after CloseDate: such a deal has no cycle.
@Suite("Deals closed before they were created")
struct ClosedBeforeCreatedTests {
    @Test("left out of the cycle average with a note; still counted in win rate and average deal")
    func velocity() throws {
        var inputs = MetricFixture.inputs
        inputs.opportunities.append(
            MetricFixture.opportunity(
                9, 1, created: Day(2024, 1, 25), closed: Day(2024, 1, 5), won: true, 60_000, channel: "Events"))
        let t = try ReportCatalog.run(
            ReportQuery(report: "velocity", from: Month(2024, 1), to: Month(2024, 2)),
            context: MetricContext(inputs: inputs))
        // January: deal 1 ($1,200, 40 days) and deal 9 ($600, closed 20 days before it was created).
        #expect(t.cell("opportunities", "2024-01") == .count(2))
        #expect(t.cell("avg_deal", "2024-01") == .money(90_000))
        #expect(t.cell("cycle_days", "2024-01") == .number(40))  // deal 1 alone, not (40 − 20) ÷ 2
        #expect(t.cell("velocity_per_day", "2024-01") == .money(4_500))  // 2 × 100% × $900 ÷ 40 days
        #expect(
            t.notes.contains {
                $0.hasPrefix("1 won deal closed before it was created, left out of cycle_days")
                    && $0.contains("opportunity:9")
            }, "\(t.notes)")
    }
}
