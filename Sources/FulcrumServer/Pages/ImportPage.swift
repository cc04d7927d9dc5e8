import Foundation
import FulcrumCore
import FulcrumService
import FulcrumStore
import Hummingbird

/// Import from the browser: upload export files as a background job (the CLI's all-or-nothing import),
/// follow its progress, read its summary.
enum ImportPage: DashboardPage {
    static let path = "/import"
    static let title = "Import"
    static let navLabel: String? = "Import"
    static let summary = "Import: upload export files (CSV) as a background job; recent jobs."
    static var usesFilters: Bool { false }
    static var needsData: Bool { false }

    static func body(_ page: PageRequest) async throws -> String {
        let jobs = await page.jobs.recent()
        var out = """
            <h1>Import</h1>
            <p class="lead">Upload the CSV files of one export, or its zip (a Salesforce Data Export as downloaded). They are imported together, in one transaction: \
            when any row is bad nothing is written and the problems are listed with their file, line and column.</p>
            <section class="card">
            <form method="post" action="/import" enctype="multipart/form-data">
            <input type="hidden" name="form_token" value="\(HTML.escape(page.formToken))">
            <p><label>Source <select name="source">
            <option value="canonical">Fulcrum canonical CSV (accounts.csv, subscriptions.csv, …)</option>
            <option value="salesforce">Salesforce Data Export (Account.csv, Opportunity.csv, …)</option>
            <option value="hubspot">HubSpot exports</option>
            <option value="stripe">Stripe exports (customers, subscriptions, invoices, charges)</option>
            </select></label></p>
            <p><label>Files <input type="file" name="files" multiple accept=".csv,.tsv,.txt,.xlsx,.zip" required></label></p>
            <p><button type="submit">Upload and import</button></p>
            <p class="muted">Largest upload: \(page.uploadLimit / 1_048_576) MiB. From the command line: <code>fulcrum import --source stripe DIR</code> (docs/import.md).</p>
            </form>
            </section>
            """
        if !jobs.isEmpty {
            out += "<section class=\"card\"><h2>Recent jobs</h2><ul class=\"jobs\">"
            for j in jobs {
                out +=
                    "<li><a href=\"/import/jobs/\(j.id)\">\(HTML.escape(j.kind))</a> · <span class=\"badge \(j.status)\">\(j.status)</span> · \(HTML.escape(j.startedAt))</li>"
            }
            out += "</ul></section>"
        }
        return out
    }
}

/// One import job: progress while it runs (the page refreshes itself every second, no script needed), then its summary.
enum ImportJobPage: DashboardPage {
    static let path = "/import/jobs/{id}"
    static let title = "Import job"
    static let navLabel: String? = nil
    static let summary = "One import job: progress, then the per-file summary or the problems."
    static var usesFilters: Bool { false }
    static var needsData: Bool { false }
    static var parameters: [RouteTable.Parameter] { [.path("id", "Job id.")] }

    static func body(_ page: PageRequest) async throws -> String {
        let id = page.pathParameters["id"] ?? ""
        guard let job = await page.jobs.job(id) else {
            throw Problem(.notFound, "no import job '\(id)' (jobs are kept while the server runs)", parameter: "id")
        }
        var out = ""
        if job.status == "running" || job.status == "queued" {
            out += "<meta http-equiv=\"refresh\" content=\"1\">"
        }
        out += "<h1>\(HTML.escape(job.kind)) <span class=\"badge \(job.status)\">\(job.status)</span></h1>"
        if job.status == "running" || job.status == "queued" {
            let fraction = job.bytesTotal > 0 ? Double(job.bytesDone) / Double(job.bytesTotal) : 0
            out +=
                "<p><progress max=\"1\" value=\"\(fraction)\">\(Int(fraction * 100))%</progress> \(HTML.escape(job.currentFile ?? "")) · \(Format.grouped(Int64(job.rows))) rows read</p>"
        }
        if let error = job.error { out += "<p class=\"error\" role=\"alert\">\(HTML.escape(error))</p>" }
        if !job.problems.isEmpty {
            out += "<section class=\"card\"><h2>Problems</h2><ul class=\"problems\">"
            for p in job.problems { out += "<li><code>\(HTML.escape(p))</code></li>" }
            out += "</ul></section>"
        }
        if let summary = job.summary, !summary.isEmpty {
            out += AccountPage.simpleTable(
                ["File", "Table", "Read", "Inserted", "Updated", "Unchanged", "Rejected"],
                summary.map { f in
                    [f.file, f.table]
                        + [f.read, f.inserted, f.updated, f.unchanged, f.rejected].map { Format.grouped(Int64($0)) }
                }, numeric: [2, 3, 4, 5, 6])
        }
        for n in job.notes { out += "<p class=\"note\">\(HTML.escape(n))</p>" }
        if job.status == "succeeded" {
            out += "<p><a class=\"button\" href=\"/\">See the overview</a></p>"
        }
        out +=
            "<p class=\"muted\">As JSON: <a href=\"/api/v1/imports/\(HTML.escape(job.id))\">/api/v1/imports/\(HTML.escape(job.id))</a></p>"
        return out
    }
}

