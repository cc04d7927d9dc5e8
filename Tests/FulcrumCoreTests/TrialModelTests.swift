import Foundation
import Testing

@testable import FulcrumCore

/// The trial panel and model: features by hand on two trials (nothing after the scoring day counts),
/// one definition of a converted trial with the `trials` report, and on the demo company the one
/// signal a trial gives away early — a cancellation asked for before day 7 — leads the drivers.
@Suite("Trial-conversion model")
struct TrialModelTests {
    static func inputs() -> MetricInputs {
        var inputs = MetricInputs(dataThrough: Day(2024, 6, 30))
        var a1 = MetricFixture.account(1, "Tech")
        a1.employees = 20
        inputs.accounts = [a1, MetricFixture.account(2, "Tech"), MetricFixture.account(3, "Tech")]
        // A1: 14-day trial from 03-01 at $120/month for 3 seats, converted (still running).
        var s1 = MetricFixture.sub(1, 1, Day(2024, 3, 1), nil, 12_000, trialEnd: Day(2024, 3, 15))
        s1.quantity = 3
        // A2: 14-day trial from 04-01, cancel asked 04-05, ended with the trial.
        var s2 = MetricFixture.sub(2, 2, Day(2024, 4, 1), Day(2024, 4, 15), 4_000, trialEnd: Day(2024, 4, 15))
        s2.canceledOn = Day(2024, 4, 5)
        // A3: a trial still running at the data's end (scored 06-27, ends 07-04): no label yet.
        let s3 = MetricFixture.sub(3, 3, Day(2024, 6, 20), nil, 4_000, trialEnd: Day(2024, 7, 4))
        inputs.subscriptions = [s1, s2, s3]
        // A1: a webinar on day 3 and one on day 9 (after scoring: must not count); a ticket on day 2.
        inputs.driverTouches = [
            AccountTouch(accountId: 1, kind: .webinar, at: Timestamp(day: Day(2024, 3, 4))),
            AccountTouch(accountId: 1, kind: .webinar, at: Timestamp(day: Day(2024, 3, 10))),
            AccountTouch(accountId: 1, kind: .emailOpen, at: Timestamp(day: Day(2024, 2, 20))),
        ]
        var ticket = Ticket()
        ticket.id = 1
        ticket.accountId = 1
        ticket.openedAt = Timestamp(day: Day(2024, 3, 3))
        var late = ticket
        late.id = 2
        late.openedAt = Timestamp(day: Day(2024, 3, 12))
        inputs.tickets = [ticket, late]
        return inputs
    }

    @Test("features by hand, as known on day 7; labels from the trials report's definition")
    func handWorked() throws {
        let context = try MetricContext(inputs: Self.inputs())
        let panel = TrialFeatures.build(context)
        #expect(panel.accounts == [1, 2, 3])
        #expect(panel.days == [Day(2024, 3, 8), Day(2024, 4, 8), Day(2024, 6, 27)])
        let k = panel.names.count
        func value(_ row: Int, _ name: String) -> Double { panel.x[row * k + panel.names.firstIndex(of: name)!] }
        #expect(value(0, "trial_days") == 14 && value(0, "seats") == 3)
        #expect(abs(value(0, "mrr_log") - log(120.0)) < 1e-12)
        #expect(value(0, "webinars") == 1, "the day-9 webinar is after the scoring day")
        #expect(value(0, "email_opens") == 0, "before the trial began")
        #expect(value(0, "tickets") == 1)
        #expect(value(0, "cancel_requested") == 0 && value(1, "cancel_requested") == 1)
        #expect(abs(value(0, "employees_log") - log(20.0)) < 1e-12)
        #expect(value(1, "employees_log").isNaN)
        #expect(panel.y[0] == 1 && panel.y[1] == 0 && panel.y[2].isNaN)
        // The trials report counts the same two ended trials and the same conversion.
        let table = try ReportCatalog.run(
            ReportQuery(report: "trials", from: Month(2024, 1), to: Month(2024, 6)), context: context)
        let ended = table.values("trials_ended").compactMap(\.doubleValue).reduce(0, +)
        let converted = table.values("converted").compactMap(\.doubleValue).reduce(0, +)
        #expect(ended == 2 && converted == 1)
    }

    @Test("demo: a cancellation asked for before day 7 leads the drivers and lowers the odds; AUC above 0.6")
    func demo() throws {
        let context = try MetricContext(inputs: DemoInputs.make(seed: 5, accounts: 3_000))
        let o = try TrialModel.train(context, createdOn: "2026-12-06")
        let auc = try #require(o.best.metrics.rocAUC)
        #expect(auc > 0.6, "AUC \(auc)")
        #expect(o.drivers.first?.feature == "cancel_requested", "\(o.drivers.map(\.feature))")
        #expect(o.drivers.first?.direction == "higher lowers")
        // Out of time: every training trial ended before the first test trial was scored.
        #expect(o.test.count > 50 && o.train.count > 200, "\(o.train.count) / \(o.test.count)")
    }
}
