import FulcrumCore
import FulcrumService
import FulcrumStore

/// The Account Control Center (seed 001): one screen per account that marketing, sales and customer
/// success work from — its stage, value and cost, owner, MRR history, subscriptions, deals, usage, and
/// one timeline of everything that happened to it, from every stovepipe.
enum AccountPage: DashboardPage {
    static let path = "/accounts/{id}"
    static let title = "Account"
    static let navLabel: String? = nil
    static let summary =
        "Account Control Center: stage, LTV, CAC, owner, MRR history, subscriptions, deals and timeline."
    static var usesFilters: Bool { false }
    static var parameters: [RouteTable.Parameter] {
        [.path("id", "Store id of the account.", type: "integer")]
    }

    /// The churn model's figures for the account — health, churn in 90 days, predicted LTV (as
    /// `fulcrum accounts --by-ltv` and `--at-risk` give them) — or how to get them.
    static func predictionSection(
        _ outcome: Result<ReportEngine.Predicted?, any Error>, account: Int64, currency: String
    ) -> String {
        let predicted: ReportEngine.Predicted?
        switch outcome {
        case .success(let value): predicted = value
        case .failure:
            return
                "<p class=\"note\">The stored churn model could not be used on this store: <code>fulcrum model train churn</code> trains it again.</p>"
        }
        guard let predicted else {
            return
                "<p class=\"note\">No churn model in the store: <code>fulcrum model train churn</code> adds this account's health, churn risk and predicted LTV here.</p>"
        }
        let table = predicted.ltv
        let row = table.columnIndex("account").flatMap { key in
            table.rows.first { $0.cells[key] == .text(String(account)) }
        }
        let risk = predicted.risks[account]
        var out = "<section class=\"kpis\" aria-label=\"Predicted figures\">"
        out += Pages.kpi(
            "Health", risk.map { .count($0.health) } ?? .blank, .count, currency: currency, metric: "account-ltv",
            field: "health", note: risk?.band ?? "not paying")
        out += Pages.kpi(
            "Churn in 90 days", Pages.cell(table, row, "churn_90d"), .percent, currency: currency,
            metric: "account-ltv", field: "churn_90d", note: "churn model")
        out += Pages.kpi(
            "Predicted residual", Pages.cell(table, row, "predicted_residual"), .money, currency: currency,
            metric: "account-ltv", field: "predicted_residual", note: "from the churn model")
        out += Pages.kpi(
            "Predicted LTV", Pages.cell(table, row, "predicted_ltv"), .money, currency: currency,
            metric: "account-ltv", field: "predicted_ltv", note: "margin × (to date + residual)")
        out += "</section>"
        if let risk, !risk.drivers.isEmpty {
            out +=
                "<p class=\"note\">Pushing the churn risk up: \(HTML.escape(risk.drivers.joined(separator: "; "))). Next step: \(HTML.escape(risk.nextStep)).</p>"
        }
        return out
    }

