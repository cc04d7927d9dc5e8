import Foundation
import FulcrumCore
import FulcrumService
import FulcrumStore
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// How `fulcrum serve` runs: which store, where it listens, the token, the upload limit.
public struct ServerOptions: Sendable {
    public var storePath: String
    public var configPath: String?
    public var host = "127.0.0.1"
    public var port = 8080
    public var token: AccessToken?
    public var uploadLimit = 256 * 1_048_576

    public init(storePath: String) {
        self.storePath = storePath
    }

    /// Whether `host` only reaches this machine: `localhost`, `::1`, or an IPv4 literal in 127.0.0.0/8
    /// (a name such as `127.example.com` may point anywhere, so it does not count).
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { p in
            !p.isEmpty && p.count <= 3 && p.allSatisfy { $0.isASCII && $0.isNumber } && (Int(p) ?? 256) <= 255
        }
    }

    /// A server that other machines can reach must have a token; refused before anything listens.
    public func checkExposure() throws {
        if !Self.isLoopback(host), token == nil {
            throw ServerSetupError(
                "--host \(host): a server reachable from other machines needs an access token; set FULCRUM_TOKEN or --token-file FILE (at least 16 characters), or keep the default --host 127.0.0.1"
            )
        }
    }
}

/// The HTTP server: the JSON API, the dashboard pages, health, metrics and the OpenAPI document, on Hummingbird.
public enum FulcrumServer {
    /// The Prometheus registry behind `/metrics`; swift-metrics is bootstrapped with it once per process.
    public static let metricsRegistry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// The router with every route; `routes.docs` is what the OpenAPI document lists.
    public static func router(options: ServerOptions, engine: ReportEngine) -> Router<BasicRequestContext> {
        build(options: options, engine: engine).router
    }

    static func build(options: ServerOptions, engine: ReportEngine) -> RouteTable {
        _ = metricsRegistry
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: LocalOriginMiddleware(checkHost: options.token == nil))
        let sessions = SessionStore()
        if let token = options.token { router.add(middleware: TokenMiddleware(token: token, sessions: sessions)) }
        let routes = RouteTable(router: router)
        let forms = FormGuard()
        let jobs = ImportJobs(storePath: options.storePath, engine: engine)
        Pages.register(on: routes, engine: engine, jobs: jobs, forms: forms, uploadLimit: options.uploadLimit)
        API.register(on: routes, engine: engine)
        ImportRoutes.register(on: routes, engine: engine, jobs: jobs, forms: forms, uploadLimit: options.uploadLimit)
        Login.register(on: routes, token: options.token, sessions: sessions)
        registerService(on: routes, engine: engine)
        let openAPI = OpenAPIDocument.render(routes.docs + [OpenAPIDocument.selfDoc])
        routes.add(OpenAPIDocument.selfDoc) { request, _ in
            try API.noParameters(request)
            return API.json(openAPI)
        }
        return routes
    }

    static func registerService(on routes: RouteTable, engine: ReportEngine) {
        routes.add(
            .init(
                method: .get, path: "/healthz", summary: "Liveness and whether the store holds data.", tag: "service",
                parameters: [], responses: [("200", "Up.", "application/json")])
        ) { request, _ in
            try API.noParameters(request)
            let ready = await engine.hasData()
            return API.json("{\"status\": \"ok\", \"store\": \"\(ready ? "ready" : "empty")\"}\n")
        }
        routes.add(
            .init(
                method: .get, path: "/metrics", summary: "Prometheus metrics (requests, durations, status codes).",
                tag: "service", parameters: [], responses: [("200", "Prometheus text format.", "text/plain")])
        ) { request, _ in
            try API.noParameters(request)
            var buffer: [UInt8] = []
            metricsRegistry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        routes.add(
            .init(
                method: .get, path: "/static/fulcrum.css",
                summary: "The dashboard's stylesheet (served by the binary).",
                tag: "service", parameters: [], responses: [("200", "CSS.", "text/css")])
        ) { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Stylesheet.css)))
        }
    }

    /// The application: the router on the address of `options`, graceful shutdown on SIGINT and SIGTERM
    /// (swift-service-lifecycle through `runService`). Checks the exposure rule first.
    public static func application(
        options: ServerOptions, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    )
        throws -> some ApplicationProtocol
    {
        try options.checkExposure()
        // A PostgreSQL store's connection pool is a service of the server's lifecycle: it starts before the
        // HTTP server and shuts down after it has drained (a ServiceGroup stops services in reverse order).
        let postgres =
            PostgresAddress.isAddress(options.storePath)
            ? PostgresStore.forService(try PostgresAddress(options.storePath)) : nil
        let engine = ReportEngine(storePath: options.storePath, configPath: options.configPath, postgres: postgres)
        let routes = build(options: options, engine: engine)
        var services: [any Service] = []
        if let postgres { services.append(postgres.service) }
        services.append(StoreConnections(engine: engine))
        return Application(
            router: routes.router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "Fulcrum"),
            services: services,
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? options.port) },
            logger: logger)
    }
}

