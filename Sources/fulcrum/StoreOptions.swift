import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumService
import FulcrumStore

/// `--store`, shared by every command that reads or writes a store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Path of the store file (default: $FULCRUM_STORE, else ~/.fulcrum/fulcrum.sqlite).")
    var store: String?

    /// The path in force, and whether it is the default (whose folder we may create).
    var resolvedPath: (path: String, isDefault: Bool) {
        if let store { return (store, false) }
        if let env = ProcessInfo.processInfo.environment["FULCRUM_STORE"], !env.isEmpty { return (env, false) }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        return (home + "/.fulcrum/fulcrum.sqlite", true)
    }

    /// For commands that only read: nothing is written to the store (it may be read-only).
    func openStoreForReading() throws -> SQLiteStore {
        try runReportingErrors { try SQLiteStore.openForReading(path: resolvedPath.path) }
    }

    /// For commands that change the store (merge, unmerge, resolve).
    func openStoreForWriting() throws -> SQLiteStore {
        try runReportingErrors { try SQLiteStore.open(path: resolvedPath.path) }
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
