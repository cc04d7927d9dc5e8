import Foundation
import FulcrumCore
import FulcrumService
import FulcrumStore
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FulcrumServer

@Suite("Routes: every route answers, from the CLI's code paths")
struct RouteTests {
    /// An account of the demo company that pays today (the first of the LTV ranking).
    static func topAccount(_ client: any TestClientProtocol) async throws -> Int64 {
        try await client.execute(uri: "/api/v1/accounts?limit=1", method: .get) { response in
            let page = try #require(response.json as? [String: Any])
            let first = try #require((page["accounts"] as? [[String: Any]])?.first)
            return try #require((first["id"] as? NSNumber)?.int64Value)
        }
    }

    @Test("the OpenAPI document lists every route, and every route it lists exists and answers")
    func openAPIMatchesRoutes() async throws {
        try await withServer(store: DemoStore.path) { client in
            let account = try await Self.topAccount(client)
            let routes = try await documentedRoutes(client, account: account)
            let documented = Set(routes.map { "\($0.0) \($0.1)" })
            // The routes the product promises (issue 12); the document must list each.
            let expected: Set<String> = [
                "GET /", "GET /revenue", "GET /segments", "GET /funnel", "GET /attribution", "GET /goals",
                "GET /predictions", "GET /api/v1/predictions/{id}", "GET /accounts",
                "GET /accounts/{id}",
                "GET /definitions",
                "GET /import", "GET /import/jobs/{id}", "POST /import", "POST /demo", "GET /login", "POST /login",
                "GET /api/v1/metrics", "GET /api/v1/reports", "GET /api/v1/reports/{id}", "GET /api/v1/accounts",
                "GET /api/v1/accounts/{id}", "GET /api/v1/accounts/{id}/timeline", "POST /api/v1/imports",
                "GET /api/v1/imports/{id}", "GET /healthz", "GET /metrics", "GET /openapi.json",
                "GET /static/fulcrum.css",
            ]
            #expect(
                expected.subtracting(documented).isEmpty,
                "missing from /openapi.json: \(expected.subtracting(documented))")
            #expect(
                documented.subtracting(expected).isEmpty,
                "documented but not expected: \(documented.subtracting(expected))")
            for (method, path, uri) in routes {
                let status = try await client.execute(uri: uri, method: .init(rawValue: method)!) { response in
                    // A route that does not exist is a 404 without a parameter; a known route with an unknown id names `id`.
                    if response.status == .notFound {
                        #expect(response.text.contains("\"parameter\": \"id\""), "\(method) \(path) is not routed")
                    }
                    return response.status.code
                }
                #expect(status < 500, "\(method) \(path) answered \(status)")
            }
        }
    }

    @Test("the prediction tables are the CLI's bytes; an unknown one is a 404 naming id, a stray parameter a 400")
    func predictionTables() async throws {
        let store = try SQLiteStore.openForReading(path: DemoStore.path)
        let context = try SegmentationService.context(store: store, storePath: DemoStore.path)
        let buckets = try SegmentationService.bucketsTable(
            context, outcomes: BucketOutcomes.Outcome.allCases, dimensions: nil, settings: CustomerBuckets.Settings())
        let indicators = SegmentationService.indicatorsTable(context, stages: IndicatorStages.stages)
        let models = PredictionService.modelsTable(store: store)
        try await withServer(store: DemoStore.path) { client in
            for (id, table) in [("buckets", buckets), ("indicators", indicators), ("models", models)] {
                try await client.execute(uri: "/api/v1/predictions/\(id)", method: .get) {
                    #expect($0.status == .ok)
                    #expect($0.text == table.renderJSON() + "\n", "\(id)")
                }
                try await client.execute(uri: "/api/v1/predictions/\(id)?format=csv", method: .get) {
                    #expect($0.contentType.hasPrefix("text/csv"))
                    #expect($0.text == table.renderCSV(), "\(id)")
                }
            }
            try await client.execute(uri: "/api/v1/predictions/churn", method: .get) {
                #expect($0.status == .notFound)
                #expect($0.text.contains("\"parameter\": \"id\""))
            }
            try await client.execute(uri: "/api/v1/predictions/models?limit=3", method: .get) {
                #expect($0.status == .badRequest)
                #expect($0.text.contains("\"parameter\": \"limit\""))
            }
            try await client.execute(uri: "/predictions", method: .get) {
                #expect($0.status == .ok)
                for section in ["Models", "Next steps", "Customer buckets", "Motivational indicators"] {
                    #expect($0.text.contains("<h2>\(section)</h2>"), "\(section)")
                }
                #expect($0.text.contains("no churn model yet: run `fulcrum model train churn`"))
            }
            // Without a churn model the Account Control Center says how to get its predicted figures.
            let account = try await Self.topAccount(client)
            try await client.execute(uri: "/accounts/\(account)", method: .get) {
                #expect($0.status == .ok)
                #expect($0.text.contains("No churn model in the store: <code>fulcrum model train churn</code>"))
            }
        }
    }

    @Test("a report's JSON and CSV are the CLI's bytes: same plan, same store reads, same renderer")
    func reportMatchesCLIPath() async throws {
        let store = try SQLiteStore.openForReading(path: DemoStore.path)
        var parameters = ReportParameters()
        parameters.by = "segment"
        parameters.period = "quarter"
        let plan = try ReportPlan(ids: ["mrr-movements"], parameters: parameters) { LifecycleSettings() }
        let expected = try ReportCatalog.run(plan.queries[0], context: try plan.context(store: store))
        let explained = try ReportCatalog.run(plan.queries[0], context: try plan.context(store: store), explain: true)
        let labels = try store.recordLabels(explained.explainedRecords)
        #expect(labels.values.contains { $0.account != nil })
        try await withServer(store: DemoStore.path) { client in
            try await client.execute(uri: "/api/v1/reports/mrr-movements?by=segment&period=quarter", method: .get) {
                #expect($0.status == .ok)
                #expect($0.contentType.hasPrefix("application/json"))
                #expect($0.text == expected.renderJSON() + "\n")
            }
            try await client.execute(
                uri: "/api/v1/reports/mrr-movements?by=segment&period=quarter&format=csv", method: .get
            ) {
                #expect($0.contentType.hasPrefix("text/csv"))
                #expect($0.text == expected.renderCSV())
            }
            // A metric id names the report that carries it, as on the command line.
            try await client.execute(uri: "/api/v1/reports/arr", method: .get) { response in
                let json = try #require(response.json as? [String: Any])
                #expect(json["report"] as? String == "mrr")
            }
            // Explained, as the CLI explains it: the records with their account names and amounts.
            try await client.execute(
                uri: "/api/v1/reports/mrr-movements?by=segment&period=quarter&explain=true", method: .get
            ) {
                #expect($0.text == explained.renderJSON(explain: true, labels: labels) + "\n")
                #expect($0.text.contains("\"rule\": \"sum\""))
            }
            try await client.execute(
                uri: "/api/v1/reports/mrr-movements?by=segment&period=quarter&explain=true&format=csv", method: .get
            ) {
                #expect($0.text == explained.renderExplain(csv: true, labels: labels))
            }
        }
    }

    @Test("the headline over HTTP honours the definition settings and refuses what the CLI refuses")
    func headline() async throws {
        try await withServer(store: DemoStore.path) { client in
            let plain = try await client.execute(uri: "/api/v1/reports/headline", method: .get) { $0.text }
            let trials = try await client.execute(uri: "/api/v1/reports/headline?include-trials=true", method: .get) {
                $0.text
            }
            #expect(plain.contains("\"report\": \"headline\""))
            #expect(plain != trials)
            try await client.execute(uri: "/api/v1/reports/headline?compare=previous", method: .get) {
                #expect($0.status == .badRequest)
                #expect($0.text.contains("\"parameter\": \"compare\""))
            }
        }
    }

    @Test("accounts: ranked by LTV by default, filtered, sorted, paged; detail equals the CLI's accounts show")
    func accounts() async throws {
        try await withServer(store: DemoStore.path) { client in
            let page = try await client.execute(uri: "/api/v1/accounts?limit=5", method: .get) {
                try #require($0.json as? [String: Any])
            }
            let rows = try #require(page["accounts"] as? [[String: Any]])
            #expect(rows.count == 5)
            let ltvs = rows.compactMap { ($0["ltv"] as? NSNumber)?.doubleValue }
            #expect(ltvs == ltvs.sorted(by: >), "default order is LTV potential, largest first")
            let total = try #require((page["total"] as? NSNumber)?.intValue)
            let telecom = try await client.execute(
                uri: "/api/v1/accounts?segment=telecom&status=customer&sort=name&order=asc&limit=1000", method: .get
            ) { try #require($0.json as? [String: Any]) }
            let telecomRows = try #require(telecom["accounts"] as? [[String: Any]])
            #expect(!telecomRows.isEmpty && telecomRows.count < total)
            #expect(
                telecomRows.allSatisfy {
                    $0["segment"] as? String == "Telecom" && $0["status"] as? String == "customer"
                })
            let names = telecomRows.compactMap { ($0["name"] as? String)?.lowercased() }
            #expect(names == names.sorted())
            // The headline's Telecom customer count is the same accounts.
            let headline = try await client.execute(uri: "/api/v1/reports/headline", method: .get) {
                try #require($0.json as? [String: Any])
            }
            let telecomRow = try #require(
                (headline["rows"] as? [[String: Any]])?.first { $0["segment"] as? String == "Telecom" })
            #expect((telecomRow["customers"] as? NSNumber)?.intValue == telecomRows.count)
            // Paging: offset walks the same order.
            let second = try await client.execute(uri: "/api/v1/accounts?limit=2&offset=1", method: .get) {
                try #require($0.json as? [String: Any])
            }
            #expect(
                ((second["accounts"] as? [[String: Any]])?.first?["id"] as? NSNumber) == (rows[1]["id"] as? NSNumber))

            let id = try #require((rows[0]["id"] as? NSNumber)?.int64Value)
            let store = try SQLiteStore.openForReading(path: DemoStore.path)
            let context = try ReportInputs.context(
                store: store, needs: AccountDetail.needs, query: ReportQuery(report: "mrr"))
            let expected = try #require(try AccountDetail.build(store: store, context: context, account: id))
            let expectedJSON = try expected.json() + "\n"
            try await client.execute(uri: "/api/v1/accounts/\(id)", method: .get) {
                #expect($0.text == expectedJSON)
            }
            try await client.execute(uri: "/api/v1/accounts/\(id)/timeline?limit=50", method: .get) { response in
                let events = try #require(response.json as? [[String: Any]])
                #expect(!events.isEmpty && events.count <= 50)
                let days = events.compactMap { ($0["at"] as? String).map { String($0.prefix(10)) } }
                #expect(days == days.sorted(by: >), "newest first")
                let kinds = Set(events.compactMap { $0["kind"] as? String })
                #expect(kinds.count >= 3, "events from several stovepipes: \(kinds)")
            }
        }
    }

    @Test("pages render with the report's numbers, and every number links to its definition")
    func pages() async throws {
        let store = try SQLiteStore.openForReading(path: DemoStore.path)
        let plan = try ReportPlan(ids: ["mrr"], parameters: ReportParameters()) { LifecycleSettings() }
        let mrr = try ReportCatalog.run(plan.queries[0], context: try plan.context(store: store))
        let last = try #require(mrr.rows.last { !$0.partial })
        let mrrValue = ReportTable.plain(
            last.cells[mrr.columnIndex("mrr")!], kind: .money, currency: mrr.currency, csv: false)
        try await withServer(store: DemoStore.path) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.contentType.hasPrefix("text/html"))
                let html = response.text
                #expect(html.contains("data-metric=\"mrr\" data-value=\"\(mrrValue)\""))
                #expect(html.contains("href=\"/definitions#mrr\""))
                #expect(html.contains("<svg class=\"chart\""))
                #expect(!html.contains("<script"), "pages work without JavaScript")
                #expect(!html.contains("http://") || !html.contains("src=\"http"), "nothing loaded from elsewhere")
            }
            for uri in [
                "/revenue?period=quarter", "/segments", "/funnel", "/accounts?sort=mrr", "/definitions", "/import",
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    #expect(response.text.contains("<main id=\"main\">"))
                }
            }
            // A segment filter keeps the report's own slice.
            try await client.execute(uri: "/?segment=Telecom", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/definitions", method: .get) { response in
                for m in MetricRegistry.all { #expect(response.text.contains("id=\"\(m.id)\""), "card for \(m.id)") }
                #expect(response.text.contains("Worked example"))
            }
        }
    }

    @Test("health and Prometheus metrics")
    func service() async throws {
        try await withServer(store: DemoStore.path) { client in
            try await client.execute(uri: "/healthz", method: .get) {
                #expect($0.text.contains("\"status\": \"ok\""))
                #expect($0.text.contains("\"store\": \"ready\""))
            }
            try await client.execute(uri: "/metrics", method: .get) {
                #expect($0.status == .ok)
                #expect($0.text.contains("hb_requests") || $0.text.contains("http_requests"), "\($0.text.prefix(300))")
            }
        }
    }
}
