import Foundation
import FulcrumCore
import Testing

@testable import FulcrumStore

/// A folder is imported file by file; what it holds besides exports is named, never silently left out.
@Suite("Import: folders")
struct ImportFolderTests {
    @Test(
        "other files in a folder are named in a note; hidden files and subfolders are not",
        arguments: StoreBackend.available)
    func skippedFilesNamed(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try FileManager.default.createDirectory(atPath: f.folder + "/exports/sub", withIntermediateDirectories: true)
        try f.write("exports/accounts.csv", "id,name,created_on\nA,Acme,2024-01-01\n")
        try f.write("exports/README.txt", "exported on Monday\n")
        try f.write("exports/.DS_Store", "x")
        let result = try f.run(["exports"])
        #expect(result.files.map(\.table) == ["accounts"])
        #expect(
            result.notes.contains(
                "skipped 1 file in the folder that is not .csv or .jsonl: \(f.folder)/exports/README.txt"),
            "\(result.notes)")
    }

    @Test(
        "a spreadsheet workbook in a folder is an error naming it, and nothing is written",
        arguments: StoreBackend.available)
    func workbookInFolder(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try FileManager.default.createDirectory(atPath: f.folder + "/exports", withIntermediateDirectories: true)
        try f.write("exports/accounts.csv", "id,name,created_on\nA,Acme,2024-01-01\n")
        try f.write("exports/deals.xlsx", "PK")
        let failure = try f.failure(["exports"])
        #expect(
            failure.problems.map(\.description) == [
                "\(f.folder)/exports/deals.xlsx:1:1: a spreadsheet workbook, not CSV or JSON Lines: save it as CSV (UTF-8), or move it out of the folder"
            ])
        #expect(try f.count("accounts") == 0)
    }
}
