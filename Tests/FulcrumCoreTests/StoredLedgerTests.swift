import Testing

@testable import FulcrumCore

/// `computeLedger(stored:)` (the metric context's path) against the engine's own path
/// through `RevenueSubscription.from`: the same ledger, row for row.
@Suite struct StoredLedgerTests {
    @Test(arguments: [ChurnRecognition.endOfPaidPeriod, .cancelDate])
    func storedPathEqualsEnginePath(recognition: ChurnRecognition) throws {
        let company = GeneratedCompany(size: .small, seed: 7, accounts: 1_500)
        var settings = RevenueSettings(churnRecognition: recognition)
        settings.statusTreatment.pastDue = .excluded
        let fx = FXTable(rates: company.fx)
        // A merge map, shuffled change and period rows: the stored path must not rely on the store's order.
        let merge: (Int64) -> Int64 = { $0 % 97 == 0 ? $0 + 1 : $0 }
        let changes = company.changes.reversed().map { $0 }
        let periods = company.periods.enumerated().sorted { ($0.offset % 7, $0.offset) < ($1.offset % 7, $1.offset) }
            .map(\.element)
        let engine = try computeLedger(
            subscriptions: RevenueSubscription.from(
                company.subscriptions, changes: changes, statusPeriods: periods, accountFor: merge),
            settings: settings, fx: fx, from: DemoCalendar.firstMonth, to: DemoCalendar.lastMonth)
        let stored = try computeLedger(
            stored: company.subscriptions, changes: changes, statusPeriods: periods, accountFor: merge,
            settings: settings, fx: fx, from: DemoCalendar.firstMonth, to: DemoCalendar.lastMonth)
        #expect(!engine.movements.isEmpty)
        #expect(stored == engine)
    }

    /// The ledger split across two threads (forced here on a small book) equals one pass, and fails
    /// with the error one pass meets first.
    @Test func twoThreadsGiveTheOnePassLedger() throws {
        let company = GeneratedCompany(size: .small, seed: 11, accounts: 1_200)
        let settings = RevenueSettings()
        func ledger(_ fx: FXTable, parallelAbove threshold: Int) throws(RevenueError) -> RevenueLedger {
            var builder = LedgerBuilder(
                settings: settings, fx: fx, from: DemoCalendar.firstMonth, to: DemoCalendar.lastMonth)
            let valuations = try Valuations(
                stored: company.subscriptions, changes: company.changes, statusPeriods: company.periods,
                accountFor: { $0 }, settings: settings)
            return try builder.build(valuations, parallelAbove: threshold)
        }
        let fx = FXTable(rates: company.fx)
        let one = try ledger(fx, parallelAbove: .max)
        let two = try ledger(fx, parallelAbove: 2)
        #expect(!one.accountMRR.isEmpty)
        #expect(two == one)
        // Without some months' rates for each non-USD currency in turn, both fail with the same error.
        for currency in Set(company.fx.map(\.currency)) {
            for cut in [DemoCalendar.firstMonth.adding(30), DemoCalendar.lastMonth.adding(-3)] {
                let partial = FXTable(rates: company.fx.filter { $0.currency != currency || $0.month < cut })
                var errors: [String] = []
                for threshold in [Int.max, 2] {
                    do {
                        _ = try ledger(partial, parallelAbove: threshold)
                        errors.append("none")
                    } catch { errors.append("\(error)") }
                }
                #expect(errors[0] == errors[1], "\(currency) from \(cut)")
            }
        }
    }

    @Test func storedPathReportsTheSameInvalidSubscription() {
        var a = Subscription()
        var b = Subscription()
        a.id = 1
        a.accountId = 1
        a.startedOn = day("2024-01-01")
        a.amountMinor = 1000
        a.currency = "USD"
        b = a
        b.id = 2
        b.intervalCount = 0
        var change = SubscriptionChange()
        change.id = 9
        change.subscriptionId = 1
        change.effectiveOn = day("2024-03-01")
        change.amountMinor = -5
        for subs in [[a, b], [b, a]] {
            var engineError: RevenueError?
            var storedError: RevenueError?
            do {
                _ = try computeLedger(
                    subscriptions: RevenueSubscription.from(subs, changes: [change], statusPeriods: []),
                    from: month("2024-01"), to: month("2024-06"))
            } catch { engineError = error }
            do {
                _ = try computeLedger(
                    stored: subs, changes: [change], statusPeriods: [], from: month("2024-01"), to: month("2024-06"))
            } catch { storedError = error }
            #expect(engineError != nil)
            #expect("\(String(describing: storedError))" == "\(String(describing: engineError))")
        }
    }
}
