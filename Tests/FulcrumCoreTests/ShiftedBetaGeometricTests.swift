import Foundation
import Testing

@testable import FulcrumCore

/// The sBG model against Fader & Hardie's published fits and its own identities.
@Suite struct ShiftedBetaGeometricTests {
    static let regular = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]
    static let highEnd = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]

    @Test func regularCustomersMatchThePaper() throws {
        // Fader & Hardie (2007), first 8 counts (periods 0–7): α ≈ 0.704, β ≈ 1.182.
        let fit = try ShiftedBetaGeometric.fit(survivors: Array(Self.regular.prefix(8)))
        #expect(fit.converged)
        #expect(abs(fit.alpha - 0.704) < 0.0005 && abs(fit.beta - 1.182) < 0.0005)
        // The paper's projection of the held-out periods 8–12 is close to the data (within ~5%).
        let projected = fit.model.projectedSurvivors(cohortSize: 1000, periods: 12)
        for t in 8...12 { #expect(abs(projected[t] - Double(Self.regular[t])) / Double(Self.regular[t]) < 0.05) }
    }

    @Test func highEndCustomersMatchThePaper() throws {
        // First 8 counts: α ≈ 0.668, β ≈ 3.806.
        let fit = try ShiftedBetaGeometric.fit(survivors: Array(Self.highEnd.prefix(8)))
        #expect(fit.converged)
        #expect(abs(fit.alpha - 0.668) < 0.0005 && abs(fit.beta - 3.806) < 0.0005)
    }

    @Test func fitIsAStationaryMaximumAndDeterministic() throws {
        let counts = Array(Self.regular.prefix(8))
        let fit = try ShiftedBetaGeometric.fit(survivors: counts)
        let e = SBGLikelihood(counts: counts).evaluate(u: log(fit.alpha), v: log(fit.beta))
        #expect(abs(e.gradient.x) < 1e-6 && abs(e.gradient.y) < 1e-6)
        for (da, db) in [(1.0001, 1.0), (0.9999, 1.0), (1.0, 1.0001), (1.0, 0.9999)] {
            let nearby = ShiftedBetaGeometric(alpha: fit.alpha * da, beta: fit.beta * db).logLikelihood(
                survivors: counts)
            #expect(nearby < fit.logLikelihood)
        }
        #expect(try ShiftedBetaGeometric.fit(survivors: counts) == fit)
        #expect(abs(fit.logLikelihood - fit.model.logLikelihood(survivors: counts)) < 1e-9)
    }

    @Test func recursionMatchesTheBetaFunctionForm() {
        // P(T = t) = B(α+1, β+t−1) / B(α, β), S(t) = B(α, β+t) / B(α, β).
        let m = ShiftedBetaGeometric(alpha: 0.704, beta: 1.182)
        func lnB(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }
        var cumulative = 0.0
        for t in 1...20 {
            let p = exp(lnB(m.alpha + 1, m.beta + Double(t) - 1) - lnB(m.alpha, m.beta))
            #expect(abs(m.churnProbability(t) - p) < 1e-12)
            cumulative += m.churnProbability(t)
            #expect(abs(m.survival(t) - (1 - cumulative)) < 1e-12)
            #expect(abs(m.survival(t) - exp(lnB(m.alpha, m.beta + Double(t)) - lnB(m.alpha, m.beta))) < 1e-12)
            #expect(abs(m.retention(t) - m.survival(t) / m.survival(t - 1)) < 1e-12)
        }
        // r_1 = β/(α+β) = 1.182/1.886.
        #expect(abs(m.retention(1) - 1.182 / 1.886) < 1e-15)
        #expect(m.projectedSurvival(periods: 3) == [1, m.survival(1), m.survival(2), m.survival(3)])
    }

    @Test func expectedLifetime() {
        // α = 3, β = 5: (α+β−1)/(α−1) = 7/2; Σ S(t) converges to the same.
        let m = ShiftedBetaGeometric(alpha: 3, beta: 5)
        #expect(m.expectedLifetime == 3.5)
        let sum = m.projectedSurvival(periods: 200_000).reduce(0, +)
        #expect(abs(sum - 3.5) < 1e-6)
        #expect(ShiftedBetaGeometric(alpha: 0.7, beta: 1.2).expectedLifetime == nil)
    }

    @Test func derlMatchesDirectSummation() {
        // DERL(d | n) = Σ_{j≥1} S(n+j)/S(n) · (1+d)^−(j−1); DEL = 1 + DERL(d | 0)/(1+d).
        let m = ShiftedBetaGeometric(alpha: 0.668, beta: 3.806)
        for d in [0.1, 0.25] {
            for n in [0, 1, 4, 10] {
                var direct = 0.0
                let sn = m.survival(n)
                var s = sn
                for j in 1...3000 {
                    s *= m.retention(n + j)
                    direct += s / sn / pow(1 + d, Double(j - 1))
                }
                #expect(abs(m.discountedExpectedResidualLifetime(discountRate: d, renewals: n) - direct) < 1e-9)
            }
            let del = m.discountedExpectedLifetime(discountRate: d)
            #expect(
                abs(del - (1 + m.discountedExpectedResidualLifetime(discountRate: d, renewals: 0) / (1 + d))) < 1e-12)
        }
        // Residual value scales with the periodic value; loyal (many renewals) customers are worth more.
        let v = m.discountedExpectedResidualValue(periodicValue: 100, discountRate: 0.1, renewals: 4)
        #expect(abs(v - 100 * m.discountedExpectedResidualLifetime(discountRate: 0.1, renewals: 4)) < 1e-9)
        #expect(
            m.discountedExpectedResidualLifetime(discountRate: 0.1, renewals: 10)
                > m.discountedExpectedResidualLifetime(discountRate: 0.1, renewals: 0))
    }

    @Test func hypergeometricSeriesKnownValues() {
        // 2F1(1, 1; 2; z) = −ln(1−z)/z; 2F1(1, b; b; z) = 1/(1−z).
        #expect(abs(hypergeometric2F1(a: 1, b: 1, c: 2, z: 0.5) - (-log(0.5) / 0.5)) < 1e-14)
        #expect(abs(hypergeometric2F1(a: 1, b: 3.2, c: 3.2, z: 0.9) - 10) < 1e-12)
    }

    @Test func invalidCohortsExplainThemselves() {
        #expect(throws: SBGFitError.tooFewPeriods(count: 2)) { try ShiftedBetaGeometric.fit(survivors: [100, 80]) }
        #expect(throws: SBGFitError.increasingCounts(period: 2, previous: 80, value: 85)) {
            try ShiftedBetaGeometric.fit(survivors: [100, 80, 85])
        }
        #expect(throws: SBGFitError.negativeCount(period: 2, value: -1)) {
            try ShiftedBetaGeometric.fit(survivors: [100, 80, -1])
        }
        #expect(throws: SBGFitError.emptyCohort) { try ShiftedBetaGeometric.fit(survivors: [0, 0, 0]) }
        #expect(throws: SBGFitError.noChurn(cohortSize: 100)) {
            try ShiftedBetaGeometric.fit(survivors: [100, 100, 100])
        }
        #expect(throws: SBGFitError.everyoneChurnedInFirstPeriod(cohortSize: 100)) {
            try ShiftedBetaGeometric.fit(survivors: [100, 0, 0])
        }
        #expect(SBGFitError.noChurn(cohortSize: 100).description.contains("infinity"))
    }

    @Test func boundaryOptimaAreReportedAsNotConverged() throws {
        // Exactly geometric decay has no heterogeneity: the MLE runs off to α, β → ∞ along α/(α+β) = 0.5.
        let geometric = try ShiftedBetaGeometric.fit(survivors: [1600, 800, 400, 200, 100, 50])
        #expect(!geometric.converged)
        #expect(abs(geometric.alpha / (geometric.alpha + geometric.beta) - 0.5) < 1e-3)
        // Whole cohort gone inside the window: the optimum is on the boundary.
        let wiped = try ShiftedBetaGeometric.fit(survivors: [100, 50, 0])
        #expect(!wiped.converged)
    }
}
