import FulcrumCore
import FulcrumService

/// The numbers a leadership meeting opens with: MRR, ARR, NRR, GRR, LTV/CAC, ACV/CAC, CAC payback and
/// customers, the last month's MRR movements as a waterfall and twelve months of MRR. Each figure is a
/// cell of a catalog report (mrr, mrr-movements, retention, unit-economics), never recomputed here.
enum OverviewPage: DashboardPage {
    static let path = "/"
    static let title = "Overview"
    static let navLabel: String? = "Overview"
    static let summary =
        "Overview: MRR, ARR, NRR, GRR, LTV/CAC, ACV/CAC, CAC payback, customers; MRR waterfall and trend."

    static func body(_ page: PageRequest) async throws -> String {
        let f = page.filters
        let engine = page.engine
        var monthly = f.parameters(by: nil)
        monthly.period = "month"
        async let mrrTable = engine.table(id: "mrr", parameters: monthly)
        async let movementsTable = engine.table(id: "mrr-movements", parameters: monthly)
        async let retentionTable = engine.table(id: "retention", parameters: monthly)
        var economics = f.parameters(by: nil)
        economics.period = "month"
        async let economicsTable = engine.table(id: "unit-economics", parameters: economics)
        let (mrr, movements, retention, unit) = try await (mrrTable, movementsTable, retentionTable, economicsTable)
        let mrrRows = try f.keep(mrr)
        let movementRows = try f.keep(movements)
        let retentionRows = try f.keep(retention)
        let unitRows = try f.keep(unit)
        // The last complete month is the headline month; a partial month shows in the trend, marked.
        let last = mrrRows.last { !$0.partial } ?? mrrRows.last
        let lastMovement = movementRows.last { !$0.partial } ?? movementRows.last
        let lastRetention = retentionRows.last { !$0.partial } ?? retentionRows.last
        let economicsRow = unitRows.first
        let month = last.map { Pages.text(mrr, $0, "month") } ?? ""
        let currency = mrr.currency
        let scope = f.slice.map { " · \($0.dimension) \($0.value)" } ?? ""

        var out = "<h1>Overview <span class=\"sub\">\(HTML.escape(month))\(HTML.escape(scope))</span></h1>"
        out += "<section class=\"kpis\" aria-label=\"Key figures\">"
        out += Pages.kpi("MRR", Pages.cell(mrr, last, "mrr"), .money, currency: currency, metric: "mrr")
        out += Pages.kpi("ARR", Pages.cell(mrr, last, "arr"), .money, currency: currency, metric: "arr")
        out += Pages.kpi(
            "Customers", Pages.cell(mrr, last, "customers"), .count, currency: currency, metric: "customers")
        out += Pages.kpi(
            "NRR (TTM)", Pages.cell(retention, lastRetention, "nrr"), .percent, currency: currency, metric: "nrr")
        out += Pages.kpi(
            "GRR (TTM)", Pages.cell(retention, lastRetention, "grr"), .percent, currency: currency, metric: "grr")
        let window = unit.title.components(separatedBy: ", ").last ?? ""
        out += Pages.kpi(
            "LTV/CAC", Pages.cell(unit, economicsRow, "ltv_cac_fully_loaded"), .multiple, currency: currency,
            metric: "ltv-cac", note: "fully loaded, \(window)")
        out += Pages.kpi(
            "ACV/CAC", Pages.cell(unit, economicsRow, "acv_cac_fully_loaded"), .multiple, currency: currency,
            metric: "acv-cac", note: "fully loaded, \(window)")
        out += Pages.kpi(
            "CAC payback", Pages.cell(unit, economicsRow, "payback_months"), .number, currency: currency,
            metric: "cac-payback", note: "months")
        out += "</section>"

        out += "<div class=\"grid2\">"
        if let m = lastMovement {
            let steps = ["new", "expansion", "reactivation", "contraction", "churn"].map { name in
                (name.capitalized, Pages.series(movements, [m], name).first ?? 0)
            }
            let closing = Pages.series(movements, [m], "mrr").first ?? 0
            let opening = closing - steps.reduce(0) { $0 + $1.1 }
            let fx = (last.map { Pages.series(mrr, [$0], "fx_adjustment").first ?? 0 }) ?? 0
            let label = Pages.text(movements, m, "month")
            out +=
                "<section class=\"card\"><h2><a href=\"/definitions#net-new-mrr\">MRR movements</a>, \(HTML.escape(label))</h2>"
            out += Charts.waterfall(
                title: "MRR waterfall for \(label): opening MRR, movements, closing MRR",
                opening: ("Opening", opening), steps: steps, closing: ("Closing", closing),
                format: { Charts.compactMoney($0, currency: currency) }, id: "waterfall")
            if fx != 0 {
                out +=
                    "<p class=\"muted\">Opening includes the month's exchange-rate change (\(HTML.escape(Charts.compactMoney(fx, currency: currency)))), which is not a movement.</p>"
            }
            out += "</section>"
        }
        let trendRows = Array(mrrRows.suffix(12))
        out += "<section class=\"card\"><h2><a href=\"/definitions#mrr\">MRR</a>, last \(trendRows.count) months</h2>"
        out += Charts.line(
            title: "MRR by month",
            labels: trendRows.map { Pages.text(mrr, $0, "month") },
            series: [.init(name: "MRR", values: Pages.series(mrr, trendRows, "mrr"), style: "s0")],
            format: { Charts.compactMoney($0, currency: currency) }, id: "mrr-trend")
        out += "</section></div>"

        out += "<section class=\"card\"><h2>MRR by month</h2>"
        out += Pages.table(mrr, rows: Array(mrrRows.suffix(12)).reversed())
        out += Pages.downloads("mrr", monthly)
        out += Pages.settings(mrr)
        out += "</section>"
        out += "<section class=\"card\"><h2>Unit economics</h2>"
        out += Pages.table(unit, rows: unitRows)
        out += Pages.settings(unit)
        out += "</section>"
        return out
    }
}
