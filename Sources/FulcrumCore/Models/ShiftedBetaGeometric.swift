/// The shifted-beta-geometric (sBG) retention model of Fader & Hardie (2007),
/// "How to project customer retention", J. Interactive Marketing 21(1).
///
/// Each customer churns at the end of each period with a constant probability θ;
/// θ varies across customers as Beta(α, β). Heterogeneity is why cohort retention
/// rises over time (the likely churners leave first), which a single churn rate misses.
///
/// Periods are renewal opportunities: T ∈ {1, 2, ...} is the period in which a customer
/// churns, S(t) = P(T > t) the share still active after t periods, S(0) = 1.
public struct ShiftedBetaGeometric: Sendable, Hashable, Codable {
    public var alpha: Double
    public var beta: Double

    public init(alpha: Double, beta: Double) {
        precondition(alpha > 0 && beta > 0, "sBG parameters must be positive")
        self.alpha = alpha
        self.beta = beta
    }

    /// α + β of `constantChurn`: large enough that θ's Beta distribution is a spike
    /// (its standard deviation is below 0.0002 for any θ), small enough for exact sums.
    static let homogeneousConcentration = 1e7

    /// The sBG's homogeneous limit: every customer churns with the same probability θ
    /// per period (the geometric model), as α, β → ∞ with α/(α+β) = θ. Used when survivor
    /// counts show no heterogeneity, where the sBG likelihood is highest at that limit.
    public static func constantChurn(_ theta: Double) -> ShiftedBetaGeometric {
        precondition(theta > 0 && theta < 1, "a constant churn rate is in (0, 1)")
        return ShiftedBetaGeometric(
            alpha: theta * homogeneousConcentration, beta: (1 - theta) * homogeneousConcentration)
    }

    /// The constant-churn MLE on survivor counts: θ = deaths ÷ periods at risk,
    /// Σ(N_{t−1} − N_t) ÷ ΣN_{t−1}, with its model and log-likelihood. Nil without churn,
    /// with everyone gone, or with fewer than three counts.
    public static func constantChurnFit(survivors counts: [Int]) -> (
        theta: Double, model: ShiftedBetaGeometric, logLikelihood: Double
    )? {
        guard counts.count >= 3, let last = counts.last, last < counts[0], last > 0 else { return nil }
        let theta = Double(counts[0] - last) / Double(counts.dropLast().reduce(0, +))
        guard theta > 0, theta < 1 else { return nil }
        let model = constantChurn(theta)
        return (theta, model, model.logLikelihood(survivors: counts))
    }

    /// True for a model made by `constantChurn` (no heterogeneity left to speak of).
    public var isConstantChurn: Bool { alpha + beta >= Self.homogeneousConcentration * 0.999 }

    /// P(T = t) for t ≥ 1, by P(1) = α/(α+β), P(t) = P(t−1)(β+t−2)/(α+β+t−1).
    public func churnProbability(_ t: Int) -> Double {
        precondition(t >= 1, "churn periods start at 1")
        var p = alpha / (alpha + beta)
        if t == 1 { return p }
        for i in 2...t { p *= (beta + Double(i) - 2) / (alpha + beta + Double(i) - 1) }
        return p
    }

    /// Retention rate r_t = S(t)/S(t−1) = (β+t−1)/(α+β+t−1), t ≥ 1; rises with t.
    public func retention(_ t: Int) -> Double {
        precondition(t >= 1, "retention periods start at 1")
        return (beta + Double(t) - 1) / (alpha + beta + Double(t) - 1)
    }

    /// S(t) = P(T > t) = r_1 ⋯ r_t; S(0) = 1.
    public func survival(_ t: Int) -> Double {
        precondition(t >= 0, "survival is defined from period 0")
        var s = 1.0
        if t == 0 { return s }
        for i in 1...t { s *= retention(i) }
        return s
    }

    /// S(0), S(1), …, S(periods).
    public func projectedSurvival(periods: Int) -> [Double] {
        var out = [1.0]
        out.reserveCapacity(periods + 1)
        var s = 1.0
        for t in stride(from: 1, through: periods, by: 1) {
            s *= retention(t)
            out.append(s)
        }
        return out
    }

    /// Expected survivors of a cohort of `cohortSize` for periods 0…`periods`.
    public func projectedSurvivors(cohortSize: Int, periods: Int) -> [Double] {
        projectedSurvival(periods: periods).map { $0 * Double(cohortSize) }
    }

    /// E[T] = Σ_{t≥0} S(t) = (α+β−1)/(α−1): expected number of periods a new customer pays for.
    /// nil when α ≤ 1, where the mean is infinite (a heavy tail of near-permanent customers).
    public var expectedLifetime: Double? {
        alpha > 1 ? (alpha + beta - 1) / (alpha - 1) : nil
    }

    /// Discounted expected lifetime of a new customer, payments at the start of each period:
    /// DEL(d) = Σ_{t≥0} S(t)/(1+d)^t = 2F1(1, β; α+β; 1/(1+d)). Requires d > 0.
    public func discountedExpectedLifetime(discountRate d: Double) -> Double {
        precondition(d > 0, "discount rate must be positive")
        return hypergeometric2F1(a: 1, b: beta, c: alpha + beta, z: 1 / (1 + d))
    }

    /// Discounted expected residual lifetime of a customer who has made `renewals` renewals
    /// (Fader & Hardie 2010, "Customer-base valuation in a contractual setting", Marketing Science 29(1), eq. 6):
    ///
    /// DERL(d | n) = [B(α, β+n+1) / B(α, β+n)] · 2F1(1, β+n+1; α+β+n+1; 1/(1+d))
    ///
    /// Convention (as in the paper): the customer is alive in period n (n = 0 for one just
    /// acquired, who has paid once) and is valued just before the decision to renew for
    /// period n+1. The j-th future payment (j ≥ 1) happens with probability S(n+j)/S(n) and is
    /// discounted by (1+d)^(j−1), i.e. DERL = Σ_{j≥1} S(n+j)/S(n) · (1+d)^−(j−1); so the next
    /// renewal payment is undiscounted. It follows that DEL = 1 + DERL(d | 0)/(1+d).
    /// The beta-function ratio equals (β+n)/(α+β+n). Requires d > 0.
    public func discountedExpectedResidualLifetime(discountRate d: Double, renewals n: Int) -> Double {
        precondition(d > 0, "discount rate must be positive")
        precondition(n >= 0, "renewals cannot be negative")
        let bn = beta + Double(n)
        let ratio = bn / (alpha + bn)
        return ratio * hypergeometric2F1(a: 1, b: bn + 1, c: alpha + bn + 1, z: 1 / (1 + d))
    }

    /// Discounted expected residual value: periodic value × DERL(d | n), in the value's units.
    public func discountedExpectedResidualValue(periodicValue: Double, discountRate d: Double, renewals n: Int)
        -> Double
    {
        periodicValue * discountedExpectedResidualLifetime(discountRate: d, renewals: n)
    }

    /// Log-likelihood Σ_{t=1..k} (N_{t−1} − N_t) ln P(t) + N_k ln S(k) of survivor counts N_0…N_k.
    public func logLikelihood(survivors counts: [Int]) -> Double {
        SBGLikelihood(counts: counts).value(alpha: alpha, beta: beta)
    }
}
