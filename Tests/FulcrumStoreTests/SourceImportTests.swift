import Foundation
import FulcrumCore
import FulcrumImport
import GRDB
import Testing

@testable import FulcrumStore

@Suite("Import: Salesforce, HubSpot and Stripe exports")
struct SourceImportTests {
    @Test(
        "Salesforce objects: merged and deleted records, amounts in major units, stage history tied to the account",
        arguments: StoreBackend.available)
    func salesforce(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("User.csv", "Id,Name,Email,IsActive\n0051,Ana Silva,ana@acme-saas.com,true\n")
        try f.write(
            "Account.csv",
            """
            Id,Name,Website,Industry,BillingCountry,NumberOfEmployees,OwnerId,ParentId,MasterRecordId,IsDeleted,CreatedDate,Type
            0011,"Acme, Inc.",https://www.acme.com/about,Technology,US,120,0051,,,false,2024-01-05T10:00:00.000+0000,Customer
            0012,ACME Inc,acme.com,Technology,US,,0051,,0011,true,2024-01-07T10:00:00.000+0000,
            0013,Acme Europe GmbH,acme.de,Technology,DE,40,0051,0011,,false,2024-02-01T00:00:00.000+0000,
            0014,Gone Ltd,gone.io,Retail,UK,,0051,,,true,2024-02-01T00:00:00.000+0000,
            0015,Gmail Fan Club,https://gmail.com,Retail,UK,,0051,,,false,2024-02-01T00:00:00.000+0000,

            """)
        try f.write(
            "Contact.csv",
            """
            Id,AccountId,Email,FirstName,LastName,Title,LeadSource,OwnerId,CreatedDate,IsDeleted
            0031,0011,jo@acme.com,Jo,Lee,CTO,Web,0051,2024-01-06T09:00:00.000+0000,false
            0032,0012,max@acme.com,Max,Roe,,Partner,0051,2024-01-08T09:00:00.000+0000,false

            """)
        try f.write(
            "Lead.csv",
            """
            Id,Email,FirstName,LastName,Company,LeadSource,Status,OwnerId,CreatedDate,ConvertedAccountId,ConvertedOpportunityId,ConvertedDate,IsDeleted
            00Q1,jo123@gmail.com,Jo,,ACME,Web,Open - Not Contacted,0051,2024-03-01T08:00:00.000+0000,,,,false
            00Q2,bob@gmail.com,Bob,,Tiny Startup,Web,Open - Not Contacted,0051,2024-03-02T08:00:00.000+0000,,,,false
            00Q3,kim@acme.com,Kim,,,Web,Working,0051,2024-03-03T08:00:00.000+0000,,,,false

            """)
        try f.write(
            "Opportunity.csv",
            """
            Id,AccountId,Name,Type,StageName,Amount,CloseDate,IsClosed,IsWon,OwnerId,LeadSource,CreatedDate,IsDeleted
            0061,0011,Acme new,New Business,Closed Won,"12,000.00",2024-02-15,true,true,0051,Web,2024-01-10T00:00:00.000+0000,false
            0062,0012,Acme upsell,Existing Business,Negotiation,3500.5,2024-06-30,false,false,0051,,2024-03-10T00:00:00.000+0000,false

            """)
        try f.write(
            "OpportunityHistory.csv",
            """
            Id,OpportunityId,StageName,Amount,CreatedDate,IsDeleted
            0081,0061,Prospecting,12000,2024-01-10T00:00:00.000+0000,false
            0082,0061,Closed Won,12000,2024-02-15T00:00:00.000+0000,false

            """)
        try f.write(
            "Task.csv",
            """
            Id,AccountId,WhoId,OwnerId,TaskSubtype,ActivityDate,IsDeleted
            00T1,0011,0031,0051,Call,2024-01-20,false
            00T2,,0031,0051,Email,2024-01-21,false

            """)
        let files = [
            "Account.csv", "Contact.csv", "Lead.csv", "Opportunity.csv", "OpportunityHistory.csv", "Task.csv",
            "User.csv",
        ]
        let result = try f.run(files) { $0.kind = .salesforce }
        #expect(result.source == "salesforce")
        #expect(
            result.files.map(\.table) == [
                "reps", "accounts", "people", "people", "opportunities", "opportunity_stages", "activities",
            ])
        #expect(result.files[1].read == 4, "the deleted account without a master record is left out")
        let acme = try f.one(Int64.self, "SELECT id FROM accounts WHERE external_id = '0011'")
        #expect(
            try f.one(Int64.self, "SELECT merged_into FROM accounts WHERE external_id = '0012'") == acme,
            "MasterRecordId → merged_into")
        #expect(try f.one(Int64.self, "SELECT parent_account_id FROM accounts WHERE external_id = '0013'") == acme)
        #expect(try f.one(String.self, "SELECT domain FROM accounts WHERE external_id = '0011'") == "acme.com")
        #expect(try f.one(String.self, "SELECT created_on FROM accounts WHERE external_id = '0011'") == "2024-01-05")
        #expect(try f.one(Int64.self, "SELECT amount_minor FROM opportunities WHERE external_id = '0061'") == 1_200_000)
        #expect(try f.one(Int64.self, "SELECT amount_minor FROM opportunities WHERE external_id = '0062'") == 350_050)
        #expect(
            try f.one(
                String.self,
                "SELECT type || '/' || coalesce(closed_on, 'open') FROM opportunities WHERE external_id = '0062'")
                == "upsell/open",
            "CloseDate of an open opportunity is a forecast, not a close")
        #expect(
            try f.one(Int64.self, "SELECT count(*) FROM opportunity_stages WHERE account_id = \(acme!)") == 2,
            "stage history takes its opportunity's account")
        #expect(
            try f.one(Int64.self, "SELECT account_id FROM activities WHERE external_id = '00T2'") == acme,
            "a task without AccountId takes its person's account")
        #expect(
            try f.one(String.self, "SELECT group_concat(kind) FROM (SELECT kind FROM activities ORDER BY external_id)")
                == "call,email")
        #expect(
            try f.one(Int64.self, "SELECT account_id FROM people WHERE external_id = '00Q1'") == acme,
            "a free-mail lead is matched by its normalized company name ('ACME' = 'Acme, Inc.'), never by gmail.com")
        #expect(
            try f.one(Int64.self, "SELECT count(*) FROM people WHERE external_id = '00Q2' AND account_id IS NULL") == 1,
            "a free-mail lead of an unknown company stays unmatched, although an account has the domain gmail.com")
        #expect(
            try f.one(Int64.self, "SELECT account_id FROM people WHERE external_id = '00Q3'") == acme,
            "matched by e-mail domain")
        #expect(
            result.identity
                == IdentitySummary(
                    unmatchedBefore: 3, matchedByEmailDomain: 1, matchedByCompanyName: 1, stillUnmatched: 1))

        let again = try f.run(files) { $0.kind = .salesforce }
        #expect(again.files.allSatisfy { $0.inserted == 0 && $0.updated == 0 }, "re-import is idempotent")
    }

    @Test(
        "HubSpot: merged company ids resolve to the survivor, stage ids become labels and won/lost, epoch milliseconds",
        arguments: StoreBackend.available)
    func hubspot(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write(
            "companies.csv",
            """
            hs_object_id,name,domain,industry,createdate,hs_merged_object_ids
            101,Acme Inc,acme.com,COMPUTER_SOFTWARE,1704448800000,201;202

            """)
        try f.write(
            "contacts.csv",
            """
            hs_object_id,email,firstname,lastname,associatedcompanyid,createdate,lifecyclestage,hs_lifecyclestage_marketingqualifiedlead_date
            301,jo@acme.com,Jo,Lee,202,1704535200000,marketingqualifiedlead,2024-01-07T10:00:00Z

            """)
        try f.write(
            "deals.csv",
            """
            hs_object_id,dealname,amount,deal_currency_code,dealstage,createdate,closedate,associatedcompanyid,dealtype
            401,Acme deal,1500.5,eur,closedwon,1704880800000,1707998400000,201,newbusiness
            402,Acme more,900,EUR,contractsent,1706000000000,1719000000000,101,existingbusiness

            """)
        _ = try f.run(["companies.csv", "contacts.csv", "deals.csv"]) { $0.kind = .hubspot }
        let acme = try f.one(Int64.self, "SELECT id FROM accounts WHERE external_id = '101'")
        #expect(try f.one(Int64.self, "SELECT count(*) FROM accounts") == 1)
        #expect(
            try f.one(Int64.self, "SELECT account_id FROM people WHERE external_id = '301'") == acme,
            "contact of merged company 202")
        #expect(
            try f.one(String.self, "SELECT created_at FROM people WHERE external_id = '301'") == "2024-01-06T10:00:00Z")
        #expect(try f.one(String.self, "SELECT mql_at FROM people WHERE external_id = '301'") == "2024-01-07T10:00:00Z")
        #expect(
            try f.one(
                String.self,
                "SELECT stage || '|' || is_closed || is_won || '|' || amount_minor || currency || '|' || closed_on FROM opportunities WHERE external_id = '401'"
            )
                == "Closed Won|11|150050EUR|2024-02-15")
        #expect(
            try f.one(
                String.self,
                "SELECT stage || '|' || is_closed || is_won || '|' || type || '|' || coalesce(closed_on, '-') FROM opportunities WHERE external_id = '402'"
            )
                == "Contract Sent|00|upsell|-")
        #expect(try f.one(Int64.self, "SELECT count(*) FROM opportunities WHERE account_id = \(acme!)") == 2)
    }

    @Test(
        "Stripe: minor units with the currency's exponent, separate cancel dates, statuses, discounts, invoice lines, charges",
        arguments: StoreBackend.available)
    func stripe(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write(
            "customers.csv",
            """
            id,email,name,created,deleted
            cus_A,billing@acme.com,Acme Inc,1704448800,
            cus_B,kenji@example.jp,,1706745600,
            cus_Z,old@zed.com,Zed,1606745600,true

            """)
        try f.write(
            "subscriptions.csv",
            """
            id,customer,status,plan.id,plan.product,plan.interval,plan.interval_count,plan.amount,plan.currency,quantity,start_date,canceled_at,cancel_at,ended_at,trial_end,discount.coupon.percent_off,discount.coupon.duration,discount.coupon.duration_in_months,discount.start
            sub_1,cus_A,active,price_growth,prod_core,month,1,2000,usd,3,1704448800,1717200000,1719792000,,,20,repeating,3,1704448800
            sub_2,cus_A,trialing,price_pro,prod_core,month,1,9900,usd,1,1709251200,,,,1710460800,,,,
            sub_3,cus_B,past_due,price_jp,prod_core,year,1,120000,jpy,1,1706745600,,,,,,,,
            sub_4,cus_B,incomplete_expired,price_jp,prod_core,month,1,5000,jpy,1,1706745600,,,1707350400,,,,,

            """)
        try f.write(
            "invoices.csv",
            """
            id,customer,subscription,number,created,due_date,status,currency,total
            in_1,cus_A,sub_1,ACME-0001,1704448800,,paid,usd,4800

            """)
        try f.write(
            "invoice_line_items.csv",
            """
            id,invoice,subscription,description,period.start,period.end,amount,quantity,proration
            il_1,in_1,sub_1,3 × Growth,1704448800,1707127200,6000,3,false

            """)
        try f.write(
            "charges.csv",
            """
            id,customer,invoice,created,amount,currency,status,amount_refunded
            ch_1,cus_A,in_1,1704449000,4800,usd,succeeded,1000

            """)
        let result = try f.run([
            "customers.csv", "subscriptions.csv", "invoices.csv", "invoice_line_items.csv", "charges.csv",
        ]) { $0.kind = .stripe }
        #expect(result.files.map(\.inserted) == [2, 4, 1, 1, 1])
        #expect(
            try f.one(String.self, "SELECT name || '|' || domain FROM accounts WHERE external_id = 'cus_A'")
                == "Acme Inc|acme.com")
        #expect(
            try f.one(String.self, "SELECT name FROM accounts WHERE external_id = 'cus_B'") == "kenji@example.jp",
            "no name: the e-mail names the account")
        #expect(
            try f.one(
                String.self,
                """
                SELECT amount_minor || '|' || quantity || '|' || currency || '|' || status || '|' || started_on || '|' || canceled_on || '|' || cancel_at
                  || '|' || coalesce(ended_on, '-') || '|' || discount_percent || '|' || discount_duration || '|' || discount_months
                FROM subscriptions WHERE external_id = 'sub_1'
                """) == "6000|3|USD|active|2024-01-05|2024-06-01|2024-07-01|-|20.0|repeating|3",
            "unit amount × quantity; cancel dates kept apart")
        #expect(
            try f.one(
                String.self, "SELECT status || '|' || trial_end_on FROM subscriptions WHERE external_id = 'sub_2'")
                == "trialing|2024-03-15")
        #expect(
            try f.one(
                String.self,
                "SELECT amount_minor || currency || interval FROM subscriptions WHERE external_id = 'sub_3'")
                == "120000JPYyear",
            "JPY has no minor unit: ¥120,000 stays 120000")
        #expect(try f.one(String.self, "SELECT status FROM subscriptions WHERE external_id = 'sub_4'") == "canceled")
        #expect(
            try f.one(
                String.self,
                "SELECT period_start || '|' || period_end || '|' || proration || '|' || account_id FROM invoice_lines")
                == "2024-01-05|2024-02-05|0|\(try f.one(Int64.self, "SELECT id FROM accounts WHERE external_id = 'cus_A'")!)"
        )
        #expect(
            try f.one(String.self, "SELECT paid_at || '|' || refunded_minor FROM payments")
                == "2024-01-05T10:03:20Z|1000")
    }

    @Test(
        "a newer current-state export keeps history: price and seat changes become subscription_changes, stage changes opportunity_stages",
        arguments: StoreBackend.available)
    func currentStateHistory(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("customers.csv", "id,email,name,created\ncus_A,billing@acme.com,Acme Inc,1704448800\n")
        let header = "id,customer,status,plan.id,plan.interval,plan.amount,plan.currency,quantity,start_date\n"
        try f.write("subscriptions.csv", header + "sub_1,cus_A,active,price_growth,month,2000,usd,3,1704448800\n")
        _ = try f.run(["customers.csv", "subscriptions.csv"]) {
            $0.kind = .stripe
            $0.dataThrough = Day(2024, 3, 31)
        }
        try f.write("subscriptions.csv", header + "sub_1,cus_A,active,price_growth,month,2000,usd,5,1704448800\n")
        let newer = try f.run(["customers.csv", "subscriptions.csv"]) {
            $0.kind = .stripe
            $0.dataThrough = Day(2024, 4, 30)
        }
        #expect(newer.files[1].updated == 1)
        #expect(
            newer.notes.first?.hasPrefix(
                "1 of 1 stripe subscriptions have no invoice lines back to their start: their MRR history before 2024-03 "
            ) == true, "\(newer.notes)")
        #expect(
            try f.one(String.self, "SELECT amount_minor || '/' || quantity FROM subscriptions") == "6000/3",
            "the row keeps its starting price")
        #expect(
            try f.one(
                String.self, "SELECT effective_on || ' ' || amount_minor || '/' || quantity FROM subscription_changes")
                == "2024-04-30 10000/5")
        let again = try f.run(["customers.csv", "subscriptions.csv"]) {
            $0.kind = .stripe
            $0.dataThrough = Day(2024, 4, 30)
        }
        #expect(again.files[1].unchanged == 1)
        #expect(try f.count("subscription_changes") == 1)

        try f.write("companies.csv", "hs_object_id,name,createdate\n101,Acme,2024-01-01\n")
        let deals = "hs_object_id,dealname,amount,dealstage,createdate,associatedcompanyid\n"
        try f.write("deals.csv", deals + "401,Acme,100,contractsent,2024-02-01,101\n")
        _ = try f.run(["companies.csv", "deals.csv"]) {
            $0.kind = .hubspot
            $0.dataThrough = Day(2024, 3, 1)
        }
        try f.write("deals.csv", deals + "401,Acme,100,closedwon,2024-02-01,101\n")
        _ = try f.run(["companies.csv", "deals.csv"]) {
            $0.kind = .hubspot
            $0.dataThrough = Day(2024, 3, 8)
        }
        #expect(
            try f.one(String.self, "SELECT stage || ' ' || entered_at FROM opportunity_stages")
                == "Closed Won 2024-03-08T00:00:00Z")
    }

    @Test(
        "a current-state Stripe export with invoice lines gets its price history back from the invoices",
        arguments: StoreBackend.available)
    func historyFromInvoiceLines(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("customers.csv", "id,email,name,created\ncus_A,billing@acme.com,Acme Inc,1704844800\n")
        // Today: 4 seats at 20.00 (2024-01-10 = 1704844800).
        try f.write(
            "subscriptions.csv",
            """
            id,customer,status,plan.id,plan.interval,plan.amount,plan.currency,quantity,start_date
            sub_1,cus_A,active,price_seat,month,2000,usd,4,1704844800

            """)
        try f.write(
            "invoices.csv",
            "id,customer,subscription,number,created,status,currency,total\nin_1,cus_A,sub_1,A-1,1704844800,paid,usd,0\n"
        )
        let day: (Int, Int, Int) -> String = { y, m, d in String(Int64(Day(y, m, d).ordinal) * 86_400) }
        try f.write(
            "invoice_line_items.csv",
            """
            id,invoice,subscription,period.start,period.end,amount,quantity,proration
            il_1,in_1,sub_1,\(day(2024, 1, 10)),\(day(2024, 2, 10)),6000,3,false
            il_2,in_1,sub_1,\(day(2024, 2, 10)),\(day(2024, 3, 10)),6000,3,false
            il_3,in_1,sub_1,\(day(2024, 2, 25)),\(day(2024, 3, 10)),1300,2,true
            il_4,in_1,sub_1,\(day(2024, 3, 10)),\(day(2024, 4, 10)),10000,5,false
            il_5,in_1,sub_1,\(day(2024, 5, 10)),\(day(2024, 6, 10)),8000,4,false

            """)
        let files = ["customers.csv", "subscriptions.csv", "invoices.csv", "invoice_line_items.csv"]
        let result = try f.run(files) {
            $0.kind = .stripe
            $0.dataThrough = Day(2024, 6, 30)
        }
        #expect(
            result.invoiceHistory
                == InvoiceHistorySummary(withInvoiceLines: 1, fromStart: 1, changesWritten: 2, subscriptions: 1))
        #expect(
            try f.one(String.self, "SELECT amount_minor || '/' || quantity FROM subscriptions") == "6000/3",
            "starting price from the first invoice line")
        #expect(
            try f.one(
                String.self,
                "SELECT group_concat(effective_on || ' ' || amount_minor || '/' || quantity, '; ') FROM (SELECT * FROM subscription_changes ORDER BY effective_on)"
            )
                == "2024-02-25 10000/5; 2024-05-10 8000/4")
        #expect(
            result.notes.first?.hasPrefix(
                "price history of 1 stripe subscriptions rebuilt from invoice lines (1 back to their start, 2 price changes)"
            ) == true,
            "\(result.notes)")
        let before = try f.content()
        _ = try f.run(files) {
            $0.kind = .stripe
            $0.dataThrough = Day(2024, 6, 30)
        }
        #expect(try f.content() == before, "re-import changes nothing")
    }

    @Test(
        "Stripe subscription items and prices: a subscription's price is the sum of its items",
        arguments: StoreBackend.available)
    func stripeItems(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("customers.csv", "id,email,name,created\ncus_A,billing@acme.com,Acme Inc,1704844800\n")
        try f.write(
            "prices.csv",
            """
            id,product,unit_amount,currency,recurring.interval,recurring.interval_count
            price_seat,prod_core,2000,usd,month,1
            price_analytics,prod_analytics,5000,usd,month,1

            """)
        try f.write(
            "subscription_items.csv",
            """
            id,subscription,price,quantity
            si_1,sub_1,price_seat,4
            si_2,sub_1,price_analytics,1

            """)
        try f.write("subscriptions.csv", "id,customer,status,start_date\nsub_1,cus_A,active,1704844800\n")
        let files = ["customers.csv", "prices.csv", "subscription_items.csv", "subscriptions.csv"]
        let result = try f.run(files) { $0.kind = .stripe }
        #expect(
            result.files.map(\.table) == ["accounts", "subscriptions"], "prices and items are a lookup, not tables")
        #expect(
            result.notes.contains { $0.contains("prices.csv") && $0.contains("as the subscriptions' price list") },
            "the lookup files are named: \(result.notes)")
        #expect(
            try f.one(
                String.self,
                "SELECT amount_minor || '|' || quantity || '|' || currency || '|' || interval || '|' || plan || '|' || product FROM subscriptions"
            )
                == "13000|4|USD|month|price_seat|prod_core", "4 × 20.00 + 1 × 50.00; the base plan's seats and product")

        try f.write("subscription_items.csv", "id,subscription,price,quantity\nsi_1,sub_1,price_gone,4\n")
        let failure = try f.failure(files) { $0.kind = .stripe }
        #expect(
            failure.problems[0].description
                == "\(f.folder)/subscriptions.csv:2:1: subscription items: item price 'price_gone' is not in the prices export"
        )
    }

    @Test(
        "a file the source does not know, and a source export missing a required column, are named",
        arguments: StoreBackend.available)
    func unknownFiles(_ backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        try f.write("Quote.csv", "Id,Name\n1,x\n")
        let unknown = try f.failure(["Quote.csv"]) { $0.kind = .salesforce }
        #expect(
            unknown.problems[0].reason.hasPrefix(
                "not a salesforce export this importer knows; expected one of User.csv, Account.csv"))
        try f.write("Account.csv", "Id,Website\n0011,acme.com\n")
        let missing = try f.failure(["Account.csv"]) { $0.kind = .salesforce }
        #expect(
            missing.problems[0].reason
                == "missing required column 'Name (for name)', 'CreatedDate (for created_on)' for table 'accounts'")
    }
}
