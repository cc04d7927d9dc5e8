import FulcrumCore
import FulcrumService

/// Every surviving account with its standing (the `accounts list` table) and its LTV potential (the
/// `accounts-ltv` report), joined by account id: what the Accounts page and `/api/v1/accounts` filter,
/// sort and page. Both halves come from the report code the CLI runs; nothing is computed twice.
struct AccountIndex: Sendable {
    struct Row: Sendable, Encodable {
        var id: Int64
        var name: String
        var domain: String
        var segment: String
        var owner: String
        var status: String
        var customerSince: String?
        var mergedRecords: Int
        /// Money in major units of `currency`, as the reports' JSON gives it.
        var mrr: Double
        var revenueToDate: Double?
        var expectedResidual: Double?
        var ltv: Double?
        var cacFullyLoaded: Double?
        var ltvCacFullyLoaded: Double?
        var paidMonths: Int?
    }

    var rows: [Row]
    var currency: String
    var asOf: String
    /// Position of each account's row.
    var position: [Int64: Int] = [:]

    func row(_ id: Int64) -> Row? { position[id].map { rows[$0] } }

    init(list: ReportTable, ltv: ReportTable) {
        currency = list.currency
        asOf = ltv.title.components(separatedBy: "as of ").last ?? ""
        var byId: [String: ReportTable.Row] = [:]
        let ltvKey = ltv.columnIndex("account") ?? 0
        for r in ltv.rows {
            if case .text(let id) = r.cells[ltvKey] { byId[id] = r }
        }
        var scale = 1.0
        for _ in 0..<Currency.exponent(of: list.currency) { scale *= 10 }
        func number(_ table: ReportTable, _ row: ReportTable.Row?, _ column: String) -> Double? {
            guard let row, let i = table.columnIndex(column) else { return nil }
            switch row.cells[i] {
            case .money(let m): return Double(m) / scale
            case .count(let c): return Double(c)
            case .number(let v): return table.columns[i].kind == .money ? v / scale : v
            case .text, .blank: return nil
            }
        }
        func text(_ row: ReportTable.Row, _ column: String) -> String {
            guard let i = list.columnIndex(column), case .text(let t) = row.cells[i] else { return "" }
            return t
        }
        rows = list.rows.map { r in
            let id = text(r, "account_id")
            let l = byId[id]
            return Row(
                id: Int64(id) ?? 0, name: text(r, "name"), domain: text(r, "domain"), segment: text(r, "segment"),
                owner: text(r, "owner"), status: text(r, "status"),
                customerSince: text(r, "customer_since").isEmpty ? nil : text(r, "customer_since"),
                mergedRecords: Int(number(list, r, "merged_records") ?? 0), mrr: number(list, r, "mrr") ?? 0,
                revenueToDate: number(ltv, l, "revenue_to_date"), expectedResidual: number(ltv, l, "expected_residual"),
                ltv: number(ltv, l, "ltv"), cacFullyLoaded: number(ltv, l, "cac_fully_loaded"),
                ltvCacFullyLoaded: number(ltv, l, "ltv_cac_fully_loaded").map { ($0 * 1e6).rounded() / 1e6 },
                paidMonths: number(ltv, l, "paid_months").map { Int($0) })
        }
        for (i, r) in rows.enumerated() { position[r.id] = i }
    }

    /// The sort keys the list takes, each with its natural order.
    static let sorts = ["ltv", "mrr", "name", "revenue_to_date", "customer_since", "segment", "status", "owner"]

    struct Query: Sendable {
        var search: String?
        var segment: String?
        var status: String?
        var owner: String?
        var sort = "ltv"
        var descending: Bool?
        var limit = 50
        var offset = 0

        static let statuses = ["customer", "churned", "prospect"]

