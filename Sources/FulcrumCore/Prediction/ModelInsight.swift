/// What drives a trained model: each feature's average push on the log-odds over a set of rows.
public enum ModelInsight {
    public struct FeatureWeight: Sendable, Hashable, Codable {
        public var feature: String
        /// How much the test ROC AUC falls when the feature's values are shuffled among the rows (nil when not
        /// measured): what the feature adds to telling outcomes apart.
        public var aucDrop: Double?
        public var meanAbsoluteContribution: Double
        /// "higher raises", "higher lowers" or "flat": the sign of the covariance between the value and its push.
        public var direction: String
    }

    /// Mean |contribution| per feature over (up to 2,000 of) `rows` of `x` (row-major, the model's features),
    /// largest first.
    public static func importance(_ m: TrainedModel, x: [Double], rows: [Int], top: Int = 15) -> [FeatureWeight] {
        let k = m.features.count
        let sample =
            rows.count > 2_000 ? stride(from: 0, to: rows.count, by: rows.count / 2_000).map { rows[$0] } : rows
        var contributions: [[Double]] = []
        for r in sample { contributions.append(m.contributions(x[(r * k)..<(r * k + k)])) }
        let count = Double(max(1, sample.count))
        var out: [FeatureWeight] = []
        for j in 0..<k {
            var total = 0.0
            var values: [(Double, Double)] = []
            for (i, r) in sample.enumerated() {
                total += abs(contributions[i][j])
                let v = x[r * k + j]
                if !v.isNaN { values.append((v, contributions[i][j])) }
            }
            let meanX = values.reduce(0) { $0 + $1.0 } / Double(max(1, values.count))
            let meanC = values.reduce(0) { $0 + $1.1 } / Double(max(1, values.count))
            let covariance = values.reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanC) }
            out.append(
                FeatureWeight(
                    feature: m.features[j], aucDrop: nil, meanAbsoluteContribution: total / count,
                    direction: abs(covariance) < 1e-12 ? "flat" : covariance > 0 ? "higher raises" : "higher lowers"))
        }
        return Array(out.sorted { $0.meanAbsoluteContribution > $1.meanAbsoluteContribution }.prefix(top))
    }

    /// The features ranked by permutation importance on `rows` (Breiman 2001): each column shuffled in turn with a
    /// seeded permutation, the ROC AUC recomputed, the drop recorded. Direction and mean |contribution| as in
    /// `importance`.
    public static func drivers(
        _ m: TrainedModel, x: [Double], y: [Double], rows: [Int], top: Int = 15, seed: UInt64 = 1
    )
        -> [FeatureWeight]
    {
        let k = m.features.count
        let sample =
            rows.count > 20_000 ? stride(from: 0, to: rows.count, by: rows.count / 20_000).map { rows[$0] } : rows
        let labels = sample.map { y[$0] }
        var matrix = [Double](repeating: 0, count: sample.count * k)
        for (i, r) in sample.enumerated() { for j in 0..<k { matrix[i * k + j] = x[r * k + j] } }
        func auc(_ data: [Double]) -> Double {
            let p = (0..<sample.count).map { m.logit(data[($0 * k)..<($0 * k + k)]) }
            return ClassifierMetrics.rocAUC(p, labels) ?? 0.5
        }
        let base = auc(matrix)
        var weights = Dictionary(
            uniqueKeysWithValues: importance(m, x: x, rows: rows, top: k).map { ($0.feature, $0) })
        var rng = SplitMix(seed: seed)
        for j in 0..<k {
            var order = Array(0..<sample.count)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            var shuffled = matrix
            for i in 0..<sample.count { shuffled[i * k + j] = matrix[order[i] * k + j] }
            weights[m.features[j]]?.aucDrop = base - auc(shuffled)
        }
        return Array(
            weights.values.sorted {
                ($0.aucDrop ?? 0) != ($1.aucDrop ?? 0) ? ($0.aucDrop ?? 0) > ($1.aucDrop ?? 0) : $0.feature < $1.feature
            }
            .prefix(top))
    }
}
