/// A feature table brought from elsewhere (a warehouse, a spreadsheet) for `fulcrum model train|score`:
/// one row per example, a 1/0 target (or true/false, yes/no), an optional id and time column, and
/// every other column a feature. Errors name the file, line and column.
public struct FeatureFile: Sendable {
    public var path: String
    /// The target and id columns as named (nil when not given).
    public var targetColumn: String?
    public var idColumn: String?
    /// Feature column names and their cells, column-major (`cells[column][row]`).
    public var names: [String]
    public var cells: [[String]]
    public var ids: [String]
    public var times: [String]?
    /// Per row, true for a test row (from a `--split` column holding train/test).
    public var isTest: [Bool]?
    /// 1/0 targets; nil when the file was read for scoring without one.
    public var targets: [Double]?
    /// The physical line of each row (for messages about a row).
    public var lines: [Int]

    public var rowCount: Int { lines.count }

    /// Reads the file. `target` is required for training; for scoring pass nil (a target column, if present,
    /// is then left out of the features too when named in `ignore`).
    public static func read(
        path: String, target: String?, id: String?, time: String?, split: String? = nil, ignore: [String] = []
    ) throws(CSVError) -> FeatureFile {
        let reader = try CSVReader(path: path)
        let header = reader.header
        let targetColumn = try target.map { name throws(CSVError) in try header.require(name) }
        let idColumn = try id.map { name throws(CSVError) in try header.require(name) }
        let timeColumn = try time.map { name throws(CSVError) in try header.require(name) }
        let splitColumn = try split.map { name throws(CSVError) in try header.require(name) }
        let special = Set(
            [targetColumn?.index, idColumn?.index, timeColumn?.index, splitColumn?.index].compactMap { $0 })
        let skipped = Set(ignore.compactMap { header.column(named: $0)?.index })
        let featureIndexes = header.names.indices.filter { !special.contains($0) && !skipped.contains($0) }
        guard !featureIndexes.isEmpty else {
            throw CSVError(
                code: .invalidValue, file: reader.fileName, line: header.line, column: 1,
                message: "no feature columns: every column is the target, the id or the time")
        }
        var file = FeatureFile(
            path: path, targetColumn: target, idColumn: id, names: featureIndexes.map { header.names[$0] },
            cells: featureIndexes.map { _ in [] },
            ids: [], times: timeColumn == nil ? nil : [], isTest: splitColumn == nil ? nil : [],
            targets: targetColumn == nil ? nil : [], lines: [])
        while let record = try reader.next() {
            for (c, i) in featureIndexes.enumerated() { file.cells[c].append(record.fields[i]) }
            file.lines.append(record.line)
            file.ids.append(idColumn.map { record[$0] } ?? String(file.lines.count))
            if let timeColumn {
                let t = trimSpaces(record[timeColumn])
                guard !t.isEmpty else {
                    throw reader.valueError("the time is blank", record: record, column: timeColumn)
                }
                file.times!.append(t)
            }
            if let splitColumn {
                switch trimSpaces(record[splitColumn]).lowercased() {
                case "train": file.isTest!.append(false)
                case "test": file.isTest!.append(true)
                default:
                    throw reader.valueError(
                        "the split must be train or test, not '\(record[splitColumn])'", record: record,
                        column: splitColumn)
                }
            }
            if let targetColumn {
                let v = trimSpaces(record[targetColumn]).lowercased()
                switch v {
                case "1", "true", "yes", "1.0": file.targets!.append(1)
                case "0", "false", "no", "0.0": file.targets!.append(0)
                default:
                    throw reader.valueError(
                        "the target must be 1/0, true/false or yes/no, not '\(record[targetColumn])'", record: record,
                        column: targetColumn)
                }
            }
        }
        return file
    }
}
