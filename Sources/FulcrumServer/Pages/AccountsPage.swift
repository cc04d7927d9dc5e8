import FulcrumCore
import FulcrumService

/// Every account, ranked by LTV potential by default; sortable by any column heading, filtered by a
/// search, segment, status or owner, paged. Sorting and paging are links, so it works without JavaScript.
enum AccountsPage: DashboardPage {
    static let path = "/accounts"
    static let title = "Accounts"
    static let navLabel: String? = "Accounts"
    static let summary = "Accounts: ranked by LTV potential, sortable and filterable."
    static var usesFilters: Bool { false }
    static var parameters: [RouteTable.Parameter] {
        [
            .query("search", "Name or domain contains."), .query("segment", "Segment."),
            .query("status", "customer, churned or prospect.", values: AccountIndex.Query.statuses),
            .query("owner", "Owner's name."), .query("sort", "Sort key.", values: AccountIndex.sorts),
            .query("order", "asc or desc.", values: ["asc", "desc"]),
            .query("limit", "Rows per page.", type: "integer"), .query("offset", "Rows to skip.", type: "integer"),
        ]
    }

    static func body(_ page: PageRequest) async throws -> String {
        let items = page.own.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let query = try AccountIndex.Query(items: items)
        let index = try await page.engine.accountIndex()
        let result = index.page(query)
        let currency = index.currency
        func link(sort: String? = nil, order: String? = nil, offset: Int? = nil) -> String {
            var values = page.own
            if let sort { values["sort"] = sort }
            if let order { values["order"] = order }
            values["offset"] = offset.map(String.init) ?? (sort != nil ? nil : values["offset"])
            if values["offset"] == "0" { values["offset"] = nil }
            return "/accounts" + HTML.query(values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
        var out =
            "<h1>Accounts <span class=\"sub\">\(Format.grouped(Int64(result.total))) match · ranked by \(HTML.escape(result.sort.replacingOccurrences(of: "_", with: " "))) (\(result.order == "desc" ? "largest first" : "ascending"))</span></h1>"
        out += """
            <form class="filters inline" method="get" action="/accounts" aria-label="Find accounts">
            <label>Search <input type="search" name="search" value="\(HTML.escape(query.search ?? ""))" placeholder="name or domain"></label>
            <label>Segment <input type="text" name="segment" value="\(HTML.escape(query.segment ?? ""))" size="12"></label>
            <label>Status <select name="status"><option value="">any</option>\(AccountIndex.Query.statuses.map { "<option\($0 == query.status ? " selected" : "")>\($0)</option>" }.joined())</select></label>
            <label>Owner <input type="text" name="owner" value="\(HTML.escape(query.owner ?? ""))" size="14"></label>
            <input type="hidden" name="sort" value="\(HTML.escape(query.sort))">
            <button type="submit">Find</button> <a class="reset" href="/accounts">Reset</a>
            </form>
            """
        let columns: [(String, String, String?)] = [
            ("name", "Account", nil), ("segment", "Segment", nil), ("owner", "Owner", nil), ("status", "Status", nil),
            ("mrr", "MRR", "mrr"), ("revenue_to_date", "Revenue to date", "account-ltv"),
            ("ltv", "LTV potential", "account-ltv"), ("", "CAC (fully loaded)", "cac-fully-loaded"),
            ("", "LTV/CAC", "account-ltv-cac"), ("customer_since", "Customer since", nil),
        ]
        out +=
            "<div class=\"table-wrap\"><table class=\"report\" data-report=\"accounts\"><caption>Amounts in \(HTML.escape(currency)), as of \(HTML.escape(result.asOf))</caption><thead><tr>"
        for (key, label, metric) in columns {
            let numeric = ["mrr", "revenue_to_date", "ltv"].contains(key) || key.isEmpty
            var heading = HTML.escape(label)
            var sortState = ""
            if !key.isEmpty {
                let active = query.sort == key
                let nextOrder = active ? (result.order == "desc" ? "asc" : "desc") : nil
                heading =
                    "<a href=\"\(HTML.escape(link(sort: key, order: nextOrder)))\">\(heading)\(active ? (result.order == "desc" ? " ▼" : " ▲") : "")</a>"
                if active { sortState = " aria-sort=\"\(result.order == "desc" ? "descending" : "ascending")\"" }
            }
            if let metric {
                heading +=
                    " <a class=\"def\" href=\"/definitions#\(metric)\" title=\"definition of \(HTML.escape(label))\" aria-label=\"definition of \(HTML.escape(label))\">?</a>"
            }
            out += "<th scope=\"col\" class=\"\(numeric ? "num" : "text")\"\(sortState)>\(heading)</th>"
        }
        out += "</tr></thead><tbody>"
        func money(_ v: Double?) -> String {
            guard let v else { return "—" }
            return Format.money(Int64((v * Pages.scaleOf(currency)).rounded()), currency: currency)
        }
        for a in result.accounts {
            out += "<tr data-account=\"\(a.id)\">"
            out +=
                "<th scope=\"row\" class=\"text\"><a href=\"/accounts/\(a.id)\">\(HTML.escape(a.name))</a>\(a.domain.isEmpty ? "" : "<span class=\"muted small\"> \(HTML.escape(a.domain))</span>")</th>"
            out += "<td class=\"text\">\(HTML.escape(a.segment))</td><td class=\"text\">\(HTML.escape(a.owner))</td>"
            out +=
                "<td class=\"text\"><span class=\"badge \(HTML.escape(a.status))\">\(HTML.escape(a.status))</span></td>"
            out += "<td class=\"num\" data-column=\"mrr\" data-value=\"\(a.mrr)\">\(money(a.mrr))</td>"
            out += "<td class=\"num\">\(money(a.revenueToDate))</td>"
            out +=
                "<td class=\"num\" data-column=\"ltv\" data-value=\"\(a.ltv.map { String($0) } ?? "")\">\(money(a.ltv))</td>"
            out += "<td class=\"num\">\(money(a.cacFullyLoaded))</td>"
            out += "<td class=\"num\">\(a.ltvCacFullyLoaded.map { DecimalText.text($0, places: 1) + "x" } ?? "—")</td>"
            out += "<td class=\"text\">\(HTML.escape(a.customerSince ?? "—"))</td></tr>"
        }
        out += "</tbody></table></div>"
        let end = result.offset + result.accounts.count
        out += "<nav class=\"pager\" aria-label=\"Pages\">"
        if result.offset > 0 {
            out +=
                "<a href=\"\(HTML.escape(link(offset: max(0, result.offset - result.limit))))\" rel=\"prev\">← Previous</a>"
        }
        out +=
            "<span>\(result.total == 0 ? 0 : result.offset + 1)–\(end) of \(Format.grouped(Int64(result.total)))</span>"
        if end < result.total {
            out += "<a href=\"\(HTML.escape(link(offset: end)))\" rel=\"next\">Next →</a>"
        }
        out += "</nav>"
        out +=
            "<p class=\"downloads\">As JSON: <a href=\"/api/v1/accounts\(HTML.escape(HTML.query(page.own.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })))\">/api/v1/accounts</a></p>"
        return out
    }
}
