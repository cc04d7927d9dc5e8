import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumImport
import FulcrumService

extension TrainedModel.Algorithm: ExpressibleByArgument {}

extension Fulcrum {
    /// `fulcrum model`: train probability models and score with them (docs/prediction.md).
    struct Model: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train probability models (logistic regression, boosted trees) and score with them.",
            subcommands: [
                Train.self, Score.self, Report.self, List.self, Features.self, Buckets.self, Indicators.self,
            ])

        /// The kinds trained from the store.
        static let kinds = ChurnModel.kinds + [ConversionModel.kind, ConversionModel.winKind, TrialModel.kind]
    }
}

/// Stops with one line on standard error and exit status 1.
func fail(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("fulcrum: error: \(message)\n".utf8))
    return ExitCode.failure
}

extension Fulcrum.Model {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Train on a feature table: both algorithms measured on rows they did not see; the better is kept.",
            discussion: """
                --features FILE.csv: one row per example; --target names the 1/0 (true/false, yes/no) column; every \
                other column but --id and --time is a feature (numbers as numbers, blanks as missing; text one-hot). \
                Test rows: with --time, the latest fifth of the rows by time (out of time); else a fixed fifth of the \
                ids (by hash). Prints ROC AUC, PR AUC, Brier score, log loss and a calibration table on the test rows.
                """)

        @Argument(
            help:
                "What to predict from the store: churn, expansion, conversion, win or trial. Omit it to train on --features."
        )
        var kind: String?

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Feature table (CSV) with a header row.")
        var features: String?

        @Option(help: "The 1/0 outcome column.")
        var target: String?

        @Option(help: "Row id column (default: the row number).")
        var id: String?

        @Option(help: "Time column (ISO dates or numbers): validate out of time on the latest fifth.")
        var time: String?

        @Option(help: "Split column: train or test per row (overrides --time and the id hash).")
        var split: String?

        @Option(name: .customLong("model"), help: "Write the kept model here (JSON).")
        var output: String?

        @Option(help: "Algorithm: logistic or trees (repeatable; default: both).")
        var algorithm: [TrainedModel.Algorithm] = []

        @Option(help: "Inverse L2 strength of the logistic model (scikit-learn's C).")
        var c: Double = 1

        @Option(help: "Output format: table or json.")
        var format = "table"

        func validate() throws {
            guard ["table", "json"].contains(format) else {
                throw ValidationError("--format: '\(format)' is not one of table, json")
            }
            guard c > 0, c.isFinite else { throw ValidationError("--c: must be above 0") }
            if let kind {
                guard Fulcrum.Model.kinds.contains(kind) else {
                    throw ValidationError(
                        "'\(kind)' is not a model fulcrum trains from the store; it trains: \(Fulcrum.Model.kinds.joined(separator: ", "))"
                    )
                }
                if let name = [("--features", features != nil), ("--target", target != nil), ("--time", time != nil)]
                    .first(where: { $0.1 })?.0
                {
                    throw ValidationError("\(name): a feature table is trained without a kind; drop one of them")
                }
            } else {
                guard features != nil else { throw ValidationError("give a kind (churn) or --features FILE.csv") }
                guard target != nil else { throw ValidationError("--features needs --target COLUMN") }
            }
        }

        func run() throws {
            if kind != nil {
                try trainFromStore()
                return
            }
            let file: FeatureFile
            do {
                file = try FeatureFile.read(path: features!, target: target!, id: id, time: time, split: split)
            } catch {
                throw fail("\(error)")
            }
            let outcome = try FeatureModelRun.train(
                file: file, algorithms: algorithm.isEmpty ? TrainedModel.Algorithm.allCases : algorithm, c: c)
            if let output {
                do {
                    try outcome.best.json(pretty: true).write(to: URL(fileURLWithPath: output))
                } catch {
                    throw fail("\(output): cannot write the model: \(error.localizedDescription)")
                }
            }
            if format == "json" {
                print(try ModelJSON.string(outcome.summary))
            } else {
                print(outcome.text(savedTo: output), terminator: "")
            }
        }
    }

    struct Score: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score a feature table with a saved model: id,probability per row.",
            discussion: """
                The table needs the model's feature columns (extra columns, and its target if present, are ignored). \
                A text value the model never saw scores as none of its known values and is counted on standard error.
                """)

        @Option(help: "Feature table (CSV) with a header row.")
        var features: String

        @Option(name: .customLong("model"), help: "A model written by fulcrum model train --model.")
        var modelPath: String

        @Option(help: "Row id column (default: the model's, else the row number).")
        var id: String?

        @Option(help: "Output format: csv or json.")
        var format = "csv"

        func validate() throws {
            guard ["csv", "json"].contains(format) else {
                throw ValidationError("--format: '\(format)' is not one of csv, json")
            }
        }

        func run() throws {
            let model: TrainedModel
            do {
                model = try TrainedModel.decode(Data(contentsOf: URL(fileURLWithPath: modelPath)))
            } catch {
                throw fail("\(modelPath): not a model written by fulcrum model train (\(error.localizedDescription))")
            }
            guard model.format == "fulcrum-model", model.version <= TrainedModel.formatVersion else {
                throw fail(
                    "\(modelPath): model format \(model.format) version \(model.version) is not one this fulcrum reads")
            }
            let file: FeatureFile
            do {
                let needed = model.encoder.columns.map(\.name)
                file = try FeatureFile.read(path: features, target: nil, id: id ?? model.idColumn, time: nil)
                let missing = needed.filter { !file.names.contains($0) }
                guard missing.isEmpty else {
                    throw CSVError(
                        code: .missingColumn, file: features, line: 1, column: 1,
                        message: "missing the model's feature column(s) \(missing.joined(separator: ", "))")
                }
            } catch {
                throw fail("\(error)")
            }
            let rows = Array(0..<file.rowCount)
            let encoded: (x: [Double], report: FeatureEncoder.Report)
            do {
                encoded = try model.encoder.encode(names: file.names, cells: file.cells, rows: rows)
            } catch {
                throw fail(
                    "\(features):\(file.lines[error.row]): column '\(error.column)': '\(error.value)' is not a number")
            }
            let k = model.features.count
            let probabilities = rows.map { model.probability(encoded.x[($0 * k)..<($0 * k + k)]) }
            for (column, n) in encoded.report.unseen.sorted(by: { $0.key < $1.key }) {
                FileHandle.standardError.write(
                    Data("fulcrum: note: \(column): \(n) rows hold a value the model never saw (scored as none)\n".utf8)
                )
            }
            if format == "json" {
                let out = zip(file.ids, probabilities).map { ["id": $0.0, "probability": $0.1] as [String: Any] }
                let data = try JSONSerialization.data(withJSONObject: out, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                var text = "id,probability\n"
                for (id, p) in zip(file.ids, probabilities) { text += CSVText.cell(id) + "," + String(p) + "\n" }
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}

extension Fulcrum.Model.Train {
    func trainFromStore() throws {
        let store = try storeOptions.openStoreForWriting()
        let created = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        let outcome: ChurnModel.Outcome
        do {
            outcome = try runReportingErrors {
                if let label = AccountFeatures.Outcome(rawValue: kind!) {
                    return try PredictionService.trainCustomerModel(store: store, outcome: label, createdOn: created)
                }
                if kind == TrialModel.kind {
                    return try PredictionService.trainTrial(store: store, createdOn: created)
                }
                return try PredictionService.trainConversion(
                    store: store, storePath: storeOptions.resolvedPath.path, createdOn: created,
                    outcome: kind == ConversionModel.winKind ? .win : .opportunity)
            }
        } catch let problem as ChurnModel.Problem {
            throw fail(problem.description)
        }
        if let output {
            do {
                try outcome.best.json(pretty: true).write(to: URL(fileURLWithPath: output))
            } catch {
                throw fail("\(output): cannot write the model: \(error.localizedDescription)")
            }
        }
        let report = ModelReportText(
            model: outcome.best, alternatives: outcome.models, drivers: outcome.drivers,
            rows: (outcome.train.count, outcome.test.count))
        if format == "json" {
            print(try ModelJSON.string(report.json))
        } else {
            print(report.text + "saved in the store as the \(kind!) model\n", terminator: "")
        }
    }
}

extension Fulcrum.Model {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The stored model of a kind: when and on what it was trained, its test measures and drivers.")

        @Argument(help: "The model's kind: churn, expansion, conversion, win or trial.")
        var kind = ChurnModel.kind

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Output format: table or json.")
        var format = "table"

        func validate() throws {
            guard ["table", "json"].contains(format) else {
                throw ValidationError("--format: '\(format)' is not one of table, json")
            }
        }

        func run() throws {
            let store = try storeOptions.openStoreForReading()
            let model: TrainedModel
            do {
                model = try runReportingErrors { try PredictionService.model(store: store, kind: kind) }
            } catch let missing as PredictionService.NoModel {
                throw fail(missing.description)
            }
            let report = ModelReportText(model: model, alternatives: [model], drivers: model.drivers, rows: nil)
            if format == "json" {
                print(try ModelJSON.string(report.json))
            } else {
                print(report.text, terminator: "")
            }
        }
    }
}

extension Fulcrum.Model {
    /// `fulcrum model features KIND`: the panel a store model trains on, as CSV — for a peer tool, a
    /// spreadsheet, or `fulcrum model train --features` itself (bench/prediction.sh compares them).
    struct Features: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the feature table a model kind trains on (id, time, split, features, target) as CSV.",
            discussion: """
                Columns: id (account), time (the prediction month; for conversion the month of the lead's scoring \
                day), split (train or test, as `model train` splits them), the features, and the target (1/0). Rows \
                with an outcome not yet known, and those in the gap between training and test, are left out.
                """)

        @Argument(help: "churn, expansion, conversion, win or trial.")
        var kind: String

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Write here instead of standard output.")
        var out: String?

        func validate() throws {
            guard Fulcrum.Model.kinds.contains(kind) else {
                throw ValidationError(
                    "'\(kind)' is not one of \(Fulcrum.Model.kinds.joined(separator: ", "))")
            }
        }

        func run() throws {
            let store = try storeOptions.openStoreForReading()
            let outcome: ChurnModel.Outcome
            do {
                outcome = try reportingMetricErrors {
                    if let label = AccountFeatures.Outcome(rawValue: kind) {
                        return try ChurnModel.train(
                            try PredictionService.churnContext(store: store), createdOn: "", outcome: label,
                            algorithms: [])
                    }
                    if kind == TrialModel.kind {
                        return try TrialModel.train(
                            try PredictionService.trialContext(store: store), createdOn: "", algorithms: [])
                    }
                    return try ConversionModel.train(
                        try PredictionService.conversionContext(
                            store: store, storePath: storeOptions.resolvedPath.path),
                        createdOn: "", algorithms: [], outcome: kind == ConversionModel.winKind ? .win : .opportunity)
                }
            } catch let problem as ChurnModel.Problem {
                throw fail(problem.description)
            }
            let p = outcome.panel
            let k = p.names.count
            var split = [String](repeating: "", count: p.rowCount)
            for i in outcome.train { split[i] = "train" }
            for i in outcome.test { split[i] = "test" }
            var text = "id,time,split," + p.names.map(CSVText.cell).joined(separator: ",") + ",target\n"
            for i in 0..<p.rowCount {
                let s = split[i]
                guard !s.isEmpty else { continue }
                text += "\(p.accounts[i]),\(p.months[i].iso),\(s),"
                for j in 0..<k {
                    let v = p.x[i * k + j]
                    text += v.isNaN ? "" : (v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v))
                    text += ","
                }
                text += p.y[i].isNaN ? "\n" : (p.y[i] == 1 ? "1\n" : "0\n")
            }
            if let out {
                do {
                    try text.write(toFile: out, atomically: true, encoding: .utf8)
                } catch {
                    throw fail("\(out): cannot write: \(error.localizedDescription)")
                }
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}

/// A stored model in words: what it predicts, its window and validation, test measures, calibration, drivers.
struct ModelReportText {
    var model: TrainedModel
    var alternatives: [TrainedModel]
    var drivers: [ModelInsight.FeatureWeight]?
    var rows: (train: Int, test: Int)?

    struct JSON: Encodable {
        var kind: String
        var target: String
        var algorithm: String
        var version: Int
        var createdOn: String
        var trainingWindow: String
        var validation: String
        var trainingRows: Int
        var features: [String]
        var metrics: ClassifierMetrics
        var alternatives: [[String: Double]]
        var drivers: [ModelInsight.FeatureWeight]?
        var notes: [String]
    }

    var json: JSON {
        JSON(
            kind: model.kind, target: model.target, algorithm: model.algorithm.rawValue, version: model.version,
            createdOn: model.createdOn, trainingWindow: model.trainingWindow, validation: model.validation,
            trainingRows: model.trainingRows, features: model.features, metrics: model.metrics,
            alternatives: alternatives.map {
                [
                    "roc_auc_\($0.algorithm.rawValue)": $0.metrics.rocAUC ?? .nan,
                    "brier_\($0.algorithm.rawValue)": $0.metrics.brier,
                ]
            }, drivers: drivers, notes: model.notes)
    }

    var text: String {
        var out =
            "\(model.kind) model (\(model.algorithm.rawValue)), predicts: \(model.target); trained \(model.createdOn)\n"
        out += "  \(model.trainingWindow)\n  validation: \(model.validation)\n"
        out +=
            "  \(model.trainingRows) training rows, \(model.metrics.rows) test rows (\(model.metrics.positives) positive)\n\n"
        var table = TextTable(
            headers: ["algorithm", "ROC AUC", "PR AUC", "Brier", "log loss"],
            alignments: [.left, .right, .right, .right, .right])
        for m in alternatives {
            table.append([
                m.algorithm.rawValue + (m.algorithm == model.algorithm ? " (kept)" : ""),
                m.metrics.rocAUC.map { DecimalText.text($0, places: 4) } ?? "",
                m.metrics.prAUC.map { DecimalText.text($0, places: 4) } ?? "",
                DecimalText.text(m.metrics.brier, places: 4),
                DecimalText.text(m.metrics.logLoss, places: 4),
            ])
        }
        out += table.render()
        if !out.hasSuffix("\n") { out += "\n" }
        out += "\nCalibration on the test rows:\n"
        var cal = TextTable(
            headers: ["predicted", "rows", "mean predicted", "observed"], alignments: [.left, .right, .right, .right])
        for b in model.metrics.calibration {
            cal.append([
                "\(DecimalText.text(b.low, places: 1))–\(DecimalText.text(b.high, places: 1))", "\(b.count)",
                DecimalText.text(b.meanPredicted, places: 3), DecimalText.text(b.observedRate, places: 3),
            ])
        }
        out += cal.render()
        if !out.hasSuffix("\n") { out += "\n" }
        if let drivers {
            out += "\nDrivers (test ROC AUC lost when the feature is shuffled; direction of its push):\n"
            var top = TextTable(
                headers: ["feature", "AUC drop", "mean |contribution|", "direction"],
                alignments: [.left, .right, .right, .left])
            for d in drivers {
                top.append([
                    d.feature, d.aucDrop.map { DecimalText.text($0, places: 4) } ?? "",
                    DecimalText.text(d.meanAbsoluteContribution, places: 4), d.direction,
                ])
            }
            out += top.render()
            if !out.hasSuffix("\n") { out += "\n" }
        }
        for note in model.notes { out += "note: \(note)\n" }
        return out
    }
}

/// JSON for models and summaries: sorted keys, so files diff cleanly.
enum ModelJSON {
    /// Summaries and reports print with snake_case keys, as every other JSON output does; model files keep the
    /// field names `fulcrum model score` reads back.
    static func string<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
