import Foundation

/// How good a probability is, on rows the model did not train on: ranking (ROC AUC, PR AUC),
/// accuracy of the probabilities themselves (Brier score, log loss) and a calibration table.
/// Definitions follow scikit-learn's `roc_auc_score`, `average_precision_score`, `brier_score_loss`,
/// `log_loss` and `calibration_curve(strategy="uniform")`.
public struct ClassifierMetrics: Sendable, Hashable, Codable {
    public struct CalibrationBin: Sendable, Hashable, Codable {
        /// Predicted probabilities in [low, high) (the last bin includes 1).
        public var low: Double
        public var high: Double
        public var count: Int
        public var meanPredicted: Double
        public var observedRate: Double
    }

    public var rows: Int
    public var positives: Int
    /// nil when one class is missing (undefined).
    public var rocAUC: Double?
    public var prAUC: Double?
    public var brier: Double
    public var logLoss: Double
    public var calibration: [CalibrationBin]

    public init(probabilities p: [Double], labels y: [Double], bins: Int = 10) {
        precondition(p.count == y.count)
        rows = p.count
        positives = y.lazy.filter { $0 == 1 }.count
        rocAUC = Self.rocAUC(p, y)
        prAUC = Self.averagePrecision(p, y)
        var brierSum = 0.0
        var logSum = 0.0
        for i in p.indices {
            brierSum += (p[i] - y[i]) * (p[i] - y[i])
            let q = min(max(p[i], 1e-15), 1 - 1e-15)
            logSum -= y[i] == 1 ? Foundation.log(q) : Foundation.log(1 - q)
        }
        brier = rows > 0 ? brierSum / Double(rows) : 0
        logLoss = rows > 0 ? logSum / Double(rows) : 0
        var count = [Int](repeating: 0, count: bins)
        var predicted = [Double](repeating: 0, count: bins)
        var observed = [Double](repeating: 0, count: bins)
        for i in p.indices {
            let b = min(bins - 1, max(0, Int(p[i] * Double(bins))))
            count[b] += 1
            predicted[b] += p[i]
            observed[b] += y[i]
        }
        calibration = (0..<bins).compactMap { b in
            guard count[b] > 0 else { return nil }
            return CalibrationBin(
                low: Double(b) / Double(bins), high: Double(b + 1) / Double(bins), count: count[b],
                meanPredicted: predicted[b] / Double(count[b]), observedRate: observed[b] / Double(count[b]))
        }
    }

    /// Area under the ROC curve by ranks (Mann–Whitney), ties counted half.
    public static func rocAUC(_ p: [Double], _ y: [Double]) -> Double? {
        let order = p.indices.sorted { p[$0] < p[$1] }
        var rankSum = 0.0
        var positives = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, p[order[j + 1]] == p[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1  // average 1-based rank of the tie group
            for t in i...j where y[order[t]] == 1 {
                rankSum += rank
                positives += 1
            }
            i = j + 1
        }
        let negatives = Double(p.count) - positives
        guard positives > 0, negatives > 0 else { return nil }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
    }

    /// Average precision: Σ (Rₖ − Rₖ₋₁) Pₖ over the distinct thresholds, highest first.
    public static func averagePrecision(_ p: [Double], _ y: [Double]) -> Double? {
        let total = y.lazy.filter { $0 == 1 }.count
        guard total > 0 else { return nil }
        let order = p.indices.sorted { p[$0] > p[$1] }
        var truePositives = 0
        var seen = 0
        var previousRecall = 0.0
        var ap = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, p[order[j + 1]] == p[order[i]] { j += 1 }
            for t in i...j {
                seen += 1
                if y[order[t]] == 1 { truePositives += 1 }
            }
            let recall = Double(truePositives) / Double(total)
            let precision = Double(truePositives) / Double(seen)
            ap += (recall - previousRecall) * precision
            previousRecall = recall
            i = j + 1
        }
        return ap
    }
}
