import Foundation
import FulcrumCore
import FulcrumImport
import GRDB
import Testing

@testable import FulcrumStore

/// A Salesforce org's weekly Data Export (Setup → Data Export), unpacked into a folder, imports as it
/// comes. The fixture is written by hand in the export's own shape: every field double-quoted, booleans
/// "0"/"1", empty lookups as the null id 000000000000000AAA, datetimes with a space, a multi-line
/// address, header-only files, files Fulcrum has no table for, and no User.csv.
@Suite("Import: a Salesforce Data Export folder as it arrives")
struct SalesforceDataExportTests {
    static let null = "000000000000000AAA"

    static func csv(_ header: [String], _ rows: [[String]]) -> String {
        func line(_ fields: [String]) -> String {
            fields.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\r\n") + "\r\n"
    }

    /// Writes the export into `folder/export` and returns that folder.
    static func writeExport(_ f: ImportFixture) throws -> String {
        let dir = f.folder + "/export"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        try write(
            "Account.csv",
            csv(
                [
                    "Id", "IsDeleted", "MasterRecordId", "Name", "Type", "ParentId", "BillingStreet", "BillingCountry",
                    "Website", "Industry", "NumberOfEmployees", "OwnerId", "CreatedDate",
                ],
                [
                    [
                        "001A", "0", null, "Acme Inc", "Customer", null, "1 Main St\nSuite 5", "US", "www.acme.com",
                        "Technology", "120", "005X", "2024-01-05 10:00:00",
                    ],
                    [
                        "001B", "0", null, "Beta LLC", "Customer", "001Z", "", "DE", "beta.de", "Consulting", "",
                        "005Y", "2024-01-20T08:30:00.000Z",
                    ],
                    [
                        "001C", "0", null, "Gamma", "Prospect", "", "", "", "", "", "", "005X", "2024-03-01 12:00:00",
                    ],
                ]))
        try write(
            "Contact.csv",
            csv(
                ["Id", "IsDeleted", "AccountId", "FirstName", "LastName", "Email", "OwnerId", "CreatedDate"],
                [
                    ["003A1", "0", "001A", "Jo", "Lee", "jo@acme.com", "005X", "2024-01-06 09:00:00"],
                    ["003B1", "0", "001B", "Max", "Roe", "max@beta.de", "005Y", "2024-01-21 09:00:00"],
                    ["003N1", "0", null, "Sam", "Doe", "sam@example.org", "005X", "2024-02-01 09:00:00"],
                ]))
        try write(
            "Lead.csv",
            csv(["Id", "IsDeleted", "Email", "Company", "Status", "OwnerId", "CreatedDate", "ConvertedAccountId"], []))
        try write(
            "Opportunity.csv",
            csv(
                [
                    "Id", "IsDeleted", "AccountId", "Name", "Type", "StageName", "Amount", "CloseDate", "IsClosed",
                    "IsWon", "OwnerId", "CampaignId", "CreatedDate",
                ],
                [
                    [
                        "006A1", "0", "001A", "Acme new", "New Business", "Closed Won", "12000.00", "2024-02-15", "1",
                        "1", "005X", null, "2024-01-10 10:00:00",
                    ],
                    [
                        "006A2", "0", "001A", "Acme upsell", "Existing Business", "Negotiation/Review", "3500.50",
                        "2024-09-30", "0", "0", "005X", "701Q", "2024-05-01 10:00:00",
                    ],
                    [
                        "006B1", "0", "001B", "Beta new", "New Business", "Closed Won", "8000", "2024-03-20", "1", "1",
                        "005Y", null, "2024-01-25 10:00:00",
                    ],
                    [
                        "006B2", "0", "001B", "Beta more", "New Business", "Closed Lost", "5000", "2024-04-01", "1",
                        "0", "005Y", null, "2024-02-01 10:00:00",
                    ],
                    [
                        "006C1", "0", "001C", "Gamma first", "New Business", "Prospecting", "", "2024-12-31", "0", "0",
                        "005X", null, "2024-03-02 10:00:00",
                    ],
                ]))
        try write(
            "OpportunityHistory.csv",
            csv(
                ["Id", "IsDeleted", "OpportunityId", "StageName", "Amount", "CreatedDate"],
                [
                    ["008A", "0", "006A1", "Prospecting", "12000", "2024-01-10 10:00:00"],
                    ["008B", "0", "006A1", "Closed Won", "12000", "2024-02-15 16:00:00"],
                ]))
        try write(
            "OpportunityLineItem.csv",
            csv(
                ["Id", "IsDeleted", "OpportunityId", "Name", "ProductCode", "Quantity", "UnitPrice", "TotalPrice"],
                [
                    ["00kA1", "0", "006A1", "Acme new Core", "CORE", "10", "1000.00", "10000.00"],
                    ["00kA2", "0", "006A1", "Acme new Support", "SUPPORT", "1", "2000.00", "2000.00"],
                ]))
        try write(
            "Case.csv",
            csv(
                [
                    "Id", "IsDeleted", "CaseNumber", "AccountId", "ContactId", "Type", "Reason", "Status", "Priority",
                    "IsClosed", "ClosedDate", "CreatedDate", "OwnerId",
                ],
                [
                    [
                        "500A1", "0", "00001001", "001A", "003A1", "Problem", "Performance", "Closed", "High", "1",
                        "2024-05-02 10:00:00", "2024-05-01 09:00:00", "005X",
                    ],
                    [
                        "500B1", "0", "00001002", null, "003B1", "", "Installation", "New", "Medium", "0", "",
                        "2024-06-03 11:00:00", "005Y",
                    ],
                ]))
        try write(
            "Task.csv",
            csv(
                ["Id", "IsDeleted", "AccountId", "WhoId", "OwnerId", "TaskSubtype", "ActivityDate", "CreatedDate"],
                [["00TA1", "0", "001A", "003A1", "005X", "Call", "2024-02-01", "2024-02-01 15:00:00"]]))
        try write("Event.csv", csv(["Id", "IsDeleted", "AccountId", "WhoId", "OwnerId", "StartDateTime"], []))
        // Files Fulcrum has no table for: named as not used, never an error.
        try write(
            "Contract.csv",
            csv(["Id", "AccountId", "StartDate", "ContractTerm"], [["800A", "001A", "2024-02-15", "12"]]))
        try write("Pricebook2.csv", csv(["Id", "Name"], [["01sA", "Standard"]]))
        try write("OpportunityContactRole.csv", csv(["Id", "OpportunityId", "ContactId"], []))
        try write("CaseHistory2.csv", csv(["Id", "CaseId"], []))
        try write("Invoice__c.csv", csv(["Id", "Name"], [["a01A", "INV-1"]]))
        return dir
    }

    @Test(
        "the folder imports: unused files noted, null ids empty, missing owners and parents kept unresolved",
        arguments: StoreBackend.available)
    func exportFolder(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        let dir = try Self.writeExport(f)
        let result = try Importer.run(
            store: f.store, paths: [dir],
            options: {
                var o = ImportOptions()
                o.kind = .salesforce
                return o
            }())
        let notes = result.notes.joined(separator: "\n")
        #expect(notes.contains("not used: 5 files"), "\(notes)")
        for name in [
            "Contract.csv", "Pricebook2.csv", "OpportunityContactRole.csv", "CaseHistory2.csv", "Invoice__c.csv",
        ] {
            #expect(notes.contains(name), "\(name) not named: \(notes)")
        }
        // Owners (no User.csv), a parent account outside the export, a campaign not exported.
        #expect(notes.contains("accounts.owner_rep_id → reps"), "\(notes)")
        #expect(notes.contains("1 accounts.parent_account_id → accounts"), "\(notes)")

        // Opportunities by hand: 5 deals, $28,500.50 in all; won: Acme $12,000, Beta $8,000.
        #expect(try f.count("opportunities") == 5)
        #expect(try f.one(Int64.self, "SELECT sum(amount_minor) FROM opportunities") == 2_850_050)
        #expect(try f.one(Int64.self, "SELECT count(*) FROM opportunities WHERE is_won = 1") == 2)
        let wonByAccount = try f.store.write { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.external_id, sum(o.amount_minor) FROM opportunities o JOIN accounts a ON a.id = o.account_id
                    WHERE o.is_won = 1 GROUP BY a.external_id ORDER BY 1
                    """
            ).map { "\($0[0] as String)=\($0[1] as Int64)" }
        }
        #expect(wonByAccount == ["001A=1200000", "001B=800000"])
        #expect(
            try f.one(Int64.self, "SELECT count(*) FROM opportunities WHERE stage = 'Closed Lost' AND is_closed = 1")
                == 1)
        #expect(try f.one(String.self, "SELECT closed_on FROM opportunities WHERE external_id = '006A2'") == nil)

        // The products sold on a deal, tied to the deal's account.
        let lines = try f.store.write { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT p.product, p.quantity, p.amount_minor, a.external_id FROM opportunity_products p
                    JOIN opportunities o ON o.id = p.opportunity_id JOIN accounts a ON a.id = p.account_id ORDER BY 1
                    """
            ).map { "\($0[0] as String)|\($0[1] as Double)|\($0[2] as Int64)|\($0[3] as String)" }
        }
        #expect(lines == ["CORE|10.0|1000000|001A", "SUPPORT|1.0|200000|001A"])
        // The null id is no reference at all; a reference outside the export is kept, empty.
        #expect(try f.one(Int64.self, "SELECT count(*) FROM accounts WHERE parent_account_id IS NOT NULL") == 0)
        #expect(
            try f.one(String.self, "SELECT key FROM unresolved_references WHERE column_name = 'parent_account_id'")
                == "001Z")
        #expect(try f.one(Int64.self, "SELECT count(*) FROM unresolved_references WHERE key = '\(Self.null)'") == 0)
        #expect(try f.one(Int64.self, "SELECT count(*) FROM reps") == 0)
        #expect(try f.one(Int64.self, "SELECT count(*) FROM opportunities WHERE owner_rep_id IS NULL") == 5)
        let unmatched = try f.store.unmatchedRecords()
        #expect(
            unmatched.counts.contains {
                $0.table == "opportunities" && $0.reasonCode == "unresolved_reference" && $0.count == 5
            }, "\(unmatched.counts)")

        // Cases are tickets with their account; one without an account takes its contact's.
        let tickets = try f.store.write { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.external_id, a.external_id, t.priority, t.category, t.status, t.opened_at,
                      coalesce(t.closed_at, '-') FROM tickets t JOIN accounts a ON a.id = t.account_id ORDER BY 1
                    """
            ).map { row in (0..<7).map { row[$0] as String }.joined(separator: "|") }
        }
        #expect(
            tickets == [
                "500A1|001A|high|Problem|Closed|2024-05-01T09:00:00Z|2024-05-02T10:00:00Z",
                "500B1|001B|normal|Installation|New|2024-06-03T11:00:00Z|-",
            ])
        // Data through counts closing days too (the last dated row is the open case of 2024-06-03 here).
        #expect(result.dataThrough == "2024-06-03")
    }

    @Test(
        "User.csv imported later fills the owners in, without duplicating anything", arguments: StoreBackend.available)
    func usersLater(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        let dir = try Self.writeExport(f)
        var options = ImportOptions()
        options.kind = .salesforce
        _ = try f.run(paths: [dir], options: options)
        let before = try f.content()
        let counts = try ["accounts", "people", "opportunities", "tickets", "activities"].map { try f.count($0) }
        try Data(
            Self.csv(
                ["Id", "Name", "Email", "IsActive", "CreatedDate"],
                [
                    ["005X", "Ana Silva", "ana@ourco.com", "1", "2023-01-01 00:00:00"],
                    ["005Y", "Ben Okafor", "ben@ourco.com", "1", "2023-01-01 00:00:00"],
                ]
            ).utf8
        ).write(to: URL(fileURLWithPath: f.folder + "/User.csv"))
        let result = try f.run(["User.csv"]) { $0.kind = .salesforce }
        #expect(try f.count("reps") == 2)
        #expect(try ["accounts", "people", "opportunities", "tickets", "activities"].map { try f.count($0) } == counts)
        #expect(try f.one(Int64.self, "SELECT count(*) FROM opportunities WHERE owner_rep_id IS NULL") == 0)
        #expect(
            try f.one(
                String.self,
                "SELECT r.name FROM opportunities o JOIN reps r ON r.id = o.owner_rep_id WHERE o.external_id = '006B1'")
                == "Ben Okafor")
        #expect(try f.one(Int64.self, "SELECT count(*) FROM activities WHERE rep_id IS NULL") == 0)
        // Only what a User.csv cannot resolve stays: the parent account outside the export.
        #expect(try f.one(Int64.self, "SELECT count(*) FROM unresolved_references WHERE target = 'reps'") == 0)
        #expect(try f.one(Int64.self, "SELECT count(*) FROM unresolved_references") == 1)
        #expect(!result.notes.joined().contains("→ reps"))
        #expect(before != (try f.content()))

        // The same folder again changes nothing and does not undo the owners.
        _ = try f.run(paths: [dir], options: options)
        #expect(try f.one(Int64.self, "SELECT count(*) FROM opportunities WHERE owner_rep_id IS NULL") == 0)
        #expect(try f.count("reps") == 2)
    }

    @Test("a reference that is wrong inside the files given stays an error", arguments: StoreBackend.available)
    func wrongInsideTheExport(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        let dir = try Self.writeExport(f)
        try Data(
            Self.csv(
                ["Id", "IsDeleted", "AccountId", "FirstName", "LastName", "Email", "OwnerId", "CreatedDate"],
                [["003Q1", "0", "001Q", "Kim", "Roe", "kim@q.com", "005X", "2024-01-06 09:00:00"]]
            ).utf8
        ).write(to: URL(fileURLWithPath: dir + "/Contact.csv"))
        var options = ImportOptions()
        options.kind = .salesforce
        do {
            _ = try f.run(paths: [dir], options: options)
            Issue.record("imported a contact whose account is not in the export's Account.csv")
        } catch let failure as ImportFailure {
            #expect(failure.description.contains("account_id: no accounts row with id '001Q'"), "\(failure)")
        }
    }

    @Test(
        "a deal closed before it was created (stock data) is kept and counted in a note",
        arguments: StoreBackend.available)
    func closedBeforeCreated(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("Account.csv", Self.csv(["Id", "Name", "CreatedDate"], [["001A", "Acme", "2024-01-05 10:00:00"]]))
        try f.write(
            "Opportunity.csv",
            Self.csv(
                ["Id", "AccountId", "StageName", "Amount", "CloseDate", "IsClosed", "IsWon", "CreatedDate"],
                [
                    ["006A", "001A", "Closed Won", "100", "2023-11-30", "1", "1", "2024-01-05 10:00:00"],
                    ["006B", "001A", "Closed Won", "100", "2024-02-01", "1", "1", "2024-01-06 10:00:00"],
                ]))
        let result = try f.run(["Account.csv", "Opportunity.csv"]) { $0.kind = .salesforce }
        #expect(try f.count("opportunities") == 2)
        #expect(
            result.notes.contains { $0.hasPrefix("1 opportunity closed before it was created") }, "\(result.notes)")
    }

    @Test(
        "a reference a later export empties is forgotten, not filled in when its record arrives",
        arguments: StoreBackend.available)
    func emptiedReferenceForgotten(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        for name in ["sf1", "sf2", "sf3"] {
            try FileManager.default.createDirectory(atPath: f.folder + "/" + name, withIntermediateDirectories: true)
        }
        let header = ["Id", "Name", "OwnerId", "ParentId", "CreatedDate"]
        try f.write("sf1/Account.csv", Self.csv(header, [["001A", "Acme", "005X", "001P", "2024-01-05 10:00:00"]]))
        try f.write("sf2/Account.csv", Self.csv(header, [["001A", "Acme", "", Self.null, "2024-01-05 10:00:00"]]))
        try f.write("sf3/Account.csv", Self.csv(header, [["001P", "Parent", "", "", "2024-01-01 10:00:00"]]))
        try f.write("sf3/User.csv", Self.csv(["Id", "Name"], [["005X", "Ana Silva"]]))
        _ = try f.run(["sf1"]) { $0.kind = .salesforce }
        #expect(try f.one(Int64.self, "SELECT count(*) FROM unresolved_references") == 2)
        let second = try f.run(["sf2"]) { $0.kind = .salesforce }
        #expect(try f.one(Int64.self, "SELECT count(*) FROM unresolved_references") == 0)
        #expect(!second.notes.contains { $0.hasPrefix("kept ") }, "\(second.notes)")
        _ = try f.run(["sf3"]) { $0.kind = .salesforce }
        #expect(
            try f.one(
                String.self,
                "SELECT coalesce(owner_rep_id, '-') || '|' || coalesce(parent_account_id, '-') FROM accounts WHERE external_id = '001A'"
            ) == "-|-")
    }

    @Test("a folder none of whose files the source knows: is --source right?", arguments: StoreBackend.available)
    func wrongSource(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        let dir = try Self.writeExport(f)
        let failure = try f.failure(["export"]) { $0.kind = .stripe }
        #expect(
            failure.problems[0].reason.contains("no file here is a stripe export this importer knows"), "\(failure)")
        #expect(failure.problems[0].reason.hasSuffix("is --source right?"))
        _ = dir
    }
}
