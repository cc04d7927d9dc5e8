import Foundation
import FulcrumCore
import FulcrumService
import Hummingbird

/// The JSON API: every answer the CLI gives, from the CLI's own code paths (ReportEngine →
/// FulcrumService → ReportCatalog), with the same bytes: a report's JSON here is what
/// `fulcrum report ID --format json` prints, its CSV what `--format csv` prints.
enum API {
    static let reportParameters: [RouteTable.Parameter] = [
        .query(
            "by",
            "Slice by a dimension: segment, plan, channel, rep, cohort, campaign, owner, team, product, source, demo, custom:NAME."
        ),
        .query("period", "Row period.", values: ["month", "quarter", "year"]),
        .query("from", "First month, YYYY-MM."),
        .query("to", "Last month, YYYY-MM."),
        .query(
            "compare", "Compare with the previous period or the same period a year before.",
            values: ["previous", "year"]),
        .query(
            "explain", "List the records behind each cell (source id, account, amount) and the rule that makes it.",
            type: "boolean"),
        .query("format", "json (default) or csv.", values: ["json", "csv"]),
        .query("churn-recognition", "When churn counts.", values: ["end-of-period", "cancel-date"]),
        .query("include-trials", "Count trials in MRR.", type: "boolean"),
        .query("gross-margin", "Gross margin for LTV, 0–1.", type: "number"),
        .query("discount-rate", "Annual discount rate for model-based LTV.", type: "number"),
        .query("limit", "Rows in ranked lists.", type: "integer"),
        .query("metric", "Attribution only: what is credited.", values: ["pipeline", "bookings", "new-mrr"]),
        .query(
            "model", "Attribution only: one model (default: all side by side).",
            values: ["first", "last", "linear", "position", "time-decay", "markov"]),
        .query("half-life", "Attribution only: time-decay half-life in days (default 7).", type: "number"),
    ]

    static func register(on routes: RouteTable, engine: ReportEngine) {
        routes.add(
            .init(
                method: .get, path: "/api/v1/metrics",
                summary: "Every metric's definition (as `fulcrum metrics --format json`).",
                tag: "metrics", parameters: [], responses: [("200", "The metric registry.", "application/json")])
        ) { request, _ in
            try noParameters(request)
            return json(try ServiceJSON.encode(MetricRegistry.all) + "\n")
        }

        routes.add(
            .init(
                method: .get, path: "/api/v1/reports", summary: "The reports, with what each can be sliced by.",
                tag: "reports", parameters: [], responses: [("200", "Report ids and titles.", "application/json")])
        ) { request, _ in
            try noParameters(request)
            struct Entry: Encodable {
                var id: String
                var title: String
                var dimensions: [String]
                var comparable: Bool
            }
            let entries =
                [Entry(id: "headline", title: "Headline snapshot by segment", dimensions: [], comparable: false)]
                + ReportCatalog.entries.map {
                    Entry(id: $0.id, title: $0.title, dimensions: $0.dimensions, comparable: $0.comparable)
                }
            return json(try ServiceJSON.encode(entries) + "\n")
        }

        routes.add(
            .init(
                method: .get, path: "/api/v1/reports/{id}",
                summary: "One report, exactly as `fulcrum report ID --format json|csv` prints it.", tag: "reports",
                parameters: [.path("id", "Report id or metric id (GET /api/v1/reports lists them).")]
                    + reportParameters,
                responses: [
                    ("200", "The report.", "application/json"),
                    ("400", "A parameter the report cannot use.", "application/problem+json"),
                    ("404", "No such report.", "application/problem+json"),
                ])
        ) { request, context in
            let id = try context.parameters.require("id")
            let items = queryItems(request)
            var format = "json"
            var explain = false
            for (name, value) in items {
                if name == "format" {
                    guard value == "json" || value == "csv" else {
                        throw Problem.badParameter("format", "'\(value)' is not one of json, csv")
                    }
                    format = value
                }
                if name == "explain" { explain = try flag(value, name) }
            }
            let parameters = try ReportParameters(query: items, extra: ["format", "explain"])
            let table = try await report(id: id, parameters: parameters, items: items, explain: explain, engine: engine)
            let labels = explain ? try await engine.labels(for: table) : [:]
            if format == "csv" {
                return csv(
                    explain ? table.renderExplain(csv: true, labels: labels) : table.renderCSV(), name: table.report)
            }
            return json(table.renderJSON(explain: explain, labels: labels) + "\n")
        }

        routes.add(
            .init(
                method: .get, path: "/api/v1/predictions/{id}",
                summary:
                    "A prediction table as the CLI prints it: models (`fulcrum model list`), next-steps (`fulcrum next-steps`, every row), buckets (`fulcrum model buckets`), indicators (`fulcrum model indicators`).",
                tag: "predictions",
                parameters: [
                    .path("id", "models, next-steps, buckets or indicators."),
                    .query("format", "json (default) or csv.", values: ["json", "csv"]),
                ],
                responses: [
                    ("200", "The table.", "application/json"),
                    ("400", "A parameter the table cannot use.", "application/problem+json"),
                    ("404", "No such table.", "application/problem+json"),
                ])
        ) { request, context in
            var format = "json"
            for (name, value) in queryItems(request) {
                guard name == "format" else { throw Problem.badParameter(name, "not a parameter of this table") }
                guard value == "json" || value == "csv" else {
                    throw Problem.badParameter("format", "'\(value)' is not one of json, csv")
                }
                format = value
            }
            let table = try await engine.predictionTable(try context.parameters.require("id"))
            if format == "csv" {
                return csv(table.renderCSV(), name: table.report)
            }
            return json(table.renderJSON(explain: false, labels: [:]) + "\n")
        }

        routes.add(
            .init(
                method: .get, path: "/api/v1/accounts", summary: "Accounts: search, filter, sort and page.",
                tag: "accounts",
                parameters: [
                    .query("search", "Name or domain contains (any case)."), .query("segment", "Segment (any case)."),
                    .query("status", "customer, churned or prospect.", values: AccountIndex.Query.statuses),
                    .query("owner", "Owner's name (any case)."),
                    .query("sort", "Sort key (default ltv: LTV potential).", values: AccountIndex.sorts),
                    .query("order", "asc or desc (default: numbers largest first).", values: ["asc", "desc"]),
                    .query("limit", "Rows per page, 1–1000 (default 50).", type: "integer"),
                    .query("offset", "Rows to skip.", type: "integer"),
                ],
                responses: [
                    ("200", "A page of accounts and the total that match.", "application/json"),
                    ("400", "A malformed parameter.", "application/problem+json"),
                ])
        ) { request, _ in
            let query = try AccountIndex.Query(items: queryItems(request))
            let index = try await engine.accountIndex()
            return json(try ServiceJSON.encode(index.page(query), snakeCase: true) + "\n")
        }

        routes.add(
            .init(
                method: .get, path: "/api/v1/accounts/{id}",
                summary:
                    "One account: profile, MRR history with movements, source records, engagement (as `fulcrum accounts show --format json`).",
                tag: "accounts",
                parameters: [
                    .path("id", "Store id of the account (a merged record's id gives its survivor).", type: "integer")
                ],
                responses: [
                    ("200", "The account.", "application/json"),
                    ("400", "Not an account id.", "application/problem+json"),
                    ("404", "No such account.", "application/problem+json"),
                ])
        ) { request, context in
            try noParameters(request)
            let detail = try await accountDetail(context.parameters.require("id"), engine: engine)
            return json(try detail.json() + "\n")
        }

        routes.add(
            .init(
                method: .get, path: "/api/v1/accounts/{id}/timeline",
                summary:
                    "Every touch, activity, deal stage, subscription change, payment, ticket, survey answer and usage month of an account, newest first.",
                tag: "accounts",
                parameters: [
                    .path("id", "Store id of the account.", type: "integer"),
                    .query("limit", "At most this many events, 1–5000 (default 500).", type: "integer"),
                ],
                responses: [
                    ("200", "The events.", "application/json"),
                    ("400", "A malformed parameter.", "application/problem+json"),
                    ("404", "No such account.", "application/problem+json"),
                ])
        ) { request, context in
            var limit = 500
            for (name, value) in queryItems(request) {
                guard name == "limit" else {
                    throw Problem.badParameter(name, "not a parameter of this route; known: limit")
                }
                guard let n = Int(value), (1...5000).contains(n) else {
                    throw Problem.badParameter(name, "'\(value)' is not a whole number from 1 to 5000")
                }
                limit = n
            }
            let detail = try await accountDetail(context.parameters.require("id"), engine: engine)
            let events = try await engine.timeline(records: detail.records.map(\.id), limit: limit)
            return json(try ServiceJSON.encode(events) + "\n")
        }
    }

