import Foundation
import Testing

/// Every report and command that reads the store gives the same output on the PostgreSQL store as on the
/// SQLite store it was copied from — the same code, read through the other backend.
@Suite("fulcrum on PostgreSQL", .serialized, .enabled(if: Backend.server != nil))
struct PostgresCLITests {
    static let reports = [
        "mrr-movements", "mrr", "customers", "churn", "retention", "cohorts-logo", "cohorts-revenue", "cac",
        "unit-economics", "segment-economics", "growth", "velocity", "trials", "accounts-ltv", "attribution",
        "lifecycle", "funnel", "leads", "lead-response", "marketing", "sales", "pipeline", "targets",
        "rep-scorecard", "am-scorecard", "cs-scorecard",
    ]

    @Test("every report, by month and by quarter, is byte for byte the same on both backends")
    func everyReportMatches() throws {
        let folder = try scratchFolder()
        for (label, extra) in [("month", [String]()), ("quarter", ["--period", "quarter"])] {
            for (backend, store) in [("sqlite", sharedDemoStore), ("postgres", sharedPostgresDemoStore)] {
                let run = try CLI.run(
                    ["report"] + Self.reports + extra
                        + ["--store", store, "--format", "json", "--output", "\(folder)/\(label)-\(backend)"])
                #expect(run.status == 0, "\(backend): \(run.stderr)")
            }
            for id in Self.reports {
                let sqlite = try String(contentsOfFile: "\(folder)/\(label)-sqlite/\(id).json", encoding: .utf8)
                let postgres = try String(contentsOfFile: "\(folder)/\(label)-postgres/\(id).json", encoding: .utf8)
                #expect(sqlite == postgres, "\(id) (\(label)) differs between SQLite and PostgreSQL")
                #expect(sqlite.count > 200, "\(id) is empty")
            }
        }
        let headline = try CLI.run(["report", "headline", "--store", sharedPostgresDemoStore, "--format", "json"])
        #expect(
            headline.stdout
                == (try CLI.run(["report", "headline", "--store", sharedDemoStore, "--format", "json"])).stdout)
    }

    @Test(
        "planning, drivers, goals, the account list and status read the same numbers",
        arguments: [
            ["plan"], ["drivers"], ["goals"], ["accounts", "--limit", "50"], ["status"],
            ["plan", "what-if", "--move", "Telecom:Tech=10000"],
        ])
    func commandsMatch(_ command: [String]) throws {
        let sqlite = try CLI.run(command + ["--store", sharedDemoStore, "--format", "json"])
        let postgres = try CLI.run(command + ["--store", sharedPostgresDemoStore, "--format", "json"])
        #expect(sqlite.status == 0 && postgres.status == 0, "\(sqlite.stderr) \(postgres.stderr)")
        // Only the store's own name differs.
        let strip = { (text: String) in
            var text = text
            for store in [sharedDemoStore, sharedPostgresDemoStore] {
                text = text.replacingOccurrences(of: store, with: "STORE").replacingOccurrences(
                    of: store.replacingOccurrences(of: "/", with: "\\/"), with: "STORE")
            }
            return text
        }
        #expect(strip(sqlite.stdout) == strip(postgres.stdout))
    }

    @Test("store migrate lists pending migrations, applies them once, and --dry-run changes nothing")
    func migrate() throws {
        let store = try Backend.createDatabase()
        let dry = try CLI.run(["store", "migrate", "--store", store, "--dry-run"])
        #expect(dry.status == 0 && dry.stdout.contains("3 pending migrations") && dry.stdout.contains("pg-v1-tables"))
        #expect(try Backend.psql(store, "SELECT to_regclass('accounts') IS NULL").stdout == "t\n")
        let apply = try CLI.run(["store", "migrate", "--store", store])
        #expect(apply.status == 0 && apply.stdout.contains("Applied."), "\(apply.stdout)")
        #expect(try CLI.run(["store", "migrate", "--store", store]).stdout.hasSuffix("schema up to date\n"))
        // A database holding someone else's tables is not taken over.
        let other = try Backend.createDatabase()
        try Backend.psql(other, "CREATE TABLE invoices_2019 (id int)")
        let refused = try CLI.run(["status", "--store", other])
        #expect(refused.status == 1 && refused.stderr.contains("not a Fulcrum store"), "\(refused.stderr)")
        #expect(
            try Backend.psql(other, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
                .stdout == "1\n")
    }

    @Test(
        "a password in the address is refused and never echoed; an unreachable server names the address; duplicates read alike"
    )
    func badAddresses() throws {
        let withPassword = try CLI.run(["status", "--store", "postgres://ana:s3cret@127.0.0.1:5/db"])
        #expect(withPassword.status == 1 && withPassword.stderr.contains("PGPASSWORD"))
        #expect(!withPassword.stderr.contains("s3cret") && !withPassword.stdout.contains("s3cret"))
        let port = try CLI.run(["status", "--store", "postgres://ana@127.0.0.1:99999/db"])
        #expect(port.status == 1 && port.stderr.contains("port '99999'"), "\(port.stderr)")
        let closed = try CLI.run(["report", "mrr", "--store", "postgres://ana@127.0.0.1:9/db"])
        #expect(
            closed.status == 1 && closed.stderr.contains("postgres://ana@127.0.0.1:9/db")
                && closed.stderr.contains("cannot connect"), "\(closed.stderr)")
        let duplicates = try CLI.run(["accounts", "duplicates", "--store", sharedPostgresDemoStore])
        let onSQLite = try CLI.run(["accounts", "duplicates", "--store", sharedDemoStore])
        #expect(duplicates.status == 0 && duplicates.stdout == onSQLite.stdout, "\(duplicates.stderr)")
    }

    @Test("accounts show: the same account, record for record and event for event, on both backends")
    func accountsShow() throws {
        for account in ["1", "12", "Analytics", "no-such-company-xyz"] {
            for format in ["json", "table"] {
                let sqlite = try CLI.run(["accounts", "show", account, "--store", sharedDemoStore, "--format", format])
                let pg = try CLI.run([
                    "accounts", "show", account, "--store", sharedPostgresDemoStore, "--format", format,
                ])
                #expect(pg.status == sqlite.status, "\(account): \(pg.stderr)")
                #expect(pg.stdout == sqlite.stdout, "\(account) \(format)")
                #expect(pg.stderr == sqlite.stderr, "\(account) \(format)")
            }
        }
        let shown = try CLI.run(["accounts", "show", "12", "--store", sharedPostgresDemoStore])
        #expect(shown.stdout.contains("Timeline (") && shown.stdout.contains("payment"), "\(shown.stdout.prefix(300))")
    }

    @Test("copying into a PostgreSQL store that holds accounts needs --replace; a copy back to SQLite is identical")
    func copyBothWays() throws {
        let refused = try CLI.run(["store", "copy", "--from", sharedDemoStore, "--to", sharedPostgresDemoStore])
        #expect(refused.status == 1 && refused.stderr.contains("--replace"), "\(refused.stderr)")
        let folder = try scratchFolder()
        let back = try CLI.run(["store", "copy", "--from", sharedPostgresDemoStore, "--to", folder + "/back.sqlite"])
        #expect(back.status == 0, "\(back.stderr)")
        for table in ["accounts", "people", "touches", "subscriptions", "usage_daily", "opportunities", "meta"] {
            let sql = "SELECT * FROM \(table) ORDER BY 1, 2"
            #expect(try sqlite(sharedDemoStore, sql) == sqlite(folder + "/back.sqlite", sql), "\(table)")
        }
    }

    private func sqlite(_ path: String, _ sql: String) throws -> String {
        try CLI.tool("/usr/bin/sqlite3", [path, sql]).stdout
    }
}

