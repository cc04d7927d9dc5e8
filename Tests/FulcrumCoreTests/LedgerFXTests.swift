import Testing

@testable import FulcrumCore

/// Multi-currency books: month-by-month rates and the FX adjustment.
@Suite struct LedgerFXTests {
    /// USD/JPY 0.0067 in Jan, 0.0070 in Feb, 0.0065 in Mar; KWD 3.25 every month.
    let fx = FXTable([
        Month(2024, 1): ["JPY": 0.0067, "KWD": 3.25],
        Month(2024, 2): ["JPY": 0.0070, "KWD": 3.25],
        Month(2024, 3): ["JPY": 0.0065, "KWD": 3.25],
    ])

    @Test func fxChangeIsAdjustmentNotExpansion() throws {
        // Account 1: 100.00 USD. Account 2: ¥150,000 (minor unit = 1 yen), upgraded to ¥200,000 on Mar 10.
        // Account 3: 30.000 KWD = 30000 fils → 30000 × 3.25 × 10^(2−3) = 9750 cents.
        var yen = monthly(2, account: 2, "2024-01-01", amount: 150_000, currency: "JPY")
        yen.phases.append(PricePhase(from: day("2024-03-10"), amountMinor: 200_000))
        let subs = [
            monthly(1, account: 1, "2024-01-01", amount: 10000), yen,
            monthly(3, account: 3, "2024-01-01", amount: 30000, currency: "KWD"),
        ]
        let l = try computeLedger(subscriptions: subs, fx: fx, from: month("2024-01"), to: month("2024-03"))

        // Jan: ¥150,000 × 0.0067 = $1005.00 = 100500 cents; total 10000 + 100500 + 9750 = 120250, all new.
        #expect(l.mrr(account: 2, month: month("2024-01")) == 100500)
        #expect(l.months[0].new == 120250 && l.months[0].mrr == 120250 && l.months[0].fxAdjustment == 0)
        // Feb: ¥150,000 × 0.0070 = 105000. Revalued last month = 105000 → no expansion; fx = 105000 − 100500 = 4500.
        #expect(l.months[1].expansion == 0 && l.months[1].contraction == 0)
        #expect(l.months[1].fxAdjustment == 4500 && l.months[1].mrr == 124750)
        // Mar: ¥200,000 × 0.0065 = 130000; last month at March's rate ¥150,000 × 0.0065 = 97500.
        // expansion = 130000 − 97500 = 32500; fx = 97500 − 105000 = −7500; 124750 − 7500 + 32500 = 149750.
        #expect(l.months[2].expansion == 32500 && l.months[2].fxAdjustment == -7500 && l.months[2].mrr == 149750)
        #expect(l.months.allSatisfy(bridgeCloses))
        let drill = l.movements(account: 2)
        #expect(drill.filter { $0.kind == .fxAdjustment }.map(\.amountMinor) == [4500, -7500])
    }

    @Test func churnOfAForeignAccountIsSizedAtTheNewRate() throws {
        // ¥100,000 Jan–Feb (ends Mar 1)… Feb MRR = 100000 × 0.0070 = 70000; churn in March at March's rate
        // = −(100000 × 0.0065) = −65000 and fx = 65000 − 70000 = −5000; close 0.
        let sub = monthly(1, account: 1, "2024-01-01", end: "2024-03-01", amount: 100_000, currency: "JPY")
        let l = try computeLedger(subscriptions: [sub], fx: fx, from: month("2024-01"), to: month("2024-03"))
        #expect(l.months[2].churn == -65000 && l.months[2].fxAdjustment == -5000 && l.months[2].mrr == 0)
        #expect(bridgeCloses(l.months[2]))
    }

    @Test func singleCurrencyHasNoFXAdjustment() throws {
        let subs = [
            monthly(1, account: 1, "2024-01-01", amount: 10000), monthly(2, account: 2, "2024-02-01", amount: 500),
        ]
        let l = try computeLedger(subscriptions: subs, from: month("2024-01"), to: month("2024-03"))
        #expect(l.months.allSatisfy { $0.fxAdjustment == 0 })
    }

    @Test func missingRateNamesMonthAndCurrency() {
        let janOnly = FXTable([Month(2024, 1): ["JPY": 0.0067]])
        let sub = monthly(1, account: 1, "2024-01-01", amount: 1000, currency: "JPY")
        #expect(throws: RevenueError.missingFXRate(month: month("2024-02"), currency: "JPY")) {
            try computeLedger(subscriptions: [sub], fx: janOnly, from: month("2024-01"), to: month("2024-02"))
        }
        // The reporting currency needs no rate, and neither does a currency with nothing to convert.
        let usd = monthly(2, account: 2, "2024-01-01", amount: 1000)
        let idle = monthly(3, account: 3, "2024-01-01", amount: 0, currency: "EUR")
        #expect(throws: Never.self) {
            try computeLedger(subscriptions: [usd, idle], fx: FXTable(), from: month("2024-01"), to: month("2024-02"))
        }
        // With EUR reporting, USD amounts need a rate.
        #expect(throws: RevenueError.missingFXRate(month: month("2024-01"), currency: "USD")) {
            try computeLedger(
                subscriptions: [usd], settings: RevenueSettings(reportingCurrency: "EUR"),
                fx: FXTable(), from: month("2024-01"), to: month("2024-01"))
        }
        #expect(
            RevenueError.missingFXRate(month: month("2024-02"), currency: "JPY").description.contains("JPY in 2024-02"))
    }

    @Test func jpyMinorUnitsConvertByExponent() throws {
        // 1000 yen at 0.0067 USD/JPY → 6.70 USD = 670 cents.
        let sub = monthly(1, account: 1, "2024-01-01", amount: 1000, currency: "JPY")
        let l = try computeLedger(subscriptions: [sub], fx: fx, from: month("2024-01"), to: month("2024-01"))
        #expect(l.months[0].mrr == 670)
    }

    @Test func trialMRRIsConvertedAtTheMonthRate() throws {
        // ¥10,000 trial in January → 10000 × 0.0067 = 67.00 USD = 6700 cents of trial MRR.
        let sub = RevenueSubscription(
            id: 1, accountId: 1, start: day("2024-01-05"), currency: "JPY",
            amountMinor: 10000, trialEnd: day("2024-02-05"))
        let l = try computeLedger(subscriptions: [sub], fx: fx, from: month("2024-01"), to: month("2024-01"))
        #expect(l.months[0].trialMRR == 6700 && l.months[0].mrr == 0)
    }
}
