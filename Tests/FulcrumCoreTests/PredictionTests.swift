import Foundation
import Testing

@testable import FulcrumCore

/// The prediction models and their measures: scikit-learn's fits and scores kept as fixtures
/// (scripts/crosscheck_prediction.py), hand-worked examples, separable data and pure noise.
@Suite("Prediction: logistic regression, boosted trees, TreeSHAP and accuracy measures")
struct PredictionTests {
    /// The data set of scripts/crosscheck_prediction.py.
    static func formulaData() -> (x: [Double], y: [Double]) {
        var x: [Double] = []
        var y: [Double] = []
        for i in 0..<300 {
            let d = Double(i)
            let a = sin(d)
            let b = cos(1.7 * d) * 2
            let c = Double((i * 37) % 11) / 10
            let noise = sin(3.1 * d + 0.5)
            x += [a, b, c]
            y.append(a + 0.5 * b - c + 0.8 * noise > 0 ? 1 : 0)
        }
        return (x, y)
    }

    @Test("L2 logistic regression equals scikit-learn's LogisticRegression to 3 decimals (C = 1 and 0.1)")
    func logisticMatchesScikitLearn() {
        let (x, y) = Self.formulaData()
        let references: [(c: Double, intercept: Double, weights: [Double])] = [
            (1.0, -0.558000, [2.354603, 1.210215, -1.552768]),
            (0.1, -0.785792, [1.384685, 0.834343, -0.462004]),
        ]
        for r in references {
            let m = LogisticRegression.fit(x: x, columns: 3, y: y, c: r.c)
            #expect(abs(m.intercept - r.intercept) < 5e-4, "C=\(r.c): \(m.intercept)")
            for j in 0..<3 { #expect(abs(m.weights[j] - r.weights[j]) < 5e-4, "C=\(r.c) w\(j): \(m.weights[j])") }
        }
    }

    @Test("ROC AUC, average precision, Brier and log loss equal scikit-learn's; AUC by hand with a tie")
    func metrics() {
        let p = [0.1, 0.4, 0.35, 0.8, 0.35, 0.9, 0.05, 0.6]
        let y: [Double] = [0, 0, 1, 1, 0, 1, 0, 0]
        let m = ClassifierMetrics(probabilities: p, labels: y)
        // By hand: positives 0.35, 0.8, 0.9 against negatives 0.1, 0.4, 0.35, 0.05, 0.6: the pairs won are
        // 0.35: 2 + ½ (tie) = 2.5, 0.8: 5, 0.9: 5 → 12.5 of 15 = 0.8333.
        #expect(abs(m.rocAUC! - 12.5 / 15) < 1e-12)
        #expect(abs(m.prAUC! - 0.833333333333) < 1e-9)
        #expect(abs(m.brier - 0.1409375) < 1e-12)
        #expect(abs(m.logLoss - 0.424109909156) < 1e-9)
        // Calibration: equal-width tenths; 0.35 twice (one positive) share the 0.3–0.4 bin.
        let bin = m.calibration.first { $0.low == 0.3 }!
        #expect(bin.count == 2 && abs(bin.meanPredicted - 0.35) < 1e-12 && bin.observedRate == 0.5)
        #expect(m.calibration.map(\.count).reduce(0, +) == 8)
        // The classic example: AP of [0.1, 0.4, 0.35, 0.8] for [0, 0, 1, 1] is (1/2)(1) + (1/2)(2/3) = 0.8333.
        #expect(abs(ClassifierMetrics.averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])! - 5.0 / 6) < 1e-12)
        #expect(ClassifierMetrics.rocAUC([0.2, 0.3], [1, 1]) == nil)
    }

    @Test("trees split separable data perfectly")
    func separable() {
        let x = (0..<200).map { Double($0) }
        let y = x.map { $0 >= 100 ? 1.0 : 0 }
        let m = BoostedTrees.fit(x: x, columns: 1, y: y)
        let p = x.map { m.probability([$0][...]) }
        #expect(ClassifierMetrics.rocAUC(p, y) == 1)
        #expect(zip(p, y).allSatisfy { ($0 > 0.5) == ($1 == 1) })
    }

    @Test("on pure noise early stopping stops soon and the out-of-sample AUC stays near 0.5")
    func noise() {
        var rng = SplitMix(seed: 7)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        func table(_ n: Int) -> ([Double], [Double]) {
            var x: [Double] = []
            var y: [Double] = []
            for _ in 0..<n {
                for _ in 0..<5 { x.append(uniform()) }
                y.append(uniform() < 0.3 ? 1 : 0)
            }
            return (x, y)
        }
        let (x, y) = table(4_000)
        let m = BoostedTrees.fit(x: x, columns: 5, y: y)
        #expect(m.iterationsRun < 40, "ran \(m.iterationsRun)")
        let (xt, yt) = table(4_000)
        let p = (0..<4_000).map { m.probability(xt[($0 * 5)..<($0 * 5 + 5)]) }
        let auc = ClassifierMetrics.rocAUC(p, yt)!
        #expect(abs(auc - 0.5) < 0.04, "AUC \(auc)")
    }

    @Test("missing values: learned as their own branch")
    func missing() {
        // y = 1 exactly when x is missing: only the missing-value direction can separate it.
        var x: [Double] = []
        var y: [Double] = []
        for i in 0..<400 {
            x.append(i % 4 == 0 ? .nan : Double(i % 7))
            y.append(i % 4 == 0 ? 1 : 0)
        }
        let m = BoostedTrees.fit(x: x, columns: 1, y: y)
        #expect(m.probability([Double.nan][...]) > 0.9)
        #expect(m.probability([3.0][...]) < 0.1)
    }

    /// Exact Shapley values by enumeration over subsets, with the same path-dependent expectation
    /// (a feature outside the subset follows both children weighted by cover).
    static func bruteShapley(_ model: BoostedTrees, row: [Double], k: Int) -> [Double] {
        func value(_ subset: Set<Int>) -> Double {
            var total = model.baseScore
            for tree in model.trees {
                func walk(_ i: Int) -> Double {
                    let n = tree.nodes[i]
                    guard n.feature >= 0 else { return n.value }
                    if subset.contains(n.feature) {
                        let v = row[n.feature]
                        let left = v.isNaN ? n.missingGoesLeft : v <= n.threshold
                        return walk(left ? n.left : n.right)
                    }
                    let l = tree.nodes[n.left].cover
                    let r = tree.nodes[n.right].cover
                    return (l * walk(n.left) + r * walk(n.right)) / (l + r)
                }
                total += walk(0)
            }
            return total
        }
        func factorial(_ n: Int) -> Double { n <= 1 ? 1 : Double(n) * factorial(n - 1) }
        var phi = [Double](repeating: 0, count: k)
        for i in 0..<k {
            let others = (0..<k).filter { $0 != i }
            for mask in 0..<(1 << others.count) {
                let s = Set(others.indices.filter { mask & (1 << $0) != 0 }.map { others[$0] })
                let weight = factorial(s.count) * factorial(k - s.count - 1) / factorial(k)
                phi[i] += weight * (value(s.union([i])) - value(s))
            }
        }
        return phi
    }

    @Test("TreeSHAP equals Shapley values by enumeration and sums to the log-odds")
    func treeSHAP() {
        var x: [Double] = []
        var y: [Double] = []
        for i in 0..<600 {
            let d = Double(i)
            let row = [sin(d), cos(1.3 * d), Double(i % 5), sin(0.7 * d) * cos(d)]
            x += row
            y.append(row[0] + 0.5 * row[1] * row[2] - 0.3 * row[3] + 0.4 * sin(2.9 * d) > 0.5 ? 1 : 0)
        }
        var parameters = BoostedTrees.Parameters()
        parameters.maxIterations = 15
        parameters.maxLeafNodes = 8
        parameters.validationFraction = 0
        let m = BoostedTrees.fit(x: x, columns: 4, y: y, parameters: parameters)
        #expect(m.trees.count == 15)
        for r in [3, 77, 250, 599] {
            let row = Array(x[(r * 4)..<(r * 4 + 4)])
            let (base, phi) = TreeSHAP.explain(m, row: row[...], features: 4)
            let brute = Self.bruteShapley(m, row: row, k: 4)
            for j in 0..<4 { #expect(abs(phi[j] - brute[j]) < 1e-9, "row \(r) feature \(j): \(phi[j]) vs \(brute[j])") }
            #expect(abs(base + phi.reduce(0, +) - m.logit(row[...])) < 1e-9)
        }
    }

    @Test("encoding: numbers, blanks as missing with an indicator, text one-hot; unseen values counted")
    func encoding() throws {
        let names = ["seats", "plan"]
        let cells = [["10", "", "3.5", "7"], ["pro", "basic", "pro", "team"]]
        let encoder = FeatureEncoder.fit(names: names, cells: cells, rows: [0, 1, 2])
        #expect(encoder.featureNames == ["seats", "seats (missing)", "plan=basic", "plan=pro"])
        let (x, report) = try encoder.encode(names: names, cells: cells, rows: [0, 1, 2, 3])
        #expect(x[0] == 10 && x[1] == 0 && x[3] == 1)
        #expect(x[4].isNaN && x[5] == 1 && x[6] == 1)
        #expect(Array(x[12..<16]) == [7, 0, 0, 0])
        #expect(report.blanks["seats"] == 1 && report.unseen["plan"] == 1)
        #expect(throws: FeatureEncoder.BadNumber.self) {
            _ = try encoder.encode(names: names, cells: [["ten"], ["pro"]], rows: [0])
        }
    }
}
