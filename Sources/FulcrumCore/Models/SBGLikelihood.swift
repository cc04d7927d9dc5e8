import Foundation

/// The sBG log-likelihood with its gradient and Hessian in (ln α, ln β).
///
/// Working in log parameters keeps α, β > 0 without constraints. The terms use
/// the recursion P(1) = α/(α+β), P(t) = P(t−1)(β+t−2)/(α+β+t−1) in log form:
/// ln P(t) = ln α + Σ_{j<t−1} ln(β+j) − Σ_{j<t} ln(α+β+j) and
/// ln S(t) = Σ_{j<t} [ln(β+j) − ln(α+β+j)], which avoids the cancellation in
/// S(t) = S(t−1) − P(t) and gives exact derivatives as sums of reciprocals.
struct SBGLikelihood {
    /// Churned in period t (index t−1) and survivors at the last period.
    let churned: [Double]
    let survivors: Double

    init(counts: [Int]) {
        churned = (1..<counts.count).map { Double(counts[$0 - 1] - counts[$0]) }
        survivors = Double(counts[counts.count - 1])
    }

    struct Evaluation {
        var value: Double
        var gradient: SIMD2<Double>
        /// Row-major [uu, uv, vv].
        var hessian: SIMD3<Double>
    }

    func value(alpha a: Double, beta b: Double) -> Double {
        var lnA = 0.0
        var lnB = 0.0
        var total = 0.0
        for (i, d) in churned.enumerated() {
            let j = Double(i)
            let lnBBefore = lnB
            lnA += log(a + b + j)
            lnB += log(b + j)
            if d > 0 { total += d * (log(a) + lnBBefore - lnA) }
        }
        return total + survivors * (lnB - lnA)
    }

    /// Value, gradient and Hessian with respect to u = ln α, v = ln β.
    func evaluate(u: Double, v: Double) -> Evaluation {
        let a = exp(u)
        let b = exp(v)
        var lnA = 0.0
        var lnB = 0.0
        var a1 = 0.0
        var a2 = 0.0
        var b1 = 0.0
        var b2 = 0.0
        var f = 0.0
        var ga = 0.0
        var gb = 0.0
        var haa = 0.0
        var hab = 0.0
        var hbb = 0.0
        for (i, d) in churned.enumerated() {
            let j = Double(i)
            let (lnBp, b1p, b2p) = (lnB, b1, b2)
            let s = a + b + j
            let r = b + j
            lnA += log(s)
            a1 += 1 / s
            a2 += 1 / (s * s)
            lnB += log(r)
            b1 += 1 / r
            b2 += 1 / (r * r)
            guard d > 0 else { continue }
            f += d * (log(a) + lnBp - lnA)
            ga += d * (1 / a - a1)
            gb += d * (b1p - a1)
            haa += d * (-1 / (a * a) + a2)
            hab += d * a2
            hbb += d * (-b2p + a2)
        }
        let n = survivors
        f += n * (lnB - lnA)
        ga += n * -a1
        gb += n * (b1 - a1)
        haa += n * a2
        hab += n * a2
        hbb += n * (-b2 + a2)
        return Evaluation(
            value: f,
            gradient: SIMD2(a * ga, b * gb),
            hessian: SIMD3(a * a * haa + a * ga, a * b * hab, b * b * hbb + b * gb))
    }
}
