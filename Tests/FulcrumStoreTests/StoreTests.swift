import Foundation
import FulcrumCore
import GRDB
import Testing

@testable import FulcrumStore

/// A fresh folder per test, removed afterwards.
/// Every scratch folder of this test process lives under one root, removed when the process exits, so a test
/// run leaves nothing behind in the temporary directory (a full run used to leave several GB).
let scratchRoot: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-store-tests-\(getpid())").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit {
        try? FileManager.default.removeItem(
            atPath: FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-store-tests-\(getpid())")
                .path)
    }
    return path
}()

func temporaryFolder() throws -> String {
    let path = scratchRoot + "/\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// One row of every table, with hand-picked values, for the round trip.
func handmadeBatch() -> DemoBatch {
    var b = DemoBatch()
    var team = Team()
    team.id = 1
    team.name = "Sales — Tech"
    team.function = .sales
    team.segment = "Tech"
    b.teams = [team]
    var rep = Rep()
    rep.id = 1
    rep.name = "Ana Silva"
    rep.email = "ana@example.com"
    rep.teamId = 1
    rep.monthlyQuotaMinor = 1_000_000
    rep.hiredOn = Day(2024, 1, 2)
    b.reps = [rep]
    var campaign = Campaign()
    campaign.id = 1
    campaign.name = "Q1 Webinar"
    campaign.channel = "Webinar"
    campaign.kind = "webinar"
    campaign.startedOn = Day(2024, 1, 1)
    b.campaigns = [campaign]
    var fx = FXRate()
    fx.month = Month(2024, 1)
    fx.currency = "EUR"
    fx.rate = 1.0875
    b.fxRates = [fx]
    var parent = Account()
    parent.id = 1
    parent.name = "Acme, Inc."
    parent.domain = "acme.com"
    parent.segment = "Tech"
    parent.createdOn = Day(2024, 1, 5)
    parent.ownerRepId = 1
    parent.employees = 120
    parent.country = "US"
    var child = Account()
    child.id = 2
    child.name = "Acme Europe"
    child.parentAccountId = 1
    child.createdOn = Day(2024, 1, 6)
    b.accounts = [parent, child]
    var person = Person()
    person.id = 1
    person.accountId = 1
    person.email = "jo@acme.com"
    person.createdAt = Timestamp(day: Day(2024, 1, 5), hour: 9)
    person.mqlAt = Timestamp(day: Day(2024, 1, 6), hour: 10, minute: 30)
    person.status = "opportunity"
    person.campaignId = 1
    var freeMail = Person()
    freeMail.id = 2
    freeMail.email = "jo123@gmail.com"
    freeMail.companyName = "ACME"
    freeMail.createdAt = Timestamp(day: Day(2024, 1, 7))
    b.people = [person, freeMail]
    var touch = Touch()
    touch.id = 1
    touch.accountId = 1
    touch.personId = 1
    touch.campaignId = 1
    touch.kind = .webinar
    touch.channel = "Webinar"
    touch.occurredAt = Timestamp(day: Day(2024, 1, 8), hour: 16)
    b.touches = [touch]
    var opp = Opportunity()
    opp.id = 1
    opp.accountId = 1
    opp.personId = 1
    opp.type = .new
    opp.product = "Core"
    opp.ownerRepId = 1
    opp.amountMinor = 1_200_000
    opp.createdOn = Day(2024, 1, 10)
    opp.closedOn = Day(2024, 2, 1)
    opp.stage = "Closed Won"
    opp.isClosed = true
    opp.isWon = true
    b.opportunities = [opp]
    var stage = StageChange()
    stage.id = 1
    stage.opportunityId = 1
    stage.accountId = 1
    stage.stage = "Discovery"
    stage.enteredAt = Timestamp(day: Day(2024, 1, 12))
    b.stageChanges = [stage]
    var activity = Activity()
    activity.id = 1
    activity.accountId = 1
    activity.repId = 1
    activity.personId = 1
    activity.kind = .demo
    activity.occurredAt = Timestamp(day: Day(2024, 1, 15), hour: 14)
    b.activities = [activity]
    var sub = Subscription()
    sub.id = 1
    sub.accountId = 1
    sub.opportunityId = 1
    sub.plan = "Growth"
    sub.product = "Core"
    sub.interval = .year
    sub.amountMinor = 1_200_000
    sub.quantity = 20
    sub.currency = "EUR"
    sub.status = .canceled
    sub.startedOn = Day(2024, 2, 1)
    sub.endedOn = Day(2025, 2, 1)
    sub.canceledOn = Day(2024, 12, 15)
    sub.cancelAt = Day(2025, 2, 1)
    sub.discountPercent = 10
    sub.discountDuration = .repeating
    sub.discountMonths = 3
    sub.discountStartOn = Day(2024, 2, 1)
    b.subscriptions = [sub]
    var change = SubscriptionChange()
    change.id = 1
    change.subscriptionId = 1
    change.accountId = 1
    change.effectiveOn = Day(2024, 6, 1)
    change.amountMinor = 1_500_000
    change.quantity = 25
    b.subscriptionChanges = [change]
    var period = SubscriptionStatusPeriod()
    period.id = 1
    period.subscriptionId = 1
    period.accountId = 1
    period.status = .pastDue
    period.fromOn = Day(2024, 2, 1)
    period.toOn = Day(2024, 2, 9)
    b.statusPeriods = [period]
    var invoice = Invoice()
    invoice.id = 1
    invoice.accountId = 1
    invoice.subscriptionId = 1
    invoice.number = "INV-1"
    invoice.issuedOn = Day(2024, 2, 1)
    invoice.totalMinor = 1_080_000
    invoice.currency = "EUR"
    b.invoices = [invoice]
    var line = InvoiceLine()
    line.id = 1
    line.invoiceId = 1
    line.accountId = 1
    line.subscriptionId = 1
    line.description = "Growth × 20"
    line.periodStart = Day(2024, 2, 1)
    line.periodEnd = Day(2025, 2, 1)
    line.amountMinor = 1_080_000
    line.quantity = 20
    b.invoiceLines = [line]
    var payment = Payment()
    payment.id = 1
    payment.accountId = 1
    payment.invoiceId = 1
    payment.paidAt = Timestamp(day: Day(2024, 2, 9), hour: 6)
    payment.amountMinor = 1_080_000
    payment.currency = "EUR"
    b.payments = [payment]
    var ticket = Ticket()
    ticket.id = 1
    ticket.accountId = 1
    ticket.openedAt = Timestamp(day: Day(2024, 3, 1))
    ticket.priority = "urgent"
    ticket.category = "outage"
    ticket.status = "open"
    b.tickets = [ticket]
    var usage = UsageDay()
    usage.accountId = 1
    usage.day = Day(2024, 3, 1)
    usage.activeUsers = 14
    usage.events = 180
    b.usage = [usage]
    var survey = SurveyResponse()
    survey.id = 1
    survey.accountId = 1
    survey.personId = 1
    survey.score = 9
    survey.respondedOn = Day(2024, 8, 1)
    b.surveys = [survey]
    var referral = Referral()
    referral.id = 1
    referral.referrerAccountId = 1
    referral.accountId = 2
    referral.referredOn = Day(2024, 1, 6)
    b.referrals = [referral]
    var field = CustomField()
    field.entity = "accounts"
    field.recordId = 1
    field.accountId = 1
    field.name = "tier"
    field.value = "SMB"
    b.customFields = [field]
    var spend = SpendEntry()
    spend.id = 1
    spend.month = Month(2024, 1)
    spend.team = .marketing
    spend.category = .media
    spend.channel = "Webinar"
    spend.segment = "Tech"
    spend.amountMinor = 250_000
    b.spend = [spend]
    var target = Target()
    target.id = 1
    target.month = Month(2024, 1)
    target.scope = .rep
    target.scopeKey = "1"
    target.metric = "bookings"
    target.value = 10_000
    b.targets = [target]
    return b
}

@Suite("SQLite store")
struct StoreTests {
    @Test("migrations create every table from empty, with foreign keys on")
    func migrationsFromEmpty() throws {
        let store = try SQLiteStore.inMemory()
        #expect(
            try store.appliedMigrations()
                == [
                    "v1-indexes", "v1-tables", Schema.upgradeMigration, Schema.unresolvedMigration,
                    Schema.ticketResponseMigration, Schema.modelsMigration, Schema.experimentsMigration,
                ]
                .sorted())
        let counts = try store.tableCounts()
        #expect(Set(counts.keys) == Set(Schema.tableNames))
        #expect(counts.values.allSatisfy { $0 == 0 })
        let fk = try store.write { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") }
        #expect(fk == 1)
    }

    @Test("a file store is in WAL mode and reopens without migrating again")
    func fileStoreWAL() throws {
        let folder = try temporaryFolder()
        let path = folder + "/store.sqlite"
        _ = try SQLiteStore.create(path: path)
        let reopened = try SQLiteStore.open(path: path)
        let mode = try reopened.write { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        #expect(try reopened.appliedMigrations().count == 7)
    }

    @Test("every table round-trips its values")
    func roundTrip() throws {
        let store = try SQLiteStore.inMemory()
        let batch = handmadeBatch()
        try store.write { db in try SQLiteStore.insert(batch, source: "test", into: db) }
        let counts = try store.tableCounts()
        for table in Schema.tableNames
        where !Schema.bookkeepingTables.contains(table) && !Schema.importOnlyTables.contains(table) {
            #expect(counts[table] ?? 0 >= 1, "table \(table) is empty after insert")
        }
        #expect(try store.accounts() == batch.accounts)
        let billing = try store.billing()
        #expect(billing.subscriptions == batch.subscriptions)
        #expect(billing.changes == batch.subscriptionChanges)
        #expect(billing.statusPeriods == batch.statusPeriods)
        #expect(billing.fxRates == batch.fxRates)
        #expect(try store.spend() == batch.spend)
        // The columns not read back by an API are checked as stored text.
        let row = try store.write { db in
            try Row.fetchOne(db, sql: "SELECT created_at, mql_at, account_id, source FROM people WHERE id = 1")!
        }
        #expect(row[0] as String == "2024-01-05T09:00:00Z")
        #expect(row[1] as String == "2024-01-06T10:30:00Z")
        #expect(row[2] as Int64 == 1)
        #expect(row[3] as String == "test")
        let freeMail = try store.write { db in
            try Row.fetchOne(db, sql: "SELECT account_id, company_name FROM people WHERE id = 2")!
        }
        #expect(freeMail[0] as Int64? == nil)
        #expect(freeMail[1] as String == "ACME")
        let usage = try store.write { db in
            try Row.fetchOne(db, sql: "SELECT day, active_users, events FROM usage_daily")!
        }
        #expect(usage[0] as String == "2024-03-01" && usage[1] as Int == 14 && usage[2] as Int == 180)
        let opp = try store.write { db in
            try Row.fetchOne(db, sql: "SELECT is_won, closed_on, amount_minor FROM opportunities")!
        }
        #expect(opp[0] as Bool == true && opp[1] as String == "2024-02-01" && opp[2] as Int64 == 1_200_000)
    }

    @Test("constraints reject impossible rows and leave the store unchanged")
    func constraints() throws {
        let store = try SQLiteStore.inMemory()
        var batch = handmadeBatch()
        batch.opportunities[0].accountId = 99  // no such account
        #expect(throws: DatabaseError.self) {
            try store.write { db in try SQLiteStore.insert(batch, source: "test", into: db) }
        }
        #expect(try store.tableCounts().values.allSatisfy { $0 == 0 })
    }

    @Test("opening a file that is not a store names the path and changes nothing")
    func corruptStore() throws {
        let folder = try temporaryFolder()
        let path = folder + "/garbage.sqlite"
        let garbage = Data("this is not a database, just text\n".utf8) + Data(repeating: 7, count: 4096)
        try garbage.write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteStore.open(path: path)
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .notAStore && error.path == path
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
        #expect(throws: StoreError.self) { try DemoLoader.build(at: path, size: .small, seed: 1, accountCount: 5) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["garbage.sqlite"])
    }

    @Test("an SQLite file of another application is refused")
    func foreignDatabase() throws {
        let folder = try temporaryFolder()
        let path = folder + "/other.sqlite"
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE invoices_of_someone_else(x)") }
        try queue.close()
        #expect(throws: StoreError.self) { _ = try SQLiteStore.open(path: path) }
    }

    @Test("a demo into a missing folder fails with the path and writes nothing")
    func unwritablePath() throws {
        let folder = try temporaryFolder()
        let path = folder + "/no/such/folder/store.sqlite"
        #expect {
            try DemoLoader.build(at: path, size: .small, seed: 1, accountCount: 5)
        } throws: { error in
            (error as? StoreError)?.code == .cannotOpen && (error as? StoreError)?.path == path
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test("the demo loader stores exactly what the generator made, deterministically")
    func demoLoad() throws {
        let folder = try temporaryFolder()
        let first = folder + "/a.sqlite"
        let second = folder + "/b.sqlite"
        let result = try DemoLoader.build(at: first, size: .small, seed: 5, accountCount: 120)
        _ = try DemoLoader.build(at: second, size: .small, seed: 5, accountCount: 120)
        let a = try SQLiteStore.open(path: first)
        let b = try SQLiteStore.open(path: second)
        let counts = try a.tableCounts()
        #expect(counts["accounts"] == 120 + result.truth.duplicatePairs.count)
        #expect(counts["people"] == result.truth.counts.people)
        #expect(counts["touches"] == result.truth.counts.touches)
        #expect(counts["opportunities"] == result.truth.counts.opportunities)
        #expect(counts.values.reduce(0, +) == result.rows + 5 + 1)  // + meta rows + data source row
        #expect(try a.metaValue("origin") == "demo")
        #expect(try a.metaValue("data_through") == "2026-10-31")
        for table in Schema.tableNames where table != "data_sources" {
            let sql = "SELECT * FROM \(table) ORDER BY 1, 2"
            let rowsA = try a.write { db in try Row.fetchAll(db, sql: sql) }
            let rowsB = try b.write { db in try Row.fetchAll(db, sql: sql) }
            #expect(rowsA == rowsB, "table \(table) differs between two runs with the same seed")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains("building") }.isEmpty)
        // Touches and usage are built in a side file and moved in: their indexes are all there and agree with
        // the rows (integrity_check compares every index entry with its table).
        let check = try a.write { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(check == ["ok"])
        let indexes = try a.write { db in
            try String.fetchAll(
                db,
                sql:
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'touches' AND sql IS NOT NULL ORDER BY name"
            )
        }
        #expect(indexes == ["touches_account", "touches_external", "touches_occurred", "touches_person"])
    }

    @Test("touch counts from one scan equal SQL's GROUP BY row for row, NULL segments and campaigns included")
    func touchCountsByScanning() throws {
        let path = try temporaryFolder() + "/t.sqlite"
        _ = try DemoLoader.build(at: path, size: .small, seed: 3, accountCount: 40)
        let store = try SQLiteStore.open(path: path)
        // Accounts without a segment, touches without a campaign and without an account: every NULL the
        // grouping meets.
        try store.write { db in
            try db.execute(sql: "UPDATE accounts SET segment = NULL WHERE id % 3 = 0")
            try db.execute(sql: "UPDATE touches SET campaign_id = NULL WHERE id % 5 = 0")
            try db.execute(sql: "UPDATE touches SET account_id = NULL WHERE id % 7 = 0")
            // One channel in two spellings (composed and decomposed é): SQL keeps them apart, so must the scan.
            try db.execute(sql: "UPDATE touches SET channel = 'Caf' || char(233) WHERE id % 11 = 0")
            try db.execute(sql: "UPDATE touches SET channel = 'Cafe' || char(769) WHERE id % 13 = 0")
        }
        let scanned = try store.touchCounts()
        let grouped = try store.query { try $0.touchCountsGroupedInSQL() }
        #expect(scanned.count > 100)
        #expect(scanned.contains { $0.segment == nil } && scanned.contains { $0.campaignId == nil })
        #expect(scanned == grouped)
        #expect(Set(scanned.map { Array($0.channel.utf8) }).filter { $0.starts(with: Array("Caf".utf8)) }.count == 2)
        #expect(scanned.map(\.count).reduce(0, +) == (try store.tableCounts()["touches"]))
    }

    @Test("a privately built store writes without a WAL, still rolls back, and is placed in WAL mode")
    func privateBuild() throws {
        let path = try temporaryFolder() + "/new.sqlite.importing-1"
        let store = try SQLiteStore.createPrivate(path: path)
        #expect(try store.write { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "memory")
        try store.write { db in
            for i in 0..<5_000 {
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?)", arguments: ["k\(i)", "v"])
            }
        }
        // A failed write is undone (the importer's all-or-nothing rests on it), and no write-ahead log is kept.
        #expect(throws: (any Error).self) {
            try store.write { db in
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('rolled-back', 'x')")
                try db.execute(sql: "INSERT INTO no_such_table VALUES (1)")
            }
        }
        #expect(try store.metaValue("rolled-back") == nil && store.metaValue("k4999") == "v")
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        try store.close()
        let reopened = try SQLiteStore.open(path: path)
        #expect(try reopened.write { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        #expect(try reopened.write { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") } == ["ok"])
        #expect(try reopened.metaValue("k0") == "v")
    }

    @Test("a store with imported data is not replaced by the demo without --replace")
    func refusesToReplaceImportedData() throws {
        let folder = try temporaryFolder()
        let path = folder + "/store.sqlite"
        let store = try SQLiteStore.create(path: path)
        try store.write { db in try SQLiteStore.insert(handmadeBatch(), source: "csv", into: db) }
        #expect {
            try DemoLoader.build(at: path, size: .small, seed: 1, accountCount: 5)
        } throws: { error in (error as? StoreError)?.code == .notEmpty }
        #expect(try SQLiteStore.open(path: path).tableCounts()["accounts"] == 2)
        _ = try DemoLoader.build(at: path, size: .small, seed: 1, accountCount: 5, replace: true)
        #expect(try SQLiteStore.open(path: path).metaValue("origin") == "demo")
    }

    @Test("docs/data-model.md documents every table and column")
    func dataModelDocumented() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/data-model.md"), encoding: .utf8)
        let store = try SQLiteStore.inMemory()
        try store.write { db in
            for table in Schema.tableNames {
                #expect(
                    doc.contains("`\(table)`") || doc.contains("## \(table)"),
                    "table \(table) missing from docs/data-model.md")
                for column in try db.columns(in: table) {
                    #expect(
                        doc.contains("`\(column.name)`") || doc.contains("| \(column.name) "),
                        "column \(table).\(column.name) missing")
                }
            }
        }
    }
}