    /// A catalog report or the headline, refusing what the CLI refuses.
    static func report(
        id: String, parameters: ReportParameters, items: [(String, String)], explain: Bool, engine: ReportEngine
    ) async throws -> ReportTable {
        if id == "headline" {
            let ignored = ["by", "from", "to", "compare"]
            if let name = items.first(where: { ignored.contains($0.0) && !$0.1.isEmpty })?.0 {
                throw Problem.badParameter(
                    name, "the headline report is a fixed snapshot at the last complete month and does not take \(name)"
                )
            }
            return try await engine.headline(
                settings: try parameters.query(report: id).settings.revenue, explain: explain)
        }
        guard (try? ReportCatalog.entry(id)) != nil else {
            throw Problem(.notFound, "no report or metric '\(id)'; GET /api/v1/reports lists them", parameter: "id")
        }
        return try await engine.table(id: id, parameters: parameters, explain: explain)
    }

    static func accountDetail(_ text: String, engine: ReportEngine) async throws -> AccountDetail {
        guard let id = Int64(text), id > 0 else {
            throw Problem.badParameter("id", "'\(text)' is not an account's store id (a whole number)")
        }
        guard let detail = try await engine.accountDetail(id: id) else {
            throw Problem(.notFound, "no account with store id \(id)", parameter: "id")
        }
        return detail
    }

    // MARK: helpers

    /// The URL's query as name/value pairs, decoded as browsers encode forms: `+` is a space, then
    /// percent-escapes (a value that is not valid percent-encoded UTF-8 is kept as it came).
    static func queryItems(_ request: Request) -> [(String, String)] {
        guard let query = request.uri.query, !query.isEmpty else { return [] }
        func decode(_ part: Substring) -> String {
            let spaced = part.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        return query.split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(kv[0]), kv.count > 1 ? decode(kv[1]) : "")
        }
    }

    static func noParameters(_ request: Request) throws {
        if let first = queryItems(request).first {
            throw Problem.badParameter(first.0, "this route takes no parameters")
        }
    }

    static func flag(_ value: String, _ name: String) throws -> Bool {
        do { return try ReportParameters.flag(value, name) } catch let e as ParameterError {
            throw Problem.badParameter(e.parameter, e.reason)
        }
    }

    /// A CSV download named `name.csv`: the bytes `fulcrum … --format csv` prints.
    static func csv(_ text: String, name: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name).csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
