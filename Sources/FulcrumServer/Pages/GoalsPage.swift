import FulcrumCore
import FulcrumService

/// Seed 000's goal tree: business goals, the team objectives that serve them, and the activities that
/// serve those, each with its value at the last complete quarter and the change from the quarter before
/// (`fulcrum goals`).
enum GoalsPage: DashboardPage {
    static let path = "/goals"
    static let title = "Goals"
    static let navLabel: String? = "Goals"
    static let summary = "Goals: business goals → team objectives → activities, each with its value and trend."
    static var usesFilters: Bool { false }

    static func body(_ page: PageRequest) async throws -> String {
        let values = try await page.engine.goals()
        var out = "<h1>Goals <span class=\"sub\">business goals → team objectives → activities</span></h1>"
        out +=
            "<p class=\"lead\">Each figure is a report's own cell at the last complete quarter (unit economics: the trailing twelve months), with the change from the period before. Which activities actually move an objective is a question for the driver analysis and, in the end, for an experiment.</p>"
        for (level, heading) in [
            ("business goal", "Business goals"), ("team objective", "Team objectives"), ("activity", "Activities"),
        ] {
            let nodes = values.filter { $0.level == level }
            guard !nodes.isEmpty else { continue }
            out += "<section class=\"card\"><h2>\(heading)</h2><div class=\"kpis\">"
            for v in nodes {
                let kind = ReportTable.Kind(rawValue: v.kind) ?? .number
                var scale = 1.0
                for _ in 0..<Currency.exponent(of: v.currency) { scale *= 10 }
                let cell: ReportTable.Cell =
                    v.value.map { kind == .money ? .money(Int64(($0 * scale).rounded())) : .number($0) } ?? .blank
                let parts = v.source.split(separator: ".")
                let metric =
                    parts.count == 2
                    ? Definitions.metricId(forColumn: String(parts[1]), report: String(parts[0])) ?? "" : ""
                var note = v.period
                if let change = v.change {
                    let size =
                        v.changeUnit == "relative"
                        ? Format.percent(abs(change)) : DecimalText.text(abs(change) * 100, places: 1) + " pp"
                    note += " · " + (change >= 0 ? "▲ " : "▼ ") + size
                }
                if !v.parents.isEmpty { note += " · serves " + v.parents.joined(separator: ", ") }
                out += Pages.kpi(
                    v.name, kind == .count ? v.value.map { .count(Int($0)) } ?? .blank : cell,
                    kind == .count ? .count : kind, currency: v.currency, metric: metric, field: "goal-" + v.id,
                    note: note)
            }
            out += "</div></section>"
        }
        return out
    }
}
