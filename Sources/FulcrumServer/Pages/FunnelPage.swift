import FulcrumCore
import FulcrumService

/// Where accounts stall on the way from first touch to customer: accounts by lifecycle stage at the
/// period's end with the flow between stages (the `lifecycle` report), and the lead funnel's conversion
/// and time in stage in its cohort and period views (the `funnel` report), for the last complete period.
enum FunnelPage: DashboardPage {
    static let path = "/funnel"
    static let title = "Funnel"
    static let navLabel: String? = "Funnel"
    static var defaultPeriod: String { "quarter" }
    static let summary = "Funnel: accounts by lifecycle stage and the lead funnel's conversion and time in stage."

    static func body(_ page: PageRequest) async throws -> String {
        let f = page.filters
        var parameters = f.parameters(by: nil)
        if f.period == nil { parameters.period = defaultPeriod }
        if f.slice != nil {
            throw Problem.badParameter(
                f.slice!.dimension,
                "the funnel page shows the whole company; use the API's by= on the funnel report to slice it")
        }
        async let lifecycleTable = page.engine.table(id: "lifecycle", parameters: parameters)
        async let funnelTable = page.engine.table(id: "funnel", parameters: parameters)
        let (lifecycle, funnel) = try await (lifecycleTable, funnelTable)
        let periodColumn = lifecycle.columns[0].name
        let label =
            (lifecycle.rows.last { !$0.partial } ?? lifecycle.rows.last).map {
                Pages.text(lifecycle, $0, periodColumn)
            } ?? ""
        let stageRows = lifecycle.rows.filter { Pages.text(lifecycle, $0, periodColumn) == label }
        let funnelRows = funnel.rows.filter { Pages.text(funnel, $0, funnel.columns[0].name) == label }
        let periodView = funnelRows.filter { Pages.text(funnel, $0, "view") == "period" }
        let cohortView = funnelRows.filter { Pages.text(funnel, $0, "view") == "cohort" }

        var out = "<h1>Funnel <span class=\"sub\">\(HTML.escape(label))</span></h1>"
        out += "<div class=\"grid2\">"
        out +=
            "<section class=\"card\"><h2><a href=\"/definitions#accounts-by-stage\">Accounts by lifecycle stage</a>, end of \(HTML.escape(label))</h2>"
        out += SegmentsPage.bars(
            labels: stageRows.map { Pages.text(lifecycle, $0, "stage") },
            values: Pages.series(lifecycle, stageRows, "at_end"), format: { Format.grouped(Int64($0)) },
            id: "stages")
        out += "</section>"
        let funnelStages = periodView.filter { Pages.text(funnel, $0, "stage") != "closed sales" }
        out +=
            "<section class=\"card\"><h2><a href=\"/definitions#funnel-conversion\">Lead funnel</a>, stage events in \(HTML.escape(label))</h2>"
        out += SegmentsPage.bars(
            labels: funnelStages.map { Pages.text(funnel, $0, "stage") },
            values: Pages.series(funnel, funnelStages, "reached"), format: { Format.grouped(Int64($0)) },
            id: "funnel")
        out += "</section></div>"
        out += "<section class=\"card\"><h2>Period view: stage events that happened in \(HTML.escape(label))</h2>"
        let stageFirst =
            ["stage"] + funnel.columns.map(\.name).filter { ![funnel.columns[0].name, "view", "stage"].contains($0) }
        out += Pages.table(
            funnel, rows: periodView, columns: stageFirst.filter { $0 != "young" }, name: "funnel-period")
        out += "</section>"
        out +=
            "<section class=\"card\"><h2>Cohort view: people created in \(HTML.escape(label)), followed to today</h2>"
        out += Pages.table(funnel, rows: cohortView, columns: stageFirst, name: "funnel-cohort")
        out += Pages.downloads("funnel", parameters)
        out += Pages.settings(funnel)
        out += "</section>"
        out += "<section class=\"card\"><h2>Lifecycle flow in \(HTML.escape(label))</h2>"
        out += Pages.table(
            lifecycle, rows: stageRows, columns: lifecycle.columns.map(\.name).filter { $0 != periodColumn })
        out += Pages.downloads("lifecycle", parameters)
        out += Pages.settings(lifecycle)
        out += "</section>"
        return out
    }
}
