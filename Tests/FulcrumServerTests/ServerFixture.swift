import Foundation
import FulcrumCore
import FulcrumService
import FulcrumStore
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FulcrumServer

/// A fresh empty folder under the temporary directory.
/// Every scratch folder of this test process lives under one root, removed when the process exits, so a test
/// run leaves nothing behind in the temporary directory (a full run used to leave several GB).
let scratchRoot: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-server-tests-\(getpid())").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit {
        try? FileManager.default.removeItem(
            atPath: FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-server-tests-\(getpid())")
                .path)
    }
    return path
}()

func temporaryFolder() throws -> String {
    let path = scratchRoot + "/" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The small demo company, built once per test process and shared read-only by every suite.
enum DemoStore {
    static let path: String = {
        let folder = try! temporaryFolder()
        let path = folder + "/demo.sqlite"
        _ = try! DemoLoader.build(at: path, size: .small, seed: 1)
        return path
    }()
}

/// Runs `body` against the server's router (no network port) on the store at `path`.
func withServer(
    store path: String, token: String? = nil, uploadLimit: Int? = nil,
    _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void
) async throws {
    var options = ServerOptions(storePath: path)
    options.token = token.flatMap(AccessToken.init)
    if let uploadLimit { options.uploadLimit = uploadLimit }
    let engine = ReportEngine(storePath: path)
    let app = Application(router: FulcrumServer.router(options: options, engine: engine))
    try await app.test(.router) { client in try await body(client) }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }
    var contentType: String { headers[.contentType] ?? "" }
}

/// Every route the OpenAPI document lists, as (method, path with sample values filled in).
func documentedRoutes(_ client: any TestClientProtocol, account: Int64) async throws -> [(String, String, String)] {
    let doc = try await client.execute(uri: "/openapi.json", method: .get) { $0.json as? [String: Any] }
    let paths = try #require(doc?["paths"] as? [String: [String: Any]])
    var routes: [(String, String, String)] = []
    for (path, operations) in paths {
        for method in operations.keys {
            let filled =
                path
                .replacingOccurrences(of: "/reports/{id}", with: "/reports/mrr")
                .replacingOccurrences(of: "/accounts/{id}", with: "/accounts/\(account)")
                .replacingOccurrences(of: "/imports/{id}", with: "/imports/0000000000000000")
                .replacingOccurrences(of: "/jobs/{id}", with: "/jobs/0000000000000000")
            routes.append((method.uppercased(), path, filled))
        }
    }
    return routes.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
}
