import Dispatch
import Foundation

/// L2-regularized logistic regression fitted exactly by Newton's method: the objective is
/// scikit-learn's `LogisticRegression(C:)` — Σ log-loss + ‖w‖² ÷ (2C), intercept not penalized —
/// so the same data gives the same coefficients (Tests/FulcrumCoreTests/PredictionTests.swift holds
/// scikit-learn's output for a fixed data set).
public struct LogisticRegression: Sendable, Hashable, Codable {
    public var intercept: Double
    public var weights: [Double]

    public init(intercept: Double, weights: [Double]) {
        self.intercept = intercept
        self.weights = weights
    }

    /// Fits on `x` (row-major, `columns` values per row, no missing values) and 1/0 `y`. Each pass over the
    /// rows sums the loss, the gradient and (when asked) the Hessian over two halves of the rows at once.
    /// The Hessian — the O(rows × columns²) part — is summed over every `stride`-th row only (at most about
    /// 50,000 rows, scaled up) and refreshed only while the gradient shrinks less than fourfold per step or a
    /// step needs halving: a sampled, older Hessian still points the way, and since every step uses the exact
    /// gradient the fixed point is the same exact optimum.
    public static func fit(x: [Double], columns k: Int, y: [Double], c: Double = 1, maxIterations: Int = 100)
        -> LogisticRegression
    {
        let n = y.count
        precondition(x.count == n * k)
        let lambda = 1 / c
        // Parameters: [b, w₁ … w_k].
        let m = k + 1
        var theta = [Double](repeating: 0, count: m)
        let rate = y.reduce(0, +) / Double(max(1, n))
        if rate > 0 && rate < 1 { theta[0] = Foundation.log(rate / (1 - rate)) }
        let chunks = n >= 20_000 ? 2 : 1
        let bounds = (0...chunks).map { $0 * n / chunks }
        let stride = max(1, n / 50_000)

        /// Σ log-loss over rows lo..<hi at `t`, its gradient, and (when `hessian`) the upper Hessian.
        @Sendable func pass(_ t: [Double], _ lo: Int, _ hi: Int, hessian wanted: Bool) -> (Double, [Double], [Double]) {
            var loss = 0.0
            var gradient = [Double](repeating: 0, count: m)
            var hessian = [Double](repeating: 0, count: wanted ? m * m : 0)
            x.withUnsafeBufferPointer { xs in
                y.withUnsafeBufferPointer { ys in
                    gradient.withUnsafeMutableBufferPointer { gd in
                        hessian.withUnsafeMutableBufferPointer { hs in
                            for i in lo..<hi {
                                let base = i * k
                                var z = t[0]
                                for j in 0..<k { z += xs[base + j] * t[1 + j] }
                                loss += softplus(z) - ys[i] * z
                                let p = sigmoid(z)
                                let r = p - ys[i]
                                gd[0] += r
                                for j in 0..<k { gd[1 + j] += xs[base + j] * r }
                                guard wanted, i % stride == 0 else { continue }
                                let s = p * (1 - p)
                                hs[0] += s
                                for a in 0..<k {
                                    let va = xs[base + a]
                                    guard va != 0 else { continue }
                                    let sa = s * va
                                    hs[a + 1] += sa
                                    let offset = (a + 1) * m + 1
                                    for b in a..<k { hs[offset + b] += sa * xs[base + b] }
                                }
                            }
                        }
                    }
                }
            }
            return (loss, gradient, hessian)
        }
        /// The penalized objective, its gradient and (when `hessian`) its full Hessian, the halves side by side.
        func evaluate(_ t: [Double], hessian wanted: Bool) -> (Double, [Double], [Double]) {
            let parts = ParallelParts<(Double, [Double], [Double])>(count: chunks)
            DispatchQueue.concurrentPerform(iterations: chunks) { part in
                parts.set(part, pass(t, bounds[part], bounds[part + 1], hessian: wanted))
            }
            var total = parts.get(0)
            for part in 1..<chunks {
                let p = parts.get(part)
                total.0 += p.0
                for a in total.1.indices { total.1[a] += p.1[a] }
                for a in total.2.indices { total.2[a] += p.2[a] }
            }
            var penalty = 0.0
            for j in 1..<m {
                penalty += t[j] * t[j]
                total.1[j] += lambda * t[j]
            }
            total.0 += lambda * penalty / 2
            if wanted {
                if stride > 1 { for a in total.2.indices { total.2[a] *= Double(stride) } }
                for a in 1..<m { total.2[a * m + a] += lambda }
                for a in 0..<m { for b in 0..<a { total.2[a * m + b] = total.2[b * m + a] } }
            }
            return total
        }
        func norm(_ g: [Double]) -> Double { g.reduce(0) { max($0, abs($1)) } }
        var (current, gradient, hessian) = evaluate(theta, hessian: true)
        guard var factor = choleskyFactor(hessian, m) else {
            return LogisticRegression(intercept: theta[0], weights: Array(theta[1...]))
        }
        var gradientNorm = norm(gradient)
        var fresh = true
        for _ in 0..<maxIterations {
            let step = choleskySolve(factor, gradient, m)
            // A step along the (possibly older) Newton direction, halved until the objective falls.
            var scale = 1.0
            var next = theta
            var trial = (current, gradient, [Double]())
            for _ in 0..<30 {
                for a in 0..<m { next[a] = theta[a] - scale * step[a] }
                trial = evaluate(next, hessian: false)
                if trial.0 <= current { break }
                scale /= 2
            }
            let moved = zip(theta, next).map { abs($0 - $1) }.max() ?? 0
            let improvement = current - trial.0
            theta = next
            current = trial.0
            gradient = trial.1
            // Coefficients settled to 1e-8 (scikit-learn's default stops far earlier, at a gradient of 1e-4) —
            // trusted only after a full step or along a Hessian just computed here: a sampled or older one that
            // needed halving may merely have stalled, so it is refreshed and the step tried again.
            let settled = moved < 1e-8 || improvement < 1e-14 * max(1, abs(current))
            if settled && (scale == 1 || fresh) { break }
            let previousNorm = gradientNorm
            gradientNorm = norm(gradient)
            fresh = false
            // Refresh the Hessian unless the old one still shrinks the gradient fourfold per step.
            if settled || scale < 1 || gradientNorm > previousNorm / 4 {
                fresh = true
                hessian = evaluate(theta, hessian: true).2
                guard let refreshed = choleskyFactor(hessian, m) else { break }
                factor = refreshed
            }
        }
        return LogisticRegression(intercept: theta[0], weights: Array(theta[1...]))
    }

