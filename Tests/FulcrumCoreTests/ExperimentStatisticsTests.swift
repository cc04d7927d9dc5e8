import Foundation
import Testing

@testable import FulcrumCore

/// Every experiment test against SciPy and statsmodels to four decimals (fixture written by
/// scripts/crosscheck_experiments.py), sample-ratio mismatch on a broken split, power and sample size.
@Suite("Experiment statistics")
struct ExperimentStatisticsTests {
    static func cases(_ name: String) -> [[String: Any]] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/experiments_crosscheck.json")
        let fixture = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return fixture[name] as! [[String: Any]]
    }

    static func close(_ a: Double?, _ b: Any?, _ tolerance: Double = 5e-5) -> Bool {
        guard let a, let b = b as? Double else { return false }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    @Test("two-proportion z-test, Wald interval of the difference, Katz interval of the ratio")
    func proportions() {
        for c in Self.cases("proportions") {
            let t = ExperimentStatistics.proportions(
                control: c["x0"] as! Int, of: c["n0"] as! Int, treatment: c["x1"] as! Int, of: c["n1"] as! Int)
            #expect(Self.close(t.statistic, c["statistic"]), "\(c["x0"]!)")
            #expect(Self.close(t.pValue, c["p_value"]))
            #expect(Self.close(t.ciLow, c["ci_low"]) && Self.close(t.ciHigh, c["ci_high"]))
            #expect(Self.close(t.relativeLow, c["relative_low"]) && Self.close(t.relativeHigh, c["relative_high"]))
        }
    }

    @Test("Welch's t-test: statistic, degrees of freedom, p-value and interval")
    func welch() {
        for c in Self.cases("welch") {
            let t = ExperimentStatistics.welch(
                control: c["control"] as! [Double], treatment: c["treatment"] as! [Double])
            #expect(Self.close(t.statistic, c["statistic"]))
            #expect(Self.close(t.degreesOfFreedom, c["df"]))
            #expect(Self.close(t.pValue, c["p_value"]))
            #expect(Self.close(t.ciLow, c["ci_low"]) && Self.close(t.ciHigh, c["ci_high"]))
        }
    }

    @Test("Mann–Whitney U with ties: U and the asymptotic p-value")
    func mannWhitney() {
        for c in Self.cases("mann_whitney") {
            let t = ExperimentStatistics.mannWhitney(
                control: c["control"] as! [Double], treatment: c["treatment"] as! [Double])
            #expect(Self.close(t.u, c["u"]))
            #expect(Self.close(t.pValue, c["p_value"]))
        }
    }

    @Test("Cochran–Mantel–Haenszel statistic, p-value and pooled odds ratio")
    func cmh() {
        for c in Self.cases("cmh") {
            let tables = (c["tables"] as! [[Double]]).map { (a: $0[0], b: $0[1], c: $0[2], d: $0[3]) }
            let t = ExperimentStatistics.cochranMantelHaenszel(tables)
            #expect(Self.close(t.statistic, c["statistic"]))
            #expect(Self.close(t.pValue, c["p_value"]))
            #expect(Self.close(t.oddsRatio, c["odds_ratio"]))
        }
    }

    @Test("CUPED: θ, the variance ratio, and Welch on the adjusted outcome")
    func cuped() {
        for c in Self.cases("cuped") {
            let y = c["y"] as! [Double]
            let pre = c["pre"] as! [Double]
            let arm = c["treatment"] as! [Int]
            var control: [(y: Double, pre: Double)] = []
            var treatment: [(y: Double, pre: Double)] = []
            for i in y.indices {
                if arm[i] == 1 { treatment.append((y[i], pre[i])) } else { control.append((y[i], pre[i])) }
            }
            let t = ExperimentStatistics.cuped(control: control, treatment: treatment)
            #expect(Self.close(t.theta, c["theta"]))
            #expect(Self.close(t.varianceRatio, c["variance_ratio"]))
            #expect(Self.close(t.welch.pValue, c["p_value"]))
            #expect(Self.close(t.welch.ciLow, c["ci_low"]) && Self.close(t.welch.ciHigh, c["ci_high"]))
            // The adjustment shrinks the interval: the pre-period explains most of the variance.
            let plain = ExperimentStatistics.welch(control: control.map(\.y), treatment: treatment.map(\.y))
            #expect(t.welch.ciHigh - t.welch.ciLow < plain.ciHigh - plain.ciLow)
        }
    }

    @Test("sample-ratio mismatch: chi-square against the planned ratios; a broken split is flagged")
    func sampleRatio() {
        for c in Self.cases("srm") {
            let t = ExperimentStatistics.sampleRatio(counts: c["counts"] as! [Int], weights: c["weights"] as! [Double])
            #expect(Self.close(t.statistic, c["statistic"]))
            #expect(Self.close(t.pValue, c["p_value"]))
        }
        #expect(!ExperimentStatistics.sampleRatio(counts: [5050, 4950], weights: [1, 1]).mismatch)
        // A split that lost 4% of one arm (a filter applied after assignment) is caught.
        #expect(ExperimentStatistics.sampleRatio(counts: [5200, 4800], weights: [1, 1]).mismatch)
    }

    @Test("power and sample size as statsmodels' NormalIndPower")
    func power() {
        for c in Self.cases("power") {
            let effect = c["effect"] as! Double
            if c["kind"] as? String == "proportion" {
                #expect(
                    Self.close(
                        ExperimentPower.proportionEffect(baseline: c["p0"] as! Double, treatment: c["p1"] as! Double),
                        effect, 1e-10))
            }
            let ratio = c["ratio"] as! Double
            let n = ExperimentPower.sampleSize(effect: effect, power: c["power"] as! Double, ratio: ratio)
            #expect(Self.close(n, c["n"]), "\(n) vs \(c["n"]!)")
            #expect(
                Self.close(ExperimentPower.power(effect: effect, controlCount: 500, ratio: ratio), c["power_at_500"]))
        }
    }

    @Test("normal and t quantiles")
    func quantiles() {
        for c in Self.cases("quantiles") {
            let p = c["p"] as! Double
            #expect(Self.close(Distributions.studentQuantile(p, df: c["df"] as! Double), c["t"], 1e-8))
            #expect(Self.close(Distributions.normalQuantile(p), c["z"], 1e-10))
        }
    }

    @Test("alpha spending: O'Brien–Fleming spends almost nothing early and all of α at the end")
    func alphaSpending() {
        let obf = AlphaSpending.obrienFleming
        #expect(abs(obf.spent(1, alpha: 0.05) - 0.05) < 1e-12)
        #expect(obf.spent(0.25, alpha: 0.05) < 0.0001)
        #expect(abs(obf.spent(0.5, alpha: 0.05) - 0.005574596) < 1e-6)
        let looks = [0.25, 0.5, 0.75, 1.0]
        var previous = 0.0
        var total = 0.0
        for t in looks {
            total += obf.nominal(at: t, previous: previous, alpha: 0.05)
            previous = t
        }
        #expect(abs(total - 0.05) < 1e-12)
        #expect(abs(AlphaSpending.pocock.spent(1, alpha: 0.05) - 0.05) < 1e-12)
    }
}
