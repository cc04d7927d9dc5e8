import Foundation
import FulcrumCore
import FulcrumImport
import GRDB
import Testing

@testable import FulcrumStore

/// A published data set rarely has every column the model needs: a mapping file fills the gaps
/// with defaults (constants when the column is absent) and reads prices given in major units.
@Suite("Mapping files: defaults and major units")
struct MappingDefaultsTests {
    @Test(
        "a subscriptions data set with prices in dollars and no currency, interval or status columns",
        arguments: StoreBackend.available)
    func publishedDataSet(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write(
            "customers.csv",
            """
            customer_id,company,signup
            C1,Acme,01/15/2024
            C2,Globex,02/01/2024

            """)
        try f.write(
            "subs.csv",
            """
            sub_id,customer,monthly_price,start,end,cycle
            S1,C1,$49.00,01/15/2024,,
            S2,C2,"1,200.50",02/01/2024,06/01/2024,year
            S3,C2,0.99,02/01/2024,,

            """)
        let mapping = try f.write(
            "m.yaml",
            """
            date_order: mdy
            files:
              customers:
                table: accounts
                columns: {id: customer_id, name: company, created_on: signup}
              subs:
                table: subscriptions
                columns: {id: sub_id, account_id: customer, amount_minor: monthly_price, started_on: start, ended_on: end, interval: cycle}
                defaults: {currency: USD, interval: month, status: active, plan: default, product: default}
                major_units: [amount_minor]

            """)
        _ = try f.run(["customers.csv", "subs.csv"]) { $0.mappingFile = try? MappingFile.load(path: mapping) }
        let rows = try f.store.write { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT external_id, amount_minor, currency, interval, status, plan, started_on, ended_on FROM subscriptions ORDER BY external_id"
            )
            .map { row in (0..<8).map { (row[$0] as DatabaseValue).description }.joined(separator: "|") }
        }
        #expect(
            rows == [
                #""S1"|4900|"USD"|"month"|"active"|"default"|"2024-01-15"|NULL"#,
                #""S2"|120050|"USD"|"year"|"active"|"default"|"2024-02-01"|"2024-06-01""#,
                #""S3"|99|"USD"|"month"|"active"|"default"|"2024-02-01"|NULL"#,
            ], "\(rows)")
    }

    @Test("defaults and major_units problems name the file, line and key", arguments: StoreBackend.available)
    func problems(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        let notMinor = try f.write("a.yaml", "files:\n  subs:\n    table: subscriptions\n    major_units: [plan]\n")
        do {
            _ = try MappingFile.load(path: notMinor)
            Issue.record("accepted")
        } catch {
            #expect(
                error.description.hasPrefix("\(notMinor):4:19: files.subs.major_units: expected _minor column names"),
                "\(error)")
        }
        try f.write("subs.csv", "sub_id\nS1\n")
        let unknown = try f.write(
            "b.yaml",
            "files:\n  subs:\n    table: subscriptions\n    columns: {id: sub_id}\n    defaults: {colour: red}\n")
        let failure = try f.failure(["subs.csv"]) { $0.mappingFile = try? MappingFile.load(path: unknown) }
        #expect(
            failure.problems[0].description.hasPrefix(
                "\(unknown):5:1: files.subs.defaults.colour: 'colour' is not a column of subscriptions"),
            "\(failure.problems)")
    }
}