/// The routes that change the store: uploads and the demo company. Each checks the form token (a
/// page of this server must have sent the form) and refuses an upload over the limit with 413.
enum ImportRoutes {
    static func register(
        on routes: RouteTable, engine: ReportEngine, jobs: ImportJobs, forms: FormGuard, uploadLimit: Int
    ) {
        routes.add(
            .init(
                method: .post, path: "/import",
                summary: "Upload export files (multipart/form-data: source, files) and start their import.",
                tag: "pages", parameters: [],
                responses: [
                    ("303", "Started: see the job's page.", "text/html"), ("400", "Not a valid upload.", "text/html"),
                    ("413", "Larger than the upload limit.", "text/html"),
                ], requestBody: "multipart/form-data")
        ) { request, context in
            let id = try await startUpload(request, context: context, jobs: jobs, forms: forms, limit: uploadLimit)
            return Response(status: .seeOther, headers: [.location: "/import/jobs/\(id)"])
        }

        routes.add(
            .init(
                method: .post, path: "/api/v1/imports",
                summary:
                    "Upload export files (multipart/form-data: source, files) and start their import; 202 with the job.",
                tag: "imports", parameters: [],
                responses: [
                    ("202", "Started.", "application/json"), ("400", "Not a valid upload.", "application/problem+json"),
                    ("409", "Another import is running.", "application/problem+json"),
                    ("413", "Larger than the upload limit.", "application/problem+json"),
                ], requestBody: "multipart/form-data")
        ) { request, context in
            let id = try await startUpload(request, context: context, jobs: jobs, forms: nil, limit: uploadLimit)
            guard let job = await jobs.job(id) else { throw Problem(.notFound, "job vanished") }
            var response = API.json(try ServiceJSON.encode(job) + "\n", status: .accepted)
            response.headers[.location] = "/api/v1/imports/\(id)"
            return response
        }

        routes.add(
            .init(
                method: .get, path: "/api/v1/imports/{id}",
                summary: "An import job: status, progress, summary or problems.",
                tag: "imports", parameters: [.path("id", "Job id.")],
                responses: [
                    ("200", "The job.", "application/json"), ("404", "No such job.", "application/problem+json"),
                ])
        ) { request, context in
            try API.noParameters(request)
            let id = try context.parameters.require("id")
            guard let job = await jobs.job(id) else {
                throw Problem(.notFound, "no import job '\(id)'", parameter: "id")
            }
            return API.json(try ServiceJSON.encode(job) + "\n")
        }

        routes.add(
            .init(
                method: .post, path: "/demo", summary: "Load the demo company into an empty store (form: form_token).",
                tag: "pages", parameters: [],
                responses: [
                    ("303", "Started: see the job's page.", "text/html"),
                    ("409", "The store already holds data.", "text/html"),
                ], requestBody: "application/x-www-form-urlencoded")
        ) { request, context in
            let form = try await formFields(request, context: context, limit: 64 * 1024)
            try forms.check(form["form_token"])
            guard await !engine.hasData() else {
                throw Problem(
                    .conflict, "the store already holds data; the demo company loads only into an empty store")
            }
            let id = try await jobs.startDemo(size: .small)
            return Response(status: .seeOther, headers: [.location: "/import/jobs/\(id)"])
        }
    }

