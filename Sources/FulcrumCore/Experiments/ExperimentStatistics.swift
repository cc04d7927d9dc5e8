import Foundation

/// The tests an experiment's analysis runs, each returning its statistic, p-value and 95%
/// interval under the conventions SciPy and statsmodels use (checked against them to four
/// decimals by `scripts/crosscheck_experiments.py`). Differences are treatment − control.
public enum ExperimentStatistics {
    /// Two-proportion z-test (pooled standard error for the test, unpooled for the interval, as
    /// statsmodels' `proportions_ztest` and `confint_proportions_2indep(method="wald")`); the
    /// relative lift's interval is Katz's log-ratio interval (`compare="ratio", method="log"`).
    public struct ProportionTest: Sendable, Codable, Equatable {
        public var controlRate: Double
        public var treatmentRate: Double
        public var difference: Double
        public var ciLow: Double
        public var ciHigh: Double
        public var relativeLift: Double?
        public var relativeLow: Double?
        public var relativeHigh: Double?
        public var statistic: Double
        public var pValue: Double
    }

    public static func proportions(control x0: Int, of n0: Int, treatment x1: Int, of n1: Int, alpha: Double = 0.05)
        -> ProportionTest
    {
        let p0 = Double(x0) / Double(n0)
        let p1 = Double(x1) / Double(n1)
        let pooled = Double(x0 + x1) / Double(n0 + n1)
        let sePooled = (pooled * (1 - pooled) * (1 / Double(n0) + 1 / Double(n1))).squareRoot()
        let z = sePooled > 0 ? (p1 - p0) / sePooled : 0
        let p = sePooled > 0 ? Distributions.normalTwoSided(z) : 1
        let se = (p0 * (1 - p0) / Double(n0) + p1 * (1 - p1) / Double(n1)).squareRoot()
        let q = Distributions.normalQuantile(1 - alpha / 2)
        var test = ProportionTest(
            controlRate: p0, treatmentRate: p1, difference: p1 - p0, ciLow: p1 - p0 - q * se, ciHigh: p1 - p0 + q * se,
            statistic: z, pValue: p)
        if x0 > 0 && x1 > 0 {
            let ratio = p1 / p0
            let seLog = (1 / Double(x1) - 1 / Double(n1) + 1 / Double(x0) - 1 / Double(n0)).squareRoot()
            test.relativeLift = ratio - 1
            test.relativeLow = ratio * exp(-q * seLog) - 1
            test.relativeHigh = ratio * exp(q * seLog) - 1
        }
        return test
    }

    /// Welch's unequal-variance t-test (SciPy's `ttest_ind(equal_var=False)`), its interval on
    /// the Welch–Satterthwaite degrees of freedom, and the relative lift's delta-method interval.
    public struct WelchTest: Sendable, Codable, Equatable {
        public var controlMean: Double
        public var treatmentMean: Double
        public var difference: Double
        public var standardError: Double
        public var statistic: Double
        public var degreesOfFreedom: Double
        public var pValue: Double
        public var ciLow: Double
        public var ciHigh: Double
        public var relativeLift: Double?
        public var relativeLow: Double?
        public var relativeHigh: Double?
    }

    public static func welch(control a: [Double], treatment b: [Double], alpha: Double = 0.05) -> WelchTest {
        let (m0, v0) = meanVariance(a)
        let (m1, v1) = meanVariance(b)
        let n0 = Double(a.count)
        let n1 = Double(b.count)
        let s0 = v0 / n0
        let s1 = v1 / n1
        let se = (s0 + s1).squareRoot()
        let df = se > 0 ? (s0 + s1) * (s0 + s1) / (s0 * s0 / (n0 - 1) + s1 * s1 / (n1 - 1)) : n0 + n1 - 2
        let t = se > 0 ? (m1 - m0) / se : 0
        let p = se > 0 ? Distributions.studentTwoSided(t, df: df) : 1
        let q = se > 0 ? Distributions.studentQuantile(1 - alpha / 2, df: df) : 0
        var test = WelchTest(
            controlMean: m0, treatmentMean: m1, difference: m1 - m0, standardError: se, statistic: t,
            degreesOfFreedom: df, pValue: p, ciLow: m1 - m0 - q * se, ciHigh: m1 - m0 + q * se)
        if m0 != 0 {
            let ratio = m1 / m0
            let seRatio = (s1 / (m0 * m0) + m1 * m1 * s0 / (m0 * m0 * m0 * m0)).squareRoot()
            let z = Distributions.normalQuantile(1 - alpha / 2)
            test.relativeLift = ratio - 1
            test.relativeLow = ratio - 1 - z * seRatio
            test.relativeHigh = ratio - 1 + z * seRatio
        }
        return test
    }

