import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumService
import FulcrumStore

/// `--store`, shared by every command that reads or writes a store.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Path of the store file, or a PostgreSQL store postgres://USER@HOST:PORT/DB (password from PGPASSWORD or ~/.pgpass) (default: $FULCRUM_STORE, else ~/.fulcrum/fulcrum.sqlite)."
    )
    var store: String?

    /// The path in force, and whether it is the default (whose folder we may create).
    var resolvedPath: (path: String, isDefault: Bool) {
        if let store { return (store, false) }
        if let env = ProcessInfo.processInfo.environment["FULCRUM_STORE"], !env.isEmpty { return (env, false) }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        return (home + "/.fulcrum/fulcrum.sqlite", true)
    }

    /// Whether the store in force is a PostgreSQL server rather than a file.
    var isPostgres: Bool { PostgresAddress.isAddress(resolvedPath.path) }

    /// For commands that only read: nothing is written to the store (a SQLite file may be read-only).
    /// Either backend: the reports read through the Store protocol.
    func openStoreForReading() throws -> any Store {
        if isPostgres { return try openPostgres() }
        return try runReportingErrors { try SQLiteStore.openForReading(path: resolvedPath.path) }
    }

    /// For commands that write only through the Store protocol (models, experiments): either backend.
    func openStoreForWriting() throws -> any Store {
        if isPostgres { return try openPostgres() }
        return try runReportingErrors { try SQLiteStore.open(path: resolvedPath.path) }
    }

    /// For the commands that still work on the SQLite file directly (identity merges and duplicates,
    /// exports): a PostgreSQL address is a clear error naming the command, not a crash.
    func openSQLiteForReading(_ command: String) throws -> SQLiteStore {
        try requireSQLite(command)
        return try runReportingErrors { try SQLiteStore.openForReading(path: resolvedPath.path) }
    }

    func openSQLiteForWriting(_ command: String) throws -> SQLiteStore {
        try requireSQLite(command)
        return try runReportingErrors { try SQLiteStore.open(path: resolvedPath.path) }
    }

    private func requireSQLite(_ command: String) throws {
        guard isPostgres else { return }
        FileHandle.standardError.write(
            Data(
                "fulcrum: error: --store: `fulcrum \(command)` works on the embedded SQLite store only so far; run it on a SQLite copy (fulcrum store copy --from \(resolvedPath.path) --to FILE)\n"
                    .utf8))
        throw ExitCode.failure
    }

    /// The PostgreSQL store named by `--store` / `FULCRUM_STORE`, migrated to the current schema.
    func openPostgres() throws -> PostgresStore {
        try runReportingErrors { try PostgresStore.open(try PostgresAddress(resolvedPath.path)) }
    }
}

/// Prints a store or model error as one line naming the place and exits 1;
/// argument errors keep swift-argument-parser's own message and exit code.
func runReportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as StoreError {
        FileHandle.standardError.write(Data("fulcrum: error: \(error.description)\n".utf8))
        throw ExitCode.failure
    }
}

/// Like `runReportingErrors`, and also for metric, revenue and configuration errors: one line naming
/// the parameter, file or data at fault, exit status 1.
func reportingMetricErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try runReportingErrors(body)
    } catch let error as MetricError {
        FileHandle.standardError.write(Data("fulcrum: error: \(error.description)\n".utf8))
        throw ExitCode.failure
    } catch let error as RevenueError {
        FileHandle.standardError.write(Data("fulcrum: error: \(error)\n".utf8))
        throw ExitCode.failure
    } catch let problem as LifecycleConfig.Problem {
        FileHandle.standardError.write(Data("fulcrum: error: \(problem)\n".utf8))
        throw ExitCode.failure
    }
}
