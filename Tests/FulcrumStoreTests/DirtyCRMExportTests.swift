import Foundation
import FulcrumCore
import FulcrumImport
import GRDB
import Testing

@testable import FulcrumStore

/// A spreadsheet-style CRM table — reps and accounts by name, stages as words, open deals without an
/// account or a value, a product spelt two ways — imported with the mapping file of docs/import.md.
@Suite("Import: a dirty CRM export through a mapping file")
struct DirtyCRMExportTests {
    static let pipeline = """
        opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value
        1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054
        Z063OYW0,Darcel Schlecht,GTXPro,Isdom,Won,2016-10-25,2017-03-11,4514
        EC4QE1BX,Darcel Schlecht,MG Special,Cancity,Won,2016-10-25,2017-03-07,50
        MV1LWRNH,Moses Frase,GTX Basic,Codehow,Lost,2016-10-25,2017-03-09,0
        PE84CX4O,Zane Levy,GTX Pro,Hatfan,Engaging,2016-10-25,,
        ZNBS69V1,Anna Snelling,MG Special,,Prospecting,2016-11-02,,
        9ZJ2CXAT,Zane Levy,GTX Pro,Isdom,Won,2016-11-05,2017-02-01,4800

        """

    static let mapping = """
        files:
          sales_pipeline:
            table: opportunities
            columns:
              id: opportunity_id
              owner_rep_id: sales_agent
              account_id: account
              product: product
              stage: deal_stage
              is_closed: deal_stage
              is_won: deal_stage
              created_on: engage_date
              closed_on: close_date
              amount_minor: close_value
            by_name: [owner_rep_id, account_id]
            values:
              product: {GTXPro: GTX Pro}
              is_closed: {Won: "1", Lost: "1", "*": "0"}
              is_won: {Won: "1", "*": "0"}
            defaults: {currency: USD, type: new, amount_minor: "0"}
            major_units: [amount_minor]

        """

    @Test(
        "names become reps and accounts, found or created once; stages give won and closed; values corrected",
        arguments: StoreBackend.available)
    func pipelineImports(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("sales_pipeline.csv", Self.pipeline)
        let mappingPath = try f.write("crm.yaml", Self.mapping)
        let mapping = try MappingFile.load(path: mappingPath)
        // An account of that name already in the store (from another source) is found, not duplicated.
        try f.change { db in
            try db.execute(
                sql:
                    "INSERT INTO accounts(name, created_on, source, external_id) VALUES ('Isdom', '2015-01-01', 'crm', 'A9')"
            )
        }
        let result = try f.run(["sales_pipeline.csv"]) { $0.mappingFile = mapping }
        #expect(try f.count("opportunities") == 7)
        #expect(try f.count("reps") == 4)
        #expect(try f.count("accounts") == 4)  // Isdom (existing), Cancity, Codehow, Hatfan
        #expect(
            result.notes.contains(
                "created 3 accounts and 4 reps for names the files give (by_name) that no record in the store has"),
            "\(result.notes)")
        // By hand: won 1054 + 4514 + 50 + 4800 = 10,418.00; 5 closed (4 won, 1 lost), 2 open.
        #expect(try f.one(Int64.self, "SELECT sum(amount_minor) FROM opportunities WHERE is_won = 1") == 1_041_800)
        #expect(try f.one(Int64.self, "SELECT count(*) FROM opportunities WHERE is_closed = 1") == 5)
        #expect(try f.one(Int64.self, "SELECT count(*) FROM opportunities WHERE account_id IS NULL") == 1)
        #expect(try f.one(Int64.self, "SELECT count(*) FROM opportunities WHERE product = 'GTX Pro'") == 3)
        #expect(
            try f.one(
                Int64.self,
                "SELECT sum(o.amount_minor) FROM opportunities o JOIN accounts a ON a.id = o.account_id WHERE a.name = 'Isdom'"
            ) == 931_400)
        #expect(try f.one(String.self, "SELECT external_id FROM accounts WHERE name = 'Isdom'") == "A9")
        #expect(
            try f.one(
                String.self,
                "SELECT r.name FROM opportunities o JOIN reps r ON r.id = o.owner_rep_id WHERE o.external_id = 'ZNBS69V1'"
            )
                == "Anna Snelling")
        #expect(try f.one(String.self, "SELECT created_on FROM accounts WHERE name = 'Cancity'") == "2016-10-20")

        // The same export again changes nothing and creates nothing.
        let before = try f.content()
        let again = try f.run(["sales_pipeline.csv"]) { $0.mappingFile = mapping }
        #expect(!again.notes.contains { $0.hasPrefix("created ") })
        #expect(try f.content() == before)
    }

    @Test("by_name on a column that is not a reference is an error at its line", arguments: StoreBackend.available)
    func byNameOnText(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("sales_pipeline.csv", Self.pipeline)
        let mappingPath = try f.write(
            "crm.yaml",
            Self.mapping.replacingOccurrences(of: "by_name: [owner_rep_id, account_id]", with: "by_name: [product]"))
        let mapping = try MappingFile.load(path: mappingPath)
        let failure = try f.failure(["sales_pipeline.csv"]) { $0.mappingFile = mapping }
        #expect(
            failure.problems[0].description.hasPrefix(
                "\(mappingPath):15:1: files.sales_pipeline.by_name: 'product' must be"),
            "\(failure.problems)")
    }

    @Test(
        "records named by a row that is then refused are not created; its dates do not move data through",
        arguments: StoreBackend.available)
    func refusedRowCreatesNothing(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write(
            "sales_pipeline.csv",
            Self.pipeline + "1C1I7A6R,Ghost Rep,GTX Pro,Ghostco,Won,2016-10-20,2018-06-30,10\n")
        let mapping = try MappingFile.load(path: try f.write("crm.yaml", Self.mapping))
        let result = try f.run(["sales_pipeline.csv"]) {
            $0.mappingFile = mapping
            $0.skipInvalid = true
            $0.rejectFile = f.folder + "/rejects.csv"
        }
        #expect(try f.count("opportunities") == 7)
        #expect(try f.one(Int64.self, "SELECT count(*) FROM reps WHERE name = 'Ghost Rep'") == 0)
        #expect(try f.one(Int64.self, "SELECT count(*) FROM accounts WHERE name = 'Ghostco'") == 0)
        #expect(result.notes.contains { $0.hasPrefix("created 4 accounts and 4 reps") }, "\(result.notes)")
        #expect(result.dataThrough == "2017-03-11")
    }

    @Test(
        "by_name on a reference to the file's own table is refused (the file's own rows are not known by name)",
        arguments: StoreBackend.available)
    func byNameSelfReference(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write(
            "clients.csv", "client_id,client,parent,signup\nC1,Holding Co,,2024-01-01\nC2,Sub,Holding Co,2024-01-02\n")
        let mappingPath = try f.write(
            "m.yaml",
            """
            files:
              clients:
                table: accounts
                columns: {id: client_id, name: client, parent_account_id: parent, created_on: signup}
                by_name: [parent_account_id]

            """)
        let mapping = try MappingFile.load(path: mappingPath)
        let failure = try f.failure(["clients.csv"]) { $0.mappingFile = mapping }
        #expect(failure.problems[0].reason.contains("must be a mapped reference to another table"), "\(failure)")
    }
}
