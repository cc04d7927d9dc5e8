import Testing

@testable import FulcrumCore

/// The driver analysis: the estimator on hand-worked and independently computed data, Holm's
/// correction, and the effects the demo company plants (docs/demo-company.md) found with the right signs.
@Suite("Driver analysis")
struct DriverTests {
    @Test("a binary driver's coefficient is the difference in rates; its CR1 error worked by hand")
    func binaryDriverByHand() {
        // d = 1: outcomes 1, 1, 1 (rate 1); d = 0: 0, 1, 0 (rate 1/3). Each row its own cluster.
        let d: [Double] = [0, 0, 1, 1, 0, 1]
        let y: [Double] = [0, 1, 1, 1, 0, 1]
        let x = d.flatMap { v -> [Double] in [1, v] }
        let fit = ClusteredLeastSquares.fit(x: x, columns: 2, y: y, cluster: [1, 2, 3, 4, 5, 6])
        #expect(abs(fit.coefficients[0] - 1.0 / 3) < 1e-12)
        #expect(abs(fit.coefficients[1] - 2.0 / 3) < 1e-12)
        // HC0 variance of the difference: Σu²/n₀² + Σu²/n₁² = (1/9 + 4/9 + 1/9)/9 + 0 = 2/27;
        // CR1 factor G/(G−1)·(n−1)/(n−k) = 6/5 · 5/4 = 1.5 → 1/9, so the error is exactly 1/3.
        #expect(abs(fit.standardErrors[1]! - 1.0 / 3) < 1e-12)
        #expect(fit.clusters == 6)
    }

    @Test("clustered errors equal numpy's (scripts/crosscheck_drivers.py)")
    func clusteredMatchesNumpy() {
        let rows: [(Int64, Double, Double, Double)] = [
            (1, 0, 0.5, 0), (1, 1, 1.5, 1), (1, 1, 0.2, 1),
            (2, 0, 2.0, 1), (2, 1, 0.1, 1),
            (3, 0, 1.0, 0), (3, 1, 3.0, 0), (3, 0, 0.7, 0), (3, 1, 1.1, 1),
            (4, 0, 0.3, 0), (4, 1, 2.2, 1),
        ]
        let fit = ClusteredLeastSquares.fit(
            x: rows.flatMap { r -> [Double] in [1, r.1, r.2] }, columns: 3, y: rows.map(\.3), cluster: rows.map(\.0))
        let beta = [0.260402684564, 0.663534675615, -0.067114093960]
        let se = [0.175577684681, 0.312009359952, 0.239073152993]
        for i in 0..<3 {
            #expect(abs(fit.coefficients[i] - beta[i]) < 1e-9)
            #expect(abs(fit.standardErrors[i]! - se[i]) < 1e-9)
        }
    }

    @Test("a column that repeats another is marked aliased and the rest is unchanged")
    func aliasedColumn() {
        let d: [Double] = [0, 0, 1, 1, 0, 1]
        let y: [Double] = [0, 1, 1, 1, 0, 1]
        let fit = ClusteredLeastSquares.fit(
            x: d.flatMap { v -> [Double] in [1, v, v * 2] }, columns: 3, y: y, cluster: [1, 2, 3, 4, 5, 6])
        #expect(fit.aliased == [false, false, true])
        #expect(fit.standardErrors[2] == nil)
        #expect(abs(fit.coefficients[1] - 2.0 / 3) < 1e-12)
        #expect(abs(fit.standardErrors[1]! - 1.0 / 3) < 1e-12)
    }

    @Test("Holm's step-down: p × (m − rank), kept monotone")
    func holm() {
        var estimates = [0.01, 0.04, 0.03].enumerated().map { i, p in
            var e = DriverEstimate(driver: "d\(i)", label: "", kind: .action, measure: "", exposed: 50, unexposed: 50)
            e.exposedAccounts = 50
            e.unexposedAccounts = 50
            e.p = p
            return e
        }
        DriverAnalysis.holm(&estimates)
        #expect(estimates.map { $0.adjustedP! }.map { ($0 * 1000).rounded() / 1000 } == [0.03, 0.06, 0.06])
        #expect(estimates.map(\.significant) == [true, false, false])
        #expect(abs(StandardNormal.twoSidedP(1.959963984540054) - 0.05) < 1e-12)
    }

    /// A demo company large enough for the planted effects to stand out of the noise.
    static let results: [DriverObjectiveResult] = {
        let context = try! MetricContext(inputs: DemoInputs.make(seed: 7, accounts: 12_000))
        return DriverAnalysis.run(DriverPanels.build(context))
    }()

    func objective(_ id: String) throws -> DriverObjectiveResult {
        try #require(Self.results.first { $0.objective == id })
    }

    func driver(_ id: String, in objective: DriverObjectiveResult) throws -> DriverEstimate {
        try #require(objective.drivers.first { $0.driver == id })
    }

    @Test("planted: fast response and webinars lead the opportunity drivers, positive; e-mail opens are no driver")
    func opportunityDrivers() throws {
        let o = try objective("opportunity")
        #expect(Set(o.drivers.prefix(2).map(\.driver)) == ["fast_response", "webinar"], "\(o.drivers.map(\.driver))")
        for id in ["fast_response", "webinar"] {
            let d = try driver(id, in: o)
            #expect(d.significant && d.effect! > 0 && d.low! > 0, "\(id): \(d)")
        }
        let referral = try driver("referral", in: o)
        #expect(referral.effect! > 0 && referral.significant, "\(referral)")
        #expect(referral.rank == 3, "\(o.drivers.map(\.driver))")
        for id in ["email_opens", "content"] {
            let d = try driver(id, in: o)
            #expect(!d.significant, "\(id) is planted as no driver: \(d)")
            #expect(d.reading.hasPrefix("no effect detectable"))
        }
        #expect(o.notes.contains { $0.hasPrefix("Observational data") })
    }

    @Test("planted: a demo leads the win drivers (about +25 points); calls, e-mails and meetings are no drivers")
    func winDrivers() throws {
        let o = try objective("win")
        let demo = try driver("demo", in: o)
        #expect(demo.rank == 1 && demo.significant)
        // Win × 1.45 with a demo vs × 0.7 without, on base rates near 0.45: a gap of roughly 0.25–0.35.
        #expect(demo.effect! > 0.18 && demo.effect! < 0.42, "\(demo)")
        #expect(demo.reading.contains("test it with an experiment"))
        for id in ["calls", "emails", "meetings"] {
            let d = try driver(id, in: o)
            #expect(!d.significant, "\(id) is planted as no driver: \(d)")
        }
    }

    @Test("planted: referred customers churn less; tickets before churn read as a warning sign, not a lever")
    func churnDrivers() throws {
        let o = try objective("churn")
        let referral = try driver("referral", in: o)
        #expect(referral.effect! < 0 && referral.significant, "\(referral)")
        let tickets = try driver("urgent_tickets", in: o)
        #expect(tickets.effect! > 0 && tickets.significant, "\(tickets)")
        #expect(tickets.reading.contains("warning sign"))
    }
}
