import Foundation

/// A maximum-likelihood sBG fit and how it was reached.
public struct SBGFit: Sendable, Hashable, Codable {
    public var model: ShiftedBetaGeometric
    public var logLikelihood: Double
    /// Nelder–Mead plus Newton iterations.
    public var iterations: Int
    /// True when Newton's steps shrank below 1e-10 in (ln α, ln β) at a point where the
    /// likelihood is locally concave, away from the search bounds (|ln α|, |ln β| < 24).
    /// False means the optimum is on the boundary or at infinity; treat the parameters as unreliable.
    public var converged: Bool

    public var alpha: Double { model.alpha }
    public var beta: Double { model.beta }

    /// The constant-churn limit θ = Σ(N(t−1) − N(t)) ÷ ΣN(t−1) when this fit found no interior
    /// maximum and the limit is at least as likely (to 1e-6 in log-likelihood): the likelihood then
    /// rises toward α, β → ∞, so the limit is the optimum. Nil for a converged fit.
    public func homogeneousLimit(survivors counts: [Int]) -> (
        theta: Double, model: ShiftedBetaGeometric, logLikelihood: Double
    )? {
        guard !converged, let limit = ShiftedBetaGeometric.constantChurnFit(survivors: counts),
            limit.logLikelihood >= logLikelihood - 1e-6
        else { return nil }
        return limit
    }
}

extension ShiftedBetaGeometric {
    /// Search bound on |ln α| and |ln β|; far beyond any plausible cohort.
    static let logBound = 25.0

    /// Fits α, β by maximum likelihood to survivor counts N_0 ≥ N_1 ≥ … ≥ N_k (N_0 = cohort size).
    ///
    /// Deterministic: a fixed grid picks the start, Nelder–Mead (restarted until it stops
    /// improving) gets near the optimum, and Newton's method with a backtracking line search
    /// polishes it to a relative step below 1e-10 using the analytic Hessian.
    public static func fit(survivors counts: [Int]) throws(SBGFitError) -> SBGFit {
        try validate(counts)
        let likelihood = SBGLikelihood(counts: counts)
        let objective = { (x: SIMD2<Double>) -> Double in
            guard abs(x.x) <= logBound, abs(x.y) <= logBound else { return .infinity }
            let v = likelihood.value(alpha: exp(x.x), beta: exp(x.y))
            return v.isFinite ? -v : .infinity
        }
        var start = SIMD2(0.0, 0.0)
        var best = objective(start)
        for u in stride(from: -4.0, through: 6.0, by: 1.0) {
            for v in stride(from: -4.0, through: 6.0, by: 1.0) {
                let f = objective(SIMD2(u, v))
                if f < best {
                    best = f
                    start = SIMD2(u, v)
                }
            }
        }
        var iterations = 0
        var simplex = NelderMead2D().minimize(objective, from: start)
        iterations += simplex.iterations
        for _ in 0..<5 {
            let again = NelderMead2D(step: 0.1).minimize(objective, from: simplex.x)
            iterations += again.iterations
            let improved = again.value < simplex.value - 1e-12 * abs(simplex.value)
            if again.value < simplex.value { simplex = again }
            if !improved { break }
        }
        let (x, newtonSteps, converged) = polish(likelihood, from: simplex.x)
        iterations += newtonSteps
        let model = ShiftedBetaGeometric(alpha: exp(x.x), beta: exp(x.y))
        return SBGFit(
            model: model, logLikelihood: likelihood.value(alpha: model.alpha, beta: model.beta),
            iterations: iterations, converged: converged)
    }

    static func validate(_ counts: [Int]) throws(SBGFitError) {
        guard counts.count >= 3 else { throw .tooFewPeriods(count: counts.count) }
        for (t, n) in counts.enumerated() where n < 0 { throw .negativeCount(period: t, value: n) }
        for t in 1..<counts.count where counts[t] > counts[t - 1] {
            throw .increasingCounts(period: t, previous: counts[t - 1], value: counts[t])
        }
        guard counts[0] > 0 else { throw .emptyCohort }
        guard counts[counts.count - 1] < counts[0] else { throw .noChurn(cohortSize: counts[0]) }
        guard counts[1] > 0 else { throw .everyoneChurnedInFirstPeriod(cohortSize: counts[0]) }
    }

    /// Newton's method on (ln α, ln β) with a backtracking line search; where the Hessian is
    /// not negative definite the step is regularised (Levenberg) so it still goes uphill.
    static func polish(_ likelihood: SBGLikelihood, from start: SIMD2<Double>) -> (SIMD2<Double>, Int, Bool) {
        var x = start
        var steps = 0
        for _ in 0..<200 {
            steps += 1
            let e = likelihood.evaluate(u: x.x, v: x.y)
            let g = e.gradient
            var (huu, huv, hvv) = (-e.hessian.x, -e.hessian.y, -e.hessian.z)
            let concave = huu > 0 && huu * hvv - huv * huv > 0
            if !concave {
                let shift = 1e-3 * max(1, abs(huu) + abs(hvv)) + max(0, -min(huu, hvv)) + abs(huv)
                huu += shift
                hvv += shift
            }
            let det = huu * hvv - huv * huv
            let delta = SIMD2((hvv * g.x - huv * g.y) / det, (huu * g.y - huv * g.x) / det)
            if concave && max(abs(delta.x), abs(delta.y)) < 1e-10 {
                let inside = abs(x.x) < logBound - 1 && abs(x.y) < logBound - 1
                return (x, steps, inside)
            }
            var t = 1.0
            var accepted = false
            while t > 1e-12 {
                let candidate = x + t * delta
                if abs(candidate.x) <= logBound, abs(candidate.y) <= logBound {
                    let fc = likelihood.value(alpha: exp(candidate.x), beta: exp(candidate.y))
                    if fc.isFinite && fc >= e.value - 1e-13 * abs(e.value) {
                        x = candidate
                        accepted = true
                        break
                    }
                }
                t /= 2
            }
            if !accepted { return (x, steps, false) }
        }
        return (x, steps, false)
    }
}
