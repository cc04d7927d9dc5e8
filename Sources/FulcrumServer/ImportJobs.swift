import Foundation
import FulcrumCore
import FulcrumService
import FulcrumStore

/// Imports started from the browser (uploaded export files) and demo-company loads, run in the
/// background with their progress visible. Each is the CLI's import: all of a job's files in one
/// transaction, nothing written when any row is bad, a new store linked into place only when complete.
actor ImportJobs {
    struct Job: Sendable, Encodable {
        var id: String
        var kind: String
        var status: String  // queued, running, succeeded, failed
        var files: [String]
        var currentFile: String?
        var rows: Int
        var bytesDone: Int
        var bytesTotal: Int
        var startedAt: String
        var summary: [FileSummary]?
        var notes: [String]
        var dataThrough: String?
        var problems: [String]
        var error: String?
    }

    private var jobs: [String: Job] = [:]
    private var order: [String] = []
    let storePath: String
    let engine: ReportEngine

    init(storePath: String, engine: ReportEngine) {
        self.storePath = storePath
        self.engine = engine
    }

    func job(_ id: String) -> Job? { jobs[id] }

    func recent() -> [Job] { order.suffix(10).reversed().compactMap { jobs[$0] } }

    /// Whether a job that writes to the store is running (one at a time: SQLite has one writer).
    var busy: Bool { jobs.values.contains { $0.status == "running" || $0.status == "queued" } }

    private func newJob(kind: String, files: [String]) -> String {
        var generator = SystemRandomNumberGenerator()
        let id = String(generator.next() as UInt64, radix: 16).leftPadded(16)
        jobs[id] = Job(
            id: id, kind: kind, status: "queued", files: files, rows: 0, bytesDone: 0, bytesTotal: 0,
            startedAt: ISO8601DateFormatter().string(from: Date()), notes: [], problems: [])
        order.append(id)
        return id
    }

    func update(_ id: String, _ change: (inout Job) -> Void) {
        guard var job = jobs[id] else { return }
        change(&job)
        jobs[id] = job
    }

    /// Starts importing the files in `folder` (uploaded; removed afterwards) as a `kind` export.
    func startImport(folder: URL, files: [String], kind: ImportSourceKind) throws -> String {
        guard !busy else { throw Problem(.conflict, "another import is running; wait for it to finish") }
        let id = newJob(kind: "import " + kind.rawValue, files: files)
        let path = storePath
        let paths = files.map { folder.appendingPathComponent($0).path }
        Task { [self] in
            await self.update(id) { $0.status = "running" }
            var options = ImportOptions()
            options.kind = kind
            let progress: @Sendable (ImportProgress) -> Void = { p in
                Task {
                    await self.update(id) {
                        $0.currentFile = p.file
                        $0.rows = p.rows
                        $0.bytesDone = p.bytesDone
                        $0.bytesTotal = p.bytesTotal
                    }
                }
            }
            let settings = options
            let outcome = await Result.of {
                try await Blocking.run {
                    try Self.importFiles(paths: paths, options: settings, storePath: path, progress: progress)
                }
            }
            try? FileManager.default.removeItem(at: folder)
            await self.engine.invalidate()
            await self.update(id) { job in
                switch outcome {
                case .success(let result):
                    job.status = "succeeded"
                    job.summary = result.files
                    job.notes = result.notes
                    job.dataThrough = result.dataThrough
                    job.rows = result.files.reduce(0) { $0 + $1.read }
                case .failure(let error as ImportFailure):
                    job.status = "failed"
                    job.summary = error.files
                    job.problems = Array(error.problems.prefix(50).map(\.description))
                    job.error =
                        "import failed with \(error.problemCount) problem\(error.problemCount == 1 ? "" : "s"); nothing was written to the store"
                case .failure(let error as StoreError):
                    job.status = "failed"
                    job.error = error.reason
                case .failure:
                    job.status = "failed"
                    job.error = "the import stopped; nothing was written to the store"
                }
            }
        }
        return id
    }

    /// Builds the demo company into an empty store.
    func startDemo(size: DemoSize) throws -> String {
        guard !busy else { throw Problem(.conflict, "another import is running; wait for it to finish") }
        let id = newJob(kind: "demo company (\(size.rawValue))", files: [])
        let path = storePath
        Task { [self] in
            await self.update(id) { $0.status = "running" }
            let outcome = await Result.of {
                try await Blocking.run { try DemoLoader.build(at: path, size: size, seed: 1) }
            }
            await self.engine.invalidate()
            await self.update(id) { job in
                switch outcome {
                case .success(let result):
                    job.status = "succeeded"
                    job.rows = result.rows
                    job.notes = ["\(Format.grouped(Int64(result.rows))) rows generated (docs/demo-company.md)"]
                case .failure(let error as StoreError):
                    job.status = "failed"
                    job.error = error.reason
                case .failure:
                    job.status = "failed"
                    job.error = "the demo company could not be built"
                }
            }
        }
        return id
    }

    /// Imports into the store at `storePath`; a store that does not exist yet is built beside its path and
    /// linked into place only when complete (as `fulcrum import` does), so a failed import leaves none.
    static func importFiles(
        paths: [String], options: ImportOptions, storePath: String, progress: (@Sendable (ImportProgress) -> Void)?
    ) throws -> ImportResult {
        func run(_ path: String, building: Bool = false) throws -> ImportResult {
            let store = try building ? SQLiteStore.createPrivate(path: path) : SQLiteStore.create(path: path)
            let result = try Importer.run(store: store, paths: paths, options: options, progress: progress)
            try store.close()
            return result
        }
        if PostgresAddress.isAddress(storePath) {
            // A PostgreSQL store: the same import on a staged SQLite copy, landing in one transaction.
            let store = try PostgresStore.open(try PostgresAddress(storePath))
            defer { store.close() }
            return try store.staged { try Importer.run(store: $0, paths: paths, options: options, progress: progress) }
        }
        if FileManager.default.fileExists(atPath: storePath) { return try run(storePath) }
        NewStore.removeAbandoned(beside: storePath)
        let building = NewStore.buildingPath(for: storePath)
        let result: ImportResult
        do {
            result = try run(building, building: true)
        } catch {
            DemoLoader.removeStoreFiles(building)
            throw error
        }
        switch NewStore.place(building, at: storePath) {
        case .placed: return result
        case .taken: return try run(storePath)
        case .failed(let reason):
            throw StoreError(.cannotOpen, path: storePath, reason: "cannot create the store (\(reason))")
        }
    }
}