    static func formFields(_ request: Request, context: BasicRequestContext, limit: Int) async throws -> [String:
        String]
    {
        let body = try await collect(request, limit: limit)
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if kv.count == 2 { fields[kv[0]] = kv[1] }
        }
        return fields
    }

    static func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Problem(
                .contentTooLarge, "the upload is larger than the limit of \(limit / 1_048_576) MiB (--max-upload-mb)")
        }
    }

    static func startUpload(
        _ request: Request, context: BasicRequestContext, jobs: ImportJobs, forms: FormGuard?, limit: Int
    ) async throws -> String {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Problem(
                .contentTooLarge, "the upload is larger than the limit of \(limit / 1_048_576) MiB (--max-upload-mb)")
        }
        guard let contentType = request.headers[.contentType], let boundary = Multipart.boundary(contentType) else {
            throw Problem(.unsupportedMediaType, "send the files as multipart/form-data")
        }
        // One import at a time (SQLite has one writer): refused before the body is read.
        guard await !jobs.busy else { throw Problem(.conflict, "another import is running; wait for it to finish") }
        let body = try await collect(request, limit: limit)
        guard let parts = Multipart.parse(body, boundary: boundary, maxParts: 1000) else {
            throw Problem.badParameter("files", "the multipart body is malformed (or has more than 1,000 parts)")
        }
        var fields: [String: String] = [:]
        for p in parts where p.filename == nil { fields[p.name] = String(decoding: p.data, as: UTF8.self) }
        if let forms { try forms.check(fields["form_token"]) }
        let sourceText = fields["source"] ?? "canonical"
        guard let kind = ImportSourceKind(rawValue: sourceText) else {
            throw Problem.badParameter(
                "source",
                "'\(sourceText)' is not one of \(ImportSourceKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let files = parts.filter { $0.filename != nil && !($0.filename ?? "").isEmpty }
        guard !files.isEmpty else { throw Problem.badParameter("files", "choose at least one export file") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fulcrum-upload-" + UUID().uuidString)
        // Readable by this user only while the import runs.
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var names: [String] = []
        var taken: Set<String> = []
        for f in files {
            // Only the file's own name: a path in it (../../x) is never followed.
            let name = (f.filename ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
            guard !name.isEmpty, name != ".", name != "..", !taken.contains(name) else {
                try? FileManager.default.removeItem(at: folder)
                throw Problem.badParameter(
                    "files", "'\(f.filename ?? "")' is not a usable file name (or is uploaded twice)")
            }
            let target = folder.appendingPathComponent(name).path
            FileManager.default.createFile(atPath: target, contents: Data(f.data))
            // A zip (a Salesforce Data Export) is opened into the same folder, its files beside the others.
            if ExportArchive.isZip(target) {
                do {
                    let inside = try ExportArchive.extract(
                        target, into: folder.path, limit: max(limit, 64 * 1_048_576) * 16, existing: taken)
                    try? FileManager.default.removeItem(atPath: target)
                    names += inside
                    taken.formUnion(inside)
                } catch let problem as ExportArchive.Problem {
                    try? FileManager.default.removeItem(at: folder)
                    throw Problem.badParameter("files", problem.description)
                }
            } else {
                names.append(name)
                taken.insert(name)
            }
        }
        do {
            return try await jobs.startImport(folder: folder, files: names, kind: kind)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }
}

/// The token every form of this server carries, checked on every POST from a page: another site
/// cannot read it, so it cannot make a browser post to this server.
struct FormGuard: Sendable {
    let token: String

    init() {
        var generator = SystemRandomNumberGenerator()
        token = (0..<2).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(16) }.joined()
    }

    func check(_ given: String?) throws {
        guard let given, given == token else {
            throw Problem(.forbidden, "this form is stale or came from another site; reload the page and try again")
        }
    }
}
