import Foundation
import FulcrumCore
import FulcrumImport

/// One input file: which table it fills, where it goes in the foreign-key
/// order, and how to read it.
struct FilePlan {
    let path: String
    let table: String
    let order: Int
    /// Required columns the file's header lacks.
    let missingRequired: [String]
    let open: () throws(ImportProblem) -> any SourceFileReader
    /// Columns of a file read through a mapping file that no rule reads (named in a note).
    var unusedColumns: [String] = []
    /// Read through a source's mapping or a mapping file (not a canonical file): references to records the
    /// export does not include may stay unresolved (`RowWriter.softTargets`).
    var mapped = false

    /// Every row key in the file, read ahead for tables that reference themselves.
    /// A file that cannot be read to the end yields the keys before the problem; the main pass reports it.
    func keys() -> Set<String> {
        var keys = Set<String>()
        guard let reader = try? open() else { return keys }
        while let item = try? reader.next() {
            if case .row(let row) = item, let key = row.cell("id")?.text ?? row.cell("external_id")?.text, !key.isEmpty
            {
                keys.insert(ValueConverter.unguarded(key).trimmingSpaces)
            }
        }
        return keys
    }
}

extension Importer {
    /// The source columns a row condition reads.
    static func conditionColumns(_ condition: RowCondition) -> Set<String> {
        var names: Set<String> = [condition.column.lowercased()]
        if case .anyColumnPresent(let more) = condition.test { names.formUnion(more.map { $0.lowercased() }) }
        if case .noColumnPresent(let more) = condition.test { names.formUnion(more.map { $0.lowercased() }) }
        for inner in condition.and { names.formUnion(conditionColumns(inner)) }
        return names
    }

    static func plans(
        _ path: String, kind: ImportSourceKind, specs: [String: TableSpec], mappingFile: MappingFile? = nil,
        catalog: StripeCatalog? = nil
    ) throws -> [FilePlan] {
        func fail(_ problem: ImportProblem) -> ImportFailure {
            ImportFailure(problems: [problem], problemCount: 1, files: [])
        }
        let entry = mappingFile?.entries.first { FileMapping.normalize($0.file) == FileMapping.normalize(path) }
        var matches: [FileMapping] = []
        var passThrough = false
        if kind != .canonical, let builtin = BuiltinMappings.mapping(for: kind.rawValue) {
            matches = builtin.mappings(forFile: path)
        }
        if let entry, let mappingFile {
            if matches.isEmpty {
                var table = entry.table
                if table == nil, case .success(let t) = CanonicalColumns.table(forFile: path, tables: Set(specs.keys)) {
                    table = t
                }
                guard let table, specs[table] != nil else {
                    throw fail(
                        ImportProblem(
                            file: mappingFile.path, line: entry.line, column: 1,
                            reason:
                                "files.\(entry.file): say which table this file fills (table: accounts, people, …)\(entry.table.map { "; '\($0)' is not a table" } ?? "")"
                        ))
                }
                matches = [FileMapping(names: [path], table: table, columns: [])]
                passThrough = true
            } else if let table = entry.table {
                matches = matches.filter { $0.table == table }
            }
            matches = try matches.map {
                try apply(entry, to: $0, passThrough: passThrough, specs: specs, mappingPath: mappingFile.path)
            }
        } else if kind == .canonical {
            return [try canonicalPlan(path, specs: specs)]
        }
        guard !matches.isEmpty else {
            let expected = BuiltinMappings.mapping(for: kind.rawValue)?.files.map { $0.names[0] + ".csv" } ?? []
            throw ImportFailure(
                problems: [
                    ImportProblem(
                        file: path, line: 1, column: 1,
                        reason:
                            "not a \(kind.rawValue) export this importer knows; expected one of \(expected.joined(separator: ", ")) (or map it in a --mapping file)"
                    )
                ],
                problemCount: 1, files: [])
        }
        let header: [String]
        do {
            header = try CSVReader(path: path, options: CSVReader.Options(caseInsensitiveHeaders: true)).header.names
        } catch {
            throw ImportFailure(problems: [ImportProblem(error)], problemCount: 1, files: [])
        }
        // A mapping that names a column the file does not have would import the column as empty, silently.
        var unused: [String] = []
        if let entry, let mappingFile {
            let present = Set(header.map { $0.lowercased() })
            var problems: [ImportProblem] = []
            for (target, sources, line) in entry.columns
            where !sources.contains(where: { present.contains($0.lowercased()) }) {
                let at = entry.sourcePositions[target] ?? (line, 1)
                problems.append(
                    ImportProblem(
                        file: mappingFile.path, line: at.line, column: at.column,
                        reason: "files.\(entry.file).columns.\(target): \((path as NSString).lastPathComponent) has no "
                            + "column \(sources.map { "'\($0)'" }.joined(separator: " or ")) (its columns: "
                            + header.joined(separator: ", ") + ")"))
            }
            if !problems.isEmpty { throw ImportFailure(problems: problems, problemCount: problems.count, files: []) }
            // Source columns that no rule reads are named, so a forgotten mapping is seen.
            var read = Set<String>()
            for fileMapping in matches {
                for rule in fileMapping.columns {
                    read.formUnion(rule.sources.map { $0.lowercased() })
                    if let when = rule.when { read.formUnion(conditionColumns(when)) }
                    switch rule.transform {
                    case .timesColumn(let other), .majorUnitsTimesColumn(let other): read.insert(other.lowercased())
                    default: break
                    }
                }
                read.formUnion(fileMapping.customFields.map { $0.lowercased() })
                read.formUnion(fileMapping.passThrough.map { $0.lowercased() })
                for condition in fileMapping.skip { read.formUnion(conditionColumns(condition)) }
            }
            unused = header.filter { !read.contains($0.lowercased()) }
        }
        return matches.map { fileMapping in
            let spec = specs[fileMapping.table]!
            var produced = MappedCSVFile.producedColumns(header: header, mapping: fileMapping)
            if fileMapping.table == "subscriptions", let catalog, !catalog.items.isEmpty {
                produced.formUnion(StripeCatalog.filledColumns)
            }
            var missing: [String] =
                produced.contains("id")
                ? []
                : ["id (\(fileMapping.columns.first { $0.target == "id" }?.sources.joined(separator: " or ") ?? "id"))"]
            let derivable = spec.columns.contains {
                if case .reference(let t) = $0.kind { return t != "accounts" } else { return false }
            }
            for column in spec.columns where column.required && !produced.contains(column.name) {
                if column.name == "account_id" && derivable { continue }
                let sources = fileMapping.columns.first { $0.target == column.name }?.sources ?? []
                missing.append(
                    sources.isEmpty ? column.name : "\(sources.joined(separator: " or ")) (for \(column.name))")
            }
            var plan = FilePlan(
                path: path, table: fileMapping.table,
                order: Schema.tableNames.firstIndex(of: fileMapping.table) ?? Int.max,
                missingRequired: missing
            ) { () throws(ImportProblem) in
                try MappedCSVFile(path: path, mapping: fileMapping, catalog: catalog)
            }
            plan.unusedColumns = unused
            plan.mapped = true
            return plan
        }
    }

