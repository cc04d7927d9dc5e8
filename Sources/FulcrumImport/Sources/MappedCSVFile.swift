/// Reads one export file (Salesforce, HubSpot, Stripe or any CSV with a
/// mapping file) as `SourceRow`s of a canonical table, applying a `FileMapping`.
/// Headers are matched without regard to case. A cell keeps the position of the
/// source field it came from, so errors point into the original export.
public final class MappedCSVFile: SourceFileReader {
    public let tables: [String]
    private let reader: CSVReader
    private let mapping: FileMapping
    private let index: [String: Int]
    private let totalBytes: Int
    /// Header positions of canonical columns read under their own name.
    private let passThrough: [(index: Int, column: String)]

    /// Special canonical column for `ValueTransform.aliases`.
    public static let aliasesColumn = "@aliases"

    /// Stripe prices and subscription items: a subscription's price comes from its items when they are known.
    private let catalog: StripeCatalog?

    public init(path: String, mapping: FileMapping, catalog: StripeCatalog? = nil) throws(ImportProblem) {
        self.catalog = mapping.table == "subscriptions" ? catalog : nil
        do {
            reader = try CSVReader(path: path, options: CSVReader.Options(caseInsensitiveHeaders: true))
        } catch {
            throw ImportProblem(error)
        }
        self.mapping = mapping
        tables = [mapping.table]
        var index: [String: Int] = [:]
        for (i, name) in reader.header.names.enumerated() { index[name.lowercased()] = i }
        self.index = index
        let targeted = Set(mapping.columns.map(\.target))
        passThrough = reader.header.names.enumerated().compactMap { i, name in
            mapping.passThrough.contains(name) && !targeted.contains(name) ? (i, name) : nil
        }
        totalBytes = FileSize.of(path)
    }

    /// Canonical columns this file can fill (a rule with a present source column or a fallback).
    public static func producedColumns(header: [String], mapping: FileMapping) -> Set<String> {
        let names = Set(header.map { $0.lowercased() })
        var produced = Set<String>()
        for rule in mapping.columns
        where rule.fallback != nil || rule.sources.contains(where: { names.contains($0.lowercased()) }) {
            produced.insert(rule.target)
        }
        return produced.union(mapping.passThrough.filter { names.contains($0.lowercased()) })
    }

    public var progress: (done: Int, total: Int) { (offsetSeen, totalBytes) }
    /// Records the source marks as deleted (Salesforce IsDeleted without a master, Stripe deleted
    /// customers), left out by the mapping; the import names how many.
    public private(set) var leftOut = 0
    private var offsetSeen = 0

    public func next() throws(ImportProblem) -> SourceItem? {
        while true {
            guard let next = try reader.nextImportRecord() else {
                offsetSeen = totalBytes
                return nil
            }
            let record: CSVRecord
            switch next {
            case .success(let r): record = r
            case .failure(let problem): return .problem(problem)
            }
            offsetSeen = record.byteOffset
            let fields = cleaned(record.fields)
            let value: (String) -> String? = { name in self.index[name.lowercased()].map { fields[$0] } }
            if mapping.skip.contains(where: { $0.holds(value) }) {
                leftOut += 1
                continue
            }
            return row(record, fields, value)
        }
    }

    /// The record's fields with the source's null values (Salesforce's `000000000000000AAA`) made empty.
    private func cleaned(_ fields: [String]) -> [String] {
        guard !mapping.nullValues.isEmpty, fields.contains(where: mapping.nullValues.contains) else { return fields }
        return fields.map { mapping.nullValues.contains($0) ? "" : $0 }
    }

