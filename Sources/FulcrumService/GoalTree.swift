import Foundation
import FulcrumCore
import FulcrumStore
import Yams

/// Seed 000's goal tree: business goals (LTV, CAC) broken into team objectives, and those into the
/// activities of individuals. Each node is a cell of a catalog report, so its value is the report's own
/// number; `fulcrum goals` prints every node's value at the last complete period and its change from the
/// period before (docs/attribution.md, "Goal tree").
public struct GoalTree: Sendable {
    public struct Node: Sendable, Encodable {
        public enum Level: String, Sendable, Encodable {
            case businessGoal = "business goal"
            case teamObjective = "team objective"
            case activity
        }
        public var id: String
        public var name: String
        public var level: Level
        /// The report and column the value is read from.
        public var report: String
        public var column: String
        /// Rows of a period that count: every row (summed), or only team-total rows (`rep` = "(team)").
        public var teamRowsOnly = false
        /// The nodes this one serves (an activity serves objectives, an objective goals).
        public var parents: [String]
    }

    public var nodes: [Node]

    public init(nodes: [Node]) { self.nodes = nodes }

    /// The default tree, after seed 000.
    public static let `default` = GoalTree(nodes: [
        Node(
            id: "ltv", name: "LTV (simple)", level: .businessGoal, report: "unit-economics", column: "ltv_simple",
            parents: []),
        Node(
            id: "cac", name: "CAC (fully loaded)", level: .businessGoal, report: "unit-economics",
            column: "cac_fully_loaded", parents: []),
        Node(id: "mqls", name: "MQLs", level: .teamObjective, report: "leads", column: "mqls", parents: ["cac"]),
        Node(id: "sqls", name: "SQLs", level: .teamObjective, report: "leads", column: "sqls", parents: ["cac"]),
        Node(
            id: "pipeline", name: "Pipeline created", level: .teamObjective, report: "sales",
            column: "pipeline_created", parents: ["cac"]),
        Node(
            id: "bookings", name: "New bookings", level: .teamObjective, report: "sales", column: "bookings_new",
            parents: ["cac", "ltv"]),
        Node(
            id: "churn", name: "Logo churn", level: .teamObjective, report: "churn", column: "logo_churn",
            parents: ["ltv"]),
        Node(
            id: "upsell", name: "Upsell bookings", level: .teamObjective, report: "sales", column: "bookings_upsell",
            parents: ["ltv"]),
        Node(
            id: "calls", name: "Calls", level: .activity, report: "rep-scorecard", column: "calls", teamRowsOnly: true,
            parents: ["sqls", "pipeline"]),
        Node(
            id: "emails", name: "Sales e-mails", level: .activity, report: "rep-scorecard", column: "emails",
            teamRowsOnly: true, parents: ["sqls", "pipeline"]),
        Node(
            id: "meetings", name: "Meetings", level: .activity, report: "rep-scorecard", column: "meetings",
            teamRowsOnly: true, parents: ["pipeline", "bookings"]),
        Node(
            id: "demos", name: "Demos", level: .activity, report: "rep-scorecard", column: "demos", teamRowsOnly: true,
            parents: ["bookings"]),
        Node(
            id: "content", name: "Content downloads", level: .activity, report: "marketing",
            column: "content_downloads", parents: ["mqls"]),
        Node(
            id: "email-clicks", name: "Marketing e-mail clicks", level: .activity, report: "marketing",
            column: "email_clicks", parents: ["mqls"]),
        Node(
            id: "webinars", name: "Webinar attendances", level: .activity, report: "marketing", column: "webinars",
            parents: ["mqls"]),
        Node(
            id: "events", name: "Event touches", level: .activity, report: "marketing", column: "events",
            parents: ["mqls"]),
        Node(
            id: "ticket-responses", name: "Tickets answered", level: .activity, report: "cs-scorecard",
            column: "tickets", parents: ["churn"]),
    ])

    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// A tree from YAML: a list under `nodes:` of `id`, `name`, `level` (business goal, team objective,
    /// activity), `report`, `column`, optional `parents` and `team_rows_only`. Unknown keys, reports, parents
    /// or levels are errors naming the file and line.
    public static func load(_ path: String) throws -> GoalTree {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw Problem(description: "\(path): cannot read the goal tree")
        }
        do {
            guard let yaml = try Yams.compose(yaml: text), let list = yaml.mapping?["nodes"]?.sequence else {
                throw Problem(description: "\(path):1:1: expected a list under 'nodes:'")
            }
            var nodes: [Node] = []
            for item in list {
                let line = item.mark.map { "\(path):\($0.line):\($0.column)" } ?? path
                guard let map = item.mapping else { throw Problem(description: "\(line): a node is a mapping") }
                let known: Set = ["id", "name", "level", "report", "column", "parents", "team_rows_only"]
                for key in map.keys.compactMap(\.string) where !known.contains(key) {
                    throw Problem(
                        description: "\(line): unknown key '\(key)'; known: \(known.sorted().joined(separator: ", "))")
                }
                func text(_ key: String) throws -> String {
                    guard let v = map[key]?.string, !v.isEmpty else {
                        throw Problem(description: "\(line): '\(key)' is required")
                    }
                    return v
                }
                guard let level = Node.Level(rawValue: try text("level")) else {
                    throw Problem(description: "\(line): level must be business goal, team objective or activity")
                }
                let report = try text("report")
                guard (try? ReportCatalog.entry(report)) != nil else {
                    throw Problem(description: "\(line): no report '\(report)'")
                }
                nodes.append(
                    Node(
                        id: try text("id"), name: try text("name"), level: level, report: report,
                        column: try text("column"), teamRowsOnly: map["team_rows_only"]?.bool ?? false,
                        parents: map["parents"]?.sequence?.compactMap(\.string) ?? []))
            }
            let ids = Set(nodes.map(\.id))
            for n in nodes {
                for p in n.parents where !ids.contains(p) {
                    throw Problem(description: "\(path): node '\(n.id)' names parent '\(p)', which is not a node")
                }
            }
            return GoalTree(nodes: nodes)
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(description: "\(path): not valid YAML: \(error)")
        }
    }
}

