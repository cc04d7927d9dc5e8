import GRDB

/// References kept unresolved by earlier imports (see `RowWriter.softTargets`), filled in once the records
/// they name have arrived, and counted for the import summary and `fulcrum accounts unmatched`.
enum UnresolvedReferences {
    struct Group: Sendable, Equatable {
        var entity: String
        var column: String
        var target: String
        var rows: Int
    }

    /// Fills in every kept reference whose record the store now holds, and forgets those that were filled in
    /// (or whose row is gone). Table and column names come from the schema, never from a file.
    static func resolve(_ db: Database) throws {
        for group in try groups(db, source: nil) {
            guard Schema.tableNames.contains(group.entity), Schema.tableNames.contains(group.target),
                try db.columns(in: group.entity).contains(where: { $0.name == group.column })
            else { continue }
            try db.execute(
                sql: """
                    UPDATE \(group.entity) SET \(group.column) = t.id
                    FROM unresolved_references u JOIN \(group.target) t ON t.source = u.source AND t.external_id = u.key
                    WHERE u.entity = ? AND u.column_name = ? AND u.record_id = \(group.entity).id
                      AND \(group.entity).\(group.column) IS NULL
                    """, arguments: [group.entity, group.column])
            try db.execute(
                sql: """
                    DELETE FROM unresolved_references WHERE entity = ? AND column_name = ?
                      AND NOT EXISTS (SELECT 1 FROM \(group.entity) e WHERE e.id = record_id AND e.\(group.column) IS NULL)
                    """, arguments: [group.entity, group.column])
        }
    }

    /// What stays unresolved, per table, column and missing table (for one source, or all).
    static func groups(_ db: Database, source: String?) throws -> [Group] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT entity, column_name, target, count(*) FROM unresolved_references
                WHERE ? IS NULL OR source = ? GROUP BY entity, column_name, target ORDER BY entity, column_name
                """, arguments: [source, source]
        ).map { Group(entity: $0[0], column: $0[1], target: $0[2], rows: $0[3]) }
    }
}
