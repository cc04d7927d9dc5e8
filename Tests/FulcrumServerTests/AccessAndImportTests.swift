import Foundation
import FulcrumCore
import FulcrumImport
import FulcrumStore
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FulcrumServer

@Suite("Access token, login cookie, uploads and the empty store")
struct AccessAndImportTests {
    static let token = "correct-horse-battery-staple-42"

    @Test("with a token every request needs it: none or a wrong one is 401, the right one works")
    func tokenRequired() async throws {
        try await withServer(store: DemoStore.path, token: Self.token) { client in
            for uri in ["/api/v1/metrics", "/healthz", "/metrics", "/openapi.json", "/api/v1/reports/mrr"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(uri)")
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                }
                try await client.execute(
                    uri: uri, method: .get, headers: [.authorization: "Bearer wrong-token-wrong-token"]
                ) {
                    #expect($0.status == .unauthorized, "\(uri)")
                }
                try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(Self.token)"]) {
                    #expect($0.status == .ok, "\(uri)")
                }
            }
            // A browser is sent to the login form, which is open.
            try await client.execute(uri: "/revenue?period=quarter", method: .get, headers: [.accept: "text/html"]) {
                #expect($0.status == .seeOther)
                #expect($0.headers[.location] == "/login?next=%2Frevenue%3Fperiod%3Dquarter")
            }
            try await client.execute(uri: "/login", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("the login form sets an HTTP-only, Secure, SameSite cookie that opens the pages; a wrong token does not")
    func loginCookie() async throws {
        try await withServer(store: DemoStore.path, token: Self.token) { client in
            try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=nope&next=%2F")
            ) { #expect($0.status == .unauthorized) }
            let cookie = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=\(Self.token)&next=%2F%2Fevil.example")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/", "no open redirect")
                let setCookie = try #require(response.headers[.setCookie])
                #expect(setCookie.contains("HttpOnly"))
                #expect(setCookie.contains("Secure"))
                #expect(setCookie.contains("SameSite=Strict"))
                return String(setCookie.split(separator: ";")[0])
            }
            try await client.execute(uri: "/accounts", method: .get, headers: [.cookie: cookie]) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/accounts", method: .get, headers: [.cookie: "fulcrum_session=forged"]) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test("a host other machines can reach refuses to start without a token; tokens are never printed")
    func exposure() throws {
        var options = ServerOptions(storePath: "/nonexistent")
        options.host = "0.0.0.0"
        #expect(throws: ServerSetupError.self) { try options.checkExposure() }
        options.token = AccessToken(Self.token)
        try options.checkExposure()
        options.host = "127.0.0.1"
        options.token = nil
        try options.checkExposure()
        #expect(AccessToken("short") == nil)
        #expect(!"\(AccessToken(Self.token)!)".contains(Self.token))
        #expect(throws: ServerSetupError.self) {
            try AccessToken.load(environment: [:], file: "/nonexistent/token")
        }
        #expect(try AccessToken.load(environment: ["FULCRUM_TOKEN": Self.token], file: nil) != nil)
    }

