import Foundation
import FulcrumCore
import Yams

/// Reads the lifecycle definitions RevOps owns from YAML (`lifecycle.yaml` beside the store, or
/// `--config FILE`). Strict: an unknown key, a wrong type or an impossible value is an error that
/// names the file, line and column, so a typo never silently falls back to a default.
public enum LifecycleConfig {
    public struct Problem: Error, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var column: Int
        public var reason: String
        public var description: String { "\(file):\(line):\(column): \(reason)" }
    }

    /// The file next to the store that is read when no `--config` is given.
    public static func defaultPath(forStore store: String) -> String {
        URL(fileURLWithPath: store).deletingLastPathComponent().appendingPathComponent("lifecycle.yaml").path
    }

    public static func load(_ path: String) throws -> LifecycleSettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(file: path, line: 1, column: 1, reason: "cannot read the lifecycle configuration")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Problem(file: path, line: 1, column: 1, reason: "not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> LifecycleSettings {
        var settings = LifecycleSettings()
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                throw Problem(file: path, line: mark.line, column: mark.column, reason: "not valid YAML: \(problem)")
            default: throw Problem(file: path, line: 1, column: 1, reason: "not valid YAML: \(error)")
            }
        }
        guard let root else { return settings }
        let reader = Reader(path: path)
        for (key, node) in try reader.mapping(root, "top level", known: topKeys) {
            switch key {
            case "mql":
                for (k, v) in try reader.mapping(node, "mql", known: ["score_at_least", "score_field", "touches"]) {
                    switch k {
                    case "score_at_least": settings.mqlScoreAtLeast = reader.isNull(v) ? nil : try reader.number(v, k)
                    case "score_field": settings.scoreField = try reader.text(v, k)
                    default:
                        for (tk, tv) in try reader.mapping(v, "mql.touches", known: ["kinds", "at_least"]) {
                            if tk == "kinds" {
                                settings.mqlTouchKinds = try reader.list(tv, "mql.touches.kinds").map { item in
                                    guard let kind = Touch.Kind(rawValue: item.0) else {
                                        throw reader.bad(
                                            item.1,
                                            "'\(item.0)' is not a touch kind; use \(Touch.Kind.allCases.map(\.rawValue).joined(separator: ", "))"
                                        )
                                    }
                                    return kind
                                }
                            } else {
                                settings.mqlTouchCount = try reader.count(tv, "mql.touches.at_least", minimum: 1)
                            }
                        }
                    }
                }
            case "sal_statuses": settings.salStatuses = try reader.list(node, key).map { $0.0.lowercased() }
            case "sql_statuses": settings.sqlStatuses = try reader.list(node, key).map { $0.0.lowercased() }
            case "open_statuses": settings.openStatuses = try reader.list(node, key).map { $0.0.lowercased() }
            case "social_channels": settings.socialChannels = try reader.list(node, key).map(\.0)
            case "response":
                for (k, v) in try reader.mapping(node, "response", known: ["sla_minutes", "activity_kinds"]) {
                    if k == "sla_minutes" {
                        settings.responseSLAMinutes = try reader.count(v, "response.sla_minutes", minimum: 1)
                    } else {
                        settings.responseKinds = try reader.list(v, "response.activity_kinds").map { item in
                            guard let kind = Activity.Kind(rawValue: item.0) else {
                                throw reader.bad(
                                    item.1,
                                    "'\(item.0)' is not an activity kind; use \(Activity.Kind.allCases.map(\.rawValue).joined(separator: ", "))"
                                )
                            }
                            return kind
                        }
                        if settings.responseKinds.isEmpty {
                            throw reader.bad(v, "response.activity_kinds: name at least one kind")
                        }
                    }
                }
            case "at_risk":
                let known = ["detractor_days", "urgent_tickets", "ticket_days", "contraction_months"]
                for (k, v) in try reader.mapping(node, "at_risk", known: known) {
                    let n = try reader.count(v, "at_risk." + k, minimum: 1)
                    switch k {
                    case "detractor_days": settings.atRiskDetractorDays = n
                    case "urgent_tickets": settings.atRiskUrgentTickets = n
                    case "ticket_days": settings.atRiskTicketDays = n
                    default: settings.atRiskContractionMonths = n
                    }
                }
            case "expanding_months": settings.expandingMonths = try reader.count(node, key, minimum: 1)
            case "reactivated_months": settings.reactivatedMonths = try reader.count(node, key, minimum: 1)
            case "young_cohort_days": settings.youngCohortDays = try reader.count(node, key, minimum: 0)
            case "cs_owner_field": settings.csOwnerField = try reader.text(node, key)
            default: settings.detractorFollowUpDays = try reader.count(node, key, minimum: 0)
            }
        }
        return settings
    }

    static let topKeys = [
        "mql", "sal_statuses", "sql_statuses", "open_statuses", "response", "at_risk", "expanding_months",
        "reactivated_months", "young_cohort_days", "social_channels", "cs_owner_field", "detractor_follow_up_days",
    ]

    /// Node helpers that name the place of every mistake.
    struct Reader {
        let path: String

        func bad(_ node: Node, _ reason: String) -> Problem {
            Problem(file: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, reason: reason)
        }

        func mapping(_ node: Node, _ what: String, known: [String]) throws -> [(String, Node)] {
            guard case .mapping(let m) = node else { throw bad(node, "\(what): expected a mapping (key: value)") }
            var out: [(String, Node)] = []
            for (k, v) in m {
                guard case .scalar(let s) = k else { throw bad(k, "\(what): keys must be text") }
                guard known.contains(s.string) else {
                    throw bad(k, "\(what): unknown key '\(s.string)'; known: \(known.joined(separator: ", "))")
                }
                guard !out.contains(where: { $0.0 == s.string }) else {
                    throw bad(k, "\(what): '\(s.string)' is given twice")
                }
                out.append((s.string, v))
            }
            return out
        }

        func isNull(_ node: Node) -> Bool { node.null != nil }

        func text(_ node: Node, _ what: String) throws -> String {
            guard case .scalar(let s) = node, !s.string.isEmpty else { throw bad(node, "\(what): expected text") }
            return s.string
        }

        func number(_ node: Node, _ what: String) throws -> Double {
            guard case .scalar(let s) = node, let v = Double(s.string), v.isFinite else {
                throw bad(node, "\(what): expected a number")
            }
            return v
        }

        func count(_ node: Node, _ what: String, minimum: Int) throws -> Int {
            guard case .scalar(let s) = node, let v = Int(s.string) else {
                throw bad(node, "\(what): expected a whole number")
            }
            guard v >= minimum else { throw bad(node, "\(what): must be at least \(minimum)") }
            return v
        }

        /// A list of texts (a single text counts as a list of one), each with its node for errors.
        func list(_ node: Node, _ what: String) throws -> [(String, Node)] {
            if case .scalar(let s) = node {
                guard !isNull(node), !s.string.isEmpty else { throw bad(node, "\(what): expected a list, got nothing") }
                return [(s.string, node)]
            }
            guard case .sequence(let seq) = node else { throw bad(node, "\(what): expected a list") }
            return try seq.map { item in
                guard case .scalar(let s) = item, !isNull(item), !s.string.isEmpty else {
                    throw bad(item, "\(what): expected text items")
                }
                return (s.string, item)
            }
        }
    }
}
