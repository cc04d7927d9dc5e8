import FulcrumCore
import GRDB

/// Models and experiments: the few small tables commands write besides imports.
extension SQLiteStore {
    public func model(kind: String) throws -> String? {
        try writer.read { db in
            guard try db.tableExists("models") else { return nil }
            return try String.fetchOne(db, sql: "SELECT model FROM models WHERE kind = ?", arguments: [kind])
        }
    }

    public func saveModel(kind: String, trainedAt: String, json: String) throws {
        try writer.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO models (kind, trained_at, model) VALUES (?, ?, ?)",
                arguments: [kind, trainedAt, json])
        }
    }

    public func experiments() throws -> [(name: String, json: String)] {
        try writer.read { db in
            guard try db.tableExists("experiments") else { return [] }
            return try Row.fetchAll(db, sql: "SELECT name, definition FROM experiments ORDER BY created_on, name").map {
                (name: $0[0] as String, json: $0[1] as String)
            }
        }
    }

    public func createExperiment(name: String, createdOn: String, json: String) throws {
        try writer.write { db in
            if try String.fetchOne(db, sql: "SELECT name FROM experiments WHERE name = ?", arguments: [name]) != nil {
                throw StoreError(
                    .refused, path: location,
                    reason:
                        "experiment '\(name)' exists; experiments are never changed after creation, pick another name")
            }
            try db.execute(
                sql: "INSERT INTO experiments (name, created_on, definition) VALUES (?, ?, ?)",
                arguments: [name, createdOn, json])
        }
    }

    public func experimentAssignments(_ experiment: String) throws -> [ExperimentAssignment.Entry] {
        try writer.read { db in
            guard try db.tableExists("experiment_assignments") else { return [] }
            return try Row.fetchAll(
                db,
                sql: "SELECT account_id, arm, stratum FROM experiment_assignments WHERE experiment = ? ORDER BY rowid",
                arguments: [experiment]
            ).map { ExperimentAssignment.Entry(accountId: $0[0], arm: $0[1], stratum: $0[2]) }
        }
    }

    public func addExperimentAssignments(_ experiment: String, _ entries: [ExperimentAssignment.Entry], on: String)
        throws
    {
        try writer.write { db in
            let statement = try db.makeStatement(
                sql:
                    "INSERT INTO experiment_assignments (account_id, experiment, arm, stratum, assigned_on) VALUES (?, ?, ?, ?, ?)"
            )
            for e in entries {
                try statement.execute(arguments: [e.accountId, experiment, e.arm, e.stratum, on])
            }
        }
    }
}

/// One record of an account as its source knows it: what `fulcrum accounts show` lists as its identity.
public struct AccountSourceRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var source: String
    public var externalId: String?
    public var name: String
    public var domain: String?
    public var mergedInto: Int64?
}

extension SQLiteStore {
    /// Accounts a user may mean by `text`: a store id, `source:external_id`, an external id, a domain, an
    /// exact name (any case), else names containing the text (case-insensitive for ASCII); at most `limit`
    /// records, store ids ascending — enough for a caller to tell one account from several after merges.
    /// Every value is bound, never spliced into the SQL.
    public func findAccounts(_ text: String, limit: Int = 500) throws -> [AccountSourceRecord] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return try writer.read { db in
            func fetch(_ condition: String, _ arguments: StatementArguments) throws -> [AccountSourceRecord] {
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, source, external_id, name, domain, merged_into FROM accounts WHERE \(condition)
                        ORDER BY id LIMIT ?
                        """, arguments: arguments + [limit]
                ).map {
                    AccountSourceRecord(
                        id: $0[0], source: $0[1], externalId: $0[2], name: $0[3], domain: $0[4], mergedInto: $0[5])
                }
            }
            if let id = Int64(trimmed) {
                let found = try fetch("id = ?", [id])
                if !found.isEmpty { return found }
            }
            if let colon = trimmed.firstIndex(of: ":") {
                let found = try fetch(
                    "source = ? AND external_id = ?",
                    [String(trimmed[..<colon]), String(trimmed[trimmed.index(after: colon)...])])
                if !found.isEmpty { return found }
            }
            for (condition, value) in [
                ("external_id = ?", trimmed), ("lower(domain) = lower(?)", trimmed),
                ("lower(name) = lower(?)", trimmed),
            ] {
                let found = try fetch(condition, [value])
                if !found.isEmpty { return found }
            }
            let pattern =
                "%"
                + trimmed.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            return try fetch("name LIKE ? ESCAPE '\\'", [pattern])
        }
    }

    /// The account and every record merged into it (directly or through a chain), as their sources know them.
    public func accountRecords(of id: Int64) throws -> [AccountSourceRecord] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE family(id) AS (SELECT ? UNION SELECT a.id FROM accounts a JOIN family f ON a.merged_into = f.id)
                    SELECT a.id, a.source, a.external_id, a.name, a.domain, a.merged_into FROM accounts a JOIN family f ON f.id = a.id
                    ORDER BY a.id
                    """, arguments: [id]
            ).map {
                AccountSourceRecord(
                    id: $0[0], source: $0[1], externalId: $0[2], name: $0[3], domain: $0[4], mergedInto: $0[5])
            }
        }
    }

    /// Touches and people of these account records: counts and the first and last touch.
    public func engagement(of ids: [Int64]) throws -> (people: Int, touches: Int, first: String?, last: String?) {
        try writer.read { db in
            let marks = ids.map { _ in "?" }.joined(separator: ", ")
            let people =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM people WHERE account_id IN (\(marks))",
                    arguments: StatementArguments(ids)) ?? 0
            let row = try Row.fetchOne(
                db,
                sql: "SELECT count(*), min(occurred_at), max(occurred_at) FROM touches WHERE account_id IN (\(marks))",
                arguments: StatementArguments(ids))
            return (people, row?[0] ?? 0, row?[1], row?[2])
        }
    }
}