    /// The log-odds for one row.
    public func logit(_ row: ArraySlice<Double>) -> Double {
        var z = intercept
        for (j, v) in zip(weights.indices, row) { z += weights[j] * v }
        return z
    }

    public func probability(_ row: ArraySlice<Double>) -> Double { sigmoid(logit(row)) }

    /// Exact contributions to the log-odds: wⱼ × (xⱼ − the training mean of xⱼ). They sum to the row's
    /// log-odds minus the log-odds at the mean row.
    public func contributions(_ row: ArraySlice<Double>, means: [Double]) -> [Double] {
        zip(weights.indices, row).map { j, v in weights[j] * (v - means[j]) }
    }
}

@inline(__always) public func sigmoid(_ z: Double) -> Double {
    z >= 0 ? 1 / (1 + Foundation.exp(-z)) : Foundation.exp(z) / (1 + Foundation.exp(z))
}

@inline(__always) func softplus(_ z: Double) -> Double {
    z > 0 ? z + Foundation.log1p(Foundation.exp(-z)) : Foundation.log1p(Foundation.exp(z))
}

/// Solves A x = b for a symmetric positive definite A by Cholesky; nil when A is not positive definite.
func solveSymmetric(_ a: [Double], _ b: [Double], _ m: Int) -> [Double]? {
    choleskyFactor(a, m).map { choleskySolve($0, b, m) }
}

/// The lower Cholesky factor L of a symmetric positive definite A (A = L Lᵀ); nil when A is not.
func choleskyFactor(_ a: [Double], _ m: Int) -> [Double]? {
    var l = [Double](repeating: 0, count: m * m)
    for i in 0..<m {
        for j in 0...i {
            var s = a[i * m + j]
            for p in 0..<j { s -= l[i * m + p] * l[j * m + p] }
            if i == j {
                guard s > 1e-300 else { return nil }
                l[i * m + i] = s.squareRoot()
            } else {
                l[i * m + j] = s / l[j * m + j]
            }
        }
    }
    return l
}

/// Solves L Lᵀ x = b with the factor of `choleskyFactor`.
func choleskySolve(_ l: [Double], _ b: [Double], _ m: Int) -> [Double] {
    var y = b
    for i in 0..<m {
        for p in 0..<i { y[i] -= l[i * m + p] * y[p] }
        y[i] /= l[i * m + i]
    }
    var x = y
    for i in stride(from: m - 1, through: 0, by: -1) {
        for p in (i + 1)..<max(i + 1, m) { x[i] -= l[p * m + i] * x[p] }
        x[i] /= l[i * m + i]
    }
    return x
}

/// Results of parallel parts, each written once by its own thread.
final class ParallelParts<T>: @unchecked Sendable {
    private var values: [T?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: T) {
        lock.lock()
        values[i] = v
        lock.unlock()
    }
    func get(_ i: Int) -> T {
        lock.lock()
        defer { lock.unlock() }
        return values[i]!
    }
}