    /// Mann–Whitney U (SciPy's `mannwhitneyu(treatment, control, method="asymptotic")`): the
    /// treatment's U, the normal approximation with the tie correction and continuity correction.
    public struct MannWhitneyTest: Sendable, Codable, Equatable {
        public var u: Double
        public var statistic: Double
        public var pValue: Double
    }

    public static func mannWhitney(control a: [Double], treatment b: [Double]) -> MannWhitneyTest {
        let n1 = Double(b.count)
        let n2 = Double(a.count)
        var all = b.map { ($0, true) } + a.map { ($0, false) }
        all.sort { $0.0 < $1.0 }
        var rankSum = 0.0
        var ties = 0.0
        var i = 0
        while i < all.count {
            var j = i
            while j + 1 < all.count && all[j + 1].0 == all[i].0 { j += 1 }
            let rank = Double(i + j) / 2 + 1
            let t = Double(j - i + 1)
            ties += t * t * t - t
            for k in i...j where all[k].1 { rankSum += rank }
            i = j + 1
        }
        let u1 = rankSum - n1 * (n1 + 1) / 2
        let u = max(u1, n1 * n2 - u1)
        let n = n1 + n2
        let sigma = (n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))).squareRoot()
        let z = sigma > 0 ? (u - n1 * n2 / 2 - 0.5) / sigma : 0
        let p = sigma > 0 ? min(1, 2 * (1 - Distributions.normalCDF(z))) : 1
        return MannWhitneyTest(u: u1, statistic: z, pValue: p)
    }

    /// Cochran–Mantel–Haenszel test over strata (statsmodels' `StratifiedTable.test_null_odds()`,
    /// no continuity correction) and the Mantel–Haenszel pooled odds ratio.
    public struct CMHTest: Sendable, Codable, Equatable {
        public var statistic: Double
        public var pValue: Double
        public var oddsRatio: Double?
        public var strata: Int
    }

    /// Each stratum: treatment successes and failures, control successes and failures.
    public static func cochranMantelHaenszel(_ tables: [(a: Double, b: Double, c: Double, d: Double)]) -> CMHTest {
        var observed = 0.0
        var expected = 0.0
        var variance = 0.0
        var num = 0.0
        var den = 0.0
        var used = 0
        for t in tables {
            let n = t.a + t.b + t.c + t.d
            guard n > 1 else { continue }
            used += 1
            observed += t.a
            expected += (t.a + t.b) * (t.a + t.c) / n
            variance += (t.a + t.b) * (t.c + t.d) * (t.a + t.c) * (t.b + t.d) / (n * n * (n - 1))
            num += t.a * t.d / n
            den += t.b * t.c / n
        }
        let stat = variance > 0 ? (observed - expected) * (observed - expected) / variance : 0
        return CMHTest(
            statistic: stat, pValue: variance > 0 ? Distributions.chiSquareUpper(stat, df: 1) : 1,
            oddsRatio: den > 0 ? num / den : nil, strata: used)
    }

    /// CUPED (Deng et al. 2013): the outcome less θ × (its pre-period value − the pre-period mean),
    /// θ = cov(y, x) ÷ var(x) over both arms together; the adjusted outcomes then go through Welch.
    /// `varianceRatio` = var(adjusted) ÷ var(y) = 1 − ρ²: how much the pre-period explained.
    public struct CUPEDTest: Sendable, Codable, Equatable {
        public var theta: Double
        public var varianceRatio: Double
        public var welch: WelchTest
    }

    public static func cuped(
        control: [(y: Double, pre: Double)], treatment: [(y: Double, pre: Double)], alpha: Double = 0.05
    ) -> CUPEDTest {
        let all = control + treatment
        let n = Double(all.count)
        let my = all.reduce(0) { $0 + $1.y } / n
        let mx = all.reduce(0) { $0 + $1.pre } / n
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        for r in all {
            sxy += (r.y - my) * (r.pre - mx)
            sxx += (r.pre - mx) * (r.pre - mx)
            syy += (r.y - my) * (r.y - my)
        }
        let theta = sxx > 0 ? sxy / sxx : 0
        let adjust = { (r: (y: Double, pre: Double)) in r.y - theta * (r.pre - mx) }
        let adjusted = all.map(adjust)
        let ssAdjusted = adjusted.reduce(0.0) { $0 + ($1 - my) * ($1 - my) }
        return CUPEDTest(
            theta: theta, varianceRatio: syy > 0 ? ssAdjusted / syy : 1,
            welch: welch(control: control.map(adjust), treatment: treatment.map(adjust), alpha: alpha))
    }

    /// Sample-ratio mismatch: Pearson's chi-square of the arms' counts against the planned ratios
    /// (SciPy's `chisquare`); a p-value below 0.001 means the assignment is broken.
    public struct SampleRatioTest: Sendable, Codable, Equatable {
        public var observed: [Int]
        public var expected: [Double]
        public var statistic: Double
        public var degreesOfFreedom: Int
        public var pValue: Double
        public var mismatch: Bool
    }

    public static let sampleRatioThreshold = 0.001

    public static func sampleRatio(counts: [Int], weights: [Double]) -> SampleRatioTest {
        let total = Double(counts.reduce(0, +))
        let sum = weights.reduce(0, +)
        let expected = weights.map { total * $0 / sum }
        var stat = 0.0
        for (o, e) in zip(counts, expected) where e > 0 { stat += (Double(o) - e) * (Double(o) - e) / e }
        let df = counts.count - 1
        let p = df > 0 ? Distributions.chiSquareUpper(stat, df: Double(df)) : 1
        return SampleRatioTest(
            observed: counts, expected: expected, statistic: stat, degreesOfFreedom: df, pValue: p,
            mismatch: p < sampleRatioThreshold)
    }

    static func meanVariance(_ x: [Double]) -> (Double, Double) {
        guard !x.isEmpty else { return (0, 0) }
        let m = x.reduce(0, +) / Double(x.count)
        guard x.count > 1 else { return (m, 0) }
        let v = x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
        return (m, v)
    }
}

