import Testing

@testable import FulcrumCore

/// The conversion model on the demo company: leads at their seventh day; the planted effects (an answer
/// within the hour, a webinar in the first days) must lead its drivers, and the planted non-drivers
/// (e-mail opens, content downloads) must add next to nothing.
@Suite("Conversion model on the demo company")
struct ConversionModelTests {
    static let outcome: ChurnModel.Outcome = try! ConversionModel.train(
        try! MetricContext(inputs: DemoInputs.make(seed: 5, accounts: 3_000)), createdOn: "2026-12-06")

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

    @Test(
        "win model: the same leads labelled by a deal won within 90 days; fast answers raise it, Telecom's long cycles lower it"
    )
    func winModel() throws {
        let context = try MetricContext(inputs: DemoInputs.make(seed: 5, accounts: 3_000))
        let o = try ConversionModel.train(context, createdOn: "2026-12-06", outcome: .win)
        #expect(o.best.kind == "win")
        let auc = try #require(o.best.metrics.rocAUC)
        #expect(auc > 0.6, "AUC \(auc)")
        let top = o.drivers.prefix(4).map(\.feature)
        #expect(top.contains("fast_response"), "\(o.drivers.map(\.feature))")
        #expect(o.drivers.first { $0.feature == "fast_response" }?.direction == "higher raises")
        // Every lead labelled 1 won a new-business deal within its 90 days; the opportunity panel has the same rows.
        let opportunity = LeadFeatures.build(context)
        let win = LeadFeatures.build(context, outcome: .win)
        #expect(win.accounts == opportunity.accounts)
        for i in 0..<win.rowCount where win.y[i] == 1 { #expect(opportunity.y[i] == 1) }
    }
}
