import Testing

@testable import FulcrumCore

/// One subscription's monthly value, checked through a one-month ledger.
@Suite struct SubscriptionValueTests {
    func januaryMRR(_ sub: RevenueSubscription) throws -> Int64 {
        try computeLedger(subscriptions: [sub], from: month("2024-01"), to: month("2024-01")).months[0].mrr
    }

    @Test func currencyExponents() {
        #expect(Currency.exponent(of: "JPY") == 0)
        #expect(Currency.exponent(of: "USD") == 2)
        #expect(Currency.exponent(of: "KWD") == 3)
        #expect(Currency.exponent(of: "jpy") == 0)
        #expect(Currency.exponent(of: "XYZ") == 2)
        for code in ["BHD", "OMR", "JOD", "TND", "IQD", "LYD"] { #expect(Currency.exponent(of: code) == 3) }
        for code in [
            "BIF", "CLP", "DJF", "GNF", "ISK", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
        ] {
            #expect(Currency.exponent(of: code) == 0)
        }
    }

    @Test func annualPrepaidIsDividedByTwelve() throws {
        // 1200.00/year → 120000 / 12 = 10000.
        #expect(
            try januaryMRR(
                RevenueSubscription(id: 1, accountId: 1, start: day("2024-01-01"), interval: .year, amountMinor: 120000)
            ) == 10000)
        // 1000.00/year → 100000 / 12 = 8333.33 → 8333.
        #expect(
            try januaryMRR(
                RevenueSubscription(id: 1, accountId: 1, start: day("2024-01-01"), interval: .year, amountMinor: 100000)
            ) == 8333)
        // 2-year plan: 240000 / 24 = 10000.
        #expect(
            try januaryMRR(
                RevenueSubscription(
                    id: 1, accountId: 1, start: day("2024-01-01"), interval: .year, intervalCount: 2,
                    amountMinor: 240000)) == 10000)
        // Quarterly 300.00 → 30000 / 3 = 10000.
        #expect(
            try januaryMRR(
                RevenueSubscription(
                    id: 1, accountId: 1, start: day("2024-01-01"), interval: .quarter, amountMinor: 30000)) == 10000)
    }

    @Test func weeklyAndDailyPlans() throws {
        // 25.00/week → 2500 × 52 / 12 = 10833.33 → 10833.
        #expect(
            try januaryMRR(
                RevenueSubscription(id: 1, accountId: 1, start: day("2024-01-01"), interval: .week, amountMinor: 2500))
                == 10833)
        // Every 2 weeks 50.00 → 5000 × 52 / 24 = 10833.33 → 10833.
        #expect(
            try januaryMRR(
                RevenueSubscription(
                    id: 1, accountId: 1, start: day("2024-01-01"), interval: .week, intervalCount: 2, amountMinor: 5000)
            ) == 10833)
        // 1.00/day → 100 × 365 / 12 = 3041.67 → 3042.
        #expect(
            try januaryMRR(
                RevenueSubscription(id: 1, accountId: 1, start: day("2024-01-01"), interval: .day, amountMinor: 100))
                == 3042)
    }

    @Test func roundsHalfAwayFromZeroOnce() throws {
        // 0.06/year → 6 / 12 = 0.5 → 1 (banker's rounding would give 0).
        #expect(
            try januaryMRR(
                RevenueSubscription(id: 1, accountId: 1, start: day("2024-01-01"), interval: .year, amountMinor: 6))
                == 1)
        // 0.30/year → 30 / 12 = 2.5 → 3 (banker's rounding would give 2).
        #expect(
            try januaryMRR(
                RevenueSubscription(id: 1, accountId: 1, start: day("2024-01-01"), interval: .year, amountMinor: 30))
                == 3)
    }

    @Test func monthlyFactorIsExact() {
        #expect(BillingInterval.week.monthlyFactor(count: 1) == 52.0 / 12.0)
        #expect(BillingInterval.year.monthlyFactor(count: 2) == 1.0 / 24.0)
        #expect(BillingInterval.day.monthlyFactor(count: 1) == 365.0 / 12.0)
    }

    @Test func invalidSubscriptionsAreRejected() {
        let badCount = RevenueSubscription(
            id: 7, accountId: 1, start: day("2024-01-01"), intervalCount: 0, amountMinor: 100)
        #expect(throws: RevenueError.invalidSubscription(id: 7, reason: "interval count 0 is below 1")) {
            try computeLedger(subscriptions: [badCount], from: month("2024-01"), to: month("2024-01"))
        }
        let negative = monthly(8, account: 1, "2024-01-01", amount: -5)
        #expect(throws: RevenueError.self) {
            try computeLedger(subscriptions: [negative], from: month("2024-01"), to: month("2024-01"))
        }
        #expect(throws: RevenueError.invalidRange(from: month("2024-02"), to: month("2024-01"))) {
            try computeLedger(subscriptions: [], from: month("2024-02"), to: month("2024-01"))
        }
    }
}
