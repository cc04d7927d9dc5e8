import Foundation
import FulcrumCore
import FulcrumStore
import Testing

/// The PostgreSQL store against the SQLite one: the same demo company copied across must read back as
/// exactly the same values through every method of the Store protocol.
@Suite(.serialized, .enabled(if: PostgresTestServer.available)) struct PostgresStoreTests {
    @Test func everyReadMatchesSQLite() throws {
        let folder = NSTemporaryDirectory() + "fulcrum-pg-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try DemoLoader.build(at: folder + "/demo.sqlite", size: .small, seed: 3, accountCount: 400)
        let sqlite = try SQLiteStore.open(path: folder + "/demo.sqlite")
        try sqlite.saveModel(kind: "churn", trainedAt: "2026-01-01", json: "{\"a\":1}")
        let address = try PostgresTestServer.freshDatabase("parity")
        defer { PostgresTestServer.drop(address) }
        let pg = try PostgresStore.open(address)
        defer { pg.close() }
        let counts = try StoreCopy.copy(from: sqlite, to: pg)
        #expect(counts["accounts"] == (try sqlite.tableCounts()["accounts"]) && counts["accounts"]! >= 400)

        #expect(try pg.tableCounts() == sqlite.tableCounts())
        #expect(try pg.metaValue("data_through") == sqlite.metaValue("data_through"))
        #expect(try pg.accounts() == sqlite.accounts())
        let (a, b) = (try pg.billing(), try sqlite.billing())
        #expect(a.subscriptions == b.subscriptions)
        #expect(a.changes == b.changes)
        #expect(a.statusPeriods == b.statusPeriods)
        #expect(a.fxRates == b.fxRates)
        #expect(try pg.spend() == sqlite.spend())
        #expect(try pg.opportunities() == sqlite.opportunities())
        #expect(try pg.people() == sqlite.people())
        #expect(try pg.reps() == sqlite.reps())
        #expect(try pg.customFields(entity: "accounts") == sqlite.customFields(entity: "accounts"))
        #expect(try pg.firstTouches() == sqlite.firstTouches())
        #expect(try pg.firstPayments() == sqlite.firstPayments())
        #expect(try pg.collectedRevenue() == sqlite.collectedRevenue())
        #expect(try pg.campaigns() == sqlite.campaigns())
        #expect(try pg.firstCampaignTouches() == sqlite.firstCampaignTouches())
        #expect(try pg.activities() == sqlite.activities())
        #expect(
            try pg.activities(kinds: [.demo], from: Day(iso: "2024-01-01"))
                == sqlite.activities(kinds: [.demo], from: Day(iso: "2024-01-01")))
        #expect(try pg.stageChanges() == sqlite.stageChanges())
        #expect(try pg.targets() == sqlite.targets())
        #expect(try pg.teams() == sqlite.teams())
        #expect(try Set(pg.touchCounts()) == Set(sqlite.touchCounts()))
        #expect(try pg.tickets() == sqlite.tickets())
        #expect(try pg.surveys() == sqlite.surveys())
        #expect(try pg.firstResponses(kinds: [.call, .email]) == sqlite.firstResponses(kinds: [.call, .email]))
        #expect(try pg.firstPaidDays() == sqlite.firstPaidDays())
        #expect(
            try pg.qualifyingTouches(kinds: [.formFill, .webinar], count: 2)
                == sqlite.qualifyingTouches(kinds: [.formFill, .webinar], count: 2))
        #expect(try pg.attributionTouches() == sqlite.attributionTouches())
        #expect(try pg.accountTouches(kinds: [.webinar]) == sqlite.accountTouches(kinds: [.webinar]))
        #expect(try pg.referrals() == sqlite.referrals())
        #expect(try pg.accountMonthTallies() == sqlite.accountMonthTallies())
        #expect(try pg.model(kind: "churn") == "{\"a\":1}")
        #expect(try pg.activities().count > 0 && pg.people().contains { $0.accountId == nil })
        let records: Set<String> = [
            "account:1", "account:2", "opportunity:1", "spend:1", "person:1", "subscription:1", "ticket:1", "survey:1",
            "adjustment:fx-restatement", "account:999999",
        ]
        let labels = try sqlite.recordLabels(records)
        #expect(labels["account:1"]?.account != nil && labels["opportunity:1"]?.account != nil)
        #expect(labels["account:999999"] == nil && labels["adjustment:fx-restatement"] == nil)
        #expect(try pg.recordLabels(records) == labels)
        // The one-account reads of `accounts show` and the account pages.
        for text in ["1", "Analytics", "nothing-like-this"] {
            #expect(try pg.findAccounts(text, limit: 50) == sqlite.findAccounts(text, limit: 50), "\(text)")
        }
        let family = try sqlite.accountRecords(of: 5).map(\.id)
        #expect(try pg.accountRecords(of: 5) == sqlite.accountRecords(of: 5) && family.contains(5))
        #expect(try pg.engagement(of: family) == sqlite.engagement(of: family))
        let timeline = try sqlite.timeline(of: family, limit: 300)
        let pgTimeline = try pg.timeline(of: family, limit: 300)
        #expect(!timeline.isEmpty && pgTimeline == timeline)
        #expect(try pg.usageByMonth(of: family) == sqlite.usageByMonth(of: family))
    }

    /// The distribution rules, read from the live catalog of a migrated store: a new table that breaks them
    /// fails here. Every table is classified as fact (distributed by account) or reference; a fact table's
    /// distribution column is NOT NULL and part of its primary key and of every unique constraint and index;
    /// no foreign key crosses shards.
    @Test func distributionRulesHoldInTheCatalog() throws {
        let address = try PostgresTestServer.freshDatabase("catalog")
        defer { PostgresTestServer.drop(address) }
        let store = try PostgresStore.open(address)
        defer { store.close() }
        let catalog = try store.catalog()
        let classified = Set(PostgresStore.distributedTables.keys).union(PostgresStore.referenceTables)
        let tables = Set(catalog.tables).subtracting(["fulcrum_migrations", "fulcrum_revision"])
        #expect(tables.count >= 30)
        #expect(
            tables.subtracting(classified).isEmpty,
            "tables neither fact nor reference: \(tables.subtracting(classified))")
        #expect(classified.subtracting(tables).isEmpty, "classified but missing: \(classified.subtracting(tables))")
        for (table, key) in PostgresStore.distributedTables {
            #expect(catalog.notNull[table]?.contains(key) == true, "\(table).\(key) may be NULL")
            let primary = catalog.primaryKeys[table] ?? []
            #expect(primary.contains(key), "\(table): primary key \(primary) lacks \(key)")
            for (index, columns) in catalog.uniqueIndexes[table] ?? [:] {
                #expect(columns.contains(key), "\(table): unique index \(index) \(columns) lacks \(key)")
            }
        }
        #expect(catalog.foreignKeys.isEmpty, "foreign keys: \(catalog.foreignKeys)")
    }
}

