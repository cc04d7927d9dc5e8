import FulcrumImport
import Foundation

/// One input file: which table it fills, where it goes in the foreign-key
/// order, and how to read it.
struct FilePlan {
    let path: String
    let table: String
    let order: Int
    /// Required columns the file's header lacks.
    let missingRequired: [String]
    let open: () throws(ImportProblem) -> any SourceFileReader

    /// Every row key in the file, read ahead for tables that reference themselves.
    /// A file that cannot be read to the end yields the keys before the problem; the main pass reports it.
    func keys() -> Set<String> {
        var keys = Set<String>()
        guard let reader = try? open() else { return keys }
        while let item = try? reader.next() {
            if case .row(let row) = item, let key = row.cell("id")?.text ?? row.cell("external_id")?.text, !key.isEmpty {
                keys.insert(ValueConverter.unguarded(key).trimmingSpaces)
            }
        }
        return keys
    }
}

extension Importer {
    static func plans(_ path: String, kind: ImportSourceKind, specs: [String: TableSpec]) throws -> [FilePlan] {
        guard kind != .canonical, let mapping = BuiltinMappings.mapping(for: kind.rawValue) else {
            return [try plan(path, kind: kind, specs: specs)]
        }
        let matches = mapping.mappings(forFile: path)
        guard !matches.isEmpty else {
            let expected = mapping.files.map { $0.names[0] + ".csv" }
            throw ImportFailure(problems: [ImportProblem(file: path, line: 0, column: 0,
                reason: "not a \(kind.rawValue) export this importer knows; expected one of \(expected.joined(separator: ", "))")],
                problemCount: 1, files: [])
        }
        let header: [String]
        do { header = try CSVReader(path: path, options: CSVReader.Options(caseInsensitiveHeaders: true)).header.names } catch {
            throw ImportFailure(problems: [ImportProblem(error)], problemCount: 1, files: [])
        }
        return matches.map { fileMapping in
            let spec = specs[fileMapping.table]!
            let produced = MappedCSVFile.producedColumns(header: header, mapping: fileMapping)
            var missing: [String] = produced.contains("id") ? [] : ["id (\(fileMapping.columns.first { $0.target == "id" }?.sources.joined(separator: " or ") ?? "id"))"]
            let derivable = spec.columns.contains { if case .reference(let t) = $0.kind { return t != "accounts" } else { return false } }
            for column in spec.columns where column.required && !produced.contains(column.name) {
                if column.name == "account_id" && derivable { continue }
                let sources = fileMapping.columns.first { $0.target == column.name }?.sources ?? []
                missing.append(sources.isEmpty ? column.name : "\(sources.joined(separator: " or ")) (for \(column.name))")
            }
            return FilePlan(path: path, table: fileMapping.table, order: Schema.tableNames.firstIndex(of: fileMapping.table) ?? Int.max,
                            missingRequired: missing) { () throws(ImportProblem) in
                try MappedCSVFile(path: path, mapping: fileMapping)
            }
        }
    }

    static func plan(_ path: String, kind: ImportSourceKind, specs: [String: TableSpec]) throws -> FilePlan {
        func fail(_ reason: String, line: Int = 0) -> ImportFailure {
            ImportFailure(problems: [ImportProblem(file: path, line: line, column: 0, reason: reason)], problemCount: 1, files: [])
        }
        switch kind {
        case .canonical:
            let table: String
            switch CanonicalColumns.table(forFile: path, tables: Set(specs.keys)) {
            case .success(let t): table = t
            case .failure(let e): throw fail(e.message)
            }
            let spec = specs[table]!
            let known = spec.fileColumns
            let order = Schema.tableNames.firstIndex(of: table) ?? Int.max
            if path.lowercased().hasSuffix(".jsonl") {
                return FilePlan(path: path, table: table, order: order, missingRequired: []) { () throws(ImportProblem) in
                    try CanonicalJSONLinesFile(path: path, table: table, knownColumns: known)
                }
            }
            var missing: [String] = []
            do {
                let header = try CSVReader(path: path).header.names
                let present = Set(header)
                if spec.keyedByExternalId, !present.contains("id"), !present.contains("external_id") { missing.append("id") }
                missing += spec.columns.filter { $0.required && !present.contains($0.name) }.map(\.name)
                missing += spec.primaryKey.filter { !present.contains($0) && !missing.contains($0) && $0 != "id" }
            } catch {
                throw ImportFailure(problems: [ImportProblem(error)], problemCount: 1, files: [])
            }
            return FilePlan(path: path, table: table, order: order, missingRequired: missing) { () throws(ImportProblem) in
                try CanonicalCSVFile(path: path, table: table, knownColumns: known)
            }
        case .salesforce, .hubspot, .stripe:
            throw fail("internal: mapped sources are planned by plans(_:kind:specs:)")
        }
    }
}

/// The reject file of `--skip-invalid`: one CSV row per problem with the
/// record as it was read, formula-like cells neutralized.
struct RejectWriter {
    private let handle: FileHandle
    let path: String

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ImportFailure(problems: [ImportProblem(file: path, line: 0, column: 0, reason: "cannot create the reject file")],
                                problemCount: 1, files: [])
        }
        self.handle = handle
        handle.write(Data("file,line,column,reason,record\n".utf8))
    }

    mutating func write(_ problem: ImportProblem) throws {
        let record = problem.original.map(Self.cell).joined(separator: ",")
        let line = [problem.file, String(problem.line), String(problem.column), problem.reason, record].map(Self.cell).joined(separator: ",")
        handle.write(Data((line + "\n").utf8))
    }

    func close() throws { try handle.close() }

    static func cell(_ text: String) -> String {
        var t = text
        if let f = t.first, "=+-@".contains(f) { t = "'" + t }
        guard t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return t }
        return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
