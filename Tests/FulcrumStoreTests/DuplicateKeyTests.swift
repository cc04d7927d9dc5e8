import Foundation
import FulcrumCore
import GRDB
import Testing

@testable import FulcrumStore

/// A file holds each record once: a second row with the same id would silently overwrite the
/// first, so it is a positioned error (all or nothing) or a rejected row (--skip-invalid).
@Suite("Import: the same id twice in one file")
struct DuplicateKeyTests {
    @Test(
        "refused at its line, whether its values differ or not, and nothing is written",
        arguments: StoreBackend.available)
    func refused(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write(
            "accounts.csv",
            "id,name,created_on\nA,Acme,2024-01-01\nB,Beta,2024-01-02\nA,Acme Corp,2024-01-03\nB,Beta,2024-01-02\n")
        let failure = try f.failure(["accounts.csv"])
        let file = f.folder + "/accounts.csv"
        #expect(
            failure.problems.map(\.description) == [
                "\(file):4:1: id 'A': an earlier row of this file has the same id; a file holds each record once",
                "\(file):5:1: id 'B': an earlier row of this file has the same id; a file holds each record once",
            ])
        #expect(try f.count("accounts") == 0)
    }

    @Test(
        "--skip-invalid keeps the first row and rejects the repeat; the general path (JSON Lines) agrees",
        arguments: StoreBackend.available)
    func skipInvalid(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("accounts.csv", "id,name,created_on\nA,Acme,2024-01-01\nA,Acme Corp,2024-01-03\n")
        try f.write(
            "people.jsonl",
            """
            {"id": "P", "account_id": "A", "email": "a@acme.com", "created_at": "2024-01-05T00:00:00Z", "status": "lead"}
            {"id": "P", "account_id": "A", "email": "b@acme.com", "created_at": "2024-01-05T00:00:00Z", "status": "lead"}

            """)
        let result = try f.run(["accounts.csv", "people.jsonl"]) {
            $0.skipInvalid = true
            $0.rejectFile = f.folder + "/rejects.csv"
        }
        #expect(result.files.map(\.rejected) == [1, 1])
        #expect(try f.one(String.self, "SELECT name FROM accounts") == "Acme")
        #expect(try f.one(String.self, "SELECT email FROM people") == "a@acme.com")
        let rejects = try String(contentsOfFile: f.folder + "/rejects.csv", encoding: .utf8)
        #expect(rejects.contains("an earlier row of this file has the same id"))
    }

    @Test(
        "a re-import of the same file, and a newer export of the same records, are not duplicates",
        arguments: StoreBackend.available)
    func reimportIsNotDuplicate(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("accounts.csv", "id,name,created_on\nA,Acme,2024-01-01\nB,Beta,2024-01-02\n")
        _ = try f.run(["accounts.csv"])
        _ = try f.run(["accounts.csv"])
        try f.write(
            "accounts.csv", "id,name,created_on\nA,Acme Corp,2024-01-01\nB,Beta,2024-01-02\nC,Gamma,2024-02-01\n")
        let newer = try f.run(["accounts.csv"])
        #expect(newer.files.first.map { [$0.inserted, $0.updated, $0.unchanged] } == [1, 1, 1])
        // ...but repeating an existing record twice within the newer export is.
        try f.write("accounts.csv", "id,name,created_on\nA,Acme One,2024-01-01\nA,Acme Two,2024-01-01\n")
        let failure = try f.failure(["accounts.csv"])
        #expect(
            failure.problems.first?.description.hasSuffix(
                "3:1: id 'A': an earlier row of this file has the same id; a file holds each record once") == true,
            "\(failure.problems)")
        #expect(try f.one(String.self, "SELECT name FROM accounts WHERE external_id = 'A'") == "Acme Corp")
    }

    @Test(
        "a Salesforce export with a repeated Id is refused too (mapped files, history kept)",
        arguments: StoreBackend.available)
    func mappedSource(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("Account.csv", "Id,Name,CreatedDate\n001A,Acme,2024-01-01T00:00:00.000+0000\n")
        try f.write(
            "Opportunity.csv",
            """
            Id,AccountId,StageName,Amount,CloseDate,IsClosed,IsWon,CreatedDate
            006A,001A,Prospecting,100,2024-03-01,false,false,2024-01-02T00:00:00.000+0000
            006A,001A,Negotiation,100,2024-03-01,false,false,2024-01-02T00:00:00.000+0000

            """)
        let failure = try f.failure(["Account.csv", "Opportunity.csv"]) { $0.kind = .salesforce }
        #expect(
            failure.problems.map(\.reason) == [
                "id '006A': an earlier row of this file has the same id; a file holds each record once"
            ])
        #expect(try f.count("opportunities") == 0 && f.count("opportunity_stages") == 0)
    }
}

/// A merge the source made and a person undid stays undone when the same export is imported again.
@Suite("Import: undone merges")
struct UndoneMergeImportTests {
    @Test(
        "re-importing Salesforce's MasterRecordId does not redo a merge undone with accounts unmerge",
        arguments: StoreBackend.available)
    func undoneMergeKept(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write(
            "Account.csv",
            """
            Id,Name,MasterRecordId,IsDeleted,CreatedDate
            001A,Acme,,false,2024-01-01T00:00:00.000+0000
            001B,Acme Inc,001A,true,2024-01-02T00:00:00.000+0000

            """)
        _ = try f.run(["Account.csv"]) { $0.kind = .salesforce }
        let a = try #require(try f.one(Int64.self, "SELECT id FROM accounts WHERE external_id = '001A'"))
        let b = try #require(try f.one(Int64.self, "SELECT id FROM accounts WHERE external_id = '001B'"))
        #expect(try f.one(Int64.self, "SELECT merged_into FROM accounts WHERE id = \(b)") == a)
        _ = try f.live.unmergeAccount(b, actor: "ana", at: SQLiteStore.now())
        f.refresh()
        let again = try f.run(["Account.csv"]) { $0.kind = .salesforce }
        #expect(try f.one(Int64.self, "SELECT merged_into FROM accounts WHERE id = \(b)") == nil, "the undo stands")
        #expect(again.files.first.map { [$0.updated, $0.unchanged] } == [0, 2])
        // A merge the source makes into another record is still applied.
        try f.write(
            "Account.csv",
            """
            Id,Name,MasterRecordId,IsDeleted,CreatedDate
            001A,Acme,,false,2024-01-01T00:00:00.000+0000
            001B,Acme Inc,001C,true,2024-01-02T00:00:00.000+0000
            001C,Acme Holdings,,false,2024-01-03T00:00:00.000+0000

            """)
        _ = try f.run(["Account.csv"]) { $0.kind = .salesforce }
        let c = try #require(try f.one(Int64.self, "SELECT id FROM accounts WHERE external_id = '001C'"))
        #expect(try f.one(Int64.self, "SELECT merged_into FROM accounts WHERE id = \(b)") == c)
    }
}