@Suite("fulcrum serve on PostgreSQL", .enabled(if: Backend.server != nil))
struct PostgresServeTests {
    /// Starts `fulcrum serve` on `store` and returns the process and its base URL.
    static func serve(_ store: String) throws -> (Process, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["serve", "--store", store, "--port", "0"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        let url = try #require(text.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+/)).output
        return (process, String(url))
    }

    static func get(_ url: String) throws -> (status: Int, body: String) {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "-w", "\n%{http_code}", url]
        let out = Pipe()
        curl.standardOutput = out
        try curl.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let split = text.range(of: "\n", options: .backwards)!
        return (Int(text[split.upperBound...]) ?? 0, String(text[..<split.lowerBound]))
    }

    @Test("the API and the pages give the SQLite server's numbers; an import on the server shows at once")
    func apiAndPagesMatch() throws {
        let folder = try scratchFolder()
        let store = try Backend.postgres.demoCopy(in: folder)
        let (postgres, pgURL) = try Self.serve(store)
        defer { if postgres.isRunning { postgres.terminate() } }
        let (sqlite, sqliteURL) = try Self.serve(sharedDemoStore)
        defer { sqlite.terminate() }
        for path in ["/api/v1/reports/mrr", "/api/v1/reports/churn?by=segment", "/api/v1/reports/funnel"] {
            let a = try Self.get(pgURL + path)
            let b = try Self.get(sqliteURL + path)
            #expect(a.status == 200 && a.body == b.body, "\(path)")
        }
        for path in ["/", "/accounts"] {
            #expect(try Self.get(pgURL + path).status == 200, "\(path)")
        }
        // The account drill-down: the same detail, timeline and page on both backends.
        for path in ["/api/v1/accounts/12", "/api/v1/accounts/12/timeline?limit=100"] {
            let a = try Self.get(pgURL + path)
            let b = try Self.get(sqliteURL + path)
            #expect(a.status == 200 && a.body == b.body, "\(path): \(a.status) \(a.body.prefix(200))")
        }
        let page = try Self.get(pgURL + "/accounts/12")
        #expect(page.status == 200 && page.body.contains("What moved it"), "\(page.status)")
        // A write to the store (here: a new account imported) is seen by the next request.
        let before = try Self.get(pgURL + "/api/v1/accounts?search=newco").body
        #expect(!before.contains("Newco"))
        try Data("id,name,created_on,segment\nPG-NEW,Newco,2026-10-01,Tech\n".utf8).write(
            to: URL(fileURLWithPath: folder + "/accounts.csv"))
        #expect(
            try CLI.run(["import", "--store", store, "--source-name", "crm", folder + "/accounts.csv"]).status == 0)
        let after = try Self.get(pgURL + "/api/v1/accounts?search=newco").body
        #expect(after.contains("Newco"), "the server kept showing the store as it was before the import")

        // The connection pool is a service of the server's lifecycle: on SIGTERM the HTTP server drains, then the
        // pool closes its connections, and the process exits 0.
        let database = String(store.split(separator: "/").last!)
        func connections() throws -> Int {
            let out = try Backend.psql(
                Backend.server!, "SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database)'")
            return Int(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        #expect(try connections() > 0, "the server holds no connection to its store")
        postgres.terminate()
        postgres.waitUntilExit()
        #expect(postgres.terminationReason == .exit && postgres.terminationStatus == 0)
        var left = try connections()
        for _ in 0..<50 where left != 0 {
            Thread.sleep(forTimeInterval: 0.1)
            left = try connections()
        }
        #expect(left == 0, "connections left open after the server stopped")
    }
}
