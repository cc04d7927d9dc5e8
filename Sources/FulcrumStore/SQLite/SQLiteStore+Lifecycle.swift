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
