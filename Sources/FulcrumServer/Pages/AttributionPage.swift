import FulcrumCore
import FulcrumService

/// Which channels (or campaigns) brought the pipeline, bookings or new MRR: every model side by side (the
/// `attribution` report), so a meeting sees where the models agree and where the answer depends on the model.
enum AttributionPage: DashboardPage {
    static let path = "/attribution"
    static let title = "Attribution"
    static let navLabel: String? = "Attribution"
    static let summary = "Attribution: pipeline, bookings or new MRR credited to channels or campaigns by six models."
    static var parameters: [RouteTable.Parameter] {
        [
            .query("metric", "What is credited.", values: ["pipeline", "bookings", "new-mrr"]),
            .query("by", "channel (default) or campaign.", values: ["channel", "campaign"]),
        ]
    }

    static func body(_ page: PageRequest) async throws -> String {
        let f = page.filters
        if let slice = f.slice {
            throw Problem.badParameter(slice.dimension, "attribution is by channel or campaign; use by= instead")
        }
        var parameters = f.parameters(by: nil)
        parameters.metric = page.own["metric"]
        let by = page.own["by"] ?? "channel"
        guard by == "channel" || by == "campaign" else {
            throw Problem.badParameter("by", "'\(by)' is not channel or campaign")
        }
        parameters.by = by
        let table: ReportTable
        do {
            table = try await page.engine.table(id: "attribution", parameters: parameters)
        } catch let e as ParameterError {
            throw Problem.badParameter(e.parameter, e.reason)
        }
        let rows = table.rows.filter { Pages.text(table, $0, by) != "Total" }
        let metric = parameters.metric ?? "pipeline"
        func link(_ m: String) -> String {
            let q = HTML.query([("metric", m), ("by", by), ("from", f.from), ("to", f.to)])
            return
                "<a href=\"/attribution\(HTML.escape(q))\"\(m == metric ? " aria-current=\"true\" class=\"current\"" : "")>\(m)</a>"
        }
        var out = "<h1>Attribution <span class=\"sub\">\(HTML.escape(table.title))</span></h1>"
        out +=
            "<p class=\"lead\">Credit by model: \(["pipeline", "bookings", "new-mrr"].map(link).joined(separator: " · ")). "
        out += "Where the models agree, the answer does not depend on the model; where they differ, it does "
        out += "(<a href=\"/definitions#attributed-value\">definitions</a>).</p>"
        let models = ["first", "last", "linear", "position", "time_decay", "markov"]
        let series: [Charts.Series] = models.enumerated().map { i, m in
            .init(
                name: m.replacingOccurrences(of: "_", with: "-"), values: Pages.series(table, rows, m + "_value"),
                style: "s\(i % 6)")
        }
        out += "<section class=\"card\"><h2>Value credited per \(HTML.escape(by)), by model</h2>"
        out += Charts.groupedBars(
            title: "Value credited per \(by) by each attribution model",
            labels: rows.map { Pages.text(table, $0, by) }, series: series,
            format: { Charts.compactMoney($0, currency: table.currency) }, id: "attribution")
        out += "</section>"
        out += "<section class=\"card\"><h2>Credits</h2>"
        out += Pages.table(table)
        out += Pages.downloads("attribution", parameters)
        out += Pages.settings(table)
        out += "</section>"
        return out
    }
}
