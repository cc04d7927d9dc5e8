import Foundation
import Testing

@testable import FulcrumCore

/// When survivor counts show no heterogeneity (churn per period does not fall with tenure), the sBG
/// likelihood rises toward α, β → ∞; the LTV then uses that limit, one constant churn rate.
@Suite("sBG: the constant-churn limit")
struct ConstantChurnLimitTests {
    @Test("θ = deaths ÷ periods at risk, DEL in closed form, noted as such")
    func homogeneousCounts() throws {
        let yearly = [60, 55, 47, 43]
        #expect(RetentionCurve.fit(yearly) == nil, "the sBG fit does not converge on these counts")
        let model = try #require(RetentionCurve.fitConstantChurn(yearly))
        let theta = 17.0 / 162.0
        #expect(model.isConstantChurn)
        #expect(abs(model.alpha / (model.alpha + model.beta) - theta) < 1e-12)
        // DEL(d) = Σ (1 − θ)^t / (1 + d)^t = (1 + d) / (d + θ).
        let d = 0.10
        #expect(abs(model.discountedExpectedLifetime(discountRate: d) - (1 + d) / (d + theta)) < 1e-5)
        // At least as likely as anything the sBG optimizer found.
        let sbg = try ShiftedBetaGeometric.fit(survivors: yearly)
        #expect(model.logLikelihood(survivors: yearly) >= sbg.logLikelihood - 1e-6)

        // A monthly staircase of annual contracts (churn only at renewals) falls back to the yearly grain.
        var monthly: [Int] = []
        for n in yearly.dropLast() { monthly += Array(repeating: n, count: 12) }
        monthly.append(yearly.last!)
        let fitted = try #require(RetentionCurve.fitRenewals(monthly))
        #expect(fitted.periodMonths == 12 && fitted.model.isConstantChurn)

        let note = UnitEconomicsReports.sbgNote(
            "Telecom",
            {
                var r = UnitEconomicsReports.Retention()
                r.model = fitted.model
                r.periodMonths = 12
                r.survivors = monthly
                return r
            }())
        #expect(note.hasPrefix("sBG for Telecom: constant churn 10.49% per year"), "\(note)")
    }

    @Test("counts with real heterogeneity keep the sBG fit (Fader & Hardie's regular customers)")
    func heterogeneousCounts() throws {
        let regular = [1000, 631, 468, 382, 326, 289, 262, 241]
        let sbg = try #require(RetentionCurve.fit(regular))
        #expect(!sbg.isConstantChurn)
        #expect(RetentionCurve.fitConstantChurn(regular) == nil, "the constant rate is far less likely than the sBG")
        #expect(RetentionCurve.fitRenewals(regular)?.model == sbg)
    }
}

@Suite("Account LTV without a retention model")
struct AccountLTVUnmodelledTests {
    @Test("blank residual and LTV are explained in a note, not left bare")
    func noted() throws {
        var inputs = MetricInputs(dataThrough: Day(2024, 6, 30))
        inputs.accounts = [MetricFixture.account(1, "Tech"), MetricFixture.account(2, "Tech")]
        inputs.subscriptions = [
            MetricFixture.sub(1, 1, Day(2024, 1, 1), nil, 10_000), MetricFixture.sub(2, 2, Day(2024, 2, 1), nil, 5_000),
        ]
        let t = try ReportCatalog.run(
            ReportQuery(report: "accounts-ltv", from: Month(2024, 1), to: Month(2024, 6)),
            context: MetricContext(inputs: inputs))
        #expect(t.cell("ltv", "1") == .blank)
        #expect(
            t.notes.contains {
                $0.hasPrefix("expected residual and LTV are blank for 2 active accounts (segment Tech)")
            }, "\(t.notes)")
    }
}
