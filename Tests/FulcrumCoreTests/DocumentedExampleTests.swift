import Testing

@testable import FulcrumCore

/// The worked examples in docs/metrics.md, computed by the real code.
@Suite("docs/metrics.md worked examples")
struct DocumentedExampleTests {
    func subscription(
        _ id: Int64, account: Int64 = 1, _ start: Day, _ end: Day?, _ dollars: Int64, segment: String = "Tech"
    ) -> Subscription {
        var s = Subscription()
        s.id = id
        s.accountId = account
        s.startedOn = start
        s.endedOn = end
        s.amountMinor = dollars * 100
        s.plan = "Plan"
        s.product = "Core"
        return s
    }

    @Test("mid-month start, upgrade, second subscription, contraction, churn, reactivation")
    func movementsExample() throws {
        let subs = [
            subscription(1, Day(2024, 1, 15), Day(2024, 5, 1), 100),
            subscription(2, Day(2024, 3, 5), Day(2024, 4, 20), 40),
            subscription(3, Day(2024, 7, 3), nil, 80),
        ]
        var upgrade = SubscriptionChange()
        upgrade.id = 1
        upgrade.subscriptionId = 1
        upgrade.accountId = 1
        upgrade.effectiveOn = Day(2024, 2, 10)
        upgrade.amountMinor = 15_000
        let ledger = try computeLedger(
            subscriptions: RevenueSubscription.from(subs, changes: [upgrade], statusPeriods: []),
            from: Month(2024, 1), to: Month(2024, 7))
        #expect(ledger.months.map(\.mrr) == [10_000, 15_000, 19_000, 15_000, 0, 0, 8_000])
        let m = ledger.months
        #expect(m[0].new == 10_000)
        #expect(m[1].expansion == 5_000)
        #expect(m[2].expansion == 4_000 && m[2].new == 0)
        #expect(m[3].contraction == -4_000 && m[3].churn == 0)
        #expect(m[4].churn == -15_000)
        #expect(m[6].reactivation == 8_000 && m[6].new == 0)
    }

    @Test("headline: customers, churn, new customers and CAC with untagged spend allocated")
    func headlineExample() throws {
        var tech = Account()
        tech.id = 1
        tech.segment = "Tech"
        tech.name = "T1"
        var tech2 = Account()
        tech2.id = 2
        tech2.segment = "Tech"
        tech2.name = "T2"
        var telecom = Account()
        telecom.id = 3
        telecom.segment = "Telecom"
        telecom.name = "C1"
        var duplicate = Account()
        duplicate.id = 4
        duplicate.segment = "Tech"
        duplicate.name = "T1 dup"
        duplicate.mergedInto = 1
        let subs = [
            subscription(1, account: 1, Day(2023, 6, 1), nil, 100),  // customer all along
            subscription(2, account: 2, Day(2024, 3, 1), Day(2024, 9, 1), 50),  // new in the TTM, churns in it
            subscription(3, account: 3, Day(2024, 2, 1), nil, 300),  // new in the TTM
            subscription(4, account: 4, Day(2024, 5, 1), nil, 20),  // the duplicate: expansion of account 1
        ]
        func spend(_ segment: String?, _ dollars: Int64) -> SpendEntry {
            var s = SpendEntry()
            s.month = Month(2024, 6)
            s.team = .marketing
            s.category = segment == nil ? .wages : .media
            s.segment = segment
            s.amountMinor = dollars * 100
            return s
        }
        var cs = spend(nil, 99_999)
        cs.team = .cs
        let report = try HeadlineReport.compute(
            accounts: [tech, tech2, telecom, duplicate], billing: subs, changes: [], statusPeriods: [], fxRates: [],
            spend: [spend("Tech", 30_000), spend("Telecom", 10_000), spend(nil, 8_000), cs],
            dataThrough: Day(2024, 12, 31))
        #expect(report.asOf == Month(2024, 12))
        let techRow = report.rows.first { $0.segment == "Tech" }!
        let telecomRow = report.rows.first { $0.segment == "Telecom" }!
        #expect(techRow.customers == 1)  // the merged duplicate counts once
        #expect(techRow.mrrMinor == 12_000)  // $100 + the duplicate's $20
        #expect(techRow.openingCustomers == 1)
        #expect(techRow.churnedCustomers == 1)
        #expect(techRow.logoChurn == 1.0)
        #expect(techRow.newCustomers == 1)
        #expect(techRow.marketingSpendMinor == 3_600_000)
        #expect(techRow.cacMinor == 3_600_000)
        #expect(telecomRow.marketingSpendMinor == 1_200_000)
        #expect(telecomRow.newCustomers == 1 && telecomRow.customers == 1 && telecomRow.arrMinor == 360_000)
        #expect(report.total.marketingSpendMinor == 4_800_000)  // customer-success spend is not CAC
        #expect(report.total.newCustomers == 2)
        #expect(report.rows.reduce(0) { $0 + $1.marketingSpendMinor } == report.total.marketingSpendMinor)
    }

    @Test("a partial month is never the as-of month")
    func partialMonth() throws {
        let report = try HeadlineReport.compute(
            accounts: [], billing: [], changes: [], statusPeriods: [], fxRates: [], spend: [],
            dataThrough: Day(2024, 12, 30))
        #expect(report.asOf == Month(2024, 11))
    }
}
