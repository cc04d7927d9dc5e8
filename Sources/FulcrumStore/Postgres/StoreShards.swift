import Foundation

/// Scale-out with core PostgreSQL: the fact tables hash-partitioned by account, each partition a table on
/// another PostgreSQL server reached through postgres_fdw.
///
/// The store keeps its name and its queries; only where the fact rows live changes. Each shard server holds
/// the same schema (it is migrated like any store) and the rows of the accounts that hash to it, so a
/// per-account roll-up (`GROUP BY account_id`) runs on every shard at once: partition-wise aggregation sends
/// the GROUP BY to the shards and async foreign scans read them in parallel. Citus does the same with
/// `create_distributed_table` (docs/scaling.md); this is the layout a team can run without it.
public enum StoreShards {
    /// Fact tables that stay on the coordinator: experiment assignments are few, and PostgreSQL 15 cannot
    /// partition a table with an identity column.
    static let keptLocal: Set<String> = ["experiment_assignments"]

    /// The fact tables that are spread across the shards, with their distribution column.
    public static var shardedTables: [(table: String, key: String)] {
        PostgresSchema.tableNames.compactMap { table in
            guard let key = PostgresSchema.distributed[table], !keptLocal.contains(table) else { return nil }
            return (table, key)
        }
    }

    /// Spreads `store`'s fact tables across `shards` (each an empty database, or a previous shard of this
    /// store) in one transaction on the coordinator: the rows move to the shards, and a failure leaves the
    /// store as it was. Returns the rows now on each shard, per table.
    @discardableResult
    public static func shard(_ store: PostgresStore, across shards: [PostgresAddress]) throws -> [[String: Int]] {
        guard shards.count >= 2 else {
            throw StoreError(.refused, path: "--shard", reason: "name at least two shard databases")
        }
        if try store.metaValue("shards") != nil {
            throw StoreError(.refused, path: store.location, reason: "is sharded already")
        }
        for shard in shards {
            let target = try PostgresStore.open(shard)
            defer { target.close() }
            if try target.tableCounts().values.contains(where: { $0 > 0 }) {
                throw StoreError(.notEmpty, path: shard.description, reason: "a shard database must be empty")
            }
        }
        try store.write { runner in
            try runner.execute("CREATE EXTENSION IF NOT EXISTS postgres_fdw", [])
            for (i, shard) in shards.enumerated() {
                let server = "fulcrum_shard_\(i)"
                try runner.execute("DROP SERVER IF EXISTS \(server) CASCADE", [])
                try runner.execute(
                    """
                    CREATE SERVER \(server) FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host \(literal(shard.host)),
                      port \(literal(String(shard.port))), dbname \(literal(shard.database)), async_capable 'true',
                      fetch_size '10000', batch_size '1000')
                    """, [])
                var mapping = "user \(literal(shard.user))"
                if let password = shard.password() { mapping += ", password \(literal(password))" }
                try runner.execute("CREATE USER MAPPING FOR CURRENT_USER SERVER \(server) OPTIONS (\(mapping))", [])
            }
            for (table, key) in shardedTables {
                try runner.execute("ALTER TABLE \(table) RENAME TO \(table)_unsharded", [])
                try runner.execute(
                    """
                    CREATE TABLE \(table) (LIKE \(table)_unsharded INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
                    PARTITION BY HASH (\(key))
                    """, [])
                for i in shards.indices {
                    try runner.execute(
                        """
                        CREATE FOREIGN TABLE \(table)_shard_\(i) PARTITION OF \(table)
                        FOR VALUES WITH (MODULUS \(shards.count), REMAINDER \(i))
                        SERVER fulcrum_shard_\(i) OPTIONS (table_name '\(table)')
                        """, [])
                }
                try runner.execute("INSERT INTO \(table) SELECT * FROM \(table)_unsharded", [])
                try runner.execute("DROP TABLE \(table)_unsharded", [])
            }
            try runner.execute(
                "INSERT INTO meta (key, value) VALUES ('shards', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [.text(shards.map(\.description).joined(separator: " "))])
            // Per-account roll-ups run on the shards side by side (new connections pick these up).
            for setting in ["enable_partitionwise_aggregate", "enable_partitionwise_join"] {
                try runner.execute(
                    "ALTER DATABASE \(quoted(store.address.database)) SET \(setting) = on", [])
            }
        }
        return try shards.map { shard in
            let target = try PostgresStore.open(shard)
            defer { target.close() }
            return try target.tableCounts().filter { $0.value > 0 }
        }
    }

    /// A SQL identifier, double-quoted.
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// A SQL string literal (DDL options cannot take bound parameters): quotes doubled.
    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
