import Foundation
import FulcrumCore
import FulcrumImport
import GRDB
import Testing

@testable import FulcrumStore

/// Writes files into a fresh folder and imports them into a store of one backend.
///
/// On PostgreSQL the import runs as `fulcrum import --store postgres://…` runs it (`PostgresStore.staged`: the
/// importer on a staged copy, landing in one transaction), and after every import, failed or not, `store` is
/// refreshed with a copy of the server's rows: every assertion of a suite then reads what the server holds.
final class ImportFixture {
    let folder: String
    let backend: StoreBackend
    /// The imported store (SQLite), or the copy of the server's rows (PostgreSQL) the assertions read.
    let store: SQLiteStore
    /// The server store and its database (PostgreSQL only).
    let server: PostgresStore?
    private let address: PostgresAddress?

    init(_ backend: StoreBackend = .sqlite) throws {
        self.backend = backend
        folder = try temporaryFolder()
        store = try SQLiteStore.create(path: folder + "/store.sqlite")
        if backend == .postgres {
            let address = try PostgresTestServer.freshDatabase("import")
            self.address = address
            server = try PostgresStore.open(address)
        } else {
            address = nil
            server = nil
        }
    }

    deinit {
        server?.close()
        if let address { PostgresTestServer.drop(address) }
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func run(_ files: [String], _ configure: (inout ImportOptions) -> Void = { _ in }) throws -> ImportResult {
        var options = ImportOptions()
        configure(&options)
        return try run(paths: files.map { folder + "/" + $0 }, options: options)
    }

    /// Imports `paths` (files or folders) into this fixture's backend.
    func run(paths: [String], options: ImportOptions) throws -> ImportResult {
        guard let server else { return try Importer.run(store: store, paths: paths, options: options) }
        defer { refresh() }
        return try server.staged { try Importer.run(store: $0, paths: paths, options: options) }
    }

    /// Changes the store outside an import (as another writer would): on PostgreSQL on a staged copy, as
    /// every Fulcrum writer that reuses SQLite code does.
    func change(_ body: (Database) throws -> Void) throws {
        guard let server else { return try store.write(body) }
        defer { refresh() }
        try server.staged { try $0.write(body) }
    }

    /// The store itself, for commands that write it directly (an unmerge): the server on PostgreSQL. Call
    /// `refresh()` after such a write so the assertions see it.
    var live: any Store { server ?? store }

    /// The server's rows copied into `store` (PostgreSQL only).
    func refresh() {
        guard let server else { return }
        do { try StoreCopy.copy(from: server, to: store) } catch {
            Issue.record("copying the server's rows back: \(error)")
        }
    }

    func failure(_ files: [String], _ configure: (inout ImportOptions) -> Void = { _ in }) throws -> ImportFailure {
        do {
            _ = try run(files, configure)
        } catch let f as ImportFailure {
            return f
        }
        Issue.record("import succeeded but should have failed")
        return ImportFailure(problems: [], problemCount: 0, files: [])
    }

    /// Every row of every table (imported_at aside), for byte-for-byte content comparisons.
    func content() throws -> String {
        try store.write { db in
            var text = ""
            for table in Schema.tableNames {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2")
                for row in rows { text += table + ":" + row.description + "\n" }
            }
            return text.replacingOccurrences(of: #"imported_at:"[^"]*""#, with: "", options: .regularExpression)
        }
    }

    func one<T: DatabaseValueConvertible>(_ type: T.Type, _ sql: String) throws -> T? {
        try store.write { db -> T? in try T.fetchOne(db, sql: sql) }
    }

    func count(_ table: String) throws -> Int {
        try store.write { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)")! }
    }
}

let accountsCSV = """
    id,name,domain,segment,created_on,parent_account_id,custom.tier
    A-1,"Acme, Inc.",acme.com,Tech,2024-01-05,,gold
    A-2,Acme Europe,acme.eu,Tech,01/06/2024,A-1,
    A-3,Globex,globex.com,Telecom,2024-02-01,,silver

    """
let subscriptionsCSV = """
    id,account_id,plan,product,interval,amount_minor,currency,status,started_on,ended_on
    S-1,A-1,Growth,Core,month,50000,USD,active,2024-01-15,
    S-2,A-3,Annual,Core,year,1200000,EUR,canceled,2024-02-01,2025-02-01

    """

@Suite("Import: canonical files")
struct ImportTests {
    @Test(
        "hand-made canonical files land with keys, references, normalized dates and custom fields",
        arguments: StoreBackend.available)
    func importsCanonical(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("accounts.csv", accountsCSV)
        try f.write("subscriptions.csv", subscriptionsCSV)
        let result = try f.run(["subscriptions.csv", "accounts.csv"]) {
            $0.dates = DateParseOptions(slashOrder: .monthFirst)
        }
        #expect(result.files.map(\.table) == ["accounts", "subscriptions"], "files run in foreign-key order")
        #expect(
            result.files[0] == FileSummary(file: f.folder + "/accounts.csv", table: "accounts", read: 3, inserted: 3))
        #expect(result.files[1].inserted == 2)
        #expect(result.dataThrough == "2024-02-01", "latest event date (created_on) in the files")
        let acmeId = try f.one(Int64.self, "SELECT id FROM accounts WHERE external_id = 'A-1'")
        #expect(try f.one(String.self, "SELECT name FROM accounts WHERE external_id = 'A-1'") == "Acme, Inc.")
        #expect(try f.one(String.self, "SELECT source FROM accounts WHERE external_id = 'A-1'") == "canonical")
        #expect(
            try f.one(Int64.self, "SELECT parent_account_id FROM accounts WHERE external_id = 'A-2'") == acmeId,
            "a parent given by its key resolves to its store id")
        #expect(try f.one(String.self, "SELECT created_on FROM accounts WHERE external_id = 'A-2'") == "2024-01-06")
        #expect(
            try f.one(
                String.self,
                "SELECT a.external_id FROM subscriptions s JOIN accounts a ON a.id = s.account_id WHERE s.external_id = 'S-2'"
            ) == "A-3")
        #expect(
            try f.one(
                String.self,
                "SELECT group_concat(a.external_id || ':' || c.name || '=' || c.value) FROM (SELECT * FROM custom_fields ORDER BY record_id) c JOIN accounts a ON a.id = c.record_id WHERE entity = 'accounts'"
            ) == "A-1:tier=gold,A-3:tier=silver")
        #expect(
            try f.one(String.self, "SELECT data_through FROM data_sources WHERE source = 'canonical'") == "2024-02-01")
        #expect(try f.one(String.self, "SELECT value FROM meta WHERE key = 'data_through'") == "2024-02-01")
    }

    @Test(
        "importing the same files twice changes nothing; a changed row is updated and counted",
        arguments: StoreBackend.available)
    func idempotent(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("accounts.csv", accountsCSV)
        try f.write("subscriptions.csv", subscriptionsCSV)
        _ = try f.run(["accounts.csv", "subscriptions.csv"]) { $0.dates = DateParseOptions(slashOrder: .monthFirst) }
        let first = try f.content()
        let again = try f.run(["accounts.csv", "subscriptions.csv"]) {
            $0.dates = DateParseOptions(slashOrder: .monthFirst)
        }
        #expect(again.files.map(\.unchanged) == [3, 2])
        #expect(again.files.map(\.inserted) == [0, 0])
        #expect(again.files.map(\.updated) == [0, 0])
        #expect(try f.content() == first, "same store content after the second import")

        try f.write(
            "subscriptions.csv",
            subscriptionsCSV.replacingOccurrences(of: "50000,USD,active", with: "65000,USD,active")
                + "S-3,A-2,Growth,Core,month,9900,USD,trialing,2024-03-01,\n")
        let newer = try f.run(["subscriptions.csv"])
        #expect(newer.files[0].inserted == 1)
        #expect(newer.files[0].updated == 1)
        #expect(newer.files[0].unchanged == 1)
        #expect(try f.count("subscriptions") == 3)
    }

    @Test(
        "one bad row anywhere: nothing is written and every problem names file:line:column",
        arguments: StoreBackend.available)
    func allOrNothing(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("accounts.csv", accountsCSV)
        _ = try f.run(["accounts.csv"]) { $0.dates = DateParseOptions(slashOrder: .monthFirst) }
        let before = try f.content()
        try f.write(
            "subscriptions.csv",
            """
            id,account_id,plan,product,interval,amount_minor,currency,status,started_on,ended_on
            S-1,A-1,Growth,Core,month,50000,USD,active,2024-01-15,
            S-2,A-9,Growth,Core,month,50000,USD,active,2024-01-15,
            S-3,A-1,Growth,Core,fortnight,50000,USD,active,2024-01-15,
            S-4,A-1,Growth,Core,month,12.50,USD,active,2024-01-15,
            S-5,A-1,Growth,Core,month,50000,usd,active,2024-02-30,
            S-6,A-1,Growth,Core,month,50000,USD,active
            S-7,,Growth,Core,month,50000,USD,active,2024-01-15,

            """)
        let failure = try f.failure(["subscriptions.csv"])
        let text = failure.problems.map(\.description)
        let file = f.folder + "/subscriptions.csv"
        #expect(
            text.contains(
                "\(file):3:5: account_id: no accounts row with id 'A-9' from source 'canonical' (import the file holding accounts in the same run or before, e.g. Salesforce Account.csv, HubSpot companies, Stripe customers or accounts.csv)"
            ), "\(text)")
        #expect(
            text.contains("\(file):4:21: interval: 'fortnight' is not one of day, week, month, quarter, year"),
            "\(text)")
        #expect(text.contains("\(file):5:27: amount_minor: not an integer: '12.50'"), "\(text)")
        #expect(text.contains { $0.hasPrefix("\(file):6:33: currency: ") }, "\(text)")
        #expect(text.contains { $0.hasPrefix("\(file):6:44: started_on: ") }, "\(text)")
        #expect(text.contains { $0.hasPrefix("\(file):7:") && $0.contains("fields") }, "ragged row: \(text)")
        #expect(text.contains("\(file):8:5: account_id: required, but empty"), "\(text)")
        #expect(failure.problemCount == 7)
        #expect(try f.content() == before, "the store is exactly as it was")
    }

    @Test(
        "file-level problems: unknown file, unknown column, missing required column, invalid UTF-8, unterminated quote",
        arguments: StoreBackend.available)
    func fileProblems(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("leads.csv", "id,name\n1,x\n")
        #expect(try f.failure(["leads.csv"]).problems[0].reason.contains("'leads.csv' is not a canonical file"))
        try f.write("accounts.csv", "id,name,created_on,colour\nA,B,2024-01-01,red\n")
        #expect(
            try f.failure(["accounts.csv"]).problems[0].reason.hasPrefix("unknown column 'colour' for table 'accounts'")
        )
        try f.write("accounts.csv", "id,name\nA,B\n")
        #expect(
            try f.failure(["accounts.csv"]).problems[0].description
                == "\(f.folder)/accounts.csv:1:1: missing required column 'created_on' for table 'accounts'")
        try f.write("accounts.csv", "name,created_on\nB,2024-01-01\n")
        #expect(
            try f.failure(["accounts.csv"]).problems[0].reason == "missing required column 'id' for table 'accounts'")
        var bytes = Array("id,name,created_on\nA,Caf".utf8) + [0xE9] + Array(",2024-01-01\nB,Bee,2024-01-01\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: f.folder + "/accounts.csv"))
        let utf8 = try f.failure(["accounts.csv"])
        #expect(utf8.problems[0].line == 2 && utf8.problems[0].reason.lowercased().contains("utf-8"), "\(utf8)")
        bytes = Array("id,name,created_on\nA,\"Open,2024-01-01\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: f.folder + "/accounts.csv"))
        #expect(try f.failure(["accounts.csv"]).problems[0].reason.contains("quote"))
        try f.write("accounts.csv", "id,name,created_on\n")
        #expect(try f.failure(["accounts.csv"]).problems[0].reason == "no rows to import")
        #expect(try f.count("accounts") == 0)
    }

    @Test(
        "--skip-invalid writes the valid rows and puts the rejected ones, with reasons, in the reject file",
        arguments: StoreBackend.available)
    func skipInvalid(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write(
            "accounts.csv",
            """
            id,name,created_on
            A,Alpha,2024-01-01
            B,,2024-01-01
            C,"=HYPERLINK(""x"")",2024-13-01
            D,Delta,2024-01-02

            """)
        let rejects = f.folder + "/rejects.csv"
        let result = try f.run(["accounts.csv"]) {
            $0.skipInvalid = true
            $0.rejectFile = rejects
        }
        #expect(result.files[0].inserted == 2)
        #expect(result.files[0].rejected == 2)
        #expect(result.problemCount == 2)
        let reader = try CSVReader(path: rejects)
        #expect(reader.header.names == ["file", "line", "column", "reason", "record"])
        var rows: [[String]] = []
        while let r = try reader.next() { rows.append(r.fields) }
        #expect(rows.count == 2)
        #expect(rows[0][1] == "3" && rows[0][3] == "name: required, but empty" && rows[0][4] == "B,,2024-01-01")
        #expect(rows[1][1] == "4" && rows[1][3].hasPrefix("created_on: "))
        #expect(
            rows[1][4].hasPrefix(#"C,"'=HYPERLINK(""x"")""#), "formula neutralized in the reject file: \(rows[1][4])")

        try f.write("accounts.csv", "id,name,created_on\nX,,2024-01-01\n")
        let all = try f.failure(["accounts.csv"]) {
            $0.skipInvalid = true
            $0.rejectFile = rejects
        }
        #expect(all.problems.last?.reason.contains("none of its 1 rows could be written") == true)
        #expect(try f.count("accounts") == 2)
    }

    @Test("JSON Lines files import like CSV, with positioned errors", arguments: StoreBackend.available)
    func jsonLines(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write(
            "accounts.jsonl",
            """
            {"id": "A-1", "name": "Acme", "created_on": "2024-01-05", "employees": 120}
            {"id": 2, "name": "Globex", "created_on": "2024-02-01", "employees": null, "source": "hubspot"}

            """)
        let result = try f.run(["accounts.jsonl"])
        #expect(result.files[0].inserted == 2)
        #expect(try f.one(Int.self, "SELECT employees FROM accounts WHERE external_id = 'A-1'") == 120)
        #expect(try f.one(String.self, "SELECT name FROM accounts WHERE external_id = '2'") == "Globex")
        try f.write(
            "people.jsonl",
            """
            {"id": "P-1", "account_id": "A-1", "created_at": "2024-01-06T10:00:00+02:00", "status": "lead"}
            {"id": "P-2", "account_id": "A-1", "created_at": "2024-01-06", "status": {"x": 1}}
            not json

            """)
        let failure = try f.failure(["people.jsonl"])
        #expect(
            failure.problems.map(\.description) == [
                "\(f.folder)/people.jsonl:2:1: key 'status': expected a string, number, boolean or null",
                "\(f.folder)/people.jsonl:3:1: expected one JSON object per line (not valid JSON or not an object)",
            ])
        try f.write(
            "people.jsonl",
            #"{"id": "P-1", "account_id": "A-1", "created_at": "2024-01-06T10:00:00+02:00", "status": "lead"}"# + "\n")
        _ = try f.run(["people.jsonl"])
        #expect(
            try f.one(String.self, "SELECT created_at FROM people") == "2024-01-06T08:00:00Z",
            "offsets converted to UTC")
    }

    @Test(
        "the store's export imports back into an empty store with the same content", arguments: StoreBackend.available)
    func exportRoundTrip(_ backend: StoreBackend) throws {
        let source = try SQLiteStore.inMemory()
        try source.write { db in try SQLiteStore.insert(handmadeBatch(), source: "demo", into: db) }
        let f = try ImportFixture(backend)
        let exported = try source.exportCSV(to: f.folder)
        let result = try f.run(paths: [f.folder], options: ImportOptions())
        #expect(result.problemCount == 0)
        #expect(result.files.count == exported.count)
        let (a, b) = (try source.tableCounts(), try f.store.tableCounts())
        for table in SQLiteStore.exportedTables {
            #expect(a[table] == b[table], "\(table): \(a[table]!) vs \(b[table]!)")
        }
        let again = f.folder + "/again"
        try FileManager.default.createDirectory(atPath: again, withIntermediateDirectories: true)
        _ = try f.store.exportCSV(to: again)
        for table in SQLiteStore.exportedTables where !["custom_fields"].contains(table) {
            let first = try String(contentsOfFile: f.folder + "/\(table).csv", encoding: .utf8)
            var second = try String(contentsOfFile: again + "/\(table).csv", encoding: .utf8)
            if table == "people" {
                // The one difference: identity resolution tied the free-mail lead ("ACME", jo123@gmail.com) to Acme by name.
                #expect(second.contains("\n2,1,jo123@gmail.com,"))
                second = second.replacingOccurrences(of: "\n2,1,jo123@gmail.com,", with: "\n2,,jo123@gmail.com,")
            }
            #expect(
                Self.withoutProvenance(first) == Self.withoutProvenance(second), "\(table) differs after the round trip"
            )
        }
    }

    /// The last two columns (source, external_id) differ by design between the original and the import.
    static func withoutProvenance(_ csv: String) -> [String] {
        csv.split(separator: "\n").map { line in
            let header = csv.prefix { $0 != "\n" }
            guard header.hasSuffix("source,external_id") else { return String(line) }
            return line.split(separator: ",", omittingEmptySubsequences: false).dropLast(2).joined(separator: ",")
        }
    }
}
