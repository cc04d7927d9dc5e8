import FulcrumCore
import FulcrumService

/// Seed 001's table: per segment, what marketing sees (cost per lead), what sales sees (win rate, ASP,
/// bookings) and what only the account view shows (churn, LTV, LTV/CAC) — side by side.
enum SegmentsPage: DashboardPage {
    static let path = "/segments"
    static let title = "Segments"
    static let navLabel: String? = "Segments"
    static let summary =
        "Segments: the seed-001 segment economics table, marketing, sales and account views side by side."

    static func body(_ page: PageRequest) async throws -> String {
        if page.filters.channel != nil {
            throw Problem.badParameter("channel", "the segment table is by segment; filter by a segment instead")
        }
        var parameters = page.filters.parameters(by: nil)
        parameters.by = nil
        let table = try await page.engine.table(id: "segment-economics", parameters: parameters)
        let rows: [ReportTable.Row]
        if let segment = page.filters.segment {
            rows = table.rows.filter { Pages.text(table, $0, "segment").lowercased() == segment.lowercased() }
            guard !rows.isEmpty else { throw Problem.badParameter("segment", "no segment named '\(segment)'") }
        } else {
            rows = table.rows
        }
        let currency = table.currency
        let segments = rows.filter { Pages.text(table, $0, "segment") != "Total" }
        var out =
            "<h1>Segments <span class=\"sub\">\(HTML.escape(table.title.components(separatedBy: ", ").last ?? ""))</span></h1>"
        out += """
            <p class="lead">Marketing alone picks the segment with the cheapest leads; sales alone the one with the most bookings \
            per sales dollar; the account view — churn and lifetime value — can pick a third. Read across a row.</p>
            """
        out += "<div class=\"grid3\">"
        for (title, column, metric, kind) in [
            ("Cost per lead (marketing's view)", "cost_per_lead", "cost-per-lead", ReportTable.Kind.money),
            ("ACV/CAC (sales' view)", "acv_cac_fully_loaded", "acv-cac", .multiple),
            ("LTV/CAC (the account view)", "ltv_cac_fully_loaded", "ltv-cac", .multiple),
        ] {
            let values = Pages.series(table, segments, column)
            out += "<section class=\"card\"><h2><a href=\"/definitions#\(metric)\">\(HTML.escape(title))</a></h2>"
            out += bars(
                labels: segments.map { Pages.text(table, $0, "segment") }, values: values,
                format: {
                    kind == .money ? Charts.compactMoney($0, currency: currency) : DecimalText.text($0, places: 1) + "x"
                }, id: column)
            out += "</section>"
        }
        out += "</div>"
        out += "<section class=\"card\"><h2>Segment economics</h2>"
        out += Pages.table(table, rows: rows)
        out += Pages.downloads("segment-economics", parameters)
        out += Pages.settings(table)
        out += "</section>"
        return out
    }

    /// Horizontal bars, one per segment, with the value written beside each.
    static func bars(labels: [String], values: [Double], format: (Double) -> String, id: String) -> String {
        guard !labels.isEmpty else { return Charts.empty("No segments") }
        let top = max(values.max() ?? 1, 1e-9)
        let rowH = 30.0
        let height = rowH * Double(labels.count) + 10
        var svg =
            "<svg class=\"chart bars\" viewBox=\"0 0 360 \(Int(height))\" role=\"img\" aria-labelledby=\"\(id)-t\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"\(id)-t\">\(HTML.escape(labels.enumerated().map { "\($0.element): \(format(values[$0.offset]))" }.joined(separator: "; ")))</title>"
        for (i, label) in labels.enumerated() {
            let w = 200 * max(0, values[i]) / top
            let y = 6 + Double(i) * rowH
            svg +=
                "<text class=\"tick\" x=\"96\" y=\"\(Charts.fmt(y + 16))\" text-anchor=\"end\">\(HTML.escape(label))</text>"
            svg +=
                "<rect class=\"bar s\(i % 6)\" x=\"102\" y=\"\(Charts.fmt(y + 4))\" width=\"\(Charts.fmt(max(1, w)))\" height=\"18\"><title>\(HTML.escape("\(label): \(format(values[i]))"))</title></rect>"
            svg +=
                "<text class=\"value\" x=\"\(Charts.fmt(108 + w))\" y=\"\(Charts.fmt(y + 17))\">\(HTML.escape(format(values[i])))</text>"
        }
        return svg + "</svg>"
    }
}
