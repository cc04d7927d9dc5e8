import FulcrumCore
import FulcrumService

/// Revenue over time: MRR movements per period (stacked bars and the table), churn and retention,
/// and the cohort revenue-retention heatmap.
enum RevenuePage: DashboardPage {
    static let path = "/revenue"
    static let title = "Revenue"
    static let navLabel: String? = "Revenue"
    static let summary = "Revenue: MRR movements over time and the cohort retention heatmap."

    static func body(_ page: PageRequest) async throws -> String {
        let f = page.filters
        let engine = page.engine
        let parameters = f.parameters(by: nil)
        var cohortParameters = parameters
        // Cohorts by quarter over the last three years unless the URL says otherwise: readable at a glance.
        if f.period == nil { cohortParameters.period = "quarter" }
        if f.from == nil, f.period == nil, let through = await engine.dataThrough(),
            let m = Month(iso: String(through.prefix(7)))
        {
            cohortParameters.from = m.adding(-35).iso
        }
        cohortParameters.by = nil
        async let movementsTable = engine.table(id: "mrr-movements", parameters: parameters)
        async let churnTable = engine.table(id: "churn", parameters: parameters)
        async let cohortsTable = engine.table(id: "cohorts-revenue", parameters: cohortParameters)
        let (movements, churn, cohorts) = try await (movementsTable, churnTable, cohortsTable)
        let rows = try f.keep(movements)
        let churnRows = try f.keep(churn)
        let currency = movements.currency
        let labels = rows.map { Pages.text(movements, $0, movements.columns[0].name) }
        let series: [Charts.Series] = [
            ("New", "new", "s0"), ("Expansion", "expansion", "s1"), ("Reactivation", "reactivation", "s2"),
            ("Contraction", "contraction", "s3"), ("Churn", "churn", "s4"),
        ].map { .init(name: $0.0, values: Pages.series(movements, rows, $0.1), style: $0.2) }
        var out = "<h1>Revenue</h1>"
        out +=
            "<section class=\"card\"><h2><a href=\"/definitions#net-new-mrr\">MRR movements</a> by \(HTML.escape(parameters.period))</h2>"
        out += Charts.stackedBars(
            title: "MRR movements by \(parameters.period): gains above zero, losses below", labels: labels,
            series: series, format: { Charts.compactMoney($0, currency: currency) }, id: "movements")
        out += Pages.table(movements, rows: rows.reversed())
        out += Pages.downloads("mrr-movements", parameters)
        out += Pages.settings(movements)
        out += "</section>"
        out += "<section class=\"card\"><h2><a href=\"/definitions#logo-churn\">Churn</a></h2>"
        out += Pages.table(churn, rows: churnRows.reversed())
        out += Pages.downloads("churn", parameters)
        out += Pages.settings(churn)
        out += "</section>"
        out +=
            "<section class=\"card\"><h2><a href=\"/definitions#revenue-retention-cohort\">Revenue retention by cohort</a></h2>"
        out += heatmap(cohorts)
        out += Pages.downloads("cohorts-revenue", cohortParameters)
        out += Pages.settings(cohorts)
        out += "</section>"
        return out
    }

    /// The cohort matrix as a table whose cells are shaded by retention (text stays readable: dark
    /// text on light shades, white on dark), first thirteen ages.
    static func heatmap(_ table: ReportTable) -> String {
        let ages = table.columns.indices.filter { Int(table.columns[$0].name) != nil }.prefix(13)
        guard let cohortColumn = table.columnIndex("cohort") else { return "" }
        var out = "<div class=\"table-wrap\"><table class=\"heatmap\" data-report=\"\(HTML.escape(table.report))\">"
        out += "<caption>Cohort MRR at each age ÷ its first-period MRR; blank: not yet observed</caption><thead><tr>"
        out +=
            "<th scope=\"col\" class=\"text\">cohort</th><th scope=\"col\" class=\"num\">customers</th><th scope=\"col\" class=\"num\">start MRR</th>"
        for i in ages { out += "<th scope=\"col\" class=\"num\">\(HTML.escape(table.columns[i].name))</th>" }
        out += "</tr></thead><tbody>"
        for row in table.rows {
            out +=
                "<tr><th scope=\"row\" class=\"text\">\(HTML.escape(HTML.display(row.cells[cohortColumn], .text, currency: table.currency)))</th>"
            for name in ["customers", "start_mrr"] {
                let c = Pages.cell(table, row, name)
                out +=
                    "<td class=\"num\">\(HTML.escape(HTML.display(c, Pages.kind(table, name), currency: table.currency)))</td>"
            }
            for i in ages {
                let cell = row.cells[i]
                guard case .number(let v) = cell else {
                    out += "<td class=\"num blank\"></td>"
                    continue
                }
                let shade = max(0, min(1, (v - 0.4) / 0.8))
                let level = Int((shade * 8).rounded())
                out +=
                    "<td class=\"num heat h\(level)\" data-value=\"\(HTML.escape(HTML.dataValue(cell, .percent, currency: table.currency)))\" title=\"\(HTML.escape(table.columns[i].name)) periods: \(HTML.escape(Format.percent(v)))\">\(HTML.escape(Format.percent(v)))</td>"
            }
            out += "</tr>"
        }
        out += "</tbody></table></div>"
        return out
    }
}
