import Foundation
import HTTPTypes
import Hummingbird

/// The access token a server off loopback requires. It comes from `FULCRUM_TOKEN` or a token file,
/// never from the command line (where `ps` would show it) and never into a log.
public struct AccessToken: Sendable, CustomStringConvertible {
    let secret: [UInt8]

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count >= 16 else { return nil }
        secret = Array(trimmed.utf8)
    }

    /// Never the secret itself: a token printed by mistake says only that it is there.
    public var description: String { "AccessToken(redacted)" }

    /// Compares in time independent of where the texts differ, so the token cannot be guessed byte by byte.
    func matches(_ candidate: Substring) -> Bool {
        let given = Array(candidate.utf8)
        var difference: UInt8 = given.count == secret.count ? 0 : 1
        for i in 0..<secret.count {
            difference |= secret[i] ^ (i < given.count ? given[i] : 0)
        }
        return difference == 0
    }

    /// The token from `FULCRUM_TOKEN`, else from the file named by `file` (or `FULCRUM_TOKEN_FILE`).
    /// Throws when a file is named but unreadable, or the token is shorter than 16 characters.
    public static func load(environment: [String: String], file: String?) throws -> AccessToken? {
        if let value = environment["FULCRUM_TOKEN"], !value.isEmpty {
            guard let token = AccessToken(value) else {
                throw ServerSetupError("FULCRUM_TOKEN: a token needs at least 16 characters")
            }
            return token
        }
        guard let path = file ?? environment["FULCRUM_TOKEN_FILE"], !path.isEmpty else { return nil }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw ServerSetupError("\(path): cannot read the token file")
        }
        guard let token = AccessToken(text) else {
            throw ServerSetupError("\(path): a token needs at least 16 characters")
        }
        return token
    }
}

/// A reason the server cannot start (a bad address, a missing token), said before anything listens.
public struct ServerSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// When a token is configured, every request must carry it: `Authorization: Bearer TOKEN`, or the
/// session cookie the login form sets. Only the login page and its stylesheet are open.
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: AccessToken
    let sessions: SessionStore

    static var cookieName: String { "fulcrum_session" }
    static var openPaths: Set<String> { ["/login", "/static/fulcrum.css"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if Self.openPaths.contains(request.uri.path) { return try await next(request, context) }
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer", token.matches(parts[1]) {
                return try await next(request, context)
            }
            throw Problem(.unauthorized, "the access token is wrong")
        }
        if let session = request.cookies[Self.cookieName]?.value, await sessions.isValid(session) {
            return try await next(request, context)
        }
        if Pages.wantsHTML(request) {
            let back = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return Response(
                status: .seeOther, headers: [.location: "/login" + HTML.query([("next", back)])])
        }
        throw Problem(.unauthorized, "this server needs an access token: send Authorization: Bearer TOKEN")
    }
}

/// Sessions the login form opened: random ids held in memory (a restart logs everyone out), expiring after 12 hours.
actor SessionStore {
    private var sessions: [String: ContinuousClock.Instant] = [:]
    static let lifetime = Duration.seconds(12 * 3600)

    func open() -> String {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(16) }.joined()
        sessions[id] = .now + Self.lifetime
        return id
    }

    func isValid(_ id: String) -> Bool {
        guard let expiry = sessions[id] else { return false }
        if expiry < .now {
            sessions[id] = nil
            return false
        }
        return true
    }

    func close(_ id: String) { sessions[id] = nil }
}

/// Without a token the server trusts whoever can reach it, which is only this machine, so it answers
/// only requests addressed to this machine: a `Host` other than loopback (a DNS-rebinding page that points
/// its own name at 127.0.0.1) is refused. Requests that change the store must not come from another site
/// (`Origin` or `Sec-Fetch-Site` say so): a page elsewhere cannot import into a local server.
struct LocalOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Check the Host header (servers without a token).
    let checkHost: Bool
    let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!

    static func hostName(_ authority: Substring) -> Substring {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return authority[authority.index(after: authority.startIndex)..<close]
        }
        return authority.split(separator: ":", maxSplits: 1).first ?? authority
    }

    /// Why a request is refused, or nil.
    static func refusal(
        method: HTTPRequest.Method, authority: String?, origin: String?, fetchSite: String?, checkHost: Bool
    ) -> Problem? {
        if checkHost, let host = authority, !isLocal(hostName(Substring(host))) {
            return Problem(
                .misdirectedRequest, "this server answers only requests addressed to this machine (Host \(host))")
        }
        guard method != .get, method != .head else { return nil }
        if fetchSite == "cross-site" {
            return Problem(.forbidden, "a request from another site cannot change this server's store")
        }
        if let origin, origin != "null" {
            let originAuthority = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first ?? ""
            if originAuthority != (authority ?? "")[...], !(checkHost && isLocal(hostName(originAuthority))) {
                return Problem(.forbidden, "a request from another site (\(origin)) cannot change this server's store")
            }
        }
        return nil
    }

    static func isLocal(_ host: Substring) -> Bool {
        ServerOptions.isLoopback(String(host).lowercased())
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if let problem = Self.refusal(
            method: request.method, authority: request.head.authority, origin: request.headers[.origin],
            fetchSite: request.headers[secFetchSite], checkHost: checkHost)
        {
            throw problem
        }
        return try await next(request, context)
    }
}
