import Foundation

/// Fits what leads cost from monthly history: `log(spend) = log(k) + γ·log(leads)` by least
/// squares. The cost curve is fitted (spend on leads), not the response (leads on spend), because
/// budgets follow the leads a team plans to buy and the month's spend carries the noise; regressing
/// leads on a noisy spend would bias γ towards diminishing returns that are not there. γ > 1 with
/// a 95% interval above 1 is diminishing returns and the curve is kept; otherwise, or with fewer
/// than `minimumMonths` months, the response is linear at the pooled cost per lead (Σ spend ÷ Σ
/// leads) and the fit says why.
public struct LeadCostFit: Sendable, Codable, Equatable {
    public enum Method: String, Sendable, Codable { case curve, linear }

    public var method: Method
    public var cost: LeadCost
    public var months: Int
    /// 95% interval of the cost per lead (linear) or of k (curve).
    public var costPerLeadLow: Double
    public var costPerLeadHigh: Double
    /// The fitted elasticity and its 95% interval (nil when there were too few months to fit it).
    public var elasticity: Double?
    public var elasticityLow: Double?
    public var elasticityHigh: Double?
    /// Share of the variance of log spend the curve explains.
    public var rSquared: Double?
    /// Why this method, in words.
    public var reason: String

    public static let minimumMonths = 12

    /// `spend[t]` dollars bought `leads[t]` leads in month t; months without both are skipped.
    public static func fit(spend: [Double], leads: [Double]) -> LeadCostFit? {
        let pairs = zip(spend, leads).filter { $0.0 > 0 && $0.1 > 0 }
        guard !pairs.isEmpty else { return nil }
        let n = pairs.count
        let totalSpend = pairs.reduce(0) { $0 + $1.0 }
        let totalLeads = pairs.reduce(0) { $0 + $1.1 }
        let pooled = totalSpend / totalLeads
        // Ratio estimator's standard error (linearization): residuals of spend around pooled × leads.
        var ratioLow = pooled
        var ratioHigh = pooled
        if n > 1 {
            let ss = pairs.reduce(0.0) { $0 + Math.pow($1.0 - pooled * $1.1, 2) }
            let se = (ss * Double(n) / Double(n - 1)).squareRoot() / totalLeads
            let t = StudentT.quantile975(degreesOfFreedom: Double(n - 1))
            ratioLow = pooled - t * se
            ratioHigh = pooled + t * se
        }
        func linear(_ reason: String, _ g: Double? = nil, _ lo: Double? = nil, _ hi: Double? = nil, _ r2: Double? = nil)
            -> LeadCostFit
        {
            LeadCostFit(
                method: .linear, cost: LeadCost(costPerLead: pooled), months: n, costPerLeadLow: ratioLow,
                costPerLeadHigh: ratioHigh, elasticity: g, elasticityLow: lo, elasticityHigh: hi, rSquared: r2,
                reason: reason)
        }
        guard n >= minimumMonths else {
            return linear("linear: \(n) months of history, too short for a curve (needs \(minimumMonths))")
        }
        let x = pairs.map { Foundation.log($0.1) }
        let y = pairs.map { Foundation.log($0.0) }
        let mx = x.reduce(0, +) / Double(n)
        let my = y.reduce(0, +) / Double(n)
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let syy = y.reduce(0) { $0 + ($1 - my) * ($1 - my) }
        guard sxx > 1e-12 else { return linear("linear: lead volume did not vary enough to fit a curve") }
        let g = sxy / sxx
        let a = my - g * mx
        let sse = max(0, syy - g * sxy)
        let s2 = sse / Double(n - 2)
        let seG = (s2 / sxx).squareRoot()
        let seA = (s2 * (1 / Double(n) + mx * mx / sxx)).squareRoot()
        let t = StudentT.quantile975(degreesOfFreedom: Double(n - 2))
        let low = g - t * seG
        let high = g + t * seG
        let r2 = syy > 0 ? 1 - sse / syy : nil
        let interval = "elasticity \(fixed(g)) [\(fixed(low)), \(fixed(high))]"
        if low <= 1 && high >= 1 {
            return linear("linear: \(interval) includes 1, no diminishing returns shown", g, low, high, r2)
        }
        if high < 1 {
            return linear(
                "linear: \(interval) is below 1 (leads got cheaper with volume); linear is used", g, low, high, r2)
        }
        return LeadCostFit(
            method: .curve, cost: LeadCost(costPerLead: Foundation.exp(a), elasticity: g), months: n,
            costPerLeadLow: Foundation.exp(a - t * seA), costPerLeadHigh: Foundation.exp(a + t * seA), elasticity: g,
            elasticityLow: low, elasticityHigh: high, rSquared: r2,
            reason: "diminishing returns: \(interval); spend = \(fixed(Foundation.exp(a))) × leads^\(fixed(g))")
    }

    static func fixed(_ v: Double) -> String { String(format: "%.3f", v) }
}

/// Student's t quantiles for intervals, by the Cornish–Fisher expansion (Abramowitz & Stegun
/// 26.7.5): within 1e-4 of the exact value from 3 degrees of freedom up.
public enum StudentT {
    public static func quantile975(degreesOfFreedom v: Double) -> Double { quantile(z: 1.959963984540054, v) }

    public static func quantile(z: Double, _ v: Double) -> Double {
        guard v.isFinite else { return z }
        let z3 = z * z * z
        let z5 = z3 * z * z
        let z7 = z5 * z * z
        let z9 = z7 * z * z
        let g1 = (z3 + z) / 4
        let g2 = (5 * z5 + 16 * z3 + 3 * z) / 96
        let g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384
        let g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160
        return z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v)
    }
}