    static func body(_ page: PageRequest) async throws -> String {
        let detail = try await API.accountDetail(page.pathParameters["id"] ?? "", engine: page.engine)
        let p = detail.account
        async let indexRead = page.engine.accountIndex()
        async let stagesRead = page.engine.lifecycleStages()
        async let timelineRead = page.engine.timeline(records: detail.records.map(\.id), limit: 300)
        async let usageRead = page.engine.usage(records: detail.records.map(\.id))
        async let predictedRead = page.engine.predicted()
        let (index, stages, timeline, usage) = try await (indexRead, stagesRead, timelineRead, usageRead)
        // A model the store cannot use must not take the account page down with it.
        let predicted: Result<ReportEngine.Predicted?, any Error>
        do {
            predicted = .success(try await predictedRead)
        } catch {
            predicted = .failure(error)
        }
        let row = index.row(p.id)
        let currency = p.currency
        let scale = Pages.scaleOf(currency)
        func money(_ major: Double?) -> ReportTable.Cell {
            major.map { .money(Int64(($0 * scale).rounded())) } ?? .blank
        }
        let stage = stages[p.id] ?? "—"
        var out = """
            <p class="crumbs"><a href="/accounts">Accounts</a> ›</p>
            <h1>\(HTML.escape(p.name)) <span class="badge stage">\(HTML.escape(stage))</span></h1>
            <p class="facts">\(HTML.escape([p.domain, p.segment.map { "segment " + $0 }, p.industry, p.country].compactMap { $0 }.joined(separator: " · "))) \
            · owner <strong>\(HTML.escape(p.owner ?? "none"))</strong> · created \(HTML.escape(p.createdOn)) · store id \(p.id)\
            \(detail.records.count > 1 ? " · \(detail.records.count) source records merged" : "")</p>
            <section class="kpis" aria-label="Account figures">
            """
        out += Pages.kpi("MRR", .money(p.mrrMinor), .money, currency: currency, metric: "mrr")
        out += Pages.kpi(
            "Revenue to date", money(row?.revenueToDate), .money, currency: currency, metric: "account-ltv",
            field: "revenue_to_date", note: "collected")
        out += Pages.kpi(
            "Expected residual", money(row?.expectedResidual), .money, currency: currency, metric: "account-ltv",
            field: "expected_residual", note: "future value")
        out += Pages.kpi(
            "LTV", money(row?.ltv), .money, currency: currency, metric: "account-ltv", field: "ltv", note: "potential")
        out += Pages.kpi(
            "CAC of its segment", money(row?.cacFullyLoaded), .money, currency: currency, metric: "cac-fully-loaded",
            field: "cac_fully_loaded", note: "fully loaded, year first paid")
        out += Pages.kpi(
            "LTV/CAC", row?.ltvCacFullyLoaded.map { .number($0) } ?? .blank, .multiple, currency: currency,
            metric: "account-ltv-cac", field: "ltv_cac_fully_loaded")
        out += "</section>"
        out += predictionSection(predicted, account: p.id, currency: currency)

        out += "<div class=\"grid2\">"
        let history = Array(p.history.suffix(36))
        out += "<section class=\"card\"><h2><a href=\"/definitions#mrr\">MRR history</a></h2>"
        out += Charts.line(
            title: "MRR of \(p.name) by month", labels: history.map(\.month),
            series: [.init(name: "MRR", values: history.map { Double($0.mrrMinor) / scale }, style: "s0")],
            format: { Charts.compactMoney($0, currency: currency) }, id: "account-mrr")
        out += "</section>"
        out += "<section class=\"card\"><h2>Usage trend</h2>"
        let recentUsage = Array(usage.suffix(24))
        out += Charts.line(
            title: "Average daily active users by month", labels: recentUsage.map(\.month),
            series: [.init(name: "Active users", values: recentUsage.map(\.activeUsers), style: "s1")],
            format: { DecimalText.text($0, places: 0) }, id: "account-usage")
        out += "</section></div>"

        out += "<div class=\"grid2\">"
        out += "<section class=\"card\"><h2>Subscriptions</h2>"
        out += simpleTable(
            ["Plan", "Product", "Interval", "Amount", "Status", "Started", "Ended"],
            p.subscriptions.map {
                [
                    $0.plan, $0.product, $0.interval, Format.money($0.amountMinor, currency: $0.currency), $0.status,
                    $0.startedOn, $0.endedOn ?? "",
                ]
            }, numeric: [3])
        out += "</section><section class=\"card\"><h2>Deals</h2>"
        out += simpleTable(
            ["Type", "Stage", "Amount", "Created", "Closed", "Owner"],
            p.deals.map {
                [
                    $0.type, $0.stage, Format.money($0.amountMinor, currency: $0.currency), $0.createdOn,
                    $0.closedOn ?? "", $0.owner,
                ]
            }, numeric: [2])
        out +=
            "<p class=\"muted\">Tickets: \(p.ticketsOpened) opened, \(p.ticketsOpen) open · people: \(detail.people) · touches: \(detail.touches)\(detail.firstTouch.map { ", first " + HTML.escape($0) } ?? "")\(detail.lastTouch.map { ", last " + HTML.escape($0) } ?? "")</p>"
        out += "</section></div>"

        out += "<section class=\"card\"><h2>MRR month by month</h2>"
        out += simpleTable(
            ["Month", "MRR", "Movement", "Change", "FX change (not a movement)", "What moved it"],
            p.history.reversed().prefix(36).map {
                [
                    $0.month, Format.money($0.mrrMinor, currency: currency), $0.movement ?? "",
                    $0.changeMinor.map { Format.money($0, currency: currency) } ?? "",
                    $0.fxChangeMinor.map { Format.money($0, currency: currency) } ?? "",
                    ($0.behind ?? []).joined(separator: "; "),
                ]
            }, numeric: [1, 3, 4])
        out += "</section>"

        out +=
            "<section class=\"card\"><h2>Timeline</h2><p class=\"muted\">Every touch, activity, deal stage, subscription change, payment, ticket, survey answer and usage month, newest first (at most 300; <a href=\"/api/v1/accounts/\(p.id)/timeline?limit=5000\">all as JSON</a>).</p><ol class=\"timeline\">"
        for e in timeline {
            let amount = e.amountMinor.map { " · " + Format.money($0, currency: e.currency ?? currency) } ?? ""
            out +=
                "<li class=\"ev \(HTML.escape(e.kind.replacingOccurrences(of: " ", with: "-")))\"><time>\(HTML.escape(String(e.at.prefix(10))))</time><span class=\"kind\">\(HTML.escape(e.kind))</span><span class=\"what\">\(HTML.escape(e.detail + amount))</span><span class=\"rec\">\(HTML.escape(e.record))</span></li>"
        }
        out += "</ol></section>"

        out += "<section class=\"card\"><h2>Source records</h2>"
        out += simpleTable(
            ["Store id", "Source", "External id", "Name", "Domain", "Merged into"],
            detail.records.map {
                [
                    String($0.id), $0.source, $0.externalId ?? "", $0.name, $0.domain ?? "",
                    $0.mergedInto.map(String.init) ?? "",
                ]
            }, numeric: [])
        out +=
            "<p class=\"downloads\">As JSON: <a href=\"/api/v1/accounts/\(p.id)\">/api/v1/accounts/\(p.id)</a></p></section>"
        return out
    }

    static func simpleTable(_ headers: [String], _ rows: [[String]], numeric: Set<Int>) -> String {
        guard !rows.isEmpty else { return "<p class=\"muted\">None.</p>" }
        var out = "<div class=\"table-wrap\"><table class=\"report\"><thead><tr>"
        for (i, h) in headers.enumerated() {
            out += "<th scope=\"col\" class=\"\(numeric.contains(i) ? "num" : "text")\">\(HTML.escape(h))</th>"
        }
        out += "</tr></thead><tbody>"
        for r in rows {
            out += "<tr>"
            for (i, c) in r.enumerated() {
                out +=
                    i == 0
                    ? "<th scope=\"row\" class=\"text\">\(HTML.escape(c))</th>"
                    : "<td class=\"\(numeric.contains(i) ? "num" : "text")\">\(HTML.escape(c))</td>"
            }
            out += "</tr>"
        }
        return out + "</tbody></table></div>"
    }
}
