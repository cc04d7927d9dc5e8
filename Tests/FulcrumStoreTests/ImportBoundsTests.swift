import Foundation
import FulcrumCore
import Testing

@testable import FulcrumStore

/// Amounts that no report could value are refused at import with their position, not accepted
/// and left to fail every revenue report later.
@Suite("Import: lower bounds")
struct ImportBoundsTests {
    @Test(
        "a negative price, seats or payment, and an interval count of 0, are positioned errors",
        arguments: StoreBackend.available)
    func negativeAmounts(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("accounts.csv", "id,name,created_on\nA1,Alpha,2026-01-01\n")
        try f.write(
            "subscriptions.csv",
            """
            id,account_id,plan,product,interval,interval_count,amount_minor,quantity,currency,status,started_on
            S1,A1,basic,core,month,1,-500,1,USD,active,2026-01-01
            S2,A1,basic,core,month,0,500,1,USD,active,2026-01-01
            S3,A1,basic,core,month,1,500,-2,USD,active,2026-01-01
            S4,A1,basic,core,month,1,"-1,000",1,USD,active,2026-01-01
            S5,A1,basic,core,month,1,500,1,USD,active,2026-01-01

            """)
        let failure = try f.failure(["accounts.csv", "subscriptions.csv"])
        let file = f.folder + "/subscriptions.csv"
        #expect(
            failure.problems.map(\.description) == [
                "\(file):2:26: amount_minor: -500 is below the smallest allowed value, 0",
                "\(file):3:24: interval_count: 0 is below the smallest allowed value, 1",
                "\(file):4:30: quantity: -2 is below the smallest allowed value, 0",
                "\(file):5:26: amount_minor: not an integer: '-1,000'",
            ], "\(failure.problems)")
        #expect(try f.count("subscriptions") == 0)
    }

    @Test("a Stripe subscription with a negative plan amount is refused too", arguments: StoreBackend.available)
    func stripeNegative(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("customers.csv", "id,name,created\ncus_A,Acme,1704067200\n")
        try f.write(
            "subscriptions.csv",
            "id,customer,plan.id,plan.amount,quantity,plan.currency,plan.interval,status,start_date\nsub_1,cus_A,p,-1000,1,usd,month,active,1704067200\n"
        )
        let failure = try f.failure(["customers.csv", "subscriptions.csv"]) { $0.kind = .stripe }
        #expect(
            failure.problems.first?.reason == "amount_minor: -1000 is below the smallest allowed value, 0",
            "\(failure.problems)")
    }
}
