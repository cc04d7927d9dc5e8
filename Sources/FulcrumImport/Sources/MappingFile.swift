import Foundation
import Yams

/// A user's mapping file (YAML): renames columns, maps values, sets the time
/// zone and date order, and keeps custom fields, on top of a source's built-in
/// mapping or for files the source does not know. docs/import.md has examples.
///
/// ```yaml
/// time_zone: "-05:00"
/// date_order: mdy
/// files:
///   Opportunity:                      # file base name, case-insensitive
///     columns: {product: Product_Line__c, segment: [Segment__c, Industry]}
///     values:
///       type: {"New Logo": new, "*": new}
///       is_won: {"Closed Won": "true", "*": "false"}
///     custom_fields: [Competitor__c]
///   leads_2024:                       # a file the source does not know
///     table: people
///     columns: {id: Lead ID, email: Email, created_at: Created, status: Status}
///   subs:                             # a published data set: constants and major units
///     table: subscriptions
///     columns: {id: sub_id, account_id: customer, amount_minor: monthly_price, started_on: start, ended_on: end}
///     defaults: {currency: USD, interval: month, status: active, plan: default, product: default}
///     major_units: [amount_minor]
/// ```
public struct MappingFile: Sendable {
    public struct Entry: Sendable {
        public var file: String
        public var table: String?
        /// Canonical column → source columns (first present wins).
        public var columns: [(target: String, sources: [String], line: Int)]
        /// Canonical column → source value → canonical value ("*" = every other value).
        public var values: [(target: String, map: [String: String], line: Int)]
        public var customFields: [String]
        /// Canonical column → value used when the source cell is empty or the file has no such column.
        public var defaults: [(target: String, value: String, line: Int)] = []
        /// `_minor` columns whose source gives major units (`49.90`, `$1,200`), converted with the row's currency.
        public var majorUnits: [(target: String, line: Int)] = []
        public var line: Int
        /// Where each `columns` entry's source names are written (line, column), for errors about them.
        public var sourcePositions: [String: (line: Int, column: Int)] = [:]
        /// Reference columns whose cells name the record (found by name, or created) instead of giving its id.
        public var byName: [(target: String, line: Int)] = []
    }

    public var path: String
    public var timeZone: UTCOffset?
    public var slashOrder: SlashDateOrder?
    public var entries: [Entry]

