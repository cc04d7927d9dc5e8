import Foundation
import FulcrumCore
import FulcrumImport
import GRDB
import Testing

@testable import FulcrumStore

/// HubSpot and Stripe exports that point outside themselves (owners, prices) import, and say so.
@Suite("Import: HubSpot and Stripe exports that point outside themselves")
struct ExportsPointingOutsideTests {
    @Test(
        "HubSpot: owners not exported are kept unresolved until owners.csv arrives; tickets with their company",
        arguments: StoreBackend.available)
    func hubspotOwnersAndTickets(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        let dir = f.folder + "/hubspot"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        try write(
            "companies.csv",
            "hs_object_id,name,domain,createdate,hubspot_owner_id\n101,Acme Inc,acme.com,1704448800000,9001\n")
        try write(
            "deals.csv",
            """
            hs_object_id,dealname,amount,dealstage,createdate,closedate,associatedcompanyid,hubspot_owner_id
            401,Acme deal,1500,closedwon,1704880800000,1707998400000,101,9001
            402,Acme more,900,contractsent,1706000000000,,101,9002

            """)
        try write(
            "tickets.csv",
            """
            hs_object_id,subject,hs_pipeline_stage,hs_ticket_priority,createdate,closed_date,associatedcompanyid
            501,Login broken,4,HIGH,1707000000000,1707100000000,101
            502,Question,1,,1708000000000,,101

            """)
        try write("marketing_emails.csv", "id,name\n1,Newsletter\n")
        let result = try f.run(["hubspot"]) { $0.kind = .hubspot }
        let notes = result.notes.joined(separator: "\n")
        #expect(notes.contains("not used: 1 file of the export"), "\(notes)")
        #expect(notes.contains("2 opportunities.owner_rep_id → reps"), "\(notes)")
        #expect(try f.count("opportunities") == 2)
        let tickets = try f.store.write { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.external_id, a.external_id, t.priority, t.status, coalesce(t.closed_at, '-')
                    FROM tickets t JOIN accounts a ON a.id = t.account_id ORDER BY 1
                    """
            ).map { row in (0..<5).map { row[$0] as String }.joined(separator: "|") }
        }
        #expect(tickets == ["501|101|high|Closed|2024-02-05T02:26:40Z", "502|101|normal|New|-"])

        try Data("id,email,firstName,lastName\n9001,ana@us.com,Ana,Silva\n9002,ben@us.com,Ben,Okafor\n".utf8).write(
            to: URL(fileURLWithPath: f.folder + "/owners.csv"))
        _ = try f.run(["owners.csv"]) { $0.kind = .hubspot }
        #expect(try f.count("reps") == 2)
        #expect(try f.one(Int64.self, "SELECT count(*) FROM opportunities WHERE owner_rep_id IS NULL") == 0)
        #expect(try f.one(Int64.self, "SELECT count(*) FROM accounts WHERE owner_rep_id IS NULL") == 0)
        #expect(try f.one(Int64.self, "SELECT count(*) FROM unresolved_references") == 0)
    }

    @Test("HubSpot UI export: the deal owner is a name, found or created as a rep", arguments: StoreBackend.available)
    func hubspotOwnerNames(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write(
            "all-deals.csv",
            """
            Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner
            401,Acme deal,Closed Won,1500,2024-02-15 10:00,2024-01-10 10:00,Jane Doe
            402,Beta deal,Closed Lost,900,2024-03-01 10:00,2024-01-12 10:00,Jane Doe

            """)
        let result = try f.run(["all-deals.csv"]) { $0.kind = .hubspot }
        #expect(try f.count("reps") == 1)
        #expect(try f.one(String.self, "SELECT name FROM reps") == "Jane Doe")
        #expect(try f.one(Int64.self, "SELECT count(DISTINCT owner_rep_id) FROM opportunities") == 1)
        #expect(result.notes.contains { $0.hasPrefix("created 1 reps") }, "\(result.notes)")
    }

    @Test(
        "Stripe: an item whose price is not in the prices export keeps its own row's price, with a note",
        arguments: StoreBackend.available)
    func stripePriceOutside(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("customers.csv", "id,email,name,created\ncus_A,billing@acme.com,Acme Inc,1704448800\n")
        try f.write(
            "subscriptions.csv",
            """
            id,customer,status,plan.id,plan.product,plan.interval,plan.interval_count,plan.amount,plan.currency,quantity,start_date
            sub_1,cus_A,active,price_old,prod_core,month,1,2000,usd,3,1704448800

            """)
        try f.write("prices.csv", "id,product,unit_amount,currency,recurring.interval,recurring.interval_count\n")
        try f.write("subscription_items.csv", "id,subscription,price,quantity\nsi_1,sub_1,price_old,3\n")
        let result = try f.run(["customers.csv", "subscriptions.csv", "prices.csv", "subscription_items.csv"]) {
            $0.kind = .stripe
        }
        #expect(try f.one(Int64.self, "SELECT amount_minor FROM subscriptions WHERE external_id = 'sub_1'") == 6_000)
        #expect(
            result.notes.contains { $0.hasPrefix("1 subscription name prices the prices export does not include") },
            "\(result.notes)")
    }

    @Test(
        "HubSpot export with both hubspot_owner_id and a owner name column: the id wins, written once",
        arguments: StoreBackend.available)
    func hubspotBothOwnerColumns(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("owners.csv", "id,email,lastName\n9001,ana@us.com,Silva\n")
        try f.write(
            "companies.csv",
            "hs_object_id,name,domain,createdate,hubspot_owner_id,Company owner\n101,Acme,acme.com,1704448800000,9001,Ana Silva\n"
        )
        _ = try f.run(["owners.csv", "companies.csv"]) { $0.kind = .hubspot }
        #expect(try f.count("reps") == 1)
        #expect(
            try f.one(String.self, "SELECT r.external_id FROM accounts a JOIN reps r ON r.id = a.owner_rep_id")
                == "9001")
    }

    @Test(
        "with a mapping file, canonical files given beside the mapped ones stay strict about references",
        arguments: StoreBackend.available)
    func canonicalStaysStrict(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("clients.csv", "client_id,client,signup\nC1,Acme,2024-01-01\n")
        try f.write(
            "people.csv",
            "id,account_id,email,owner_rep_id,created_at,status\nP1,C1,jo@acme.com,REP-TYPO,2024-01-02T00:00:00Z,lead\n"
        )
        let mapping = try MappingFile.load(
            path: try f.write(
                "m.yaml",
                "files:\n  clients:\n    table: accounts\n    columns: {id: client_id, name: client, created_on: signup}\n"
            ))
        let failure = try f.failure(["clients.csv", "people.csv"]) { $0.mappingFile = mapping }
        #expect(failure.description.contains("owner_rep_id: no reps row with id 'REP-TYPO'"), "\(failure)")
    }
}
