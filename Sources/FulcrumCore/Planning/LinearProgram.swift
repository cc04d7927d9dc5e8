/// A small dense linear program, `maximize c·x subject to A x ≤ b, x ≥ 0` with `b ≥ 0`, solved
/// exactly (up to floating point) by the simplex method. `b ≥ 0` makes the all-slack basis
/// feasible, so no first phase is needed: the budget planner shifts lower bounds out before it
/// gets here. Bland's rule keeps degenerate problems from cycling; plans have a handful of rows.
public struct LinearProgram: Sendable {
    public var objective: [Double]
    /// Row-major constraint rows, each `objective.count` long.
    public var rows: [[Double]]
    public var bounds: [Double]

    public init(objective: [Double], rows: [[Double]], bounds: [Double]) {
        precondition(rows.count == bounds.count && rows.allSatisfy { $0.count == objective.count })
        self.objective = objective
        self.rows = rows
        self.bounds = bounds
    }

    public struct Solution: Sendable, Equatable {
        public var x: [Double]
        public var value: Double
        /// Shadow price of each row: how much the optimum rises per unit more of its bound (0 when slack).
        public var duals: [Double]
        /// Reduced cost of each variable (≤ 0 at the optimum): what forcing one unit of it in would cost.
        public var reducedCosts: [Double]
    }

    public enum Failure: Error, Equatable {
        case unbounded(variable: Int)
        case negativeBound(row: Int)
    }

    public func solve() throws -> Solution {
        let n = objective.count
        let m = rows.count
        for (i, b) in bounds.enumerated() where b < 0 { throw Failure.negativeBound(row: i) }
        let width = n + m + 1
        var t = [Double](repeating: 0, count: m * width)
        for i in 0..<m {
            for j in 0..<n { t[i * width + j] = rows[i][j] }
            t[i * width + n + i] = 1
            t[i * width + width - 1] = bounds[i]
        }
        // Reduced costs (objective row): c_j − c_B·B⁻¹A_j; starts as c with the slack basis.
        var r = [Double](repeating: 0, count: n + m)
        for j in 0..<n { r[j] = objective[j] }
        var basis = Array(n..<(n + m))
        let scale = max(1, objective.map(abs).max() ?? 1)
        let eps = 1e-12 * scale
        while true {
            guard let enter = (0..<(n + m)).first(where: { r[$0] > eps }) else { break }
            var leave = -1
            var best = Double.infinity
            for i in 0..<m {
                let a = t[i * width + enter]
                guard a > 1e-12 else { continue }
                let ratio = t[i * width + width - 1] / a
                if ratio < best - 1e-12 || (abs(ratio - best) <= 1e-12 && leave >= 0 && basis[i] < basis[leave]) {
                    best = ratio
                    leave = i
                }
            }
            guard leave >= 0 else { throw Failure.unbounded(variable: enter) }
            let pivot = t[leave * width + enter]
            for j in 0..<width { t[leave * width + j] /= pivot }
            for i in 0..<m where i != leave {
                let f = t[i * width + enter]
                guard f != 0 else { continue }
                for j in 0..<width { t[i * width + j] -= f * t[leave * width + j] }
            }
            let f = r[enter]
            for j in 0..<(n + m) { r[j] -= f * t[leave * width + j] }
            basis[leave] = enter
        }
        var x = [Double](repeating: 0, count: n)
        for i in 0..<m where basis[i] < n { x[basis[i]] = max(0, t[i * width + width - 1]) }
        let value = zip(objective, x).reduce(0) { $0 + $1.0 * $1.1 }
        let duals = (0..<m).map { max(0, -r[n + $0]) }
        return Solution(x: x, value: value, duals: duals, reducedCosts: Array(r[0..<n]))
    }
}
