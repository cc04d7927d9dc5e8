import Foundation
import FulcrumCore
import GRDB
import Testing

@testable import FulcrumStore

/// A store written by the first schema (deals required an account, no people.website,
/// no account_merges.undone_by) is upgraded in place when opened, keeping every row
/// and every reference.
@Suite("SQLite store: schema upgrade")
struct SchemaUpgradeTests {
    /// The v1 DDL, recovered from today's by undoing the v2 changes.
    static let v1Tables: [String] = Schema.tables.map { ddl in
        ddl.replacingOccurrences(
            of: "CREATE TABLE opportunities (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES",
            with: "CREATE TABLE opportunities (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES"
        )
        .replacingOccurrences(
            of: "opportunity_id INTEGER NOT NULL REFERENCES opportunities(id),\n  account_id INTEGER REFERENCES",
            with:
                "opportunity_id INTEGER NOT NULL REFERENCES opportunities(id),\n  account_id INTEGER NOT NULL REFERENCES"
        )
        .replacingOccurrences(of: " website TEXT,", with: "")
        .replacingOccurrences(of: ", undone_by TEXT)", with: ")")
        .replacingOccurrences(of: " first_response_at TEXT,", with: "")
    }

    @Test("the v1 DDL really is the old one (the upgrade has something to do)")
    func fixtureIsOld() {
        #expect(Self.v1Tables != Schema.tables)
        #expect(
            Self.v1Tables.contains { $0.contains("opportunities (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL") }
        )
        #expect(
            Self.v1Tables.contains {
                $0.contains(
                    "opportunity_id INTEGER NOT NULL REFERENCES opportunities(id),\n  account_id INTEGER NOT NULL")
            })
        #expect(
            !Self.v1Tables.contains {
                $0.contains("website") || $0.contains("undone_by") || $0.contains("first_response_at")
            })
    }

    @Test("opening a v1 store upgrades it: deals may lack an account, rows, indexes and references kept")
    func upgradesV1Store() throws {
        let path = try temporaryFolder() + "/v1.sqlite"
        do {
            let queue = try DatabaseQueue(path: path)
            var migrator = DatabaseMigrator()
            migrator.registerMigration(Schema.tablesMigration) { db in for s in Self.v1Tables { try db.execute(sql: s) }
            }
            migrator.registerMigration(Schema.indexesMigration) { db in
                for s in Schema.indexes { try db.execute(sql: s) }
            }
            try migrator.migrate(queue)
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO accounts (id, name, created_on) VALUES (1, 'Acme', '2024-01-01');
                        INSERT INTO opportunities (id, account_id, type, product, amount_minor, currency, created_on, stage, is_closed, is_won, source, external_id)
                          VALUES (7, 1, 'new', 'Core', 120000, 'USD', '2024-01-02', 'Closed Won', 1, 1, 'crm', 'O-7');
                        INSERT INTO opportunity_stages (id, opportunity_id, account_id, stage, entered_at) VALUES (1, 7, 1, 'Closed Won', '2024-01-05T00:00:00Z');
                        INSERT INTO subscriptions (id, account_id, opportunity_id, plan, product, interval, amount_minor, currency, status, started_on)
                          VALUES (3, 1, 7, 'Growth', 'Core', 'month', 10000, 'USD', 'active', '2024-01-05');
                        INSERT INTO account_merges (winner_id, loser_id, merged_at, actor, reason) VALUES (1, 1, '2024-01-01T00:00:00Z', 'x', 'y');
                        """)
                let notNull = try db.columns(in: "opportunities").first { $0.name == "account_id" }?.isNotNull
                #expect(notNull == true)
            }
        }
        let store = try SQLiteStore.open(path: path)
        #expect(try store.appliedMigrations().contains(Schema.upgradeMigration))
        // Tickets gained support's first reply (v4): the column is added, existing rows keep NULL.
        #expect(try store.appliedMigrations().contains(Schema.ticketResponseMigration))
        try store.write { db in
            for table in ["opportunities", "opportunity_stages"] {
                #expect(
                    try db.columns(in: table).first { $0.name == "account_id" }?.isNotNull == false,
                    "\(table).account_id")
            }
            #expect(try db.columns(in: "people").contains { $0.name == "website" })
            #expect(try db.columns(in: "account_merges").contains { $0.name == "undone_by" })
            // Rows kept; references from other tables still name `opportunities`, not a temporary table.
            #expect(try String.fetchOne(db, sql: "SELECT external_id FROM opportunities WHERE id = 7") == "O-7")
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM opportunity_stages WHERE opportunity_id = 7") == 1)
            for table in ["opportunity_stages", "subscriptions", "activities"] {
                let targets = try String.fetchAll(
                    db, sql: "SELECT \"table\" FROM pragma_foreign_key_list(?)", arguments: [table])
                #expect(
                    targets.contains("opportunities") && !targets.contains { $0.hasSuffix("_v2") },
                    "\(table): \(targets)")
            }
            #expect(try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") == nil)
            // The indexes of the rebuilt tables are back, the unique (source, external_id) key among them.
            let indexes = try String.fetchAll(
                db,
                sql:
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('opportunities', 'opportunity_stages')"
            )
            for name in [
                "opportunities_external", "opportunities_account", "opportunities_owner", "opportunities_closed",
                "opportunity_stages_external", "opportunity_stages_opportunity",
            ] {
                #expect(indexes.contains(name), "index \(name) missing: \(indexes)")
            }
            // A deal without an account can be stored now.
            try db.execute(
                sql: """
                    INSERT INTO opportunities (id, type, product, amount_minor, currency, created_on, stage, is_closed, is_won)
                    VALUES (8, 'new', 'Core', 0, 'USD', '2024-02-01', 'Open', 0, 0)
                    """)
        }
        // Reopening does not run it again, and a fresh store's layout equals the upgraded one's (column order aside).
        _ = try SQLiteStore.open(path: path)
        let fresh = try SQLiteStore.inMemory()
        func layout(_ store: SQLiteStore) throws -> [String: Set<String>] {
            try store.write { db in
                var result: [String: Set<String>] = [:]
                for table in Schema.tableNames {
                    result[table] = Set(try db.columns(in: table).map { "\($0.name) \($0.type) \($0.isNotNull)" })
                }
                return result
            }
        }
        #expect(try layout(store) == layout(fresh))
    }
}
