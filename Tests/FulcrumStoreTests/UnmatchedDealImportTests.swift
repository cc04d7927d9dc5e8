import Foundation
import FulcrumCore
import GRDB
import Testing

@testable import FulcrumStore

/// Deals that arrive without an account are kept, take their person's account when the
/// identity pass finds one, and are otherwise listed by `accounts unmatched` — never
/// refused, never dropped. People's websites are an identity clue after the e-mail domain.
@Suite("Import: deals without an account, websites")
struct UnmatchedDealImportTests {
    static func fixture(_ backend: StoreBackend) throws -> ImportFixture {
        let f = try ImportFixture(backend)
        try f.write(
            "accounts.csv",
            """
            id,name,domain,created_on
            A-1,"Acme, Inc.",acme.com,2024-01-01
            A-2,Beta Labs,beta.io,2024-01-01

            """)
        try f.write(
            "people.csv",
            """
            id,email,company_name,website,created_at,status
            P-1,jo@acme.com,,,2024-02-01T10:00:00Z,lead
            P-2,kim@gmail.com,,,2024-02-01T10:00:00Z,lead
            P-3,lee@hotmail.com,,https://www.beta.io/pricing,2024-02-01T10:00:00Z,lead

            """)
        try f.write(
            "opportunities.csv",
            """
            id,account_id,person_id,type,product,amount_minor,currency,created_on,stage,is_closed,is_won
            O-1,,P-1,new,Core,120000,USD,2024-02-02,Closed Won,true,true
            O-2,,P-2,new,Core,50000,USD,2024-02-02,Open,false,false
            O-3,,,new,Core,70000,USD,2024-02-03,Open,false,false
            O-4,A-1,,upsell,Core,10000,USD,2024-02-04,Open,false,false

            """)
        try f.write(
            "opportunity_stages.csv",
            """
            id,opportunity_id,stage,entered_at
            S-1,O-1,Closed Won,2024-02-20T00:00:00Z
            S-3,O-3,Open,2024-02-03T00:00:00Z

            """)
        return f
    }