/// The connection pool (postgres-nio's `PostgresClient`) and the async entry points, against a live server.
@Suite(.enabled(if: PostgresTestServer.available)) struct PostgresPoolTests {
    /// Sixteen callers on threads of their own share at most eight connections, each read sees one state, and
    /// async callers on Swift's cooperative pool (more of them than it has threads) are served meanwhile: a
    /// lease never waits for a cooperative thread.
    @Test func concurrentCallersShareTheBoundedPool() async throws {
        let address = try PostgresTestServer.freshDatabase("pool")
        defer { PostgresTestServer.drop(address) }
        let store = try PostgresStore.open(address)
        defer { store.close() }
        try store.setMeta(["probe": "1"])
        let revision = try store.revision()
        #expect(revision != nil)
        #expect(try await store.currentRevision() == revision)

        let threads = 16
        let failures = NIOLockedCounter()
        let done = DispatchGroup()
        for _ in 0..<threads {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                for _ in 0..<10 where (try? store.metaValue("probe")) != "1" { failures.add() }
            }
        }
        try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<8 { group.addTask { try await store.reading { try store.metaValue("probe") } } }
            for try await value in group { #expect(value == "1") }
        }
        // Waited for without holding one of the cooperative pool's threads (the other suites run beside this one).
        await withCheckedContinuation { finished in done.notify(queue: .global()) { finished.resume() } }
        #expect(failures.value == 0)
        let open = try PostgresTestServer.connections(to: address)
        #expect(open >= 1 && open <= 8, "\(open) connections")

        // A write is a new revision, seen by the async check.
        try store.setMeta(["probe": "2"])
        let after = try await store.currentRevision()
        #expect(after != nil && after != revision)
    }
}

