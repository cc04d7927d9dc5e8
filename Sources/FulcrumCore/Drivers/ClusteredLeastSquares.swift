import Foundation

/// Ordinary least squares with cluster-robust (sandwich) standard errors: the estimator behind
/// `fulcrum drivers`. Rows of one account are correlated (an account appears in many quarters), so
/// the variance is summed by cluster, not by row (CR1: Liang–Zeger with the small-sample factor
/// G/(G−1)·(n−1)/(n−k), as Stata's `regress, vce(cluster)` and statsmodels' `cov_type="cluster"` use).
public struct ClusteredLeastSquares: Sendable {
    /// Coefficients in column order; zero for an aliased column.
    public var coefficients: [Double]
    /// Cluster-robust standard errors; nil for an aliased column.
    public var standardErrors: [Double?]
    /// Columns dropped because they are a linear combination of earlier ones (or constant zero).
    public var aliased: [Bool]
    public var rows: Int
    public var clusters: Int

    /// Fits `y = X β + ε`. `x` is row-major with `columns` values per row; `cluster[i]` names row i's group.
    public static func fit(x: [Double], columns k: Int, y: [Double], cluster: [Int64]) -> ClusteredLeastSquares {
        let n = y.count
        precondition(x.count == n * k && cluster.count == n)
        // XᵀX and Xᵀy.
        var xtx = [Double](repeating: 0, count: k * k)
        var xty = [Double](repeating: 0, count: k)
        for i in 0..<n {
            let base = i * k
            for a in 0..<k {
                let va = x[base + a]
                guard va != 0 else { continue }
                xty[a] += va * y[i]
                for b in a..<k { xtx[a * k + b] += va * x[base + b] }
            }
        }
        for a in 0..<k { for b in 0..<a { xtx[a * k + b] = xtx[b * k + a] } }
        let (inverse, aliased) = symmetricInverse(xtx, k)
        var beta = [Double](repeating: 0, count: k)
        for a in 0..<k where !aliased[a] {
            var s = 0.0
            for b in 0..<k where !aliased[b] { s += inverse[a * k + b] * xty[b] }
            beta[a] = s
        }
        // Meat: Σ_g (X_gᵀ u_g)(X_gᵀ u_g)ᵀ, rows grouped by cluster.
        var order = Array(0..<n)
        order.sort { cluster[$0] < cluster[$1] }
        var meat = [Double](repeating: 0, count: k * k)
        var score = [Double](repeating: 0, count: k)
        var groups = 0
        var i = 0
        while i < n {
            let g = cluster[order[i]]
            for a in 0..<k { score[a] = 0 }
            while i < n, cluster[order[i]] == g {
                let r = order[i]
                let base = r * k
                var fitted = 0.0
                for a in 0..<k { fitted += x[base + a] * beta[a] }
                let u = y[r] - fitted
                for a in 0..<k { score[a] += x[base + a] * u }
                i += 1
            }
            groups += 1
            for a in 0..<k where score[a] != 0 { for b in 0..<k { meat[a * k + b] += score[a] * score[b] } }
        }
        let used = aliased.filter { !$0 }.count
        let factor =
            groups > 1 && n > used
            ? Double(groups) / Double(groups - 1) * Double(n - 1) / Double(n - used) : .nan
        var se = [Double?](repeating: nil, count: k)
        for a in 0..<k where !aliased[a] {
            // (A M A)_aa with A = (XᵀX)⁻¹.
            var v = 0.0
            for b in 0..<k where !aliased[b] {
                let ab = inverse[a * k + b]
                guard ab != 0 else { continue }
                var inner = 0.0
                for c in 0..<k where !aliased[c] { inner += meat[b * k + c] * inverse[c * k + a] }
                v += ab * inner
            }
            se[a] = (max(0, v) * factor).squareRoot()
        }
        return ClusteredLeastSquares(
            coefficients: beta, standardErrors: se, aliased: aliased, rows: n, clusters: groups)
    }

    /// The inverse of a symmetric positive semi-definite k × k matrix on its non-aliased columns, by
    /// Gauss–Jordan with the diagonal as pivots: a column whose remaining pivot is below 1e-9 of its
    /// original diagonal is a combination of the columns before it and is marked aliased (its rows and
    /// columns of the result are zero).
    static func symmetricInverse(_ m: [Double], _ k: Int) -> ([Double], [Bool]) {
        var a = m
        var inv = [Double](repeating: 0, count: k * k)
        for i in 0..<k { inv[i * k + i] = 1 }
        var aliased = [Bool](repeating: false, count: k)
        for col in 0..<k {
            let original = m[col * k + col]
            let pivot = a[col * k + col]
            guard original > 0, pivot > 1e-9 * original else {
                aliased[col] = true
                for j in 0..<k {
                    a[col * k + j] = 0
                    a[j * k + col] = 0
                    inv[col * k + j] = 0
                    inv[j * k + col] = 0
                }
                continue
            }
            let scale = 1 / pivot
            for j in 0..<k {
                a[col * k + j] *= scale
                inv[col * k + j] *= scale
            }
            for row in 0..<k where row != col {
                let f = a[row * k + col]
                guard f != 0 else { continue }
                for j in 0..<k {
                    a[row * k + j] -= f * a[col * k + j]
                    inv[row * k + j] -= f * inv[col * k + j]
                }
            }
        }
        return (inv, aliased)
    }
}

/// The standard normal distribution's tail, for two-sided p-values and 95% intervals.
public enum StandardNormal {
    /// z of a two-sided 95% interval.
    public static let z975 = 1.959963984540054

    /// P(|Z| ≥ |z|).
    public static func twoSidedP(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }
}