    /// A mapping-file entry on top of a file mapping: renamed columns, value maps, custom fields.
    static func apply(
        _ entry: MappingFile.Entry, to base: FileMapping, passThrough: Bool, specs: [String: TableSpec],
        mappingPath: String
    ) throws -> FileMapping {
        let spec = specs[base.table]!
        var mapping = base
        if passThrough { mapping.passThrough = spec.fileColumns }
        func unknown(_ target: String, _ line: Int, _ key: String) -> ImportFailure {
            ImportFailure(
                problems: [
                    ImportProblem(
                        file: mappingPath, line: line, column: 1,
                        reason:
                            "files.\(entry.file).\(key).\(target): '\(target)' is not a column of \(base.table) (known: \(spec.fileColumns.sorted().joined(separator: ", ")))"
                    )
                ],
                problemCount: 1, files: [])
        }
        for (target, sources, line) in entry.columns {
            guard spec.fileColumns.contains(target) else { throw unknown(target, line, "columns") }
            if let i = mapping.columns.firstIndex(where: { $0.target == target }) {
                mapping.columns[i].sources = sources
            } else {
                mapping.columns.append(ColumnRule(target, sources))
            }
        }
        for (target, table, line) in entry.values {
            guard spec.fileColumns.contains(target) else { throw unknown(target, line, "values") }
            var map = table
            let otherwise = map.removeValue(forKey: "*")
            if let i = mapping.columns.firstIndex(where: { $0.target == target }) {
                mapping.columns[i].transform = .map(map, otherwise: otherwise)
            } else if passThrough {
                mapping.columns.append(ColumnRule(target, [target], .map(map, otherwise: otherwise)))
            } else {
                throw ImportFailure(
                    problems: [
                        ImportProblem(
                            file: mappingPath, line: line, column: 1,
                            reason:
                                "files.\(entry.file).values.\(target): no column maps to '\(target)'; add it under columns"
                        )
                    ], problemCount: 1, files: [])
            }
        }
        for (target, line) in entry.majorUnits {
            guard spec.fileColumns.contains(target) else { throw unknown(target, line, "major_units") }
            guard
                let i = mapping.columns.firstIndex(where: { $0.target == target })
                    ?? {
                        guard passThrough else { return nil }
                        mapping.columns.append(ColumnRule(target, [target]))
                        return mapping.columns.count - 1
                    }()
            else {
                throw ImportFailure(
                    problems: [
                        ImportProblem(
                            file: mappingPath, line: line, column: 1,
                            reason:
                                "files.\(entry.file).major_units: no column maps to '\(target)'; add it under columns")
                    ], problemCount: 1, files: [])
            }
            if case .map = mapping.columns[i].transform {
                throw ImportFailure(
                    problems: [
                        ImportProblem(
                            file: mappingPath, line: line, column: 1,
                            reason:
                                "files.\(entry.file).major_units: '\(target)' also has a value map; give one or the other"
                        )
                    ], problemCount: 1, files: [])
            }
            mapping.columns[i].transform = .majorUnits
        }
        for (target, line) in entry.byName {
            guard let column = spec.columns.first(where: { $0.name == target }) else {
                throw unknown(target, line, "by_name")
            }
            guard case .reference(let referenced) = column.kind, referenced != base.table,
                specs[referenced]?.columns.contains(where: { $0.name == "name" }) == true,
                let i = mapping.columns.firstIndex(where: { $0.target == target })
            else {
                throw ImportFailure(
                    problems: [
                        ImportProblem(
                            file: mappingPath, line: line, column: 1,
                            reason:
                                "files.\(entry.file).by_name: '\(target)' must be a mapped reference to another table with names (account_id, owner_rep_id, campaign_id, …)"
                        )
                    ], problemCount: 1, files: [])
            }
            mapping.columns[i].byName = true
        }
        for (target, value, line) in entry.defaults {
            guard spec.fileColumns.contains(target) || target == "id" else { throw unknown(target, line, "defaults") }
            if let i = mapping.columns.firstIndex(where: { $0.target == target }) {
                mapping.columns[i].fallback = value
            } else if passThrough {
                mapping.columns.append(ColumnRule(target, [target], fallback: value))
            } else {
                mapping.columns.append(.constant(target, value))
            }
        }
        mapping.customFields += entry.customFields
        return mapping
    }