extension PostgresPoolTests {
    /// A database that stops taking connections after the store opened (its connections ended, new ones refused):
    /// the next calls, synchronous and async, fail with the server's reason within seconds, not after the pool's
    /// minute of retries with none.
    @Test func aServerThatStopsAnsweringIsReportedWithItsReason() async throws {
        let address = try PostgresTestServer.freshDatabase("gone")
        defer { PostgresTestServer.drop(address) }
        let store = try PostgresStore.open(address)
        defer { store.close() }
        #expect(try store.metaValue("data_through") == nil)
        #expect(try await store.currentRevision() != nil)
        try PostgresTestServer.psql("ALTER DATABASE \(address.database) ALLOW_CONNECTIONS false")
        try PostgresTestServer.psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(address.database)'")
        func named(_ error: any Error, reason: String) -> Bool {
            guard let store = error as? StoreError else { return false }
            return store.description.contains(address.description) && store.description.contains(reason)
        }
        // The first call may still meet the connection the server just ended; the ones after it are told why.
        _ = try? store.metaValue("data_through")
        #expect(
            performing: { _ = try store.metaValue("data_through") },
            throws: { named($0, reason: "is not currently accepting connections") })
        await #expect(
            performing: { _ = try await store.currentRevision() },
            throws: { named($0, reason: "is not currently accepting connections") })
    }
}

/// A counter several threads add to.
final class NIOLockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

@Suite struct PostgresAddressTests {
    @Test func parsesAddressesAndNeverKeepsAPassword() throws {
        let a = try PostgresAddress("postgres://ana@db.example.com:6543/revops", environment: [:])
        #expect(a == PostgresAddress(user: "ana", host: "db.example.com", port: 6543, database: "revops"))
        #expect(a.description == "postgres://ana@db.example.com:6543/revops")
        let defaults = try PostgresAddress("postgresql://localhost", environment: ["USER": "kim"])
        #expect(defaults == PostgresAddress(user: "kim", host: "localhost", port: 5432, database: "kim"))
        #expect(throws: StoreError.self) { try PostgresAddress("postgres://ana:pw@h/db", environment: [:]) }
        #expect(throws: StoreError.self) { try PostgresAddress("postgres://ana@h:0/db", environment: [:]) }
        #expect(throws: StoreError.self) { try PostgresAddress("/tmp/x.sqlite", environment: [:]) }
    }

    @Test func passwordFromTheEnvironmentElseThePasswordFile() throws {
        let folder = try temporaryFolder()
        let file = folder + "/pgpass"
        try "# comment\nother:5432:*:ana:wrong\ndb:*:revops:ana:p\\:ss\n*:*:*:*:fallback\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        let a = PostgresAddress(user: "ana", host: "db", port: 6543, database: "revops")
        #expect(a.password(environment: ["PGPASSFILE": file]) == "p:ss")
        #expect(a.password(environment: ["PGPASSFILE": file, "PGPASSWORD": "env"]) == "env")
        let b = PostgresAddress(user: "bo", host: "elsewhere", port: 5432, database: "x")
        #expect(b.password(environment: ["PGPASSFILE": file]) == "fallback")
        #expect(b.password(environment: ["PGPASSFILE": folder + "/missing"]) == nil)
    }
}
