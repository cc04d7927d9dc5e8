import FulcrumCore
import FulcrumService

/// Every metric's definition card: what it means, its formula, the settings in force, and the worked
/// example of docs/metrics.md. Every number on every page links here (`/definitions#ID`).
enum DefinitionsPage: DashboardPage {
    static let path = "/definitions"
    static let title = "Metric definitions"
    static let navLabel: String? = "Metrics"
    static let summary = "Metric definitions: formula, settings in force and worked example of every metric."
    static var usesFilters: Bool { false }
    static var needsData: Bool { false }

    static func body(_ page: PageRequest) async throws -> String {
        let lifecycle = await page.engine.lifecycleSettingsDescription()
        let defaults = MetricSettings()
        let margin = DecimalText.text(defaults.grossMargin * 100, places: 1, trim: true)
        let discount = DecimalText.text(defaults.annualDiscountRate * 100, places: 1, trim: true)
        var out = """
            <h1>Metric definitions</h1>
            <p class="lead">One definition of every metric: the CLI, the API and these pages compute each from the same code. \
            Settings in force are the defaults unless a report says otherwise (each report lists its own under “Definitions in force”).</p>
            <section class="card"><h2>Settings in force</h2><dl class="settings-list">
            <dt>MRR</dt><dd>month-end MRR, trials excluded, churn dated at the end of the paid period, past_due counted, paused and unpaid excluded, each month converted at that month's FX rate</dd>
            <dt>Gross margin</dt><dd>\(margin)% (LTV; <code>gross-margin=</code> on a report)</dd>
            <dt>Discount rate</dt><dd>\(discount)% a year (model-based LTV; <code>discount-rate=</code> on a report)</dd>
            <dt>CAC</dt><dd>simple = marketing spend ÷ new customers; fully loaded = marketing + sales spend ÷ new customers; customer success never counts; blank when no spend is attributed</dd>
            <dt>Lifecycle</dt><dd>\(HTML.escape(lifecycle))</dd>
            </dl></section>
            <nav class="toc" aria-label="Metrics">
            """
        out += MetricRegistry.all.map { "<a href=\"#\(HTML.escape($0.id))\">\(HTML.escape($0.id))</a>" }.joined(
            separator: " ")
        out += "</nav>"
        for m in MetricRegistry.all {
            out += """
                <article class="definition card" id="\(HTML.escape(m.id))">
                <h2>\(HTML.escape(m.name)) <code>\(HTML.escape(m.id))</code></h2>
                <p>\(HTML.escape(m.definition))</p>
                <dl>
                <dt>Formula</dt><dd><code>\(HTML.escape(m.formula))</code></dd>
                <dt>Unit</dt><dd>\(HTML.escape(m.unit.rawValue))</dd>
                <dt>Level</dt><dd>\(HTML.escape(m.tier.rawValue))</dd>
                <dt>Sliced by</dt><dd>\(HTML.escape(m.dimensions.joined(separator: ", ")))</dd>
                <dt>Report</dt><dd><a href="/api/v1/reports/\(HTML.escape(m.report))"><code>fulcrum report \(HTML.escape(m.report))</code></a></dd>
                """
            if let example = WorkedExamples.byMetric[m.id] {
                out += "<dt>Worked example</dt><dd>\(Markdown.inline(example))</dd>"
            }
            out += "</dl></article>"
        }
        return out
    }
}

/// The inline markdown of the worked examples: **bold**, `code`; everything else escaped.
enum Markdown {
    static func inline(_ text: String) -> String {
        var out = ""
        var bold = false
        var code = false
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "`" {
                out += code ? "</code>" : "<code>"
                code.toggle()
            } else if !code, c == "*", text.index(after: i) < text.endIndex, text[text.index(after: i)] == "*" {
                out += bold ? "</strong>" : "<strong>"
                bold.toggle()
                i = text.index(after: i)
            } else {
                out += HTML.escape(String(c))
            }
            i = text.index(after: i)
        }
        if code { out += "</code>" }
        if bold { out += "</strong>" }
        return out
    }
}

/// Which metric a report column carries, for linking column headings to definition cards.
enum Definitions {
    static let ids = Set(MetricRegistry.all.map(\.id))

    static let columnAliases: [String: String] = [
        "new": "new-mrr", "expansion": "expansion-mrr", "contraction": "contraction-mrr", "churn": "churned-mrr",
        "reactivation": "reactivation-mrr", "cac_simple": "cac-simple", "cac_fully_loaded": "cac-fully-loaded",
        "acv_cac_fully_loaded": "acv-cac", "ltv_cac_fully_loaded": "ltv-cac", "payback_months": "cac-payback",
        "logo_churn_ttm": "logo-churn", "ltv": "ltv-simple", "deals": "deals", "opportunity_to_won": "win-rate",
        "mrr_growth": "mrr-growth", "net_new_mrr": "net-new-mrr", "monthly_logo_churn": "logo-churn",
        "revenue_to_date": "account-ltv", "expected_residual": "account-ltv",
    ]

    static func metricId(forColumn column: String, report: String) -> String? {
        if report == "accounts-ltv", column == "ltv" { return "account-ltv" }
        if let alias = columnAliases[column] { return alias }
        let dashed = column.replacingOccurrences(of: "_", with: "-")
        return ids.contains(dashed) ? dashed : nil
    }
}
