import FulcrumCore
import FulcrumImport

/// Outcomes brought from elsewhere (a test run in another tool, a spreadsheet), one row per
/// account: an arm column, metric columns (numbers; blank = not measured), and optionally a
/// stratum column and pre-period columns. Errors name the file, line and column.
public enum ExperimentFile {
    public static func analyze(
        path: String, arm: String, control: String?, strata: String?, pre: [String], metrics: [String],
        alpha: Double = 0.05
    ) throws -> ExperimentAnalysis {
        guard !metrics.isEmpty else {
            throw ExperimentService.Problem(parameter: "--metric", reason: "name at least one outcome column")
        }
        guard pre.isEmpty || pre.count == 1 || pre.count == metrics.count else {
            throw ExperimentService.Problem(
                parameter: "--pre",
                reason:
                    "give one pre-period column for every metric, or one for all (\(pre.count) for \(metrics.count) metrics)"
            )
        }
        let reader = try CSVReader(path: path)
        let armColumn = try reader.header.require(arm)
        let strataColumn = try strata.map { name throws(CSVError) in try reader.header.require(name) }
        var metricColumns: [CSVColumn] = []
        for m in metrics { metricColumns.append(try reader.header.require(m)) }
        var preColumns: [CSVColumn] = []
        for p in pre { preColumns.append(try reader.header.require(p)) }
        var rows: [ExperimentAnalysis.Row] = []
        func number(_ record: CSVRecord, _ column: CSVColumn) throws(CSVError) -> Double? {
            let text = record[column].trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return nil }
            switch text.lowercased() {
            case "true", "yes": return 1
            case "false", "no": return 0
            default: break
            }
            guard let v = Double(text), v.isFinite else {
                throw reader.valueError("'\(text)' is not a number", record: record, column: column)
            }
            return v
        }
        while let record = try reader.next() {
            let armName = record[armColumn].trimmingCharacters(in: .whitespaces)
            guard !armName.isEmpty else {
                throw reader.valueError("the arm is blank", record: record, column: armColumn)
            }
            var values: [Double?] = []
            for c in metricColumns { values.append(try number(record, c)) }
            var preValues: [Double?] = []
            for i in metrics.indices where !preColumns.isEmpty {
                preValues.append(try number(record, preColumns[preColumns.count == 1 ? 0 : i]))
            }
            rows.append(
                ExperimentAnalysis.Row(
                    arm: armName, stratum: strataColumn.map { record[$0].trimmingCharacters(in: .whitespaces) },
                    values: values, pre: preValues))
        }
        do {
            return try ExperimentAnalysis.run(rows: rows, metrics: metrics, control: control, alpha: alpha)
        } catch let p as ExperimentAnalysis.Problem {
            throw ExperimentService.Problem(
                parameter: control != nil ? "--control" : "--outcomes", reason: p.description)
        }
    }
}
