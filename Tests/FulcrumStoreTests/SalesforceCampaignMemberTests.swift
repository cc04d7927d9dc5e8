import Foundation
import FulcrumCore
import GRDB
import Testing

@testable import FulcrumStore

/// Salesforce CampaignMember → touches: the member status says what happened when it names an
/// engagement (Attended, Clicked, …); the default statuses fall back to HasResponded.
@Suite("Import: Salesforce campaign members")
struct SalesforceCampaignMemberTests {
    @Test("touch kind from Status, else HasResponded", arguments: StoreBackend.available)
    func kinds(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write(
            "Campaign.csv",
            """
            Id,Name,Type,StartDate,EndDate,BudgetedCost,IsDeleted
            701A,Spring webinar,Webinar,2024-03-01,2024-03-31,"5,000.00",false

            """)
        try f.write(
            "Lead.csv",
            """
            Id,Email,Company,CreatedDate,Status,IsDeleted
            00QA,a@acme.com,Acme,2024-03-02T10:00:00.000+0000,Open,false
            00QB,b@beta.io,Beta,2024-03-02T10:00:00.000+0000,Open,false
            00QC,c@gamma.com,Gamma,2024-03-02T10:00:00.000+0000,Open,false
            00QD,d@delta.com,Delta,2024-03-02T10:00:00.000+0000,Open,false

            """)
        try f.write(
            "CampaignMember.csv",
            """
            Id,CampaignId,LeadId,ContactId,Status,HasResponded,CreatedDate,FirstRespondedDate,IsDeleted
            00vA,701A,00QA,,Attended,true,2024-03-05T10:00:00.000+0000,2024-03-20T10:00:00.000+0000,false
            00vB,701A,00QB,,clicked,false,2024-03-05T10:00:00.000+0000,,false
            00vC,701A,00QC,,Sent,false,2024-03-05T10:00:00.000+0000,,false
            00vD,701A,00QD,,Responded,true,2024-03-05T10:00:00.000+0000,2024-03-06T10:00:00.000+0000,false

            """)
        try f.write(
            "Campaign.csv",
            """
            Id,Name,Type,StartDate,EndDate,BudgetedCost,IsDeleted
            701A,Spring webinar,Webinar,2024-03-01,2024-03-31,"5,000.00",false
            701Z,Deleted one,Webinar,2024-03-01,2024-03-31,,true

            """)
        let result = try f.run(["Campaign.csv", "Lead.csv", "CampaignMember.csv"]) { $0.kind = .salesforce }
        #expect(
            result.notes.contains(
                "\(f.folder)/Campaign.csv: left out 1 record the source marks as deleted (not counted as read)"),
            "\(result.notes)")
        let kinds = try f.store.write { db in
            try Row.fetchAll(db, sql: "SELECT external_id, kind, occurred_at FROM touches ORDER BY external_id").map {
                "\($0[0] as String) \($0[1] as String) \($0[2] as String)"
            }
        }
        #expect(
            kinds == [
                "00vA event 2024-03-20T10:00:00Z",
                "00vB email_click 2024-03-05T10:00:00Z",
                "00vC email_open 2024-03-05T10:00:00Z",
                "00vD form_fill 2024-03-06T10:00:00Z",
            ], "\(kinds)")
    }
}
