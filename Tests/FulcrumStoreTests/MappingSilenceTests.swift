import Foundation
import FulcrumCore
import FulcrumImport
import GRDB
import Testing

@testable import FulcrumStore

/// A mapping file never loses data silently: a misspelt source column is an error at its key, columns
/// nothing reads are named, and an empty required cell is blamed on that cell with the row's other problems.
@Suite("Mapping files: nothing lost silently")
struct MappingSilenceTests {
    static let accounts = """
        client_id,client,sector,signup,notes
        C1,Acme,Tech,2024-01-15,big
        C2,Globex,Retail,2024-02-01,

        """

    @Test(
        "a source column the file does not have is an error at the mapping key's line and column",
        arguments: StoreBackend.available)
    func misspeltSource(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("clients.csv", Self.accounts)
        let mapping = try f.write(
            "m.yaml",
            """
            files:
              clients:
                table: accounts
                columns:
                  id: client_id
                  name: client
                  segment: sectr
                  created_on: [signed_up, signup]

            """)
        let file = try MappingFile.load(path: mapping)
        let failure = try f.failure(["clients.csv"]) { $0.mappingFile = file }
        #expect(failure.problemCount == 1)
        #expect(
            failure.problems[0].description
                == "\(mapping):7:16: files.clients.columns.segment: clients.csv has no column 'sectr' "
                + "(its columns: client_id, client, sector, signup, notes)", "\(failure.problems)")
        #expect(try f.count("accounts") == 0)
    }

    @Test("source columns that no rule reads are named in a note", arguments: StoreBackend.available)
    func unreadColumnsNamed(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("clients.csv", Self.accounts)
        let mapping = try f.write(
            "m.yaml",
            "files:\n  clients:\n    table: accounts\n    columns: {id: client_id, name: client, created_on: signup}\n")
        let file = try MappingFile.load(path: mapping)
        let result = try f.run(["clients.csv"]) { $0.mappingFile = file }
        #expect(
            result.notes.contains(
                "clients.csv: 2 columns that no mapping reads, not imported (map them under columns or custom_fields): "
                    + "sector, notes"), "\(result.notes)")
        #expect(try f.count("accounts") == 2)
    }

    @Test(
        "an empty required cell is a positioned error naming its column, with every other problem of the row",
        arguments: StoreBackend.available)
    func emptyRequiredCell(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("accounts.csv", "client_id,client,signup\nC1,Acme,2024-01-15\n")
        try f.write(
            "deals.csv",
            """
            deal,client,value,opened,stage
            D1,C1,100,2024-02-01,Won
            D2,C1,,not-a-day,Won

            """)
        let mapping = try f.write(
            "m.yaml",
            """
            files:
              accounts: {table: accounts, columns: {id: client_id, name: client, created_on: signup}}
              deals:
                table: opportunities
                columns: {id: deal, account_id: client, amount_minor: value, created_on: opened, stage: stage}
                values: {stage: {Won: Closed Won}}
                defaults: {currency: USD, type: new, product: default, is_closed: "1", is_won: "1"}
                major_units: [amount_minor]

            """)
        let file = try MappingFile.load(path: mapping)
        let failure = try f.failure(["accounts.csv", "deals.csv"]) { $0.mappingFile = file }
        let deals = f.folder + "/deals.csv"
        let lines = failure.problems.map(\.description)
        #expect(lines.contains("\(deals):3:7: amount_minor: required, but value is empty"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(deals):3:8: created_on: ") }, "\(lines)")
        #expect(!lines.contains { $0.contains("NOT NULL") }, "\(lines)")
        #expect(failure.problemCount == 2)
    }
}
