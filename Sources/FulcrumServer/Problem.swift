import FulcrumCore
import FulcrumService
import FulcrumStore
import Hummingbird

/// An RFC 9457 problem document: every error the server returns has this shape, with the parameter
/// at fault named, so a script can tell which of its inputs to fix.
public struct Problem: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    /// The query or path parameter at fault, without `--`.
    public var parameter: String?

    public init(_ status: HTTPResponse.Status, _ detail: String, parameter: String? = nil) {
        self.status = status
        self.title = status.reasonPhrase
        self.detail = detail
        self.parameter = parameter
    }

    static func badParameter(_ name: String, _ reason: String) -> Problem {
        Problem(.badRequest, "\(name): \(reason)", parameter: name)
    }

    var json: String {
        var fields = [
            "\"type\": \"about:blank\"", "\"title\": " + JSONText.string(title), "\"status\": \(status.code)",
            "\"detail\": " + JSONText.string(detail),
        ]
        if let parameter { fields.append("\"parameter\": " + JSONText.string(parameter)) }
        return "{" + fields.joined(separator: ", ") + "}\n"
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/problem+json; charset=utf-8"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"fulcrum\"" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    /// Any error from the libraries as the problem it is for the client: a parameter the report cannot use
    /// is 400, an unknown report or account 404, data the definitions cannot use 422, a store that is not
    /// there 503. Only a fault of the server's own is a 500, and its detail names no internals.
    static func from(_ error: any Error) -> Problem {
        switch error {
        case let p as Problem: return p
        case let e as ParameterError: return .badParameter(e.parameter, e.reason)
        case let e as MetricError:
            let name = e.parameter.hasPrefix("--") ? String(e.parameter.dropFirst(2)) : e.parameter
            // The reports word their reasons for the command line (`--to`); over HTTP the parameter is `to`.
            var reason = e.reason
            for n in ReportParameters.names + ["explain", "format"] {
                reason = reason.replacingOccurrences(of: "--" + n, with: n)
            }
            if name == "report" { return Problem(.notFound, reason, parameter: "id") }
            return .badParameter(name, reason)
        case let e as RevenueError: return Problem(.unprocessableContent, "\(e)")
        case let e as StoreError:
            // `refused`: what the store cannot do here (an account page on a PostgreSQL store, so far).
            let status: HTTPResponse.Status =
                e.code == .notFound ? .serviceUnavailable : e.code == .refused ? .notImplemented : .internalServerError
            return Problem(status, e.reason)
        case let e as LifecycleConfig.Problem: return Problem(.internalServerError, "lifecycle configuration: \(e)")
        case let e as HTTPError:
            return Problem(e.status, e.body ?? e.status.reasonPhrase)
        case let e as any HTTPResponseError where e.status.code < 500:
            return Problem(e.status, e.status.reasonPhrase)
        default: return Problem(.internalServerError, "internal error; the server log has the details")
        }
    }
}

/// Turns every error a route throws into a problem document (HTML pages render their own error page).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status == .internalServerError {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            if Pages.wantsHTML(request) {
                return Pages.errorPage(problem, request: request)
            }
            return try problem.response(from: request, context: context)
        }
    }
}
