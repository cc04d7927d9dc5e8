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
        #expect(try pg.activities(kinds: [.demo], from: Day(iso: "2024-01-01")) == sqlite.activities(kinds: [.demo], from: Day(iso: "2024-01-01")))
        #expect(try pg.stageChanges() == sqlite.stageChanges())
        #expect(try pg.targets() == sqlite.targets())
        #expect(try pg.teams() == sqlite.teams())
        #expect(try Set(pg.touchCounts()) == Set(sqlite.touchCounts()))
        #expect(try pg.tickets() == sqlite.tickets())
        #expect(try pg.surveys() == sqlite.surveys())
        #expect(try pg.firstResponses(kinds: [.call, .email]) == sqlite.firstResponses(kinds: [.call, .email]))
        #expect(try pg.firstPaidDays() == sqlite.firstPaidDays())
        #expect(try pg.qualifyingTouches(kinds: [.formFill, .webinar], count: 2) == sqlite.qualifyingTouches(kinds: [.formFill, .webinar], count: 2))
        #expect(try pg.attributionTouches() == sqlite.attributionTouches())
        #expect(try pg.accountTouches(kinds: [.webinar]) == sqlite.accountTouches(kinds: [.webinar]))
        #expect(try pg.referrals() == sqlite.referrals())
        #expect(try pg.accountMonthTallies() == sqlite.accountMonthTallies())
        #expect(try pg.model(kind: "churn") == "{\"a\":1}")
        #expect(try pg.activities().count > 0 && pg.people().contains { $0.accountId == nil })
    }
}
