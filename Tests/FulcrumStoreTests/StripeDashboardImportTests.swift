import Foundation
import FulcrumCore
import GRDB
import Testing

@testable import FulcrumImport
@testable import FulcrumStore

/// Stripe's Dashboard exports (the CSVs people download from the web UI) give amounts in major
/// units and times as `… (UTC)` text; the API exports give minor units. Both layouts import to
/// the same minor-unit amounts.
@Suite("Import: Stripe Dashboard exports")
struct StripeDashboardImportTests {
    @Test(
        "major-unit amounts × quantity with each currency's exponent; invoices and payments in major units",
        arguments: StoreBackend.available)
    func dashboardExports(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write(
            "unified_customers.csv",
            """
            id,Description,Email,Name,Created (UTC),Delinquent
            cus_A,,ops@acme.com,Acme Inc,2024-01-10 09:00,false
            cus_J,,keiri@tokyo.co.jp,Tokyo KK,2024-01-11 09:00,false

            """)
        try f.write(
            "subscriptions.csv",
            """
            id,Customer ID,Customer Name,Plan,Product,Quantity,Currency,Interval,Amount,Status,Created (UTC),Start (UTC),Start Date (UTC),Current Period Start (UTC),Current Period End (UTC),Trial Start (UTC),Trial End (UTC),Canceled At (UTC),Ended At (UTC)
            sub_1,cus_A,Acme Inc,price_growth,prod_core,3,usd,month,33.00,active,2024-01-15 10:00,2024-01-15 10:00,2024-01-15 10:00,2024-03-15 10:00,2024-04-15 10:00,,,,
            sub_2,cus_J,Tokyo KK,price_jp,prod_core,1,jpy,year,"120,000",canceled,2024-01-20 10:00,2024-01-20 10:00,2024-01-20 10:00,2024-01-20 10:00,2025-01-20 10:00,,,2024-02-01 00:00,2024-02-01 00:00

            """)
        try f.write(
            "invoices.csv",
            """
            id,Amount Due,Amount Paid,Currency,Customer,Date (UTC),Number,Status,Subscription,Total
            in_1,99.00,99.00,usd,cus_A,2024-01-15 10:00,ACME-0001,paid,sub_1,99.00

            """)
        try f.write(
            "unified_payments.csv",
            """
            id,Description,Created (UTC),Amount,Amount Refunded,Currency,Status,Customer ID,Invoice ID
            ch_1,,2024-01-15 10:01,99.00,10.00,usd,Paid,cus_A,in_1
            ch_2,,2024-02-15 10:01,"1,000.50",0.00,usd,Failed,cus_A,
            ch_3,,2024-02-16 10:01,50.00,20.00,usd,Partially Refunded,cus_A,
            ch_4,,2024-02-17 10:01,50.00,0.00,usd,Uncaptured,cus_A,

            """)
        _ = try f.run(["unified_customers.csv", "subscriptions.csv", "invoices.csv", "unified_payments.csv"]) {
            $0.kind = .stripe
        }
        func row(_ sql: String) throws -> [String] {
            try f.store.write { db in try Row.fetchOne(db, sql: sql)!.databaseValues.map { $0.description } }
        }
        #expect(
            try row("SELECT amount_minor, quantity, currency, interval FROM subscriptions WHERE external_id = 'sub_1'")
                == ["9900", "3", "\"USD\"", "\"month\""], "$33.00 × 3 seats = 9,900 cents")
        #expect(
            try row(
                "SELECT amount_minor, currency, started_on, ended_on, canceled_on FROM subscriptions WHERE external_id = 'sub_2'"
            )
                == ["120000", "\"JPY\"", "\"2024-01-20\"", "\"2024-02-01\"", "\"2024-02-01\""], "yen have no minor unit"
        )
        #expect(try f.one(Int64.self, "SELECT total_minor FROM invoices WHERE external_id = 'in_1'") == 9_900)
        #expect(
            try row("SELECT amount_minor, refunded_minor, status FROM payments WHERE external_id = 'ch_1'") == [
                "9900", "1000", "\"succeeded\"",
            ])
        #expect(
            try row("SELECT amount_minor, refunded_minor, status FROM payments WHERE external_id = 'ch_2'") == [
                "100050", "0", "\"failed\"",
            ])
        #expect(
            try row("SELECT amount_minor, refunded_minor, status FROM payments WHERE external_id = 'ch_3'") == [
                "5000", "2000", "\"succeeded\"",
            ])
        #expect(try row("SELECT status FROM payments WHERE external_id = 'ch_4'") == ["\"failed\""])
    }

    @Test(
        "a Dashboard export with its Created (UTC) column deselected is still read in major units",
        arguments: StoreBackend.available)
    func dashboardWithoutCreated(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("unified_customers.csv", "id,Email,Name,Created (UTC)\ncus_A,ops@acme.com,Acme,2024-01-10 09:00\n")
        try f.write(
            "subscriptions.csv",
            """
            id,Customer ID,Plan,Quantity,Currency,Interval,Amount,Status,Start Date (UTC)
            sub_1,cus_A,price_growth,3,usd,month,49.00,active,2024-01-15 10:00

            """)
        _ = try f.run(["unified_customers.csv", "subscriptions.csv"]) { $0.kind = .stripe }
        #expect(try f.one(Int64.self, "SELECT amount_minor FROM subscriptions") == 14_700)
    }

    @Test(
        "an API export's 'amount' stays in minor units (the same header in another case)",
        arguments: StoreBackend.available)
    func apiExportUnchanged(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("customers.csv", "id,name,email,created\ncus_A,Acme,ops@acme.com,1705312800\n")
        try f.write(
            "charges.csv",
            "id,customer,created,amount,amount_refunded,currency,status\nch_1,cus_A,1705312860,9900,0,usd,succeeded\n")
        _ = try f.run(["customers.csv", "charges.csv"]) { $0.kind = .stripe }
        #expect(try f.one(Int64.self, "SELECT amount_minor FROM payments") == 9_900)
    }

    @Test(
        "major units × quantity is exact: the amount is read by the shared amount parser, then multiplied in minor units"
    )
    func multiply() {
        let converter = ValueConverter(dates: DateParseOptions())
        let column = TableSpec.Column(name: "amount_minor", kind: .integer, required: true, allowed: nil)
        func times(_ text: String, _ q: Int64, _ currency: String = "USD") -> Int64? {
            guard
                case .success(let v) = converter.convert(
                    text, kind: .integer, column: column, hint: .majorUnitsTimes(q), currency: currency),
                case .int64(let n) = v.storage
            else { return nil }
            return n
        }
        #expect(times("$1,200.50", 3) == 360_150)
        #expect(times("33.00", 3) == 9_900)
        #expect(times("0.05", 1) == 5)
        #expect(times("-0.5", 2) == -100)
        #expect(times("120,000", 2) == 24_000_000)
        #expect(times("120,000", 2, "JPY") == 240_000)
        #expect(times("12", 0) == 0)
        #expect(times("12abc", 2) == nil)
        #expect(
            converter.convert("", kind: .integer, column: column, hint: .majorUnitsTimes(2)) == .success(.null),
            "empty is no amount")
    }
}
