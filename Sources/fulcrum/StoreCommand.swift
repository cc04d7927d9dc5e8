import ArgumentParser
import Foundation
import FulcrumStore

extension Fulcrum {
    /// `fulcrum store`: the store itself — its schema migrations, and moving it between backends.
    struct StoreCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store",
            abstract:
                "Manage the store: apply schema migrations, export it as CSV, copy it between SQLite and PostgreSQL, shard it.",
            subcommands: [Migrate.self, Export.self, Copy.self, Shard.self]
        )

        struct Migrate: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Show the store's pending schema migrations and apply them (SQLite file or PostgreSQL).",
                discussion: """
                    Every other command applies pending migrations when it opens a store; this one shows them \
                    first. With --dry-run nothing is changed.
                    """
            )

            @OptionGroup var storeOptions: StoreOptions

            @Flag(help: "Only list the pending migrations.")
            var dryRun = false

            func run() throws {
                let location: String
                let pending: [String]
                if storeOptions.isPostgres {
                    let store = try runReportingErrors {
                        try PostgresStore.open(try PostgresAddress(storeOptions.resolvedPath.path), migrate: false)
                    }
                    defer { store.close() }
                    location = store.location
                    pending = try runReportingErrors { try store.pendingMigrations() }
                    if !dryRun { try runReportingErrors { try store.migrate() } }
                } else {
                    location = storeOptions.resolvedPath.path
                    pending = try runReportingErrors { try SQLiteStore.pendingMigrations(path: location) }
                    if !dryRun, !pending.isEmpty { _ = try runReportingErrors { try SQLiteStore.open(path: location) } }
                }
                if pending.isEmpty {
                    print("\(location): schema up to date")
                    return
                }
                print("\(location): \(pending.count) pending migration\(pending.count == 1 ? "" : "s")")
                for id in pending { print("  \(id)") }
                print(dryRun ? "Nothing applied (--dry-run)." : "Applied.")
            }
        }

        struct Export: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write every table of the store as canonical CSV files (docs/data-model.md).",
                discussion: """
                    fulcrum store export --to DIR writes one file per table (the columns of docs/data-model.md, \
                    rows in key order, RFC 4180, UTF-8; text cells starting with = + - @ are prefixed with an \
                    apostrophe), so DuckDB, pandas or a spreadsheet read the same data, and `fulcrum import DIR` \
                    rebuilds the store from them. A PostgreSQL store is first copied to a private SQLite file \
                    (one read transaction), then written out.
                    """
            )

            @OptionGroup var storeOptions: StoreOptions

            @Option(help: "The folder to write the CSV files into (created when missing; files in it are replaced).")
            var to: String

            func run() throws {
                try CSVExporter.checkTarget(to, option: "--to")
                let files: [String]
                if storeOptions.isPostgres {
                    files = try runReportingErrors {
                        let store = try storeOptions.openPostgres()
                        defer { store.close() }
                        return try store.sqliteSnapshot { try CSVExporter.export(store: $0, to: to) }
                    }
                } else {
                    let store = try storeOptions.openSQLiteForReading("store export")
                    files = try runReportingErrors { try CSVExporter.export(store: store, to: to) }
                }
                print("Exported \(files.count) tables to \(to)")
            }
        }

        struct Copy: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Copy a whole store from SQLite to PostgreSQL (or back), in one transaction.",
                discussion: """
                    fulcrum store copy --from ~/.fulcrum/fulcrum.sqlite --to postgres://analyst@db:5432/fulcrum
                    moves a team from the embedded store to the server: rows go through COPY inside one \
                    transaction, so the target shows the old contents or the new ones, never a mix, and a copy \
                    that fails or is killed leaves it as it was. A target that already holds accounts is only \
                    overwritten with --replace. The password comes from PGPASSWORD or ~/.pgpass.
                    """
            )

            @Option(help: "The store to copy: a SQLite file or a postgres:// address.")
            var from: String

            @Option(help: "Where to copy it: a postgres:// address or a SQLite file (created when missing).")
            var to: String

            @Flag(help: "Overwrite a target that already holds accounts.")
            var replace = false

            func run() throws {
                let counts: [String: Int]
                switch (PostgresAddress.isAddress(from), PostgresAddress.isAddress(to)) {
                case (false, true):
                    counts = try runReportingErrors {
                        let source = try SQLiteStore.openForReading(path: from)
                        let target = try PostgresStore.open(try PostgresAddress(to))
                        defer { target.close() }
                        return try StoreCopy.copy(from: source, to: target, replace: replace)
                    }
                case (true, false):
                    counts = try runReportingErrors {
                        let source = try PostgresStore.open(try PostgresAddress(from))
                        defer { source.close() }
                        if FileManager.default.fileExists(atPath: to), !replace,
                            try SQLiteStore.openForReading(path: to).tableCounts()["accounts", default: 0] > 0
                        {
                            throw StoreError(.notEmpty, path: to, reason: "holds accounts already; pass --replace")
                        }
                        let target = try SQLiteStore.create(path: to)
                        let counts = try StoreCopy.copy(from: source, to: target)
                        try target.close()
                        return counts
                    }
                default:
                    throw ValidationError(
                        "--from and --to: copy from a SQLite file to a postgres:// address or back, got '\(from)' and '\(to)'"
                    )
                }
                let total = counts.values.reduce(0, +)
                print("Copied \(total) rows in \(counts.filter { $0.value > 0 }.count) tables to \(describe(to)).")
            }

            /// The target as messages show it (a postgres address without any secret).
            private func describe(_ target: String) -> String {
                PostgresAddress.isAddress(target) ? ((try? PostgresAddress(target))?.description ?? target) : target
            }
        }

        struct Shard: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Spread a PostgreSQL store's fact tables across other PostgreSQL servers, by account.",
                discussion: """
                    fulcrum store shard --store postgres://u@coordinator/fulcrum --shard postgres://u@a/fulcrum \
                    --shard postgres://u@b/fulcrum
                    hash-partitions every fact table by account_id, each partition a table on a shard server \
                    reached through postgres_fdw; the store keeps its address, and every report reads the same \
                    numbers, with per-account roll-ups run on the shards side by side (partition-wise \
                    aggregation, async foreign scans). Shard databases must be empty; they get the store's \
                    schema. One transaction: a failure leaves the store as it was. See docs/scaling.md for the \
                    Citus equivalent.
                    """
            )

            @OptionGroup var storeOptions: StoreOptions

            @Option(help: "A shard database, postgres://USER@HOST:PORT/DB (repeat; at least two).")
            var shard: [String] = []

            func run() throws {
                guard storeOptions.isPostgres else {
                    throw ValidationError("--store: sharding needs a PostgreSQL store (postgres://…)")
                }
                let counts = try runReportingErrors {
                    let store = try storeOptions.openPostgres()
                    defer { store.close() }
                    return try StoreShards.shard(store, across: try shard.map { try PostgresAddress($0) })
                }
                for (address, rows) in zip(shard, counts) {
                    let description = (try? PostgresAddress(address).description) ?? address
                    print(
                        "\(description): \(rows["accounts", default: 0]) accounts, \(rows.values.reduce(0, +)) rows")
                }
            }
        }
    }
}
