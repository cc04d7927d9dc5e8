import FulcrumCore
import FulcrumService
import Hummingbird

/// A page of the dashboard. Adding a page is adding one file with one type that conforms, and naming
/// it in `Pages.all`: the route, the navigation link, the filters and the OpenAPI entry follow.
protocol DashboardPage {
    /// OpenAPI-style path: `/revenue`, `/accounts/{id}`.
    static var path: String { get }
    static var title: String { get }
    /// The label in the navigation bar; nil for pages reached from another (an account).
    static var navLabel: String? { get }
    static var summary: String { get }
    /// URL parameters of its own besides the shared filters.
    static var parameters: [RouteTable.Parameter] { get }
    /// Whether the period/segment/channel filter bar applies.
    static var usesFilters: Bool { get }
    /// Whether the page needs data in the store (otherwise the empty-store page is shown).
    static var needsData: Bool { get }
    /// The row period the page shows when the URL names none.
    static var defaultPeriod: String { get }
    static func body(_ page: PageRequest) async throws -> String
}

extension DashboardPage {
    static var parameters: [RouteTable.Parameter] { [] }
    static var usesFilters: Bool { true }
    static var needsData: Bool { true }
    static var defaultPeriod: String { "month" }
}

/// What a page is rendered from: the engine, the request, its filters and its own parameters.
struct PageRequest: Sendable {
    var request: Request
    var engine: ReportEngine
    var filters: Filters
    /// The page's own parameters (not the filters).
    var own: [String: String]
    var pathParameters: [String: String]
    /// Sent with forms that change something (the demo loader, imports): the guard against cross-site posts.
    var formToken: String
    var jobs: ImportJobs
    var uploadLimit: Int
}

/// The filters every analysis page shares, kept in the URL so a view can be bookmarked and shared:
/// period grain, month range, and one segment or one channel. A segment or channel filter asks the
/// report sliced by that dimension and keeps that slice's rows, so the figures are the report's own.
struct Filters: Sendable {
    var period: String?
    var from: String?
    var to: String?
    var segment: String?
    var channel: String?

    static let names = ["period", "from", "to", "segment", "channel"]

    static let parameters: [RouteTable.Parameter] = [
        .query("period", "Row period.", values: ["month", "quarter", "year"]),
        .query("from", "First month, YYYY-MM."), .query("to", "Last month, YYYY-MM."),
        .query("segment", "Only this segment."), .query("channel", "Only this acquisition channel."),
    ]

    init() {}

    init(values: [String: String]) throws {
        func value(_ name: String) -> String? { values[name].flatMap { $0.isEmpty ? nil : $0 } }
        period = value("period")
        from = value("from")
        to = value("to")
        segment = value("segment")
        channel = value("channel")
        if segment != nil, channel != nil {
            throw Problem.badParameter("channel", "filter by a segment or by a channel, not both at once")
        }
        // The shared parser decides what a valid period and month are (the CLI's words).
        do { _ = try parameters(by: nil).query(report: "mrr") } catch let e as ParameterError {
            throw Problem.badParameter(e.parameter, e.reason)
        }
    }

    /// The report parameters for these filters, sliced by `by` (or by the filter's dimension).
    func parameters(by: String?) -> ReportParameters {
        var p = ReportParameters()
        p.period = period ?? "month"
        p.from = from
        p.to = to
        p.by = by ?? slice?.dimension
        return p
    }

    /// The dimension and value a segment or channel filter keeps.
    var slice: (dimension: String, value: String)? {
        if let segment { return ("segment", segment) }
        if let channel { return ("channel", channel) }
        return nil
    }

    var items: [(String, String?)] {
        [("period", period), ("from", from), ("to", to), ("segment", segment), ("channel", channel)]
    }

    /// `?period=…&segment=…` for links that keep the view.
    var query: String { HTML.query(items) }

    /// The rows of a sliced report that belong to the filter's slice (all rows when unfiltered).
    func keep(_ table: ReportTable) throws -> [ReportTable.Row] {
        guard let slice else { return table.rows }
        guard let column = table.columnIndex(slice.dimension) else { return table.rows }
        let rows = table.rows.filter {
            if case .text(let t) = $0.cells[column] { return t.lowercased() == slice.value.lowercased() }
            return false
        }
        guard !rows.isEmpty else {
            throw Problem.badParameter(slice.dimension, "no \(slice.dimension) named '\(slice.value)' in this range")
        }
        return rows
    }
}