/// Sample size and power for a two-arm comparison (statsmodels' `NormalIndPower`, two-sided):
/// a standardized effect — Cohen's h = 2·asin√p₁ − 2·asin√p₀ for proportions, δ ÷ σ for means.
public enum ExperimentPower {
    public static func proportionEffect(baseline p0: Double, treatment p1: Double) -> Double {
        2 * asin(p1.squareRoot()) - 2 * asin(p0.squareRoot())
    }

    /// Power with `n` in the control arm and `n × ratio` in the treatment arm.
    public static func power(effect: Double, controlCount n: Double, ratio: Double = 1, alpha: Double = 0.05)
        -> Double
    {
        let effective = 1 / (1 / n + 1 / (n * ratio))
        let crit = Distributions.normalQuantile(1 - alpha / 2)
        let shift = abs(effect) * effective.squareRoot()
        return (1 - Distributions.normalCDF(crit - shift)) + Distributions.normalCDF(-crit - shift)
    }

    /// The (fractional) control-arm size that reaches `power`; round up for a plan.
    public static func sampleSize(effect: Double, power target: Double = 0.8, ratio: Double = 1, alpha: Double = 0.05)
        -> Double
    {
        guard effect != 0 else { return .infinity }
        var low = 1e-6
        var high = 1.0
        while power(effect: effect, controlCount: high, ratio: ratio, alpha: alpha) < target { high *= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if power(effect: effect, controlCount: mid, ratio: ratio, alpha: alpha) < target {
                low = mid
            } else {
                high = mid
            }
        }
        return (low + high) / 2
    }
}

/// Alpha spending for interim looks (Lan & DeMets): the share of α that may be spent by the
/// information fraction t. Each look tests at the α spent since the previous look, a
/// conservative (Bonferroni) use of the spending function that never exceeds α in total.
public enum AlphaSpending: String, Sendable, Codable, CaseIterable {
    case none
    case obrienFleming = "obrien-fleming"
    case pocock

    public func spent(_ t: Double, alpha: Double) -> Double {
        let t = min(max(t, 0), 1)
        switch self {
        case .none: return t >= 1 ? alpha : 0
        case .obrienFleming:
            guard t > 0 else { return 0 }
            return 2 - 2 * Distributions.normalCDF(Distributions.normalQuantile(1 - alpha / 2) / t.squareRoot())
        case .pocock: return alpha * log(1 + (M_E - 1) * t)
        }
    }

    /// The nominal α for a look at information fraction `t` after one at `previous`.
    public func nominal(at t: Double, previous: Double, alpha: Double) -> Double {
        max(0, spent(t, alpha: alpha) - spent(previous, alpha: alpha))
    }
}
