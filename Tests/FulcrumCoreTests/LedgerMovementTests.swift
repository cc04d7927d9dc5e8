import Testing

@testable import FulcrumCore

/// Movement classification on single-currency books, with hand-computed numbers.
@Suite struct LedgerMovementTests {
    func ledger(
        _ subs: [RevenueSubscription], _ from: String, _ to: String,
        settings: RevenueSettings = RevenueSettings()
    ) throws -> RevenueLedger {
        try computeLedger(subscriptions: subs, settings: settings, from: month(from), to: month(to))
    }

    @Test func onlyTheMonthEndPhaseCounts() throws {
        // Account 1: 100.00 from Jan 1, upgrade to 200.00 on Feb 5, downgrade to 150.00 on Feb 20.
        // Jan: 10000 (new). Feb month-end phase is 15000 → expansion +5000, the 20000 peak is invisible.
        var upDown = monthly(1, account: 1, "2024-01-01", amount: 10000)
        upDown.phases += [
            PricePhase(from: day("2024-02-05"), amountMinor: 20000, quantity: 2),
            PricePhase(from: day("2024-02-20"), amountMinor: 15000),
        ]
        // Account 2: three phases inside January; the one from Jan 31 (the last day) is in force: 5000.
        // Feb: still 5000 → no movement.
        var inJanuary = monthly(2, account: 2, "2024-01-01", amount: 10000)
        inJanuary.phases += [
            PricePhase(from: day("2024-01-10"), amountMinor: 30000),
            PricePhase(from: day("2024-01-31"), amountMinor: 5000),
        ]
        // Account 3: downgrade 300.00 → 100.00 on Mar 3 → contraction −20000 in March.
        var down = monthly(3, account: 3, "2024-01-01", amount: 30000)
        down.phases.append(PricePhase(from: day("2024-03-03"), amountMinor: 10000))

        let l = try ledger([upDown, inJanuary, down], "2024-01", "2024-03")
        #expect(l.mrr(account: 1, month: month("2024-01")) == 10000)
        #expect(l.mrr(account: 1, month: month("2024-02")) == 15000)
        #expect(l.mrr(account: 2, month: month("2024-01")) == 5000)
        let jan = l.months[0]
        let feb = l.months[1]
        let mar = l.months[2]
        // Jan: new = 10000 + 5000 + 30000 = 45000.
        #expect(jan.new == 45000 && jan.mrr == 45000 && jan.customers == 3 && jan.newCustomers == 3)
        // Feb: +5000 expansion from account 1 only; 45000 + 5000 = 50000.
        #expect(feb.expansion == 5000 && feb.contraction == 0 && feb.mrr == 50000)
        // Mar: account 3 30000 → 10000 = −20000; 50000 − 20000 = 30000.
        #expect(mar.contraction == -20000 && mar.expansion == 0 && mar.mrr == 30000 && mar.churn == 0)
        #expect(l.movements(account: 1).map(\.kind) == [.new, .expansion])
        #expect(l.months.allSatisfy(bridgeCloses))
    }

