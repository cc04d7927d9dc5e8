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

    /// Fits on `x` (row-major, `columns` values per row, no missing values) and 1/0 `y`. Each Newton step's
    /// gradient, Hessian and loss are summed over two halves of the rows at once.
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

        /// Σ log-loss over rows lo..<hi at `t`, and (when `derivatives`) the gradient and upper Hessian.
        @Sendable func pass(_ t: [Double], _ lo: Int, _ hi: Int, derivatives: Bool) -> (Double, [Double], [Double]) {
            var loss = 0.0
            var gradient = [Double](repeating: 0, count: derivatives ? m : 0)
            var hessian = [Double](repeating: 0, count: derivatives ? m * m : 0)
            x.withUnsafeBufferPointer { xs in
                y.withUnsafeBufferPointer { ys in
                    var row = [Double](repeating: 1, count: m)
                    for i in lo..<hi {
                        var z = t[0]
                        let base = i * k
                        for j in 0..<k {
                            let v = xs[base + j]
                            row[1 + j] = v
                            z += v * t[1 + j]
                        }
                        loss += softplus(z) - ys[i] * z
                        guard derivatives else { continue }
                        let p = sigmoid(z)
                        let r = p - ys[i]
                        let s = p * (1 - p)
                        row.withUnsafeBufferPointer { rw in
                            gradient.withUnsafeMutableBufferPointer { gd in
                                hessian.withUnsafeMutableBufferPointer { hs in
                                    for a in 0..<m {
                                        let ra = rw[a]
                                        guard ra != 0 else { continue }
                                        gd[a] += ra * r
                                        let sa = s * ra
                                        let offset = a * m
                                        for b in a..<m { hs[offset + b] += sa * rw[b] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return (loss, gradient, hessian)
        }
        /// The same over every row, the halves run side by side.
        func evaluate(_ t: [Double], derivatives: Bool) -> (Double, [Double], [Double]) {
            let parts = ParallelParts<(Double, [Double], [Double])>(count: chunks)
            DispatchQueue.concurrentPerform(iterations: chunks) { part in
                parts.set(part, pass(t, bounds[part], bounds[part + 1], derivatives: derivatives))
            }
            var total = parts.get(0)
            for part in 1..<chunks {
                let p = parts.get(part)
                total.0 += p.0
                for a in total.1.indices { total.1[a] += p.1[a] }
                for a in total.2.indices { total.2[a] += p.2[a] }
            }
            var penalty = 0.0
            for j in 1..<m { penalty += t[j] * t[j] }
            total.0 += lambda * penalty / 2
            return total
        }
        var (current, gradient, hessian) = evaluate(theta, derivatives: true)
        for _ in 0..<maxIterations {
            for a in 1..<m {
                gradient[a] += lambda * theta[a]
                hessian[a * m + a] += lambda
            }
            for a in 0..<m { for b in 0..<a { hessian[a * m + b] = hessian[b * m + a] } }
            guard let step = solveSymmetric(hessian, gradient, m) else { break }
            // Newton step with halving until the objective falls.
            var scale = 1.0
            var next = theta
            var value = current
            for _ in 0..<30 {
                for a in 0..<m { next[a] = theta[a] - scale * step[a] }
                value = evaluate(next, derivatives: false).0
                if value <= current { break }
                scale /= 2
            }
            let moved = zip(theta, next).map { abs($0 - $1) }.max() ?? 0
            theta = next
            let improvement = current - value
            // Coefficients settled to 1e-8 (scikit-learn's default stops far earlier, at a gradient of 1e-4).
            if moved < 1e-8 || improvement < 1e-14 * max(1, abs(value)) { break }
            (current, gradient, hessian) = evaluate(theta, derivatives: true)
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
