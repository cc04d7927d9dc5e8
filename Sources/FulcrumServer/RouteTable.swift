import Hummingbird

/// Every route the server has, registered and documented in one call, so the OpenAPI document is made
/// from the very list the router serves (a route cannot exist undocumented, nor a documented one be missing).
final class RouteTable: @unchecked Sendable {
    struct Parameter: Sendable {
        enum Place: String, Sendable { case path, query }
        var name: String
        var place: Place
        var type: String
        var description: String
        var values: [String] = []
    }

    struct Doc: Sendable {
        var method: HTTPRequest.Method
        /// OpenAPI form: `/api/v1/reports/{id}`.
        var path: String
        var summary: String
        var tag: String
        var parameters: [Parameter]
        /// Status code → (description, media type).
        var responses: [(String, String, String)]
        var requestBody: String?
    }

    let router: Router<BasicRequestContext>
    private(set) var docs: [Doc] = []

    init(router: Router<BasicRequestContext>) {
        self.router = router
    }

    typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response

    func add(_ doc: Doc, _ handler: @escaping Handler) {
        docs.append(doc)
        router.on(RouterPath(Self.routerPath(doc.path)), method: doc.method, use: handler)
    }

    /// `/accounts/{id}` → `/accounts/:id` (Hummingbird's parameter syntax).
    static func routerPath(_ openAPIPath: String) -> String {
        openAPIPath.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : part
        }.joined(separator: "/")
    }
}

extension RouteTable.Parameter {
    static func query(_ name: String, _ description: String, type: String = "string", values: [String] = []) -> Self {
        .init(name: name, place: .query, type: type, description: description, values: values)
    }

    static func path(_ name: String, _ description: String, type: String = "string") -> Self {
        .init(name: name, place: .path, type: type, description: description)
    }
}
