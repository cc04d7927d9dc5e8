import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumImport

extension TrainedModel.Algorithm: ExpressibleByArgument {}

extension Fulcrum {
    /// `fulcrum model`: train probability models and score with them (docs/prediction.md).
    struct Model: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train probability models (logistic regression, boosted trees) and score with them.",
            subcommands: [Train.self, Score.self])
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

        @Option(help: "Feature table (CSV) with a header row.")
        var features: String

        @Option(help: "The 1/0 outcome column.")
        var target: String

        @Option(help: "Row id column (default: the row number).")
        var id: String?

        @Option(help: "Time column (ISO dates or numbers): validate out of time on the latest fifth.")
        var time: String?

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
        }

        func run() throws {
            let file: FeatureFile
            do {
                file = try FeatureFile.read(path: features, target: target, id: id, time: time)
            } catch {
                throw fail("\(error)")
            }
            let outcome = try FeatureModelRun.train(
                file: file, algorithms: algorithm.isEmpty ? TrainedModel.Algorithm.allCases : algorithm, c: c)
            if let output {
                do {
                    try ModelJSON.encode(outcome.best).write(to: URL(fileURLWithPath: output))
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
                model = try JSONDecoder().decode(
                    TrainedModel.self, from: Data(contentsOf: URL(fileURLWithPath: modelPath)))
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

/// JSON for models and summaries: sorted keys, so files diff cleanly.
enum ModelJSON {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(value)
    }

    static func string<T: Encodable>(_ value: T) throws -> String { String(decoding: try encode(value), as: UTF8.self) }
}
