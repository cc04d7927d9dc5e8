import Foundation
import FulcrumCore
import FulcrumImport
import GRDB
import Testing

@testable import FulcrumStore

@Suite("Import: mapping files")
struct MappingFileTests {
    @Test(
        "a mapping file renames columns, maps picklist values, keeps custom fields and sets the time zone",
        arguments: StoreBackend.available)
    func salesforceWithMapping(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write(
            "Account.csv",
            """
            Id,Name,Website,Industry,Tier__c,CreatedDate
            0011,Acme,acme.com,Technology,Gold,2024-01-05 23:30:00
            0012,Globex,globex.com,Telecommunications,,2024-01-06 10:00:00

            """)
        try f.write(
            "Opportunity.csv",
            """
            Id,AccountId,StageName,Amount,CloseDate,IsClosed,IsWon,Product_Line__c,Competitor__c,CreatedDate
            0061,0011,Signed,1000,2024-02-01,true,false,Analytics,Initech,2024-01-10 08:00:00

            """)
        let mapping = try f.write(
            "mapping.yaml",
            """
            time_zone: "-05:00"
            files:
              Account:
                values:
                  segment: {Technology: Tech, Telecommunications: Telecom, "*": Other}
                custom_fields: [Tier__c]
              Opportunity:
                columns:
                  product: Product_Line__c
                  is_won: StageName
                values:
                  is_won: {Signed: "true", "*": "false"}
                  stage: {Signed: Closed Won}
                custom_fields: [Competitor__c]

            """)
        let result = try f.run(["Account.csv", "Opportunity.csv"]) {
            $0.kind = .salesforce
            $0.mappingFile = try? MappingFile.load(path: mapping)
        }
        #expect(result.problemCount == 0)
        #expect(
            try f.one(
                String.self, "SELECT group_concat(segment) FROM (SELECT segment FROM accounts ORDER BY external_id)")
                == "Tech,Telecom")
        #expect(
            try f.one(String.self, "SELECT created_on FROM accounts WHERE external_id = '0011'") == "2024-01-05",
            "day as written")
        #expect(
            try f.one(String.self, "SELECT product || '|' || stage || '|' || is_won FROM opportunities")
                == "Analytics|Closed Won|1")
        #expect(
            try f.one(
                String.self,
                "SELECT group_concat(name || '=' || value) FROM (SELECT * FROM custom_fields ORDER BY name)")
                == "Competitor__c=Initech,Tier__c=Gold")
    }

    @Test(
        "a file no source knows is imported through a mapping entry naming its table; canonical columns pass through",
        arguments: StoreBackend.available)
    func ownFile(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("accounts.csv", "id,name,created_on\nA-1,Acme,2024-01-05\n")
        try f.write(
            "leads_2024.csv",
            """
            Lead ID,E-mail,Created,status,Account
            L-1,jo@acme.com,03/04/2024 09:00,open,A-1

            """)
        let mapping = try f.write(
            "m.yaml",
            """
            date_order: dmy
            time_zone: "+01:00"
            files:
              leads_2024:
                table: people
                columns: {id: Lead ID, email: E-mail, created_at: Created, account_id: Account}

            """)
        let result = try f.run(["accounts.csv", "leads_2024.csv"]) {
            $0.mappingFile = try? MappingFile.load(path: mapping)
        }
        #expect(result.files.map(\.table) == ["accounts", "people"])
        #expect(
            try f.one(String.self, "SELECT email || '|' || created_at || '|' || status FROM people")
                == "jo@acme.com|2024-04-03T08:00:00Z|open",
            "dmy and +01:00 from the mapping file; status passes through under its own name")
    }

    @Test("mapping file problems name the file, line and key", arguments: StoreBackend.available)
    func problems(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        let broken = try f.write("broken.yaml", "files:\n  Account:\n    columns: [unclosed\n")
        #expect(throws: ImportProblem.self) { try MappingFile.load(path: broken) }
        do { _ = try MappingFile.load(path: broken) } catch {
            #expect(error.file == broken && error.line >= 3 && error.reason.hasPrefix("not valid YAML"), "\(error)")
        }
        let unknownKey = try f.write("k.yaml", "files:\n  Account:\n    rename: {a: b}\n")
        do { _ = try MappingFile.load(path: unknownKey) } catch {
            #expect(
                error.description
                    == "\(unknownKey):3:13: files.Account: unknown key 'rename' (expected table, columns, values, defaults, major_units, by_name, custom_fields)"
            )
        }
        try f.write("Account.csv", "Id,Name,CreatedDate\n1,A,2024-01-01\n")
        let badColumn = try f.write("c.yaml", "files:\n  Account:\n    columns:\n      colour: Color__c\n")
        let failure = try f.failure(["Account.csv"]) {
            $0.kind = .salesforce
            $0.mappingFile = try? MappingFile.load(path: badColumn)
        }
        #expect(
            failure.problems[0].description.hasPrefix(
                "\(badColumn):4:1: files.Account.columns.colour: 'colour' is not a column of accounts"),
            "\(failure.problems)")
    }
}