/// `multipart/form-data` (RFC 7578) as browsers send file uploads: the parts' names, file names and bytes.
enum Multipart {
    struct Part {
        var name: String
        var filename: String?
        var data: ArraySlice<UInt8>
    }

    /// The boundary of a `multipart/form-data; boundary=…` content type.
    static func boundary(_ contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for piece in contentType.split(separator: ";") {
            let kv = piece.trimmingCharacters(in: .whitespaces)
            if kv.lowercased().hasPrefix("boundary=") {
                var b = String(kv.dropFirst("boundary=".count))
                if b.hasPrefix("\""), b.hasSuffix("\""), b.count >= 2 { b = String(b.dropFirst().dropLast()) }
                return b.isEmpty || b.count > 70 ? nil : b
            }
        }
        return nil
    }

    /// The parts of `body`; nil when it is not well-formed multipart with this boundary.
    static func parse(_ body: [UInt8], boundary: String, maxParts: Int = 1000) -> [Part]? {
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [Part] = []
        guard var start = find(delimiter, in: body, from: 0) else { return nil }
        while true {
            var cursor = start + delimiter.count
            // "--" after a delimiter ends the body.
            if cursor + 1 < body.count, body[cursor] == UInt8(ascii: "-"), body[cursor + 1] == UInt8(ascii: "-") {
                return parts
            }
            guard cursor + 1 < body.count, body[cursor] == 13, body[cursor + 1] == 10 else { return nil }
            cursor += 2
            guard let headerEnd = find([13, 10, 13, 10], in: body, from: cursor) else { return nil }
            let headers = String(decoding: body[cursor..<headerEnd], as: UTF8.self)
            let dataStart = headerEnd + 4
            guard let next = find([13, 10] + delimiter, in: body, from: dataStart) else { return nil }
            var name: String?
            var filename: String?
            for line in headers.components(separatedBy: "\r\n")
            where line.lowercased().hasPrefix("content-disposition:") {
                name = parameter("name", in: line)
                filename = parameter("filename", in: line)
            }
            guard let name, parts.count < maxParts else { return nil }
            parts.append(Part(name: name, filename: filename, data: body[dataStart..<next]))
            start = next + 2
        }
    }

    /// A parameter of a Content-Disposition line (`name="files"; filename="Q1; Account.csv"`): quoted
    /// values may hold `;`, and browsers escape `"`, CR and LF in them as `%22`, `%0D`, `%0A`.
    static func parameter(_ key: String, in line: String) -> String? {
        var i = line.startIndex
        // Skip the header name and the disposition type.
        guard let first = line.firstIndex(of: ";") else { return nil }
        i = line.index(after: first)
        while i < line.endIndex {
            while i < line.endIndex, line[i] == " " || line[i] == ";" { i = line.index(after: i) }
            guard let eq = line[i...].firstIndex(of: "=") else { return nil }
            let name = line[i..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var j = line.index(after: eq)
            var value = ""
            if j < line.endIndex, line[j] == "\"" {
                j = line.index(after: j)
                while j < line.endIndex, line[j] != "\"" {
                    if line[j] == "\\", line.index(after: j) < line.endIndex { j = line.index(after: j) }
                    value.append(line[j])
                    j = line.index(after: j)
                }
                if j < line.endIndex { j = line.index(after: j) }
            } else {
                while j < line.endIndex, line[j] != ";" {
                    value.append(line[j])
                    j = line.index(after: j)
                }
                value = value.trimmingCharacters(in: .whitespaces)
            }
            if name == key.lowercased() {
                return value.replacingOccurrences(of: "%22", with: "\"").replacingOccurrences(of: "%0D", with: "\r")
                    .replacingOccurrences(of: "%0A", with: "\n")
            }
            i = j
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var i = from
        let last = haystack.count - needle.count
        let first = needle[0]
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}

extension Result where Failure == any Error {
    /// The outcome of async work as a value.
    static func of(_ work: () async throws -> Success) async -> Self {
        do { return .success(try await work()) } catch { return .failure(error) }
    }
}