    @Test("an empty store's home page says how to import and offers the demo company, which then loads")
    func emptyStoreAndDemo() async throws {
        let folder = try temporaryFolder()
        let path = folder + "/store.sqlite"
        try await withServer(store: path) { client in
            let token = try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("fulcrum import"))
                #expect(response.text.contains("Load the demo company"))
                let html = response.text
                let marker = "name=\"form_token\" value=\""
                let start = try #require(html.range(of: marker)).upperBound
                return String(html[start...].prefix { $0 != "\"" })
            }
            try await client.execute(uri: "/healthz", method: .get) {
                #expect($0.text.contains("\"store\": \"empty\""))
            }
            try await client.execute(uri: "/api/v1/reports/mrr", method: .get) {
                #expect($0.status == .serviceUnavailable)
            }
            let location = try await client.execute(
                uri: "/demo", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "form_token=\(token)")
            ) { response in
                #expect(response.status == .seeOther)
                return response.headers[.location] ?? ""
            }
            let id = String(location.split(separator: "/").last ?? "")
            let status = try await waitForJob(client, id)
            #expect(status == "succeeded")
            try await client.execute(uri: "/", method: .get) { #expect($0.text.contains("data-metric=\"mrr\"")) }
            try await client.execute(
                uri: "/demo", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "form_token=\(token)")
            ) { #expect($0.status == .conflict, "the demo only loads into an empty store") }
        }
    }

    @Test("an upload is the CLI's import: good files land with a summary; a bad row writes nothing and names its place")
    func uploadImport() async throws {
        let folder = try temporaryFolder()
        let path = folder + "/store.sqlite"
        let accounts = "id,name,domain,segment,created_on\nA-1,\"Acme, Inc.\",acme.com,=Tech,2024-01-05\n"
        let subscriptions =
            "id,account_id,plan,product,interval,amount_minor,currency,status,started_on,ended_on\nS-1,A-1,Growth,Core,month,50000,USD,active,2024-01-15,\n"
        try await withServer(store: path) { client in
            let body = Multipart.body(
                boundary: "b0undary", fields: [("source", "canonical")],
                files: [("files", "accounts.csv", accounts), ("files", "subscriptions.csv", subscriptions)])
            let id = try await client.execute(
                uri: "/api/v1/imports", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=b0undary"], body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .accepted)
                let job = try #require(response.json as? [String: Any])
                return try #require(job["id"] as? String)
            }
            #expect(try await waitForJob(client, id) == "succeeded")
            try await client.execute(uri: "/api/v1/imports/\(id)", method: .get) { response in
                let job = try #require(response.json as? [String: Any])
                let summary = try #require(job["summary"] as? [[String: Any]])
                #expect(summary.count == 2)
            }
            // CSV cells that could run as a formula in a spreadsheet are neutralized, as in the CLI.
            try await client.execute(uri: "/api/v1/reports/mrr?by=segment&format=csv", method: .get) { response in
                #expect(response.text.contains("'=Tech"), "\(response.text)")
                #expect(!response.text.contains(",=Tech"))
            }
            let before = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            let bad = Multipart.body(
                boundary: "b0undary", fields: [("source", "canonical")],
                files: [
                    (
                        "files", "subscriptions.csv",
                        "id,account_id,plan,product,interval,amount_minor,currency,status,started_on,ended_on\nS-2,A-1,Growth,Core,fortnight,100,USD,active,2024-02-01,\n"
                    )
                ])
            let badId = try await client.execute(
                uri: "/api/v1/imports", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=b0undary"], body: ByteBuffer(string: bad)
            ) { response in try #require((response.json as? [String: Any])?["id"] as? String) }
            #expect(try await waitForJob(client, badId) == "failed")
            try await client.execute(uri: "/api/v1/imports/\(badId)", method: .get) { response in
                let job = try #require(response.json as? [String: Any])
                let problems = try #require(job["problems"] as? [String])
                #expect(problems.contains { $0.contains("subscriptions.csv:2:") }, "\(problems)")
            }
            try await client.execute(uri: "/import/jobs/\(badId)", method: .get) { response in
                #expect(response.text.contains("nothing was written"))
            }
            let after = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            #expect(before == after)
        }
    }

    @Test("a write to the store from outside (the CLI) shows on the next request: nothing cached outlives it")
    func externalWriteInvalidates() async throws {
        let folder = try temporaryFolder()
        let path = folder + "/store.sqlite"
        @Sendable func importFiles(_ files: [(String, String)]) throws {
            for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name)) }
            let store = try SQLiteStore.create(path: path)
            var options = ImportOptions()
            options.dataThrough = Day(iso: "2024-06-30")
            _ = try Importer.run(store: store, paths: files.map { folder + "/" + $0.0 }, options: options)
            try store.close()
        }
        let header = "id,account_id,plan,product,interval,amount_minor,currency,status,started_on,ended_on\n"
        try importFiles([
            ("accounts.csv", "id,name,domain,segment,created_on\nA-1,Acme,acme.com,Tech,2024-01-05\n"),
            ("subscriptions.csv", header + "S-1,A-1,Growth,Core,month,50000,USD,active,2024-01-15,\n"),
        ])
        try await withServer(store: path) { client in
            func lastMRR() async throws -> Double? {
                try await client.execute(uri: "/api/v1/reports/mrr", method: .get) { response in
                    let rows = (response.json as? [String: Any])?["rows"] as? [[String: Any]]
                    return (rows?.last?["mrr"] as? NSNumber)?.doubleValue
                }
            }
            #expect(try await lastMRR() == 500)
            let page = try await client.execute(uri: "/", method: .get) { $0.text }
            #expect(page.contains("data-metric=\"mrr\" data-value=\"500.00\""))
            try importFiles([("subscriptions.csv", header + "S-2,A-1,Seats,Core,month,25000,USD,active,2024-02-01,\n")])
            #expect(try await lastMRR() == 750)
            let again = try await client.execute(uri: "/", method: .get) { $0.text }
            #expect(again.contains("data-metric=\"mrr\" data-value=\"750.00\""))
        }
    }

    func waitForJob(_ client: any TestClientProtocol, _ id: String) async throws -> String {
        for _ in 0..<600 {
            let status = try await client.execute(uri: "/api/v1/imports/\(id)", method: .get) {
                (($0.json as? [String: Any])?["status"] as? String) ?? "?"
            }
            if status == "succeeded" || status == "failed" { return status }
            try await Task.sleep(for: .milliseconds(100))
        }
        return "timeout"
    }
}
