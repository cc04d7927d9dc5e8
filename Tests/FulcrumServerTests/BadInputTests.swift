import Foundation
import FulcrumCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FulcrumServer

@Suite("Bad input: 400 naming the parameter, 404 for unknown ids, never a 500")
struct BadInputTests {
    /// Query strings that no route accepts as they are.
    static let badQueries = [
        "bogus=1", "period=week", "from=2024-13", "to=24-01", "from=abc", "compare=lastyear", "by=nonsense",
        "by=custom:", "limit=abc", "limit=-5", "limit=0", "offset=-1", "sort=height", "order=sideways",
        "status=zombie", "format=xml", "explain=maybe", "include-trials=perhaps", "gross-margin=2",
        "gross-margin=nan", "discount-rate=0", "churn-recognition=never", "segment=%FF%FE",
        "search=" + String(repeating: "x", count: 5000),
        "to=2999-01", "from=2026-10&to=2020-01",
    ]

    @Test("every documented GET route, with every bad query: a client error with a problem body, never a 500")
    func everyRouteEveryBadInput() async throws {
        try await withServer(store: DemoStore.path) { client in
            let account = try await RouteTests.topAccount(client)
            let routes = try await documentedRoutes(client, account: account).filter { $0.0 == "GET" }
            var checked = 0
            for (_, path, uri) in routes {
                for query in Self.badQueries {
                    let target = uri + (uri.contains("?") ? "&" : "?") + query
                    try await client.execute(uri: target, method: .get) { response in
                        checked += 1
                        #expect(
                            response.status.code < 500,
                            "\(target) answered \(response.status.code): \(response.text.prefix(200))")
                        if response.status.code >= 400, !path.hasPrefix("/static") {
                            #expect(
                                response.contentType.hasPrefix("application/problem+json"),
                                "\(target): \(response.contentType)")
                        }
                        if response.status == .badRequest {
                            let problem = response.json as? [String: Any]
                            #expect(problem?["parameter"] is String, "\(target) names no parameter: \(response.text)")
                        }
                    }
                }
            }
            #expect(checked > 300)
        }
    }

    @Test("malformed parameters name themselves; unknown ids are 404")
    func specificErrors() async throws {
        try await withServer(store: DemoStore.path) { client in
            let cases: [(String, HTTPResponse.Status, String?)] = [
                ("/api/v1/reports/mrr?period=week", .badRequest, "period"),
                ("/api/v1/reports/mrr?from=2024-13", .badRequest, "from"),
                ("/api/v1/reports/mrr?to=2999-01", .badRequest, "to"),
                ("/api/v1/reports/cohorts-logo?compare=previous", .badRequest, "compare"),
                ("/api/v1/reports/headline?by=segment", .badRequest, "by"),
                ("/api/v1/reports/mrr?by=custom:nope", .badRequest, "by"),
                ("/api/v1/reports/mrr?format=xlsx", .badRequest, "format"),
                ("/api/v1/reports/no-such-report", .notFound, "id"),
                ("/api/v1/accounts/abc", .badRequest, "id"),
                ("/api/v1/accounts/0", .badRequest, "id"),
                ("/api/v1/accounts/99999999", .notFound, "id"),
                ("/api/v1/accounts/99999999/timeline", .notFound, "id"),
                ("/api/v1/accounts?limit=5000", .badRequest, "limit"),
                ("/api/v1/accounts?sort=height", .badRequest, "sort"),
                ("/api/v1/imports/nope", .notFound, "id"),
                ("/api/v1/metrics?x=1", .badRequest, "x"),
                ("/accounts/99999999", .notFound, "id"),
                ("/?segment=Nowhere", .badRequest, "segment"),
                ("/?segment=Tech&channel=Events", .badRequest, "channel"),
                ("/segments?channel=Events", .badRequest, "channel"),
                ("/api/v1/accounts?offset=9223372036854775807", .badRequest, "offset"),
                ("/accounts?offset=9223372036854775807", .badRequest, "offset"),
                ("/api/v1/reports/cohorts-revenue?from=0000-01", .badRequest, "from"),
                ("/revenue?from=1900-01", .badRequest, "from"),
                ("/api/v1/reports/mrr?model=markov", .badRequest, "model"),
                ("/api/v1/reports/attribution?model=foo", .badRequest, "model"),
            ]
            for (uri, status, parameter) in cases {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == status, "\(uri): \(response.status) \(response.text)")
                    #expect(response.contentType.hasPrefix("application/problem+json"), "\(uri)")
                    let problem = try #require(response.json as? [String: Any], "\(uri)")
                    #expect(problem["status"] as? Int == Int(status.code))
                    if let parameter { #expect(problem["parameter"] as? String == parameter, "\(uri): \(problem)") }
                    // Over HTTP a parameter is named as in the URL, never as a command-line flag.
                    #expect(!((problem["detail"] as? String) ?? "").contains("--"), "\(uri): \(problem)")
                }
            }
            // A route that does not exist at all.
            try await client.execute(uri: "/api/v1/nothing-here", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test("a browser gets an error page, not JSON, with the same status and words")
    func htmlErrors() async throws {
        try await withServer(store: DemoStore.path) { client in
            try await client.execute(uri: "/?from=2024-13", method: .get, headers: [.accept: "text/html"]) { response in
                #expect(response.status == .badRequest)
                #expect(response.contentType.hasPrefix("text/html"))
                #expect(response.text.contains("from: &#39;2024-13&#39; is not a month in YYYY-MM form"))
            }
        }
    }

    @Test("an upload over the limit is 413; a form without this server's token is 403; nothing is written")
    func uploads() async throws {
        let folder = try temporaryFolder()
        let path = folder + "/store.sqlite"
        try await withServer(store: path, uploadLimit: 1024) { client in
            let big = String(repeating: "x", count: 4096)
            let body = Multipart.body(
                boundary: "XyZ", fields: [("source", "canonical")], files: [("files", "accounts.csv", big)])
            try await client.execute(
                uri: "/api/v1/imports", method: .post, headers: [.contentType: "multipart/form-data; boundary=XyZ"],
                body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .contentTooLarge)
                #expect(response.contentType.hasPrefix("application/problem+json"))
            }
            try await client.execute(
                uri: "/api/v1/imports", method: .post, headers: [.contentType: "text/plain"],
                body: ByteBuffer(string: "hello")
            ) { #expect($0.status == .unsupportedMediaType) }
            try await client.execute(
                uri: "/api/v1/imports", method: .post, headers: [.contentType: "multipart/form-data; boundary=XyZ"],
                body: ByteBuffer(string: "--XyZ\r\nnot a part")
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("\"parameter\": \"files\""))
            }
            try await client.execute(
                uri: "/import", method: .post, headers: [.contentType: "multipart/form-data; boundary=XyZ"],
                body: ByteBuffer(
                    string: Multipart.body(
                        boundary: "XyZ", fields: [("form_token", "forged")], files: [("files", "a.csv", "id\n")]))
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/demo", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "form_token=forged")
            ) { #expect($0.status == .forbidden) }
        }
        #expect(!FileManager.default.fileExists(atPath: path), "no store was created")
    }
}

@Suite("Review fixes: parsing and guards that must hold")
struct ParsingGuardTests {
    @Test("form values decode + as a space; a headline with explain=false is fine")
    func formEncoding() async throws {
        try await withServer(store: DemoStore.path) { client in
            let owner = try await client.execute(uri: "/api/v1/accounts?limit=1", method: .get) { response in
                ((response.json as? [String: Any])?["accounts"] as? [[String: Any]])?.first?["owner"] as? String
            }
            let name = try #require(owner)
            #expect(name.contains(" "))
            let plus = name.replacingOccurrences(of: " ", with: "+")
            try await client.execute(uri: "/api/v1/accounts?owner=\(plus)&limit=5", method: .get) { response in
                let rows = (response.json as? [String: Any])?["accounts"] as? [[String: Any]]
                #expect(rows?.isEmpty == false)
                #expect(rows?.allSatisfy { $0["owner"] as? String == name } == true)
            }
            try await client.execute(uri: "/api/v1/reports/headline?explain=false", method: .get) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test("a flat chart still has a scale and finite ticks (no endless loop for large equal values)")
    func flatScale() {
        for v in [0.0, 1.0, 4_200_000.0, 9e15] {
            let scale = Charts.Scale(min: v, max: v)
            #expect(scale.ticks.count <= 20)
            #expect(scale.max > scale.min)
        }
        let waterfall = Charts.waterfall(
            title: "flat", opening: ("Opening", 5e6), steps: [("New", 0), ("Churn", 0)], closing: ("Closing", 5e6),
            format: { String($0) }, id: "w")
        #expect(waterfall.hasSuffix("</svg>"))
    }

    @Test("the login redirect stays on this server whatever the browser would strip")
    func safeNext() {
        #expect(Login.safeNext("/revenue?period=quarter") == "/revenue?period=quarter")
        #expect(Login.safeNext("/\t/evil.example") == "/")
        #expect(Login.safeNext("//evil.example") == "/")
        #expect(Login.safeNext("/\\evil.example") == "/")
        #expect(Login.safeNext("https://evil.example") == "/")
        #expect(Login.safeNext("/%5C%5Cevil.example") == "/")
    }

    @Test("quoted multipart parameters may hold semicolons and escaped quotes")
    func multipartParameters() {
        let line = "Content-Disposition: form-data; name=\"files\"; filename=\"Q1; Account %22final%22.csv\""
        #expect(Multipart.parameter("name", in: line) == "files")
        #expect(Multipart.parameter("filename", in: line) == "Q1; Account \"final\".csv")
        #expect(Multipart.parameter("filename", in: "Content-Disposition: form-data; name=source") == nil)
    }

    @Test("the token must match exactly: not with padding, not by prefix")
    func tokenComparison() throws {
        let token = try #require(AccessToken("correct-horse-battery-staple-42"))
        #expect(token.matches("correct-horse-battery-staple-42"))
        #expect(!token.matches(Substring("correct-horse-battery-staple-42" + String(repeating: "x", count: 256))))
        #expect(!token.matches("correct-horse-battery-staple-4"))
        #expect(!ServerOptions.isLoopback("127.corp.example"))
        #expect(ServerOptions.isLoopback("127.0.0.1"))
        #expect(!ServerOptions.isLoopback("127.0.0.256"))
    }

    @Test("without a token: a foreign Host is refused (DNS rebinding), and a cross-site POST cannot import")
    func localOrigin() async throws {
        try await withServer(store: DemoStore.path) { client in
            typealias Guard = LocalOriginMiddleware<BasicRequestContext>
            #expect(
                Guard.refusal(
                    method: .get, authority: "evil.example:8080", origin: nil, fetchSite: nil, checkHost: true)?.status
                    == .misdirectedRequest)
            #expect(
                Guard.refusal(method: .get, authority: "127.0.0.1:8080", origin: nil, fetchSite: nil, checkHost: true)
                    == nil)
            #expect(
                Guard.refusal(method: .get, authority: "[::1]:8080", origin: nil, fetchSite: nil, checkHost: true)
                    == nil)
            #expect(
                Guard.refusal(
                    method: .post, authority: "localhost:8080", origin: "http://localhost:8080",
                    fetchSite: "same-origin",
                    checkHost: true) == nil)
            #expect(
                Guard.refusal(
                    method: .get, authority: "fulcrum.corp:443", origin: nil, fetchSite: nil, checkHost: false)
                    == nil, "with a token the Host is not checked")
            try await client.execute(
                uri: "/api/v1/imports", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=zz", .origin: "https://evil.example"],
                body: ByteBuffer(string: "--zz--\r\n")
            ) { #expect($0.status == .forbidden) }
            var headers: HTTPFields = [.contentType: "multipart/form-data; boundary=zz"]
            headers[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            try await client.execute(
                uri: "/api/v1/imports", method: .post, headers: headers, body: ByteBuffer(string: "--zz--\r\n")
            ) {
                #expect($0.status == .forbidden)
            }
        }
    }
}

extension Multipart {
    /// A multipart/form-data body as a browser sends it (for tests).
    static func body(boundary: String, fields: [(String, String)], files: [(String, String, String)]) -> String {
        var out = ""
        for (name, value) in fields {
            out += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        for (name, filename, content) in files {
            out +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: text/csv\r\n\r\n\(content)\r\n"
        }
        return out + "--\(boundary)--\r\n"
    }
}
