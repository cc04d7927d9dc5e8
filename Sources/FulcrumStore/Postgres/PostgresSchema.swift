import Foundation

/// The PostgreSQL layout of the store: the same logical model as SQLite's (`Schema`), keyed so it can be
/// distributed by account.
///
/// It is derived from the SQLite DDL, so a column added there is a column here, with these changes:
/// - Types: INTEGER is BIGINT, REAL is DOUBLE PRECISION; text stays text (days, instants and months keep
///   their ISO forms, so every comparison and `substr` means the same on both backends).
/// - Fact tables (`distributed`) lead every primary key and every unique index with `account_id` (accounts
///   with `id`), so each can be hash-distributed by account (Citus' `create_distributed_table`) or
///   hash-partitioned by it, and a row's account decides its shard. A distribution column cannot be NULL, so
///   "no account yet" (a free-mail lead, an unmatched deal) is account 0 here; the shared queries read
///   `NULLIF(account_id, 0)` and filter `account_id <> 0`, which mean the same on SQLite, where it is NULL.
/// - Reference tables (reps, campaigns, teams, spend, targets, FX, bookkeeping) are small and copied whole
///   to every node (`create_reference_table`).
/// - No foreign keys: a distributed database only enforces those that include the distribution column, and
///   every write reaches this store through the importer, which checks references before anything lands.
enum PostgresSchema {
    /// Fact tables and their distribution column.
    static let distributed: [String: String] = {
        var tables: [String: String] = ["accounts": "id"]
        for table in [
            "people", "touches", "opportunities", "opportunity_stages", "opportunity_products", "activities",
            "subscriptions", "subscription_changes", "subscription_status_periods", "invoices", "invoice_lines",
            "payments", "referrals", "tickets", "usage_daily", "survey_responses", "custom_fields",
            "experiment_assignments",
        ] {
            tables[table] = "account_id"
        }
        return tables
    }()

    /// Small tables every node holds whole.
    static let reference: [String] = [
        "meta", "data_sources", "teams", "reps", "campaigns", "spend", "fx_rates", "targets", "account_merges",
        "unresolved_references", "models", "experiments",
    ]

    /// Fact tables whose account may be unknown: there `account_id` 0 stands for SQLite's NULL.
    static let accountMayBeUnknown: Set<String> = [
        "people", "touches", "opportunities", "opportunity_stages", "opportunity_products", "activities",
        "custom_fields",
    ]

    /// Every table, in the order a copy writes them.
    static var tableNames: [String] { Schema.tableNames + ["models", "experiments", "experiment_assignments"] }

    /// The migrations, oldest first. An applied migration is never edited: a change is a new one.
    static let migrations: [(id: String, statements: [String])] = [
        ("pg-v1-tables", sqliteTables.map(table)),
        ("pg-v1-indexes", Schema.indexes.map(index)),
        // The store's version for servers that cache reports (PostgresStore.revision): one row, rewritten by every write.
        (
            "pg-v2-revision",
            [
                "CREATE TABLE fulcrum_revision (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL)",
                "INSERT INTO fulcrum_revision (id, value) VALUES (1, gen_random_uuid()::text)",
            ]
        ),
    ]

    /// Fulcrum's own bookkeeping on the server, outside the logical model (never copied, never sharded).
    static let bookkeeping: Set<String> = ["fulcrum_migrations", "fulcrum_revision"]

    /// Every CREATE TABLE of the SQLite schema, including the later migrations' tables.
    static var sqliteTables: [String] {
        Schema.tables + [Schema.modelsTable] + Schema.experimentsTables.filter { $0.contains("CREATE TABLE") }
    }

    /// The table's name in a CREATE TABLE statement.
    static func name(of statement: String) -> String {
        let words = statement.replacingOccurrences(of: "IF NOT EXISTS ", with: "").split(separator: " ")
        return String(words[2]).components(separatedBy: "(")[0]
    }

    /// SQLite's CREATE TABLE as PostgreSQL's, keyed for distribution.
    static func table(_ sqlite: String) -> String {
        let name = name(of: sqlite)
        var sql = sqlite.replacingOccurrences(of: "CREATE TABLE IF NOT EXISTS", with: "CREATE TABLE")
        sql = sql.replacingOccurrences(of: " WITHOUT ROWID", with: "")
        sql = replace(#"\s+REFERENCES\s+\w+\(\w+\)"#, in: sql, with: "")
        sql = replace(#"\bINTEGER\b"#, in: sql, with: "BIGINT")
        sql = replace(#"\bREAL\b"#, in: sql, with: "DOUBLE PRECISION")
        let key = distributed[name]
        var primaryKey: [String]? = nil
        if sql.contains("id BIGINT PRIMARY KEY") {
            sql = sql.replacingOccurrences(of: "id BIGINT PRIMARY KEY", with: "id BIGINT NOT NULL")
            primaryKey = ["id"]
        }
        if let range = sql.range(of: #",\s*PRIMARY KEY \(([^)]*)\)"#, options: .regularExpression) {
            let inner = sql[range].components(separatedBy: "(")[1].components(separatedBy: ")")[0]
            primaryKey = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            sql.removeSubrange(range)
        }
        if let key, key == "account_id" {
            if accountMayBeUnknown.contains(name) {
                sql = sql.replacingOccurrences(of: "account_id BIGINT,", with: "account_id BIGINT NOT NULL DEFAULT 0,")
                sql = sql.replacingOccurrences(
                    of: "account_id BIGINT\n", with: "account_id BIGINT NOT NULL DEFAULT 0\n")
            }
            primaryKey = [key] + (primaryKey ?? []).filter { $0 != key }
        }
        if name == "experiment_assignments" {
            // SQLite keeps assignment order in its rowid; here a column does.
            sql = sql.replacingOccurrences(
                of: "assigned_on TEXT NOT NULL",
                with: "assigned_on TEXT NOT NULL, seq BIGINT GENERATED BY DEFAULT AS IDENTITY")
        }
        if let primaryKey {
            let close = sql.lastIndex(of: ")")!
            sql.insert(contentsOf: ", PRIMARY KEY (\(primaryKey.joined(separator: ", ")))", at: close)
        }
        return sql
    }

    /// SQLite's CREATE INDEX as PostgreSQL's; a unique index on a fact table leads with its distribution column.
    static func index(_ sqlite: String) -> String {
        guard sqlite.hasPrefix("CREATE UNIQUE INDEX"),
            let on = sqlite.range(of: " ON "),
            let open = sqlite[on.upperBound...].firstIndex(of: "(")
        else { return sqlite }
        let table = String(sqlite[on.upperBound..<open])
        guard let key = distributed[table] else { return sqlite }
        var sql = sqlite
        sql.insert(contentsOf: "\(key), ", at: sql.index(after: open))
        return sql
    }

    private static func replace(_ pattern: String, in text: String, with replacement: String) -> String {
        text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
    }
}
