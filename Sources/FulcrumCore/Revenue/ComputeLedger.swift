/// Builds the MRR ledger for `from...to`.
///
/// Rules (the metric definitions in docs/metrics.md):
/// - Monthly grain: a month's MRR is the MRR in force at the end of its last day.
///   End dates are exclusive: a subscription is active on day d iff start <= d < end,
///   so one running 2024-01-15 → 2024-03-01 counts in January and February and churns in March.
/// - A subscription's monthly amount = phase amount (the last phase with from <= d),
///   less a recurring discount in force, times the interval's monthly factor
///   (day 365/12, week 52/12, month 1, quarter 1/3, year 1/12, divided by the interval count),
///   computed in Double and rounded once, half away from zero, to minor units.
/// - Trials: while d < trialEnd the subscription adds 0 (unless `includeTrials`) and its
///   would-be amount is reported as trial MRR.
/// - Discounts: forever and repeating (N months: days in [start, start + N months)) discounts
///   lower MRR while they apply, so their expiry appears as expansion; once-off discounts
///   never change MRR. Percent-off scales the phase amount; amount-off subtracts, floored at 0.
/// - Status periods: a status whose treatment is `.excluded` makes the subscription add 0 while in force.
/// - Churn recognition: `.endOfPaidPeriod` stops counting at `end`; `.cancelDate` at
///   `canceledAt` when set (or `end` if earlier).
/// - Accounts: an account's MRR is the sum of its subscriptions, each currency converted at
///   that month's rate (past months are never restated). A missing rate for a currency
///   carrying a non-zero amount in a month throws `RevenueError.missingFXRate`.
/// - Movements per account, comparing last month's MRR `prev` with this month's `cur`:
///   prev = 0, cur > 0 → new (first ever MRR > 0) or reactivation; prev > 0, cur = 0 → churn;
///   both > 0 → expansion or contraction. Movements are sized at this month's FX rates
///   (last month's native MRR revalued at this month's rates); the revaluation is the
///   `fxAdjustment`, so opening + new + expansion + contraction + churn + reactivation +
///   fxAdjustment == closing exactly.
/// - The opening MRR of the first month (`from - 1`) is valued at `from`'s rates, so the
///   first month's fxAdjustment is 0 and no rate is needed before `from`. Whether an account
///   is new or reactivated looks at its whole history, before `from` as well.
/// - Customers: accounts with MRR > 0 at month-end.
///
/// Cost is O(subscriptions × months in range): each subscription is valued only at the
/// month-end days it can be active on.
public func computeLedger(
    subscriptions: [RevenueSubscription],
    settings: RevenueSettings = RevenueSettings(),
    fx: FXTable = FXTable(),
    from: Month,
    to: Month
) throws(RevenueError) -> RevenueLedger {
    guard from <= to else { throw .invalidRange(from: from, to: to) }
    var builder = LedgerBuilder(settings: settings, fx: fx, from: from, to: to)
    return try builder.build(try Valuations(subscriptions, settings: settings))
}

/// The ledger of stored subscriptions: the same as `computeLedger(subscriptions:)` over
/// `RevenueSubscription.from(subscriptions, changes:statusPeriods:accountFor:)`, without
/// building the intermediate values (the metric context's path on large stores).
public func computeLedger(
    stored subscriptions: [Subscription], changes: [SubscriptionChange], statusPeriods: [SubscriptionStatusPeriod],
    accountFor: (Int64) -> Int64 = { $0 },
    settings: RevenueSettings = RevenueSettings(),
    fx: FXTable = FXTable(),
    from: Month,
    to: Month
) throws(RevenueError) -> RevenueLedger {
    guard from <= to else { throw .invalidRange(from: from, to: to) }
    var builder = LedgerBuilder(settings: settings, fx: fx, from: from, to: to)
    let valuations = try Valuations(
        stored: subscriptions, changes: changes, statusPeriods: statusPeriods,
        accountFor: accountFor, settings: settings)
    return try builder.build(valuations)
}
