import Foundation
import GRDB

/// What the importer knows about one canonical table, read from the live
/// schema (PRAGMA table_info and foreign_key_list) plus the `IN (...)` checks in
/// Schema.swift, so the import rules can never drift from the tables.
struct TableSpec {
    enum Kind: Equatable {
        case text, integer, real, bool, day, instant, month
        /// A reference to another table's row, given in the file by that row's key.
        case reference(String)
    }

    struct Column {
        let name: String
        let kind: Kind
        /// NOT NULL without a default: the file must give a value.
        let required: Bool
        /// The values a CHECK (... IN (...)) allows, if any.
        let allowed: [String]?
        /// The smallest value an integer column takes (`minimums`), if bounded.
        var minimum: Int64? = nil
        /// Holds an ISO 4217 code (checked as three capital letters).
        var isCurrency: Bool { name == "currency" || name.hasSuffix("_currency") }
    }

    let table: String
    /// Columns a file may set (not `id`, `source`, `external_id`).
    let columns: [Column]
    /// Tables keyed by `(source, external_id)`; the rest (fx_rates, usage_daily, custom_fields) by their primary key.
    let keyedByExternalId: Bool
    let primaryKey: [String]

    /// Column by name, through a dictionary built once (this runs for every cell of an import).
    func column(_ name: String) -> Column? { columnIndex[name].map { columns[$0] } }
    let columnIndex: [String: Int]

    /// Header names a canonical file may use.
    var fileColumns: Set<String> {
        var names = Set(columns.map(\.name))
        if keyedByExternalId {
            names.insert("id")
            names.insert("external_id")
        }
        return names
    }

    static let booleanColumns: Set<String> = ["is_closed", "is_won", "automated", "proration"]

    /// Lower bounds checked at import, so a bad amount is a positioned error there rather than a
    /// store CHECK message or a report that cannot value a negative price later. Invoice amounts,
    /// spend and targets may be negative (credit notes, corrections).
    static let minimums: [String: Int64] = [
        "subscriptions.amount_minor": 0, "subscriptions.quantity": 0, "subscriptions.interval_count": 1,
        "subscriptions.discount_amount_minor": 0, "subscriptions.discount_months": 1,
        "subscription_changes.amount_minor": 0, "subscription_changes.quantity": 0,
        "opportunities.amount_minor": 0, "payments.amount_minor": 0, "payments.refunded_minor": 0,
        "campaigns.budget_minor": 0, "accounts.employees": 0, "usage_daily.active_users": 0, "usage_daily.events": 0,
    ]

    static func kind(name: String, type: String) -> Kind {
        if booleanColumns.contains(name) { return .bool }
        if name == "month" { return .month }
        if name == "day" || name.hasSuffix("_on") || ["period_start", "period_end", "cancel_at"].contains(name) {
            return .day
        }
        if name.hasSuffix("_at") { return .instant }
        switch type.uppercased() {
        case "INTEGER": return .integer
        case "REAL": return .real
        default: return .text
        }
    }

    /// Every importable table (all but meta, data_sources and account_merges), read from the store.
    static func load(_ db: Database) throws -> [String: TableSpec] {
        let allowed = allowedValues()
        var specs: [String: TableSpec] = [:]
        for table in Schema.tableNames where !Schema.bookkeepingTables.contains(table) {
            var references: [String: String] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT \"from\", \"table\" FROM pragma_foreign_key_list(?)", arguments: [table])
            {
                references[row[0]] = row[1]
            }
            var columns: [Column] = []
            var primaryKey: [(Int, String)] = []
            for row in try Row.fetchAll(
                db, sql: "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)", arguments: [table])
            {
                let name: String = row[0]
                let pk: Int = row[4]
                if pk > 0 { primaryKey.append((pk, name)) }
                if ["id", "source", "external_id"].contains(name) { continue }
                let kind = references[name].map(Kind.reference) ?? kind(name: name, type: row[1])
                let notNull: Bool = row[2]
                let hasDefault = (row[3] as String?) != nil
                columns.append(
                    Column(
                        name: name, kind: kind, required: notNull && !hasDefault, allowed: allowed["\(table).\(name)"],
                        minimum: minimums["\(table).\(name)"]))
            }
            specs[table] = TableSpec(
                table: table, columns: columns, keyedByExternalId: Schema.importable.contains(table),
                primaryKey: primaryKey.sorted { $0.0 < $1.0 }.map(\.1),
                columnIndex: Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.name, $0) }))
        }
        return specs
    }

    /// `table.column` → allowed values, parsed from `CHECK (column IN ('a','b'))` in the schema SQL.
    static func allowedValues() -> [String: [String]] {
        var result: [String: [String]] = [:]
        for statement in Schema.tables {
            guard let table = statement.split(separator: " ").dropFirst(2).first.map(String.init) else { continue }
            var rest = Substring(statement)
            while let check = rest.range(of: "CHECK (") {
                rest = rest[check.upperBound...]
                let words = rest.prefix { $0 != ")" }
                let parts = words.components(separatedBy: " IN (")
                guard parts.count == 2 else { continue }
                let column = parts[0].trimmingCharacters(in: .whitespaces)
                let values = parts[1].split(separator: ",").map {
                    $0.trimmingCharacters(in: CharacterSet(charactersIn: "' "))
                }
                result["\(table).\(column)"] = values
            }
        }
        return result
    }
}