/// The store as a service of the server's lifecycle: on graceful shutdown (SIGINT, SIGTERM), after the HTTP
/// server has drained, the engine lets go of its store (a SQLite store has nothing to close; a PostgreSQL
/// store's pool, a service of its own, stops after this one).
struct StoreConnections: Service {
    let engine: ReportEngine

    func run() async throws {
        try? await gracefulShutdown()
        await engine.closeStore()
    }
}

/// One structured log line per request: method, path, status, duration. Never the query's secrets,
/// headers or cookies (a token only ever travels in those).
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        func log(_ status: Int) {
            let elapsed = ContinuousClock.now - start
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            context.logger.info(
                "request",
                metadata: [
                    "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(status)",
                    "ms": "\(DecimalText.text(ms, places: 2))",
                ])
        }
        do {
            let response = try await next(request, context)
            log(response.status.code)
            return response
        } catch {
            log((error as? any HTTPResponseError)?.status.code ?? 500)
            throw error
        }
    }
}

/// The login form of a server with a token: the token, typed once, opens a session cookie (HTTP-only,
/// Secure, SameSite=Strict) so a browser can use the pages.
enum Login {
    static func register(on routes: RouteTable, token: AccessToken?, sessions: SessionStore) {
        routes.add(
            .init(
                method: .get, path: "/login", summary: "The login form (servers with an access token).", tag: "pages",
                parameters: [.query("next", "Page to return to.")], responses: [("200", "The form.", "text/html")])
        ) { request, _ in
            let next = safeNext(request.uri.queryParameters["next"].map(String.init))
            let body =
                token == nil
                ? "<h1>No login needed</h1><p>This server has no access token: it listens on this machine only.</p><p><a href=\"/\">Overview</a></p>"
                : """
                <h1>Sign in</h1>
                <form class="login" method="post" action="/login">
                <input type="hidden" name="next" value="\(HTML.escape(next))">
                <p><label>Access token <input type="password" name="token" autocomplete="current-password" required></label></p>
                <p><button type="submit">Sign in</button></p>
                </form>
                <p class="muted">The token is the one the server was started with (FULCRUM_TOKEN or its token file).</p>
                """
            return Pages.html(Pages.layout(title: "Sign in", active: nil, body: body, filters: nil, dataThrough: nil))
        }
        routes.add(
            .init(
                method: .post, path: "/login", summary: "Check the token and open a session cookie.", tag: "pages",
                parameters: [],
                responses: [("303", "Signed in.", "text/html"), ("401", "Wrong token.", "text/html")],
                requestBody: "application/x-www-form-urlencoded")
        ) { request, context in
            let form = try await ImportRoutes.formFields(request, context: context, limit: 16 * 1024)
            guard let token, let given = form["token"], token.matches(Substring(given)) else {
                throw Problem(.unauthorized, "the access token is wrong")
            }
            let session = await sessions.open()
            var response = Response(status: .seeOther, headers: [.location: safeNext(form["next"])])
            response.setCookie(
                Cookie(
                    name: TokenMiddleware<BasicRequestContext>.cookieName, value: session, maxAge: 12 * 3600,
                    path: "/", secure: true, httpOnly: true, sameSite: .strict))
            return response
        }
    }

    /// Only a path on this server (never `//other.site`, nor one a browser would read as that after
    /// dropping tabs or newlines): no open redirect.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//") else { return "/" }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_-.?=&%+~:,")
        guard next.allSatisfy({ allowed.contains($0) }), !next.contains("%5C"), !next.contains("%5c") else {
            return "/"
        }
        return next
    }
}