    /// Parses the file; every problem names `path:line:column` and the key.
    public static func load(path: String) throws(ImportProblem) -> MappingFile {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ImportProblem(file: path, line: 1, column: 1, reason: "cannot read the mapping file")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws(ImportProblem) -> MappingFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.problem(error, path: path)
        } catch {
            throw ImportProblem(file: path, line: 1, column: 1, reason: "not valid YAML: \(error)")
        }
        var result = MappingFile(path: path, entries: [])
        guard let root else { return result }
        let top = try mapping(root, "top level", path)
        for (key, value) in top {
            switch key {
            case "time_zone":
                guard let s = value.string, let zone = UTCOffset(s) else {
                    throw bad(value, "time_zone: expected a UTC offset such as -05:00", path)
                }
                result.timeZone = zone
            case "date_order":
                switch value.string {
                case "mdy": result.slashOrder = .monthFirst
                case "dmy": result.slashOrder = .dayFirst
                case "auto": result.slashOrder = .auto
                default: throw bad(value, "date_order: expected mdy, dmy or auto", path)
                }
            case "files":
                for (file, body) in try mapping(value, "files", path) {
                    result.entries.append(try entry(file, body, path))
                }
            default:
                throw bad(value, "unknown key '\(key)' (expected time_zone, date_order, files)", path)
            }
        }
        return result
    }

    private static func entry(_ file: String, _ node: Node, _ path: String) throws(ImportProblem) -> Entry {
        var entry = Entry(file: file, table: nil, columns: [], values: [], customFields: [], line: line(node))
        for (key, value) in try mapping(node, "files.\(file)", path) {
            switch key {
            case "table":
                guard let t = value.string else { throw bad(value, "files.\(file).table: expected a table name", path) }
                entry.table = t
            case "columns":
                for (target, sources) in try mapping(value, "files.\(file).columns", path) {
                    entry.columns.append(
                        (target, try strings(sources, "files.\(file).columns.\(target)", path), line(sources)))
                    entry.sourcePositions[target] = (line(sources), sources.mark?.column ?? 1)
                }
            case "values":
                for (target, table) in try mapping(value, "files.\(file).values", path) {
                    var map: [String: String] = [:]
                    for (from, to) in try mapping(table, "files.\(file).values.\(target)", path) {
                        guard let t = scalarText(to) else {
                            throw bad(to, "files.\(file).values.\(target).\(from): expected a value", path)
                        }
                        map[from] = t
                    }
                    entry.values.append((target, map, line(table)))
                }
            case "custom_fields":
                entry.customFields = try strings(value, "files.\(file).custom_fields", path)
            case "defaults":
                for (target, given) in try mapping(value, "files.\(file).defaults", path) {
                    guard let text = scalarText(given) else {
                        throw bad(given, "files.\(file).defaults.\(target): expected a value", path)
                    }
                    entry.defaults.append((target, text, line(given)))
                }
            case "by_name":
                guard case .sequence(let items) = value else {
                    throw bad(value, "files.\(file).by_name: expected a list of reference columns", path)
                }
                for item in items {
                    guard let target = scalarText(item) else {
                        throw bad(
                            item, "files.\(file).by_name: expected column names (account_id, owner_rep_id, …)", path)
                    }
                    entry.byName.append((target, line(item)))
                }
            case "major_units":
                guard case .sequence(let items) = value else {
                    throw bad(value, "files.\(file).major_units: expected a list of _minor columns", path)
                }
                for item in items {
                    guard let target = scalarText(item), target.hasSuffix("_minor") else {
                        throw bad(
                            item, "files.\(file).major_units: expected _minor column names (amount_minor, …)", path)
                    }
                    entry.majorUnits.append((target, line(item)))
                }
            default:
                throw bad(
                    value,
                    "files.\(file): unknown key '\(key)' (expected table, columns, values, defaults, major_units, by_name, custom_fields)",
                    path)
            }
        }
        return entry
    }

    // MARK: Node helpers

    private static func mapping(_ node: Node, _ what: String, _ path: String) throws(ImportProblem) -> [(String, Node)]
    {
        guard case .mapping(let m) = node else { throw bad(node, "\(what): expected a mapping (key: value)", path) }
        var pairs: [(String, Node)] = []
        for (k, v) in m {
            guard let key = scalarText(k) else { throw bad(k, "\(what): keys must be text", path) }
            pairs.append((key, v))
        }
        return pairs
    }

    private static func strings(_ node: Node, _ what: String, _ path: String) throws(ImportProblem) -> [String] {
        if let s = scalarText(node) { return [s] }
        guard case .sequence(let seq) = node else {
            throw bad(node, "\(what): expected a column name or a list of them", path)
        }
        var out: [String] = []
        for item in seq {
            guard let s = scalarText(item) else { throw bad(item, "\(what): expected column names", path) }
            out.append(s)
        }
        return out
    }

    private static func scalarText(_ node: Node) -> String? {
        if case .scalar(let s) = node { return s.string }
        return nil
    }

    private static func line(_ node: Node) -> Int { node.mark.map { $0.line } ?? 0 }

    private static func bad(_ node: Node, _ reason: String, _ path: String) -> ImportProblem {
        ImportProblem(file: path, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, reason: reason)
    }

    private static func problem(_ error: YamlError, path: String) -> ImportProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ImportProblem(file: path, line: mark.line, column: mark.column, reason: "not valid YAML: \(problem)")
        default:
            return ImportProblem(file: path, line: 1, column: 1, reason: "not valid YAML: \(error)")
        }
    }
}