        /// From URL parameters; a malformed one is a 400 naming it.
        init(items: [(String, String)]) throws {
            for (name, value) in items {
                switch name {
                case "search": search = value.isEmpty ? nil : value
                case "segment": segment = value.isEmpty ? nil : value
                case "owner": owner = value.isEmpty ? nil : value
                case "status":
                    guard value.isEmpty || Self.statuses.contains(value) else {
                        throw Problem.badParameter(
                            name, "'\(value)' is not one of \(Self.statuses.joined(separator: ", "))")
                    }
                    status = value.isEmpty ? nil : value
                case "sort":
                    guard AccountIndex.sorts.contains(value) else {
                        throw Problem.badParameter(
                            name, "'\(value)' is not one of \(AccountIndex.sorts.joined(separator: ", "))")
                    }
                    sort = value
                case "order":
                    guard value == "asc" || value == "desc" else {
                        throw Problem.badParameter(name, "'\(value)' is not asc or desc")
                    }
                    descending = value == "desc"
                case "limit":
                    guard let n = Int(value), (1...1000).contains(n) else {
                        throw Problem.badParameter(name, "'\(value)' is not a whole number from 1 to 1000")
                    }
                    limit = n
                case "offset":
                    guard let n = Int(value), (0...1_000_000_000).contains(n) else {
                        throw Problem.badParameter(name, "'\(value)' is not a whole number from 0 to 1000000000")
                    }
                    offset = n
                default:
                    throw Problem.badParameter(
                        name,
                        "not a parameter of this route; known: search, segment, status, owner, sort, order, limit, offset"
                    )
                }
            }
        }

        /// Numbers (LTV, MRR, revenue) rank largest first by default; text A to Z.
        var isDescending: Bool { descending ?? ["ltv", "mrr", "revenue_to_date"].contains(sort) }
    }

    struct Page: Sendable, Encodable {
        var total: Int
        var offset: Int
        var limit: Int
        var sort: String
        var order: String
        var currency: String
        var asOf: String
        var accounts: [Row]
    }

    func page(_ q: Query) -> Page {
        let needle = q.search?.lowercased()
        let segment = q.segment?.lowercased()
        let owner = q.owner?.lowercased()
        var found = rows.filter { r in
            if let needle, !r.name.lowercased().contains(needle), !r.domain.lowercased().contains(needle) {
                return false
            }
            if let segment, r.segment.lowercased() != segment { return false }
            if let owner, r.owner.lowercased() != owner { return false }
            if let status = q.status, r.status != status { return false }
            return true
        }
        let descending = q.isDescending
        // Blank values (a prospect's LTV) always go last, whichever the order.
        func compare(_ a: Row, _ b: Row) -> Bool {
            func num(_ x: Double?, _ y: Double?) -> Bool? {
                switch (x, y) {
                case (nil, nil): return nil
                case (nil, _): return false
                case (_, nil): return true
                case (let x?, let y?): return x == y ? nil : (descending ? x > y : x < y)
                }
            }
            func txt(_ x: String, _ y: String) -> Bool? {
                x == y ? nil : (x.isEmpty ? false : y.isEmpty ? true : (descending ? x > y : x < y))
            }
            let primary: Bool?
            switch q.sort {
            case "mrr": primary = num(a.mrr, b.mrr)
            case "revenue_to_date": primary = num(a.revenueToDate, b.revenueToDate)
            case "name": primary = txt(a.name.lowercased(), b.name.lowercased())
            case "customer_since": primary = txt(a.customerSince ?? "", b.customerSince ?? "")
            case "segment": primary = txt(a.segment, b.segment)
            case "status": primary = txt(a.status, b.status)
            case "owner": primary = txt(a.owner, b.owner)
            default: primary = num(a.ltv, b.ltv)
            }
            return primary ?? (a.id < b.id)
        }
        found.sort(by: compare)
        let slice = found.dropFirst(q.offset).prefix(q.limit)
        return Page(
            total: found.count, offset: q.offset, limit: q.limit, sort: q.sort, order: descending ? "desc" : "asc",
            currency: currency, asOf: asOf, accounts: Array(slice))
    }
}