    @Test(
        "kept, tied through their person, the rest listed with reasons; a website domain ties a free-mail lead",
        arguments: StoreBackend.available)
    func keptLinkedAndListed(_ backend: StoreBackend) throws {
        let f = try Self.fixture(backend)
        let result = try f.run(["accounts.csv", "people.csv", "opportunities.csv", "opportunity_stages.csv"])
        #expect(try f.count("opportunities") == 4, "no deal is refused or dropped")
        #expect(
            result.identity.dealsWithoutAccount == 3 && result.identity.dealsLinked == 1
                && result.identity.dealsStillUnmatched == 2)
        func account(_ table: String, _ key: String) throws -> Int64? {
            try f.store.write { db in
                try Int64.fetchOne(db, sql: "SELECT account_id FROM \(table) WHERE external_id = ?", arguments: [key])
            }
        }
        let acmeId = try f.one(Int64.self, "SELECT id FROM accounts WHERE external_id = 'A-1'")
        let beta = try f.one(Int64.self, "SELECT id FROM accounts WHERE external_id = 'A-2'")
        #expect(try account("people", "P-1") == acmeId)
        #expect(
            try account("people", "P-3") == beta,
            "lee@hotmail.com is tied to Beta by the website's domain, never by hotmail.com")
        #expect(try account("people", "P-2") == nil)
        #expect(try account("opportunities", "O-1") == acmeId, "O-1 took its person's account")
        #expect(try account("opportunity_stages", "S-1") == acmeId, "and its stage history followed")
        #expect(try account("opportunities", "O-2") == nil && account("opportunities", "O-3") == nil)
        #expect(try account("opportunity_stages", "S-3") == nil)

        let report = try f.store.unmatchedRecords()
        let deals = report.records.filter { $0.table == "opportunities" }
        #expect(deals.map(\.reasonCode) == ["free_mail_domain", "no_account_no_person"], "\(deals)")
        #expect(
            deals.map(\.externalId) == ["O-2", "O-3"] && deals.allSatisfy { $0.source == "canonical" },
            "listed by the id the source knows")
        #expect(
            deals[0].reason.hasPrefix(
                "person \(try f.one(Int64.self, "SELECT id FROM people WHERE external_id = 'P-2'")!): free-mail domain gmail.com"
            ))
        #expect(
            report.counts.contains(
                UnmatchedReport.Count(table: "opportunities", reasonCode: "no_account_no_person", count: 1)))

        // Importing the same files again changes nothing.
        let before = try f.content()
        _ = try f.run(["accounts.csv", "people.csv", "opportunities.csv", "opportunity_stages.csv"])
        #expect(try f.content() == before)
    }

    @Test(
        "a deal without an account gets it once its person is matched by a later import",
        arguments: StoreBackend.available)
    func linkedLater(_ backend: StoreBackend) throws {
        let f = try Self.fixture(backend)
        _ = try f.run(["accounts.csv", "people.csv", "opportunities.csv"])
        // Kim turns out to work at Beta: a newer people export gives her company.
        try f.write(
            "people.csv",
            """
            id,email,company_name,created_at,status
            P-2,kim@gmail.com,BETA LABS,2024-02-01T10:00:00Z,lead

            """)
        let result = try f.run(["people.csv"])
        #expect(result.identity.dealsLinked == 1)
        let beta = try f.one(Int64.self, "SELECT id FROM accounts WHERE external_id = 'A-2'")
        #expect(try f.one(Int64.self, "SELECT account_id FROM opportunities WHERE external_id = 'O-2'") == beta)
    }

    @Test(
        "HubSpot UI export: deals find their company through (Primary) or the first of Associated Company IDs; one without is kept",
        arguments: StoreBackend.available)
    func hubspotUIAssociations(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write(
            "companies.csv",
            """
            Record ID,Company name,Company Domain Name,Create Date
            9001,Acme Inc,acme.com,2023-01-15 09:30
            9002,Globex GmbH,globex.de,2023-03-01 11:00

            """)
        try f.write(
            "deals.csv",
            """
            Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal Type,Associated Company IDs,Associated Company IDs (Primary)
            5001,Acme new,closedwon,"12,000.00",2023-05-01 00:00,2023-02-01 10:00,newbusiness,9001,
            5002,Orphan,appointmentscheduled,3000,,2023-04-01 10:00,newbusiness,,
            5003,Two companies,closedlost,1000,2023-06-01 00:00,2023-04-01 10:00,newbusiness,9001;9002,9002
            5004,Two without primary,closedlost,1000,2023-06-01 00:00,2023-04-01 10:00,newbusiness,9002; 9001,

            """)
        let result = try f.run(["companies.csv", "deals.csv"]) { $0.kind = .hubspot }
        #expect(result.identity.dealsWithoutAccount == 1)
        func company(_ deal: String) throws -> String? {
            try f.store.write { db in
                try String.fetchOne(
                    db,
                    sql: """
                        SELECT a.external_id FROM opportunities o JOIN accounts a ON a.id = o.account_id WHERE o.external_id = ?
                        """, arguments: [deal])
            }
        }
        #expect(try company("5001") == "9001")
        #expect(try company("5002") == nil)
        #expect(try company("5003") == "9002", "the primary association wins")
        #expect(try company("5004") == "9002", "else the first listed")
        #expect(try f.one(Int64.self, "SELECT amount_minor FROM opportunities WHERE external_id = '5001'") == 1_200_000)
        #expect(
            try f.one(String.self, "SELECT closed_on || ' ' || is_won FROM opportunities WHERE external_id = '5001'")
                == "2023-05-01 1",
            "a won deal of a UI export keeps its close date (the stage is under 'Deal Stage' there)")
        #expect(
            try f.one(String.self, "SELECT closed_on FROM opportunities WHERE external_id = '5002'") == nil,
            "an open deal's close date is a forecast")
        #expect(
            try f.store.unmatchedRecords().records.map { "\($0.table) \($0.externalId ?? "")" } == [
                "opportunities 5002"
            ])
    }

    @Test(
        "HubSpot UI contacts: lifecycle stage labels become the internal names the API export uses",
        arguments: StoreBackend.available)
    func hubspotUILifecycle(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write(
            "contacts.csv",
            """
            Record ID,Email,Lifecycle Stage,Create Date
            1,a@acme.com,Marketing Qualified Lead,2024-01-01 10:00
            2,b@acme.com,Customer,2024-01-01 10:00
            3,c@acme.com,Partner (custom),2024-01-01 10:00

            """)
        _ = try f.run(["contacts.csv"]) { $0.kind = .hubspot }
        let statuses = try f.store.write { db in
            try String.fetchAll(db, sql: "SELECT status FROM people ORDER BY external_id")
        }
        #expect(statuses == ["marketingqualifiedlead", "customer", "Partner (custom)"])
    }
}
