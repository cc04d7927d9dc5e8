import Foundation
import FulcrumCore
import Testing

@testable import FulcrumStore

/// How far a source's data reaches: inferred from its dated rows, never moved back by a partial
/// re-import, and a store moved back by a new source says so.
@Suite("Import: data through")
struct DataThroughTests {
    @Test(
        "a CRM export whose latest row is older moves the store back, and the summary says so",
        arguments: StoreBackend.available)
    func movedBackIsNoted(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("accounts.csv", "id,name,created_on\nA,Acme,2024-01-01\n")
        try f.write(
            "subscriptions.csv",
            "id,account_id,plan,product,interval,amount_minor,currency,status,started_on,canceled_on\nS,A,p,c,month,100,USD,active,2024-01-01,2024-09-20\n"
        )
        let billing = try f.run(["accounts.csv", "subscriptions.csv"]) { $0.sourceName = "billing" }
        #expect(billing.dataThrough == "2024-09-20", "canceled_on has happened by the export")
        try f.write("Account.csv", "Id,Name,CreatedDate\n001A,Acme,2024-03-05T00:00:00.000+0000\n")
        let crm = try f.run(["Account.csv"]) { $0.kind = .salesforce }
        #expect(
            crm.notes.contains {
                $0.hasPrefix("the store's data through moved back from 2024-09-20 to 2024-03-05: source 'salesforce'")
            }, "\(crm.notes)")
        #expect(try f.store.metaValue("data_through") == "2024-03-05")
        // Given its real date, the store goes forward again.
        let dated = try f.run(["Account.csv"]) {
            $0.kind = .salesforce
            $0.dataThrough = Day(2024, 10, 1)
        }
        #expect(dated.dataThrough == "2024-10-01" && dated.notes.isEmpty)
        #expect(try f.store.metaValue("data_through") == "2024-09-20")
    }

    @Test(
        "re-importing part of a source, or a file without dates, does not move its date back",
        arguments: StoreBackend.available)
    func partialReimportKeepsDate(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("accounts.csv", "id,name,created_on\nA,Acme,2024-01-01\n")
        try f.write(
            "subscriptions.csv",
            "id,account_id,plan,product,interval,amount_minor,currency,status,started_on\nS,A,p,c,month,100,USD,active,2024-06-01\n"
        )
        _ = try f.run(["accounts.csv", "subscriptions.csv"])
        let partial = try f.run(["accounts.csv"])
        #expect(partial.dataThrough == "2024-06-01")
        try f.write("fx_rates.csv", "month,currency,rate\n2024-06,EUR,1.1\n")
        let undated = try f.run(["fx_rates.csv"])
        #expect(undated.dataThrough == "2024-06-01")
        #expect(try f.store.metaValue("data_through") == "2024-06-01")
    }
}