enum Pages {
    /// Every page, in navigation order.
    static let all: [any DashboardPage.Type] = [
        OverviewPage.self, RevenuePage.self, SegmentsPage.self, FunnelPage.self, AttributionPage.self, GoalsPage.self,
        PredictionsPage.self,
        AccountsPage.self, AccountPage.self,
        DefinitionsPage.self, ImportPage.self, ImportJobPage.self,
    ]

    static func register(
        on routes: RouteTable, engine: ReportEngine, jobs: ImportJobs, forms: FormGuard, uploadLimit: Int
    ) {
        for page in all {
            let names = Set(Filters.names).union(page.parameters.map(\.name))
            routes.add(
                .init(
                    method: .get, path: page.path, summary: page.summary, tag: "pages",
                    parameters: page.parameters.filter { $0.place == .path }
                        + (page.usesFilters ? Filters.parameters : [])
                        + page.parameters.filter { $0.place == .query },
                    responses: [
                        ("200", "The page.", "text/html"), ("400", "A malformed parameter.", "text/html"),
                    ])
            ) { request, context in
                var values: [String: String] = [:]
                for (name, value) in API.queryItems(request) {
                    let allowed = page.usesFilters ? names : Set(page.parameters.map(\.name))
                    guard allowed.contains(name) else {
                        throw Problem.badParameter(
                            name, "not a parameter of this page; known: \(allowed.sorted().joined(separator: ", "))")
                    }
                    values[name] = value
                }
                let filters = page.usesFilters ? try Filters(values: values) : Filters()
                var own: [String: String] = [:]
                for p in page.parameters where p.place == .query { own[p.name] = values[p.name] }
                var pathValues: [String: String] = [:]
                for p in page.parameters where p.place == .path { pathValues[p.name] = context.parameters.get(p.name) }
                let pageRequest = PageRequest(
                    request: request, engine: engine, filters: filters, own: own, pathParameters: pathValues,
                    formToken: forms.token, jobs: jobs, uploadLimit: uploadLimit)
                // An analysis page depends only on the store and its URL: served from memory until the store changes.
                let key = request.uri.path + "?" + (request.uri.query ?? "")
                let cached = await engine.cachedPage(key)
                if page.needsData, let page = cached.html { return html(page) }
                let hasData = await engine.hasData()
                let body: String
                if page.needsData, !hasData {
                    body = emptyStore(formToken: forms.token)
                } else {
                    body = try await page.body(pageRequest)
                }
                let dataThrough = hasData ? await engine.dataThrough() : nil
                let text = layout(
                    title: page.title, active: page.navLabel, body: body,
                    filters: page.usesFilters && hasData ? filterBar(page: page, pageRequest) : nil,
                    dataThrough: dataThrough)
                if page.needsData, hasData { await engine.keepPage(key, text, generation: cached.generation) }
                return html(text)
            }
        }
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy:
                    "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
                .xContentTypeOptions: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Whether the client is a browser asking for a page (errors then come as an HTML page).
    static func wantsHTML(_ request: Request) -> Bool {
        guard !request.uri.path.hasPrefix("/api/") else { return false }
        return request.headers[.accept]?.contains("text/html") ?? false
    }

    static func errorPage(_ problem: Problem, request: Request) -> Response {
        let body = """
            <h1>\(problem.status.code) \(HTML.escape(problem.title))</h1>
            <p class="error" role="alert">\(HTML.escape(problem.detail))</p>
            <p><a href="/">Back to the overview</a></p>
            """
        return html(
            layout(title: problem.title, active: nil, body: body, filters: nil, dataThrough: nil),
            status: problem.status)
    }

    static func layout(title: String, active: String?, body: String, filters: String?, dataThrough: String?) -> String {
        var nav = ""
        for page in all {
            guard let label = page.navLabel else { continue }
            let current = label == active ? " aria-current=\"page\"" : ""
            nav += "<a href=\"\(page.path)\"\(current)>\(HTML.escape(label))</a>"
        }
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) · Fulcrum</title>
            <link rel="stylesheet" href="/static/fulcrum.css">
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="top">
            <a class="brand" href="/"><span class="mark" aria-hidden="true">◆</span> Fulcrum</a>
            <nav aria-label="Main">\(nav)</nav>
            <span class="asof">\(dataThrough.map { "Data through " + HTML.escape($0) } ?? "")</span>
            </header>
            \(filters ?? "")
            <main id="main">
            \(body)
            </main>
            <footer>Fulcrum · one definition of every metric · <a href="/definitions">definitions</a> · <a href="/openapi.json">API</a></footer>
            </body>
            </html>

            """
    }

    /// The filter form: a plain GET form, so it works without JavaScript and the URL carries the view.
    static func filterBar(page: any DashboardPage.Type, _ request: PageRequest) -> String {
        let f = request.filters
        func option(_ value: String, _ label: String, _ selected: String?) -> String {
            "<option value=\"\(HTML.escape(value))\"\(value == (selected ?? "") ? " selected" : "")>\(HTML.escape(label))</option>"
        }
        let periods = [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")].map {
            option($0.0, $0.1, f.period ?? page.defaultPeriod)
        }.joined()
        var hidden = ""
        for p in page.parameters where p.place == .query {
            if let v = request.own[p.name] {
                hidden += "<input type=\"hidden\" name=\"\(HTML.escape(p.name))\" value=\"\(HTML.escape(v))\">"
            }
        }
        let action = page.path.contains("{") ? request.request.uri.path : page.path
        return """
            <form class="filters" method="get" action="\(HTML.escape(action))" aria-label="Filters">
            <label>Period <select name="period">\(periods)</select></label>
            <label>From <input type="month" name="from" value="\(HTML.escape(f.from ?? ""))" placeholder="YYYY-MM"></label>
            <label>To <input type="month" name="to" value="\(HTML.escape(f.to ?? ""))" placeholder="YYYY-MM"></label>
            <label>Segment <input type="text" name="segment" value="\(HTML.escape(f.segment ?? ""))" list="segments" size="12"></label>
            <label>Channel <input type="text" name="channel" value="\(HTML.escape(f.channel ?? ""))" list="channels" size="12"></label>
            \(hidden)<button type="submit">Apply</button> <a class="reset" href="\(HTML.escape(action))">Reset</a>
            </form>
            """
    }

    /// The page of a server whose store holds no data yet: how to import, and a button to load the demo company.
    static func emptyStore(formToken: String) -> String {
        """
        <h1>Welcome to Fulcrum</h1>
        <p class="lead">This store holds no data yet. Bring in your exports, or load the demo company to look around.</p>
        <section class="card">
        <h2>Import your data</h2>
        <p>From the command line:</p>
        <pre>fulcrum import --source stripe ./stripe-export/
        fulcrum import --source salesforce ./salesforce-data-export/
        fulcrum import --mapping my-mapping.yaml ./crm/*.csv</pre>
        <p>Or upload export files on the <a href="/import">Import page</a>.</p>
        </section>
        <section class="card">
        <h2>Load the demo company</h2>
        <p>A generated SaaS company with seven years of marketing, sales, billing, support and usage data (docs/demo-company.md).</p>
        <form method="post" action="/demo">
        <input type="hidden" name="form_token" value="\(HTML.escape(formToken))">
        <button type="submit">Load the demo company</button>
        </form>
        </section>
        """
    }

    // MARK: shared pieces

    /// A KPI card: label, value, and a link to the metric's definition card.
    static func kpi(
        _ label: String, _ cell: ReportTable.Cell, _ kind: ReportTable.Kind, currency: String, metric: String,
        field: String? = nil, note: String? = nil
    ) -> String {
        """
        <div class="kpi"><a class="kpi-label" href="/definitions#\(HTML.escape(metric))">\(HTML.escape(label))</a>\
        <span class="kpi-value" data-metric="\(HTML.escape(field ?? metric))" data-value="\(HTML.escape(HTML.dataValue(cell, kind, currency: currency)))">\(HTML.escape(HTML.display(cell, kind, currency: currency)))</span>\
        \(note.map { "<span class=\"kpi-note\">\(HTML.escape($0))</span>" } ?? "")</div>
        """
    }

    /// A report table as an accessible HTML table: header cells with scope, numbers right-aligned,
    /// each column heading linked to its metric's definition, each cell carrying its JSON value.
    static func table(
        _ table: ReportTable, rows: [ReportTable.Row]? = nil, columns: [String]? = nil, caption: String? = nil,
        name: String? = nil, link: ((ReportTable.Row) -> String?)? = nil
    ) -> String {
        let indexes = (columns ?? table.columns.map(\.name)).compactMap { table.columnIndex($0) }
        var out =
            "<div class=\"table-wrap\"><table class=\"report\" data-report=\"\(HTML.escape(name ?? table.report))\">"
        if let caption { out += "<caption>\(HTML.escape(caption))</caption>" }
        out += "<thead><tr>"
        for i in indexes {
            let c = table.columns[i]
            let metric = Definitions.metricId(forColumn: c.name, report: table.report)
            let label = HTML.escape(c.name.replacingOccurrences(of: "_", with: " "))
            let heading = metric.map { "<a href=\"/definitions#\(HTML.escape($0))\">\(label)</a>" } ?? label
            out += "<th scope=\"col\" class=\"\(c.kind == .text ? "text" : "num")\">\(heading)</th>"
        }
        out += "</tr></thead><tbody>"
        for row in rows ?? table.rows {
            out += row.partial ? "<tr class=\"partial\">" : "<tr>"
            for (n, i) in indexes.enumerated() {
                let c = table.columns[i]
                var text = HTML.escape(HTML.display(row.cells[i], c.kind, currency: table.currency))
                if n == 0, row.partial { text += " <abbr title=\"partial period: data ends inside it\">*</abbr>" }
                if n == 0, let href = link?(row) { text = "<a href=\"\(HTML.escape(href))\">\(text)</a>" }
                let value = HTML.escape(HTML.dataValue(row.cells[i], c.kind, currency: table.currency))
                if c.isKey || n == 0 {
                    out += "<th scope=\"row\" class=\"text\" data-column=\"\(HTML.escape(c.name))\">\(text)</th>"
                } else {
                    out +=
                        "<td class=\"\(c.kind == .text ? "text" : "num")\" data-column=\"\(HTML.escape(c.name))\" data-value=\"\(value)\">\(text)</td>"
                }
            }
            out += "</tr>"
        }
        out += "</tbody></table></div>"
        return out
    }

    /// The settings and notes of a report, as the CLI prints under its table.
    static func settings(_ table: ReportTable) -> String {
        var out =
            "<details class=\"settings\"><summary>Definitions in force for “\(HTML.escape(table.title))”</summary><dl>"
        for s in table.settings { out += "<dt>\(HTML.escape(s.name))</dt><dd>\(HTML.escape(s.value))</dd>" }
        out += "</dl>"
        for n in table.notes { out += "<p class=\"note\">Note: \(HTML.escape(n))</p>" }
        out += "</details>"
        return out
    }

    /// Download links for a report: the same CSV and JSON the API serves.
    static func downloads(_ id: String, _ parameters: ReportParameters) -> String {
        let q = HTML.query([
            ("by", parameters.by), ("period", parameters.period == "month" ? nil : parameters.period),
            ("from", parameters.from), ("to", parameters.to), ("metric", parameters.metric),
            ("model", parameters.model),
        ])
        let sep = q.isEmpty ? "?" : "&"
        return
            "<p class=\"downloads\">Download: <a href=\"/api/v1/reports/\(id)\(q)\(sep)format=csv\">CSV</a> · <a href=\"/api/v1/reports/\(id)\(q)\">JSON</a></p>"
    }

    /// A cell's number with money in major units of `currency` (for charts).
    static func number(_ cell: ReportTable.Cell, currency: String) -> Double {
        var scale = 1.0
        for _ in 0..<Currency.exponent(of: currency) { scale *= 10 }
        switch cell {
        case .money(let m): return Double(m) / scale
        case .number(let v): return v
        case .count(let c): return Double(c)
        default: return 0
        }
    }

    /// A column's cells of `rows` as chart values (money in major units).
    static func series(_ table: ReportTable, _ rows: [ReportTable.Row], _ column: String) -> [Double] {
        guard let i = table.columnIndex(column) else { return [] }
        return rows.map {
            let v = number($0.cells[i], currency: table.currency)
            return table.columns[i].kind == .money && $0.cells[i].isNumberCell ? v / scaleOf(table.currency) : v
        }
    }

    static func scaleOf(_ currency: String) -> Double {
        var scale = 1.0
        for _ in 0..<Currency.exponent(of: currency) { scale *= 10 }
        return scale
    }

    /// The text of a row's key cell in `column`.
    static func text(_ table: ReportTable, _ row: ReportTable.Row, _ column: String) -> String {
        guard let i = table.columnIndex(column) else { return "" }
        if case .text(let t) = row.cells[i] { return t }
        return ""
    }

    static func cell(_ table: ReportTable, _ row: ReportTable.Row?, _ column: String) -> ReportTable.Cell {
        guard let row, let i = table.columnIndex(column) else { return .blank }
        return row.cells[i]
    }

    static func kind(_ table: ReportTable, _ column: String) -> ReportTable.Kind {
        table.columnIndex(column).map { table.columns[$0].kind } ?? .text
    }
}

extension ReportTable.Cell {
    /// A `.number` cell in a money column holds minor units (as `.money` does).
    var isNumberCell: Bool {
        if case .number = self { return true }
        return false
    }
}
