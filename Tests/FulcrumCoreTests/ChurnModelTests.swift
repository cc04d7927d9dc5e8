import Testing

@testable import FulcrumCore

/// The churn model on the demo company: it must find the planted pre-churn signals (docs/demo-company.md:
/// usage falls, tickets rise, NPS drops) and rank accounts well out of time; no feature may read the future.
@Suite("Churn model on the demo company")
struct ChurnModelTests {
    static let inputs = DemoInputs.make(seed: 3, accounts: 3_000)

    static let context = try! MetricContext(inputs: inputs)
    static let outcome = try! ChurnModel.train(context, createdOn: "2026-12-06")

    @Test("out-of-time AUC well above chance; the planted usage and ticket signals lead the drivers, NPS among them")
    func plantedSignals() throws {
        let o = Self.outcome
        for m in o.models {
            let auc = try #require(m.metrics.rocAUC)
            #expect(auc > 0.75, "\(m.algorithm): AUC \(auc)")
        }
        let top = o.drivers.map(\.feature)
        let usage: Set = ["active_users", "active_users_trend", "seat_utilization", "events_per_day"]
        let support: Set = ["tickets_90d", "urgent_tickets_90d"]
        let surveys: Set = ["detractors_120d", "nps_last"]
        // Annual plans only churn at renewal, so months to renewal leads; right after it come the planted signals.
        let top4 = Set(o.drivers.prefix(4).map(\.feature))
        #expect(!usage.isDisjoint(with: top4), "\(top)")
        #expect(!support.isDisjoint(with: top4), "\(top)")
        // The NPS signal is the weakest planted one (an answer falls in the 120 days before churn only four
        // times in ten): it must still count, with a positive AUC drop among the fifteen drivers.
        let nps = o.drivers.filter { surveys.contains($0.feature) }
        #expect(!nps.isEmpty && nps.allSatisfy { ($0.aucDrop ?? 0) > 0 }, "\(o.drivers.map(\.feature))")
        func direction(_ feature: String) -> String? { o.drivers.first { $0.feature == feature }?.direction }
        #expect(direction("active_users_trend") == "higher lowers")
        #expect(direction("urgent_tickets_90d") == "higher raises")
        if let d = direction("detractors_120d") { #expect(d == "higher raises") }
        for d in o.drivers.prefix(4) { #expect((d.aucDrop ?? 0) > 0.005, "\(d)") }
        // The test rows come after every training label.
        let lastTrain = o.train.map { o.panel.months[$0] }.max()!
        let firstTest = o.test.map { o.panel.months[$0] }.min()!
        #expect(lastTrain.adding(AccountFeatures.horizonMonths) < firstTest)
        #expect(o.best.metrics.calibration.map(\.count).reduce(0, +) == o.test.count)
    }

    /// Everything dated after `end` removed, and what was still in the future at `end` unknown.
    static func cut(_ inputs: MetricInputs, at month: Month) -> MetricInputs {
        let end = month.lastDay
        let endInstant = Timestamp(day: end + 1)
        var out = inputs
        out.subscriptions = inputs.subscriptions.filter { $0.startedOn <= end }.map {
            var s = $0
            if let e = s.endedOn, e > end { s.endedOn = nil }
            if let c = s.canceledOn, c > end { s.canceledOn = nil }
            if let c = s.cancelAt, c > end { s.cancelAt = nil }
            return s
        }
        out.changes = inputs.changes.filter { $0.effectiveOn <= end }
        out.statusPeriods = inputs.statusPeriods.filter { $0.fromOn <= end }.map {
            var p = $0
            if let t = p.toOn, t > end { p.toOn = nil }
            return p
        }
        out.tickets = inputs.tickets.filter { $0.openedAt < endInstant }.map {
            var t = $0
            if let c = t.closedAt, c >= endInstant { t.closedAt = nil }
            if let r = t.firstResponseAt, r >= endInstant { t.firstResponseAt = nil }
            return t
        }
        out.surveys = inputs.surveys.filter { $0.respondedOn <= end }
        out.referrals = inputs.referrals.filter { $0.referredOn <= end }
        out.accountMonthTallies = inputs.accountMonthTallies.filter { $0.month <= month }
        out.activities = inputs.activities.filter { $0.occurredAt < endInstant }
        return out
    }

    @Test(
        "leakage: every feature at a month-end equals the one built from data cut at that day",
        arguments: [Month(2021, 6), Month(2024, 3), Month(2026, 1)])
    func noLeakage(month: Month) throws {
        let full = AccountFeatures.build(Self.context, months: [month])
        let cutContext = try MetricContext(inputs: Self.cut(Self.inputs, at: month))
        let segments = Array(full.names.dropFirst(AccountFeatures.numericNames.count).map { String($0.dropFirst(8)) })
        let past = AccountFeatures.build(cutContext, months: [month], segments: segments)
        #expect(full.rowCount > 100)
        #expect(full.accounts == past.accounts)
        let k = full.names.count
        var differences: [String] = []
        for i in 0..<min(full.rowCount, past.rowCount) {
            for j in 0..<k {
                let a = full.x[i * k + j]
                let b = past.x[i * k + j]
                if !(a == b || (a.isNaN && b.isNaN)) {
                    differences.append("account \(full.accounts[i]) \(full.names[j]): \(a) vs \(b)")
                }
            }
        }
        #expect(differences.isEmpty, "\(differences.prefix(5))")
    }
}