/// One node's value now and one period before.
public struct GoalValue: Sendable, Encodable {
    public var id: String
    public var name: String
    public var level: String
    public var parents: [String]
    public var source: String
    public var period: String
    public var value: Double?
    public var previous: Double?
    /// value ÷ previous − 1 (nil when either is missing or previous is 0); for a rate (percent), the change in
    /// percentage points instead (value − previous), as `changeUnit` says.
    public var change: Double?
    public var changeUnit = "relative"
    public var kind: String
    public var currency = ""
}

public enum GoalEvaluator {
    /// Every node's value at the last complete period of `grain` (through `to`, default the data's last
    /// complete month) and one period before, from one read of the store.
    public static func evaluate(
        _ tree: GoalTree, store: any Store, storePath: String, config: String?, grain: String = "quarter",
        to: String? = nil
    ) throws -> [GoalValue] {
        let reports = Array(Set(tree.nodes.map(\.report))).sorted()
        var parameters = ReportParameters()
        parameters.period = grain
        parameters.to = to
        let plan = try ReportPlan(ids: reports, parameters: parameters) {
            try ReportPlan.lifecycleSettings(config: config, storePath: storePath)
        }
        let context = try plan.context(store: store)
        var tables: [String: ReportTable] = [:]
        for (id, query) in zip(reports, plan.queries) { tables[id] = try ReportCatalog.run(query, context: context) }
        // Window reports (unit economics) hold one window: the window before is computed with `to` one period back.
        var earlier: [String: ReportTable] = [:]
        for (id, query) in zip(reports, plan.queries) where !(try ReportCatalog.entry(id)).periodic {
            let end = query.to ?? context.lastCompleteMonth(atOrBefore: context.dataMonth)
            var before = query
            before.to = end.adding(-(PeriodGrain(rawValue: grain)?.length ?? 3))
            before.from = nil
            earlier[id] = try? ReportCatalog.run(before, context: context)
        }
        return tree.nodes.map { node in
            var out = GoalValue(
                id: node.id, name: node.name, level: node.level.rawValue, parents: node.parents,
                source: "\(node.report).\(node.column)", period: "", kind: "")
            guard let table = tables[node.report], let column = table.columnIndex(node.column) else { return out }
            out.kind = table.columns[column].kind.rawValue
            out.currency = table.currency
            func number(_ rows: [ReportTable.Row]) -> Double? {
                let values = rows.compactMap { $0.cells[column].doubleValue }
                guard !values.isEmpty else { return nil }
                let sum = values.reduce(0, +)
                // Ratios of several rows are not summed: only counts and money are.
                if table.columns[column].kind == .percent || table.columns[column].kind == .multiple {
                    return rows.count == 1 ? sum : nil
                }
                var scale = 1.0
                for _ in 0..<Currency.exponent(of: table.currency) { scale *= 10 }
                return table.columns[column].kind == .money ? sum / scale : sum
            }
            if let entry = try? ReportCatalog.entry(node.report), !entry.periodic {
                let total = table.rows.first {
                    ($0.cells.first.map { ReportTable.plain($0, kind: .text, currency: "", csv: false) }) == "Total"
                }
                out.period = table.title.components(separatedBy: ", ").last ?? ""
                out.value = total.flatMap { number([$0]) }
                if let before = earlier[node.report] {
                    let t = before.rows.first {
                        ($0.cells.first.map { ReportTable.plain($0, kind: .text, currency: "", csv: false) }) == "Total"
                    }
                    out.previous = t.flatMap { number([$0]) }
                }
            } else {
                let key = { (row: ReportTable.Row) in
                    ReportTable.plain(row.cells[0], kind: .text, currency: "", csv: false)
                }
                let complete = table.rows.filter { !$0.partial }
                let periods = complete.map(key).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
                let repColumn = table.columnIndex("rep")
                func rows(_ period: String) -> [ReportTable.Row] {
                    complete.filter { key($0) == period }.filter { row in
                        guard node.teamRowsOnly, let r = repColumn else { return true }
                        return ReportTable.plain(row.cells[r], kind: .text, currency: "", csv: false) == "(team)"
                    }
                }
                if let last = periods.last {
                    out.period = last
                    out.value = number(rows(last))
                }
                if periods.count >= 2 { out.previous = number(rows(periods[periods.count - 2])) }
            }
            if let v = out.value, let p = out.previous {
                if out.kind == ReportTable.Kind.percent.rawValue {
                    out.change = v - p
                    out.changeUnit = "percentage points"
                } else if p != 0 {
                    out.change = v / p - 1
                }
            }
            return out
        }
    }
}
