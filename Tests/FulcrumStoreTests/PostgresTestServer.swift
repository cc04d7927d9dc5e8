import Foundation
import FulcrumStore
import Testing

/// The PostgreSQL server the tests use: `FULCRUM_TEST_POSTGRES` (a `postgres://` address of a server the
/// tests may create databases on), which `scripts/test` sets after starting one with
/// `scripts/postgres-server`. Each test gets a database of its own, dropped afterwards.
enum PostgresTestServer {
    static let url = ProcessInfo.processInfo.environment["FULCRUM_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    static var available: Bool { url != nil }

    /// A new empty database on the test server, and its address.
    static func freshDatabase(_ label: String) throws -> PostgresAddress {
        let server = try PostgresAddress(url!)
        let name = "fulcrum_\(label)_\(UInt32.random(in: 0...UInt32.max))"
        try PostgresStore.createDatabase(name, server: server)
        return PostgresAddress(user: server.user, host: server.host, port: server.port, database: name)
    }

    /// Runs one statement with psql on the server's own database; its output.
    @discardableResult
    static func psql(_ sql: String) throws -> String {
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        psql.arguments = [url!, "-AtX", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let out = Pipe()
        psql.standardOutput = out
        try psql.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        psql.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The connections the server has open to `address`'s database (psql's own is to another database).
    static func connections(to address: PostgresAddress) throws -> Int {
        Int(try psql("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(address.database)'")) ?? -1
    }

    static func drop(_ address: PostgresAddress) {
        let server = try? PostgresAddress(url!)
        if let server { try? PostgresStore.dropDatabase(address.database, server: server) }
    }
}

@Suite struct PostgresTestServerTests {
    /// CI (scripts/test) sets FULCRUM_REQUIRE_POSTGRES: there the PostgreSQL tests must run, not be skipped.
    @Test func serverIsThereWhenRequired() {
        if ProcessInfo.processInfo.environment["FULCRUM_REQUIRE_POSTGRES"] == "1" {
            #expect(
                PostgresTestServer.available, "FULCRUM_TEST_POSTGRES is not set: the PostgreSQL tests would be skipped")
        }
    }
}

/// The backends the store's import suites run on: SQLite always, PostgreSQL when a test server is given
/// (`scripts/test` gives one in CI, and `PostgresTestServerTests` fails there if it is missing).
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var available: [StoreBackend] { PostgresTestServer.available ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }
}