    private func row(_ record: CSVRecord, _ fields: [String], _ value: (String) -> String?) -> SourceItem {
        var cells: [SourceCell] = []
        var empty: [EmptySource] = []
        for rule in mapping.columns {
            var text: String?
            var position = CSVPosition(line: record.line, column: 1)
            // A rule whose condition fails gives nothing, not even its fallback: another rule for the
            // same column (the other layout of the export) may give the value.
            guard rule.when.map({ $0.holds(value) }) ?? true else { continue }
            // Two rules for one column (an API export's owner id, a UI export's owner name): the first that gives a
            // value wins, so the column is never written twice.
            if cells.contains(where: { $0.column == rule.target }) { continue }
            do {
                for source in rule.sources {
                    if let i = index[source.lowercased()], !fields[i].isEmpty {
                        text = fields[i]
                        position = record.fieldPositions[i]
                        break
                    }
                }
            }
            var hint = CellHint.none
            if let raw = text {
                switch apply(rule.transform, raw, value) {
                case .success(let (t, h)):
                    text = t
                    hint = h
                case .failure(let e):
                    return .problem(
                        ImportProblem(
                            file: reader.fileName, line: position.line, column: position.column,
                            reason: "\(rule.sources.first ?? rule.target) → \(rule.target): \(e.message)",
                            original: record.fields))
                }
            }
            if text == nil || text == "", let fallback = rule.fallback { text = fallback }
            guard let text else {
                if let i = rule.sources.lazy.compactMap({ self.index[$0.lowercased()] }).first {
                    let pos = record.fieldPositions[i]
                    empty.append(
                        EmptySource(
                            target: rule.target, source: reader.header.names[i], line: pos.line, column: pos.column))
                }
                continue
            }
            if rule.byName, hint == .none { hint = .byName }
            let column = rule.transform.isAliases ? Self.aliasesColumn : rule.target
            cells.append(
                SourceCell(column: column, text: text, line: position.line, columnNumber: position.column, hint: hint))
        }
        for (i, column) in passThrough {
            let pos = record.fieldPositions[i]
            cells.append(SourceCell(column: column, text: fields[i], line: pos.line, columnNumber: pos.column))
        }
        for name in mapping.customFields {
            if let i = index[name.lowercased()], !fields[i].isEmpty {
                let pos = record.fieldPositions[i]
                cells.append(
                    SourceCell(
                        column: CanonicalColumns.customPrefix + name, text: fields[i], line: pos.line,
                        columnNumber: pos.column))
            }
        }
        if let catalog,
            let problem = catalog.enrich(&cells, file: reader.fileName, line: record.line, original: record.fields)
        {
            return .problem(problem)
        }
        var row = SourceRow(
            table: mapping.table, cells: cells, file: reader.fileName, line: record.line, original: record.fields)
        row.emptySources = empty
        return .row(row)
    }

    private func apply(_ transform: ValueTransform, _ text: String, _ value: (String) -> String?) -> Result<
        (String, CellHint), ValueError
    > {
        switch transform {
        case .none, .aliases: return .success((text, .none))
        case .map(let table, let otherwise):
            let key = text.lowercased()
            if let hit = table.first(where: { $0.key.lowercased() == key }) { return .success((hit.value, .none)) }
            return .success((otherwise ?? text, .none))
        case .firstOfList:
            let first = text.split(separator: ";", omittingEmptySubsequences: true).first
            return .success(((first.map(String.init) ?? "").trimmingCharacters(in: .whitespaces), .none))
        case .uppercase: return .success((text.uppercased(), .none))
        case .lowercase: return .success((text.lowercased(), .none))
        case .domain: return .success((Self.host(of: text), .none))
        case .emailDomain:
            guard let at = text.lastIndex(of: "@") else { return .success(("", .none)) }
            return .success((String(text[text.index(after: at)...]).lowercased(), .none))
        case .epochSeconds: return .success((text, .epochSeconds))
        case .epochMilliseconds: return .success((text, .epochMilliseconds))
        case .majorUnits: return .success((text, .majorUnits))
        case .majorUnitsTimesColumn(let column):
            guard let quantityText = value(column), !quantityText.isEmpty else { return .success((text, .majorUnits)) }
            guard case .success(let q) = IntegerParser.parse(quantityText) else {
                return .failure(ValueError("\(column): not a whole quantity: '\(quantityText)'"))
            }
            return .success((text, .majorUnitsTimes(q)))
        case .timesColumn(let column):
            guard let quantityText = value(column), !quantityText.isEmpty else { return .success((text, .none)) }
            switch (IntegerParser.parse(text), IntegerParser.parse(quantityText)) {
            case (.success(let a), .success(let q)):
                let (product, overflow) = a.multipliedReportingOverflow(by: q)
                return overflow
                    ? .failure(ValueError("amount × \(column) overflows")) : .success((String(product), .none))
            case (.failure(let e), _): return .failure(e)
            case (_, .failure(let e)): return .failure(ValueError("\(column): \(e.message)"))
            }
        }
    }

    /// `https://www.Acme.com:443/about` → `acme.com`.
    static func host(of url: String) -> String {
        var s = Substring(url.lowercased())
        while let f = s.first, f == " " { s = s.dropFirst() }
        if let scheme = s.range(of: "://") { s = s[scheme.upperBound...] }
        s = s.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != ":" && $0 != " " }
        if s.hasPrefix("www.") { s = s.dropFirst(4) }
        return String(s)
    }
}

extension ValueTransform {
    var isAliases: Bool { if case .aliases = self { return true } else { return false } }
}
