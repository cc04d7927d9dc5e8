@testable import FulcrumCore

/// A generated company as metric inputs, with what the prediction and driver panels read (the store's
/// roll-ups done in memory): shared by the driver, churn and conversion tests.
enum DemoInputs {
    static func make(seed: UInt64, accounts: Int) -> MetricInputs {
        var inputs = MetricInputs(dataThrough: DemoCalendar.asOf)
        var usage: [UsageDay] = []
        var payments: [Payment] = []
        var touches: [Touch] = []
        _ = DemoCompanyGenerator(size: .small, seed: seed, accountCount: accounts).generate { batch in
            inputs.accounts += batch.accounts
            inputs.subscriptions += batch.subscriptions
            inputs.changes += batch.subscriptionChanges
            inputs.statusPeriods += batch.statusPeriods
            inputs.fxRates += batch.fxRates
            inputs.opportunities += batch.opportunities
            inputs.people += batch.people
            inputs.activities += batch.activities
            inputs.tickets += batch.tickets
            inputs.surveys += batch.surveys
            inputs.referrals += batch.referrals
            usage += batch.usage
            payments += batch.payments
            touches += batch.touches
        }
        for t in touches where DriverPanels.touchKinds.contains(t.kind) {
            if let a = t.accountId {
                inputs.driverTouches.append(AccountTouch(accountId: a, kind: t.kind, at: t.occurredAt))
            }
        }
        inputs.accountMonthTallies = AccountMonthTally.rollUp(
            usage: usage, payments: payments, touches: touches, activities: inputs.activities)
        return inputs
    }
}
