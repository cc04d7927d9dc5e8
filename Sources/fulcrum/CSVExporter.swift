import ArgumentParser
import Foundation
import FulcrumStore

/// Writes every table of a store as canonical CSV (docs/data-model.md names the
/// files and columns), so DuckDB, pandas or a spreadsheet read the same data.
enum CSVExporter {
    /// Refuses a target that exists and is not a folder, before any work is done.
    static func checkTarget(_ path: String, option: String = "--export") throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            FileHandle.standardError.write(Data("fulcrum: error: \(option) \(path): exists and is not a folder\n".utf8))
            throw ExitCode.failure
        }
    }

    static func export(store: SQLiteStore, to directory: String) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(
                .cannotOpen, path: directory, reason: "cannot create the export folder (\(error.localizedDescription))")
        }
        return try store.exportCSV(to: directory)
    }
}