    /// A canonical file: the table from its name, its header checked for the required columns.
    static func canonicalPlan(_ path: String, specs: [String: TableSpec]) throws -> FilePlan {
        let table: String
        switch CanonicalColumns.table(forFile: path, tables: Set(specs.keys)) {
        case .success(let t): table = t
        case .failure(let e):
            throw ImportFailure(
                problems: [ImportProblem(file: path, line: 1, column: 1, reason: e.message)], problemCount: 1, files: []
            )
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
            let present = Set(try CSVReader(path: path).header.names)
            if spec.keyedByExternalId, !present.contains("id"), !present.contains("external_id") {
                missing.append("id")
            }
            missing += spec.columns.filter { $0.required && !present.contains($0.name) }.map(\.name)
            missing += spec.primaryKey.filter { !present.contains($0) && !missing.contains($0) && $0 != "id" }
        } catch {
            throw ImportFailure(problems: [ImportProblem(error)], problemCount: 1, files: [])
        }
        return FilePlan(path: path, table: table, order: order, missingRequired: missing) { () throws(ImportProblem) in
            try CanonicalCSVFile(path: path, table: table, knownColumns: known)
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
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw ImportFailure(
                problems: [ImportProblem(file: path, line: 1, column: 1, reason: "cannot create the reject file")],
                problemCount: 1, files: [])
        }
        self.handle = handle
        handle.write(Data("file,line,column,reason,record\n".utf8))
    }

    mutating func write(_ problem: ImportProblem) throws {
        let record = problem.recordText ?? problem.original.map(CSVText.cell).joined(separator: ",")
        let line = [problem.file, String(problem.line), String(problem.column), problem.reason, record].map(
            CSVText.cell
        ).joined(separator: ",")
        handle.write(Data((line + "\n").utf8))
    }

    func close() throws { try handle.close() }
}