    @Test func churnThenReactivationTwice() throws {
        // One account, 50.00/month: Jan–Feb, Apr 10–May, Aug onwards.
        let subs = [
            monthly(1, account: 1, "2024-01-01", end: "2024-03-01", amount: 5000),
            monthly(2, account: 1, "2024-04-10", end: "2024-06-01", amount: 5000),
            monthly(3, account: 1, "2024-08-01", amount: 5000),
        ]
        let l = try ledger(subs, "2024-01", "2024-09")
        #expect(l.movements(account: 1).map(\.kind) == [.new, .churn, .reactivation, .churn, .reactivation])
        #expect(l.movements(account: 1).map(\.amountMinor) == [5000, -5000, 5000, -5000, 5000])
        #expect(
            l.movements(account: 1).map(\.month) == ["2024-01", "2024-03", "2024-04", "2024-06", "2024-08"].map(month))
        #expect(l.months.map(\.customers) == [1, 1, 0, 1, 1, 0, 0, 1, 1])
        #expect(l.months.map(\.mrr) == [5000, 5000, 0, 5000, 5000, 0, 0, 5000, 5000])
        #expect(l.row(for: month("2024-04"))?.reactivation == 5000)
        #expect(l.row(for: month("2024-04"))?.new == 0)
        // March: 1 churned of 1 customer at end of February.
        #expect(l.logoChurnRate(in: month("2024-03")) == 1)
        #expect(l.months.allSatisfy(bridgeCloses))
    }

    @Test func midMonthStartAndEnd() throws {
        // Jan 15 → Mar 1 (exclusive): active Jan 31 and Feb 29, not Mar 31 → Jan, Feb; churn in March.
        // Jan 15 → Mar 20: active Feb 29, not Mar 31 → also churns in March.
        // Jan 31 start counts in January; ending Jan 31 (exclusive) is inactive on Jan 31 → never counts.
        let subs = [
            monthly(1, account: 1, "2024-01-15", end: "2024-03-01", amount: 1000),
            monthly(2, account: 2, "2024-01-15", end: "2024-03-20", amount: 2000),
            monthly(3, account: 3, "2024-01-31", amount: 4000),
            monthly(4, account: 4, "2024-01-02", end: "2024-01-31", amount: 8000),
        ]
        let l = try ledger(subs, "2024-01", "2024-04")
        // Jan: 1000 + 2000 + 4000 = 7000, three customers.
        #expect(l.months[0].mrr == 7000 && l.months[0].customers == 3)
        #expect(l.months[1].mrr == 7000)
        // Mar: both churn: −1000 − 2000 = −3000 → 4000.
        #expect(l.months[2].churn == -3000 && l.months[2].churnedCustomers == 2 && l.months[2].mrr == 4000)
        #expect(l.movements(account: 4).isEmpty)
    }

    @Test func cancellingOneOfTwoSubscriptionsIsContraction() throws {
        // 60.00 + 40.00 from Jan; the 40.00 one ends Feb 15 → Feb: 10000 → 6000 = contraction −4000.
        let subs = [
            monthly(1, account: 1, "2024-01-01", amount: 6000),
            monthly(2, account: 1, "2024-01-01", end: "2024-02-15", amount: 4000),
        ]
        let l = try ledger(subs, "2024-01", "2024-02")
        #expect(l.months[1].contraction == -4000)
        #expect(l.months[1].churn == 0 && l.months[1].churnedCustomers == 0)
        #expect(l.months[1].customers == 1 && l.months[1].mrr == 6000)
    }

    @Test func zeroAmountSubscriptionIsNeverACustomer() throws {
        let l = try ledger([monthly(1, account: 1, "2024-01-01", amount: 0)], "2024-01", "2024-03")
        #expect(l.months.allSatisfy { $0.customers == 0 && $0.mrr == 0 && $0.new == 0 })
        #expect(l.movements.isEmpty && l.accountMRR.isEmpty)
    }

    @Test func trialThenConvert() throws {
        // 50.00/month, started Jan 10 with a trial until Feb 10.
        // Jan 31 < Feb 10 → trial: MRR 0, trial MRR 5000. Feb 29 ≥ Feb 10 → paying: new 5000 in February.
        let sub = RevenueSubscription(
            id: 1, accountId: 1, start: day("2024-01-10"), amountMinor: 5000, trialEnd: day("2024-02-10"))
        let l = try ledger([sub], "2024-01", "2024-02")
        #expect(l.months[0].mrr == 0 && l.months[0].customers == 0)
        #expect(l.months[0].trialMRR == 5000 && l.months[0].trialSubscriptions == 1)
        #expect(l.months[1].new == 5000 && l.months[1].newCustomers == 1 && l.months[1].trialMRR == 0)

        // With includeTrials the trial counts from January (new in January), and is still reported as trial.
        let withTrials = try ledger([sub], "2024-01", "2024-02", settings: RevenueSettings(includeTrials: true))
        #expect(withTrials.months[0].new == 5000 && withTrials.months[0].trialMRR == 5000)
        #expect(withTrials.months[1].new == 0 && withTrials.months[1].expansion == 0)
    }

    @Test func openingBalanceAndHistoryBeforeTheRange() throws {
        // Account 1 has run since 2023-06: it is in the opening balance, not new in the range.
        // Account 2 paid in 2023-01…02, then returns in 2024-02: reactivation, not new.
        let subs = [
            monthly(1, account: 1, "2023-06-01", amount: 3000),
            monthly(2, account: 2, "2023-01-01", end: "2023-03-01", amount: 2000),
            monthly(3, account: 2, "2024-02-01", amount: 2500),
        ]
        let l = try ledger(subs, "2024-01", "2024-02")
        #expect(l.months[0].openingMRR == 3000 && l.months[0].openingCustomers == 1 && l.months[0].new == 0)
        #expect(l.months[1].reactivation == 2500 && l.months[1].new == 0)
    }
}
