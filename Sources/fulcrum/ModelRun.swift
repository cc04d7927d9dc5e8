import Foundation
import FulcrumCore
import FulcrumImport

/// `fulcrum model train --features`: the split, the encoding, both fits with their times, and what to print.
struct FeatureModelRun {
    struct AlgorithmSummary: Encodable {
        var algorithm: String
        /// Fit, standardizing and scoring the test rows.
        var seconds: Double
        /// The fit alone (what scikit-learn's `fit` times).
        var fitSeconds: Double
        var rocAUC: Double?
        var prAUC: Double?
        var brier: Double
        var logLoss: Double
        var calibration: [ClassifierMetrics.CalibrationBin]
        /// Features by mean |contribution| to the log-odds over the test rows, largest first (top 15).
        var topFeatures: [ModelInsight.FeatureWeight]
    }

    struct Summary: Encodable {
        var rows: Int
        var trainingRows: Int
        var testRows: Int
        var positiveRate: Double
        var validation: String
        var kept: String
        var algorithms: [AlgorithmSummary]
        var blanks: [String: Int]
        /// Text columns whose training values are mostly numbers: a typo turned a numeric column into text.
        var mostlyNumbers: [String]
        var features: Int
    }

    var best: TrainedModel
    var summary: Summary

    static func train(file: FeatureFile, algorithms: [TrainedModel.Algorithm], c: Double) throws -> FeatureModelRun {
        let n = file.rowCount
        guard n >= 10 else { throw fail("\(file.path): \(n) rows; at least 10 are needed to train and test") }
        let y = file.targets!
        // Test rows: out of time (the latest fifth by time, ties kept together), else a fixed fifth of ids by hash.
        var test: [Int] = []
        var validation: String
        if let isTest = file.isTest {
            test = (0..<n).filter { isTest[$0] }
            validation = "the file's split column: \(test.count) rows marked test"
            if test.isEmpty || test.count == n {
                throw fail("\(file.path): the split column must mark some rows train and some test")
            }
        } else if let times = file.times {
            let numeric = times.allSatisfy { Double($0) != nil }
            func less(_ a: String, _ b: String) -> Bool { numeric ? Double(a)! < Double(b)! : a < b }
            let sorted = times.sorted(by: less)
            let cutoff = sorted[min(n - 1, Int(Double(n) * 0.8))]
            test = (0..<n).filter { !less(times[$0], cutoff) }
            validation = "out of time: trained on rows before \(cutoff), tested on rows at or after it"
            if test.count == n {
                throw fail("\(file.path): every row has the same time \(cutoff); there is nothing earlier to train on")
            }
        } else {
            test = (0..<n).filter { fnv(file.ids[$0]) % 5 == 0 }
            validation = "hold-out: the fifth of the rows whose id hashes (FNV-1a) to 0 mod 5"
        }
        let testSet = Set(test)
        let train = (0..<n).filter { !testSet.contains($0) }
        let trainLabels = Set(train.map { y[$0] })
        guard trainLabels.count == 2 else {
            throw fail(
                "\(file.path): the training rows hold only target \(Int(trainLabels.first ?? 0)); both 1 and 0 are needed"
            )
        }
        let encoder = FeatureEncoder.fit(names: file.names, cells: file.cells, rows: train)
        let encoded: (x: [Double], report: FeatureEncoder.Report)
        do {
            encoded = try encoder.encode(names: file.names, cells: file.cells, rows: Array(0..<n))
        } catch {
            throw fail(
                "\(file.path):\(file.lines[error.row]): column '\(error.column)': '\(error.value)' is not a number")
        }
        let window: String
        if let times = file.times {
            let trainTimes = train.map { times[$0] }
            let testTimes = test.map { times[$0] }
            window =
                "trained on \(trainTimes.min() ?? "")…\(trainTimes.max() ?? ""); tested on \(testTimes.min() ?? "")…\(testTimes.max() ?? "")"
        } else {
            window = "\(train.count) training rows, \(test.count) test rows"
        }
        let created = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        var models: [TrainedModel] = []
        var seconds: [Double] = []
        var fitSeconds: [Double] = []
        for algorithm in algorithms {
            let start = Date()
            let result = ModelTrainer.train(
                kind: "features", target: file.targetColumn ?? "", encoder: encoder, x: encoded.x, y: y,
                train: train, test: test, algorithms: [algorithm], trainingWindow: window, validation: validation,
                createdOn: created, idColumn: file.idColumn, c: c)
            seconds.append(Date().timeIntervalSince(start))
            fitSeconds.append(result.fitSeconds.first ?? 0)
            models.append(result.best)
        }
        let bestIndex = models.indices.max { models[$0].isWorse(than: models[$1]) }!
        let k = encoder.featureNames.count
        let summaries = models.indices.map { i -> AlgorithmSummary in
            let m = models[i]
            return AlgorithmSummary(
                algorithm: m.algorithm.rawValue, seconds: seconds[i], fitSeconds: fitSeconds[i],
                rocAUC: m.metrics.rocAUC, prAUC: m.metrics.prAUC,
                brier: m.metrics.brier, logLoss: m.metrics.logLoss, calibration: m.metrics.calibration,
                topFeatures: ModelInsight.importance(m, x: encoded.x, rows: test))
        }
        let best = models[bestIndex]
        return FeatureModelRun(
            best: best,
            summary: Summary(
                rows: n, trainingRows: train.count, testRows: test.count, positiveRate: y.reduce(0, +) / Double(n),
                validation: validation, kept: best.algorithm.rawValue, algorithms: summaries,
                blanks: encoded.report.blanks, mostlyNumbers: mostlyNumbers(file, encoder: encoder, rows: train),
                features: k))
    }

