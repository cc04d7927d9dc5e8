import Foundation

/// A trained probability model as it is kept: what it predicts, on which features, how it was
/// validated and how well it did, and the fitted parameters. Saved as JSON (a file or the store).
public struct TrainedModel: Sendable, Hashable, Codable {
    public enum Algorithm: String, Sendable, Hashable, Codable, CaseIterable {
        case logistic, trees
    }

    public static let formatVersion = 1

    public var format = "fulcrum-model"
    public var version = TrainedModel.formatVersion
    /// What it predicts: churn, conversion, trial, expansion, or `features` for a table from elsewhere.
    public var kind: String
    public var target: String
    /// The id column of a feature table (nil for models trained on the store).
    public var idColumn: String?
    public var algorithm: Algorithm
    public var createdOn: String
    /// The rows it learned from and was tested on, in words ("2019-01…2025-12; tested on 2026-01…2026-04").
    public var trainingWindow: String
    /// How the test rows were chosen.
    public var validation: String
    public var trainingRows: Int
    public var encoder: FeatureEncoder
    public var features: [String]
    /// Per-feature training means and standard deviations (the logistic model's scaling; the means are
    /// also where missing numbers are filled in for it).
    public var means: [Double]
    public var scales: [Double]
    public var logistic: LogisticRegression?
    public var trees: BoostedTrees?
    /// On the test rows.
    public var metrics: ClassifierMetrics
    /// The features ranked by what they add on the test rows (permutation importance), when measured.
    public var drivers: [ModelInsight.FeatureWeight]?
    public var notes: [String] = []

    /// The log-odds of one encoded row (NaN = missing).
    public func logit(_ row: ArraySlice<Double>) -> Double {
        switch algorithm {
        case .logistic:
            let w = logistic!.weights
            var z = logistic!.intercept
            var j = 0
            for v in row where j < w.count {
                if !v.isNaN { z += w[j] * (v - means[j]) / scales[j] }
                j += 1
            }
            return z
        case .trees: return trees!.logit(row)
        }
    }

    public func probability(_ row: ArraySlice<Double>) -> Double { sigmoid(logit(row)) }

    /// The model as JSON (sorted keys; NaN and infinities as text), as the store and model files keep it.
    public func json(pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    public static func decode(_ data: Data) throws -> TrainedModel {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(TrainedModel.self, from: data)
    }

    /// Whether `self` measured worse than `other` on the test rows: lower ROC AUC (ties: the trees lose to the
    /// simpler logistic model). The one rule every trainer keeps its model by.
    public func isWorse(than other: TrainedModel) -> Bool {
        let a = metrics.rocAUC ?? 0
        let b = other.metrics.rocAUC ?? 0
        return a != b ? a < b : algorithm != .logistic && other.algorithm == .logistic
    }

    /// Each feature's push on the row's log-odds (positive raises the probability): exact wⱼ·zⱼ for the
    /// logistic model (relative to the mean row), TreeSHAP values for the trees.
    public func contributions(_ row: ArraySlice<Double>) -> [Double] {
        switch algorithm {
        case .logistic:
            let z = standardized(row)
            return logistic!.weights.indices.map { logistic!.weights[$0] * z[$0] }
        case .trees:
            return TreeSHAP.explain(trees!, row: row, features: features.count).contributions
        }
    }

    func standardized(_ row: ArraySlice<Double>) -> [Double] {
        var out = [Double](repeating: 0, count: features.count)
        for (j, v) in zip(features.indices, row) { out[j] = v.isNaN ? 0 : (v - means[j]) / scales[j] }
        return out
    }
}

/// Fits the models on training rows and measures them on test rows.
public enum ModelTrainer {
    public struct Result: Sendable {
        public var models: [TrainedModel]
        /// The one with the higher test ROC AUC (ties: the logistic model, the simpler).
        public var best: TrainedModel
        /// Seconds each model's fit took (standardizing and scoring the test rows not included), as `models`.
        public var fitSeconds: [Double] = []
    }

    /// `x` row-major over `features.count` columns (NaN = missing); `train` and `test` index rows.
    public static func train(
        kind: String, target: String, encoder: FeatureEncoder, x: [Double], y: [Double], train: [Int], test: [Int],
        algorithms: [TrainedModel.Algorithm] = TrainedModel.Algorithm.allCases, trainingWindow: String,
        validation: String, createdOn: String, idColumn: String? = nil, c: Double = 1,
        parameters: BoostedTrees.Parameters = .init()
    ) -> Result {
        let features = encoder.featureNames
        let k = features.count
        // Means and spreads of the training rows, missing values left out.
        var means = [Double](repeating: 0, count: k)
        var scales = [Double](repeating: 1, count: k)
        for j in 0..<k {
            var sum = 0.0
            var count = 0.0
            for r in train where !x[r * k + j].isNaN {
                sum += x[r * k + j]
                count += 1
            }
            let mean = count > 0 ? sum / count : 0
            var squares = 0.0
            for r in train where !x[r * k + j].isNaN { squares += (x[r * k + j] - mean) * (x[r * k + j] - mean) }
            means[j] = mean
            let sd = count > 1 ? (squares / count).squareRoot() : 0
            scales[j] = sd > 1e-12 ? sd : 1
        }
        let template = TrainedModel(
            kind: kind, target: target, idColumn: idColumn, algorithm: .logistic, createdOn: createdOn,
            trainingWindow: trainingWindow,
            validation: validation, trainingRows: train.count, encoder: encoder, features: features, means: means,
            scales: scales, metrics: ClassifierMetrics(probabilities: [], labels: []))
        let yTrain = train.map { y[$0] }
        let yTest = test.map { y[$0] }
        var models: [TrainedModel] = []
        var fitSeconds: [Double] = []
        let clock = ContinuousClock()
        for algorithm in algorithms {
            var m = template
            m.algorithm = algorithm
            var fitTime = Duration.zero
            switch algorithm {
            case .logistic:
                var z = [Double](repeating: 0, count: train.count * k)
                for (i, r) in train.enumerated() {
                    for j in 0..<k {
                        let v = x[r * k + j]
                        z[i * k + j] = v.isNaN ? 0 : (v - means[j]) / scales[j]
                    }
                }
                let started = clock.now
                m.logistic = LogisticRegression.fit(x: z, columns: k, y: yTrain, c: c)
                fitTime = clock.now - started
            case .trees:
                var rows = [Double](repeating: 0, count: train.count * k)
                for (i, r) in train.enumerated() { for j in 0..<k { rows[i * k + j] = x[r * k + j] } }
                let started = clock.now
                m.trees = BoostedTrees.fit(x: rows, columns: k, y: yTrain, parameters: parameters)
                fitTime = clock.now - started
            }
            let p = test.map { r in m.probability(x[(r * k)..<(r * k + k)]) }
            m.metrics = ClassifierMetrics(probabilities: p, labels: yTest)
            models.append(m)
            fitSeconds.append(
                Double(fitTime.components.seconds) + Double(fitTime.components.attoseconds) * 1e-18)
        }
        // No algorithm asked for (a caller that wants only the split): the untrained template stands in.
        guard !models.isEmpty else { return Result(models: [], best: template) }
        let best = models.max { $0.isWorse(than: $1) }!
        return Result(models: models, best: best, fitSeconds: fitSeconds)
    }
}
