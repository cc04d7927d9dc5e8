import Foundation
import Testing

/// The two store backends the command-line tests run on: an SQLite file, and a database of its own on the
/// PostgreSQL test server (`FULCRUM_TEST_POSTGRES`, started by scripts/test).
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static let server = ProcessInfo.processInfo.environment["FULCRUM_TEST_POSTGRES"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// The backends available here: PostgreSQL only when a test server is given.
    static var available: [Backend] { server == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }

    /// The small demo company (seed 1) on this backend, for tests that only read it.
    var sharedDemo: String { self == .sqlite ? sharedDemoStore : sharedPostgresDemoStore }

    /// A new, empty store of this backend: a path in `folder`, or a new database's address.
    func freshStore(in folder: String, name: String = "s") throws -> String {
        switch self {
        case .sqlite: return folder + "/\(name).sqlite"
        case .postgres: return try Backend.createDatabase()
        }
    }

    /// A new database on the test server, its address.
    static func createDatabase() throws -> String {
        let name = "fulcrum_cli_\(UInt32.random(in: 0...UInt32.max))"
        let result = try psql(server!, "CREATE DATABASE \(name)")
        precondition(result.status == 0, result.stderr)
        return server!.replacingOccurrences(of: #"/[^/]*$"#, with: "/\(name)", options: .regularExpression)
    }

    /// Runs one statement with psql (the PostgreSQL client installed with the server).
    @discardableResult
    static func psql(_ address: String, _ sql: String) throws -> CLI.Result {
        try CLI.tool("/usr/bin/psql", [address, "-AtX", "-v", "ON_ERROR_STOP=1", "-c", sql])
    }
}

/// The shared demo store copied to a PostgreSQL database once, for suites that only read it.
let sharedPostgresDemoStore: String = {
    let address = try! Backend.createDatabase()
    let copy = try! CLI.run(["store", "copy", "--from", sharedDemoStore, "--to", address])
    precondition(copy.status == 0, copy.stderr)
    return address
}()

extension Backend {
    /// A store of this backend holding its own copy of the shared demo company (for tests that write).
    func demoCopy(in folder: String) throws -> String {
        switch self {
        case .sqlite:
            let path = folder + "/demo-copy.sqlite"
            try FileManager.default.copyItem(atPath: sharedDemoStore, toPath: path)
            return path
        case .postgres:
            let address = try Backend.createDatabase()
            let copy = try CLI.run(["store", "copy", "--from", sharedDemoStore, "--to", address])
            precondition(copy.status == 0, copy.stderr)
            return address
        }
    }
}
