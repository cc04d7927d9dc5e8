import FulcrumCore
import Testing

@Suite("Headline: spend in another currency")
struct HeadlineCurrencyTests {
    func fixture(rate: Double?) throws -> HeadlineReport {
        var account = Account()
        account.id = 1
        account.segment = "Telecom"
        account.name = "C1"
        var sub = Subscription()
        sub.id = 1
        sub.accountId = 1
        sub.plan = "P"
        sub.product = "Core"
        sub.amountMinor = 30_000
        sub.currency = "USD"
        sub.status = .active
        sub.startedOn = Day(2024, 2, 1)
        var spend = SpendEntry()
        spend.month = Month(2024, 6)
        spend.team = .marketing
        spend.category = .media
        spend.segment = "Telecom"
        spend.amountMinor = 100_000
        spend.currency = "EUR"  // €1,000.00
        var fx = FXRate()
        fx.month = Month(2024, 6)
        fx.currency = "EUR"
        fx.rate = rate ?? 1
        return try HeadlineReport.compute(
            accounts: [account], billing: [sub], changes: [], statusPeriods: [],
            fxRates: rate == nil ? [] : [fx], spend: [spend], dataThrough: Day(2024, 12, 31))
    }

    @Test("spend is converted at its month's rate before CAC: €1,000 at 1.10 is $1,100 for one new customer")
    func convertsSpend() throws {
        let telecom = try fixture(rate: 1.10).rows.first { $0.segment == "Telecom" }!
        #expect(telecom.marketingSpendMinor == 110_000)
        #expect(telecom.newCustomers == 1 && telecom.cacMinor == 110_000)
    }

    @Test("a segment with new customers but no spend attributed has a blank CAC, not $0")
    func blankWithoutSpend() throws {
        var account = Account()
        account.id = 1
        account.segment = "Tech"
        account.name = "T1"
        var sub = Subscription()
        sub.id = 1
        sub.accountId = 1
        sub.plan = "P"
        sub.product = "Core"
        sub.amountMinor = 10_000
        sub.currency = "USD"
        sub.status = .active
        sub.startedOn = Day(2024, 2, 1)
        let report = try HeadlineReport.compute(
            accounts: [account], billing: [sub], changes: [], statusPeriods: [], fxRates: [],
            spend: [], dataThrough: Day(2024, 12, 31))
        #expect(report.rows.first?.newCustomers == 1)
        #expect(report.rows.first?.cacMinor == nil)
        #expect(report.total.cacMinor == nil)
    }

    @Test("spend in a currency without a rate for its month is an error, not a silent 1:1")
    func missingRate() {
        #expect(throws: RevenueError.self) { _ = try fixture(rate: nil) }
    }
}
