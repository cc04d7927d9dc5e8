import Testing

@testable import FulcrumCore

/// The conversion model on the demo company: leads at their seventh day; the planted effects (an answer
/// within the hour, a webinar in the first days) must lead its drivers, and the planted non-drivers
/// (e-mail opens, content downloads) must add next to nothing.
@Suite("Conversion model on the demo company")
struct ConversionModelTests {
    static let outcome: ChurnModel.Outcome = {
        var inputs = MetricInputs(dataThrough: DemoCalendar.asOf)
        _ = DemoCompanyGenerator(size: .small, seed: 5, accountCount: 3_000).generate { batch in
            inputs.accounts += batch.accounts
            inputs.subscriptions += batch.subscriptions
            inputs.changes += batch.subscriptionChanges
            inputs.statusPeriods += batch.statusPeriods
            inputs.fxRates += batch.fxRates
            inputs.opportunities += batch.opportunities
            inputs.people += batch.people
            inputs.activities += batch.activities
            inputs.referrals += batch.referrals
            for t in batch.touches where DriverPanels.touchKinds.contains(t.kind) {
                if let a = t.accountId {
                    inputs.driverTouches.append(AccountTouch(accountId: a, kind: t.kind, at: t.occurredAt))
                }
            }
        }
        return try! ConversionModel.train(try! MetricContext(inputs: inputs), createdOn: "2026-12-06")
    }()

    @Test("out-of-time AUC above 0.7; fast answers and webinars lead the drivers; opens and downloads add ~nothing")
    func plantedDrivers() throws {
        let o = Self.outcome
        let auc = try #require(o.best.metrics.rocAUC)
        #expect(auc > 0.7, "AUC \(auc)")
        let top3 = Set(o.drivers.prefix(3).map(\.feature))
        #expect(top3.isSuperset(of: ["fast_response", "webinars"]), "\(o.drivers.map(\.feature))")
        for name in ["fast_response", "webinars"] {
            #expect(o.drivers.first { $0.feature == name }?.direction == "higher raises")
        }
        for name in ["email_opens", "content_downloads"] {
            let drop = o.drivers.first { $0.feature == name }?.aucDrop ?? 0
            #expect(abs(drop) < 0.01, "\(name): \(drop)")
        }
        // Out of time: every training label ends before the first test lead is scored.
        let lastTrain = o.train.map { o.panel.months[$0] }.max()!
        let firstTest = o.test.map { o.panel.months[$0] }.min()!
        #expect(lastTrain < firstTest)
    }
}
