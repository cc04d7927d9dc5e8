extension RevenueSubscription {
    /// Builds the engine's view of stored subscriptions: price history from the
    /// change rows, status periods, the discount, and the account after merges
    /// (so a merged duplicate's revenue counts once, under the surviving account).
    public static func from(
        _ subscriptions: [Subscription], changes: [SubscriptionChange], statusPeriods: [SubscriptionStatusPeriod],
        accountFor: (Int64) -> Int64 = { $0 }
    ) -> [RevenueSubscription] {
        // Each subscription's changes in (effective, id) order and its periods in input order, found by
        // binary search in index lists sorted by subscription (the store already hands them over sorted).
        let changeOrder = sortedIndices(changes.count) { i, j in
            let a = changes[i], b = changes[j]
            return (a.subscriptionId, a.effectiveOn, a.id, i) < (b.subscriptionId, b.effectiveOn, b.id, j)
        }
        let periodOrder = sortedIndices(statusPeriods.count) { i, j in
            (statusPeriods[i].subscriptionId, i) < (statusPeriods[j].subscriptionId, j)
        }
        var out: [RevenueSubscription] = []
        out.reserveCapacity(subscriptions.count)
        for s in subscriptions {
            var phases = [PricePhase(from: s.startedOn, amountMinor: s.amountMinor, quantity: s.quantity)]
            var c = lowerBound(changeOrder, s.id) { changes[$0].subscriptionId }
            while c < changeOrder.count, changes[changeOrder[c]].subscriptionId == s.id {
                let change = changes[changeOrder[c]]
                c += 1
                if change.effectiveOn <= s.startedOn {
                    phases[0] = PricePhase(from: s.startedOn, amountMinor: change.amountMinor, quantity: change.quantity)
                } else {
                    phases.append(PricePhase(from: change.effectiveOn, amountMinor: change.amountMinor, quantity: change.quantity))
                }
            }
            var periods: [StatusPeriod] = []
            var q = lowerBound(periodOrder, s.id) { statusPeriods[$0].subscriptionId }
            while q < periodOrder.count, statusPeriods[periodOrder[q]].subscriptionId == s.id {
                let p = statusPeriods[periodOrder[q]]
                q += 1
                let status: StatusPeriod.Status? = switch p.status {
                case .pastDue: .pastDue
                case .paused: .paused
                case .unpaid: .unpaid
                default: nil
                }
                if let status { periods.append(StatusPeriod(from: p.fromOn, to: p.toOn, status: status)) }
            }
            var discount: Discount?
            if let duration = s.discountDuration {
                let value: Discount.Value? = s.discountPercent.map { .percentOff($0) } ?? s.discountAmountMinor.map { .amountOffMinor($0) }
                let length: Discount.Duration = switch duration {
                case .once: .once
                case .forever: .forever
                case .repeating: .repeating(months: s.discountMonths ?? 0)
                }
                if let value { discount = Discount(value: value, duration: length, start: s.discountStartOn ?? s.startedOn) }
            }
            let interval: BillingInterval = switch s.interval {
            case .day: .day
            case .week: .week
            case .month: .month
            case .quarter: .quarter
            case .year: .year
            }
            out.append(RevenueSubscription(
                id: s.id, accountId: accountFor(s.accountId), start: s.startedOn, end: s.endedOn, canceledAt: s.canceledOn,
                currency: s.currency, interval: interval, intervalCount: s.intervalCount, phases: phases,
                trialEnd: s.trialEndOn, statusPeriods: periods, discount: discount))
        }
        return out
    }
}

/// `0..<count` ordered by `areInIncreasingOrder` (a strict total order), sorted only when not already in order.
func sortedIndices(_ count: Int, by areInIncreasingOrder: (Int, Int) -> Bool) -> [Int] {
    var order = Array(0..<count)
    var i = 1
    while i < count, areInIncreasingOrder(i - 1, i) { i += 1 }
    if i < count { order.sort(by: areInIncreasingOrder) }
    return order
}

/// The first position in `order` whose key is not below `key`; `order` is sorted by `keyOf`.
func lowerBound(_ order: [Int], _ key: Int64, keyOf: (Int) -> Int64) -> Int {
    var lo = 0, hi = order.count
    while lo < hi {
        let mid = (lo + hi) / 2
        if keyOf(order[mid]) < key { lo = mid + 1 } else { hi = mid }
    }
    return lo
}

extension FXTable {
    /// The FX table from stored rates.
    public init(rates: [FXRate]) {
        self.init()
        for r in rates { set(r.rate, month: r.month, currency: r.currency) }
    }
}

/// Resolves merge chains so every record is attributed to the surviving account.
public struct AccountResolver: Sendable {
    private var survivor: [Int64: Int64] = [:]

    public init(accounts: [Account]) {
        var next: [Int64: Int64] = [:]
        for a in accounts { if let m = a.mergedInto { next[a.id] = m } }
        for id in next.keys {
            var current = id
            var seen: Set<Int64> = [id]
            while let n = next[current], !seen.contains(n) { seen.insert(n); current = n }
            survivor[id] = current
        }
    }

    public func resolve(_ id: Int64) -> Int64 { survivor.isEmpty ? id : survivor[id] ?? id }
}