    /// For each text column, when nine in ten of its non-blank training values are numbers: which are not, and where.
    static func mostlyNumbers(_ file: FeatureFile, encoder: FeatureEncoder, rows: [Int]) -> [String] {
        var out: [String] = []
        for case .categorical(let name, _, _) in encoder.columns {
            guard let c = file.names.firstIndex(of: name) else { continue }
            let values = rows.map { ($0, FeatureEncoder.trimmed(file.cells[c][$0])) }.filter { !$0.1.isEmpty }
            let text = values.filter { Double($0.1) == nil }
            guard !values.isEmpty, text.count * 10 <= values.count, let first = text.first else { continue }
            out.append(
                "\(name): treated as text because \(text.count) of \(values.count) values are not numbers, e.g. '\(first.1)' at \(file.path):\(file.lines[first.0])"
            )
        }
        return out
    }

    static func fnv(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }

    func text(savedTo path: String?) -> String {
        let s = summary
        var out =
            "\(s.rows) rows (\(DecimalText.text(s.positiveRate * 100, places: 1))% positive), \(s.features) features; "
        out += "\(s.trainingRows) to train, \(s.testRows) to test — \(s.validation)\n\n"
        var table = TextTable(
            headers: ["algorithm", "ROC AUC", "PR AUC", "Brier", "log loss", "seconds", "fit s"],
            alignments: [.left, .right, .right, .right, .right, .right, .right])
        for a in s.algorithms {
            table.append([
                a.algorithm + (a.algorithm == s.kept ? " (kept)" : ""),
                a.rocAUC.map { DecimalText.text($0, places: 4) } ?? "",
                a.prAUC.map { DecimalText.text($0, places: 4) } ?? "", DecimalText.text(a.brier, places: 4),
                DecimalText.text(a.logLoss, places: 4), DecimalText.text(a.seconds, places: 2),
                DecimalText.text(a.fitSeconds, places: 2),
            ])
        }
        out += table.render()
        if !out.hasSuffix("\n") { out += "\n" }
        if let kept = s.algorithms.first(where: { $0.algorithm == s.kept }) {
            out += "\nCalibration of \(kept.algorithm) on the test rows:\n"
            var cal = TextTable(
                headers: ["predicted", "rows", "mean predicted", "observed"],
                alignments: [.left, .right, .right, .right])
            for b in kept.calibration {
                cal.append([
                    "\(DecimalText.text(b.low, places: 1))–\(DecimalText.text(b.high, places: 1))", "\(b.count)",
                    DecimalText.text(b.meanPredicted, places: 3), DecimalText.text(b.observedRate, places: 3),
                ])
            }
            out += cal.render()
            if !out.hasSuffix("\n") { out += "\n" }
            out += "\nStrongest features (\(kept.algorithm), mean |contribution to the log-odds| on the test rows):\n"
            var top = TextTable(
                headers: ["feature", "mean |contribution|", "direction"], alignments: [.left, .right, .left])
            for f in kept.topFeatures {
                top.append([f.feature, DecimalText.text(f.meanAbsoluteContribution, places: 4), f.direction])
            }
            out += top.render()
            if !out.hasSuffix("\n") { out += "\n" }
        }
        for (column, n) in s.blanks.sorted(by: { $0.key < $1.key }) {
            out += "note: \(column): \(n) blank values, treated as missing\n"
        }
        for warning in s.mostlyNumbers { out += "warning: \(warning)\n" }
        if let path { out += "model: \(path)\n" }
        return out
    }
}
