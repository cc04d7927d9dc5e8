extension RevenueSubscription {
    /// Builds the engine's view of stored subscriptions: price history from the
    /// change rows, status periods, the discount, and the account after merges
    /// (so a merged duplicate's revenue counts once, under the surviving account).
    public static func from(
        _ subscriptions: [Subscription], changes: [SubscriptionChange], statusPeriods: [SubscriptionStatusPeriod],
        accountFor: (Int64) -> Int64 = { $0 }
    ) -> [RevenueSubscription] {
        let stored = StoredBilling(changes: changes, statusPeriods: statusPeriods)
        var out: [RevenueSubscription] = []
        out.reserveCapacity(subscriptions.count)
        for s in subscriptions {
            var phases = [PricePhase(from: s.startedOn, amountMinor: s.amountMinor, quantity: s.quantity)]
            stored.forEachChange(of: s.id) { change in
                if change.effectiveOn <= s.startedOn {
                    phases[0] = PricePhase(
                        from: s.startedOn, amountMinor: change.amountMinor, quantity: change.quantity)
                } else {
                    phases.append(
                        PricePhase(from: change.effectiveOn, amountMinor: change.amountMinor, quantity: change.quantity)
                    )
                }
            }
            var periods: [StatusPeriod] = []
            stored.forEachPeriod(of: s.id) { periods.append($0) }
            out.append(
                RevenueSubscription(
                    id: s.id, accountId: accountFor(s.accountId), start: s.startedOn, end: s.endedOn,
                    canceledAt: s.canceledOn,
                    currency: s.currency, interval: StoredBilling.interval(s.interval), intervalCount: s.intervalCount,
                    phases: phases,
                    trialEnd: s.trialEndOn, statusPeriods: periods, discount: StoredBilling.discount(of: s)))
        }
        return out
    }
}

extension Valuations {
    /// Stored subscriptions valued exactly as `RevenueSubscription.from` followed by `init(_:settings:)`
    /// would value them, with each phase and period written straight into the shared arrays.
    init(
        stored subscriptions: [Subscription], changes: [SubscriptionChange], statusPeriods: [SubscriptionStatusPeriod],
        accountFor: (Int64) -> Int64, settings: RevenueSettings
    ) throws(RevenueError) {
        self.init(settings: settings, capacity: subscriptions.count)
        let stored = StoredBilling(changes: changes, statusPeriods: statusPeriods)
        phases.reserveCapacity(subscriptions.count + changes.count)
        let treatment = settings.statusTreatment
        for i in subscriptions.indices {
            let id = subscriptions[i].id
            let startedOn = subscriptions[i].startedOn
            let phaseStart = phases.count
            phases.append(
                PricePhase(
                    from: startedOn, amountMinor: subscriptions[i].amountMinor, quantity: subscriptions[i].quantity))
            stored.forEachChange(of: id) { change in
                if change.effectiveOn <= startedOn {
                    phases[phaseStart] = PricePhase(
                        from: startedOn, amountMinor: change.amountMinor, quantity: change.quantity)
                } else {
                    phases.append(
                        PricePhase(from: change.effectiveOn, amountMinor: change.amountMinor, quantity: change.quantity)
                    )
                }
            }
            // The phases are in `from` order already: the start, then later changes by effective date.
            try Valuations.validate(
                id: id, intervalCount: subscriptions[i].intervalCount, phases: phases[phaseStart...])
            let excludedStart = excluded.count
            stored.forEachPeriod(of: id) { period in
                if treatment.treatment(of: period.status) == .excluded { excluded.append(period) }
            }
            add(
                accountId: accountFor(subscriptions[i].accountId), start: startedOn, end: subscriptions[i].endedOn,
                canceledAt: subscriptions[i].canceledOn, currency: subscriptions[i].currency,
                interval: StoredBilling.interval(subscriptions[i].interval),
                intervalCount: subscriptions[i].intervalCount,
                phaseStart: phaseStart, trialEnd: subscriptions[i].trialEndOn, excludedStart: excludedStart,
                discount: StoredBilling.discount(of: subscriptions[i]))
        }
    }
}

/// Stored change rows and status periods, found per subscription by binary search in index
/// lists sorted by subscription (the store already hands them over in that order, so usually
/// no sort runs): the shared reading of `RevenueSubscription.from` and `Valuations(stored:)`.
struct StoredBilling {
    let changes: [SubscriptionChange]
    let statusPeriods: [SubscriptionStatusPeriod]
    /// Changes by (subscription, effective date, id, position).
    let changeOrder: [Int]
    /// Periods by (subscription, position): each subscription's in input order.
    let periodOrder: [Int]

    init(changes: [SubscriptionChange], statusPeriods: [SubscriptionStatusPeriod]) {
        self.changes = changes
        self.statusPeriods = statusPeriods
        changeOrder = sortedIndices(changes.count) { i, j in
            let a = changes[i]
            let b = changes[j]
            return (a.subscriptionId, a.effectiveOn, a.id, i) < (b.subscriptionId, b.effectiveOn, b.id, j)
        }
        periodOrder = sortedIndices(statusPeriods.count) { i, j in
            (statusPeriods[i].subscriptionId, i) < (statusPeriods[j].subscriptionId, j)
        }
    }

    /// Each change of subscription `id`, oldest effective date first (ties by change id).
    @inline(__always)
    func forEachChange(of id: Int64, _ body: (SubscriptionChange) -> Void) {
        var c = lowerBound(changeOrder, id) { changes[$0].subscriptionId }
        while c < changeOrder.count, changes[changeOrder[c]].subscriptionId == id {
            body(changes[changeOrder[c]])
            c += 1
        }
    }

    /// Each past-due, paused or unpaid period of subscription `id` as the engine sees it, in input order.
    @inline(__always)
    func forEachPeriod(of id: Int64, _ body: (StatusPeriod) -> Void) {
        var q = lowerBound(periodOrder, id) { statusPeriods[$0].subscriptionId }
        while q < periodOrder.count, statusPeriods[periodOrder[q]].subscriptionId == id {
            let p = statusPeriods[periodOrder[q]]
            q += 1
            let status: StatusPeriod.Status? =
                switch p.status {
                case .pastDue: .pastDue
                case .paused: .paused
                case .unpaid: .unpaid
                default: nil
                }
            if let status { body(StatusPeriod(from: p.fromOn, to: p.toOn, status: status)) }
        }
    }

    /// The subscription's recurring or once-off coupon, nil without a duration or an amount.
    static func discount(of s: Subscription) -> Discount? {
        guard let duration = s.discountDuration else { return nil }
        let value: Discount.Value? =
            s.discountPercent.map { .percentOff($0) } ?? s.discountAmountMinor.map { .amountOffMinor($0) }
        let length: Discount.Duration =
            switch duration {
            case .once: .once
            case .forever: .forever
            case .repeating: .repeating(months: s.discountMonths ?? 0)
            }
        guard let value else { return nil }
        return Discount(value: value, duration: length, start: s.discountStartOn ?? s.startedOn)
    }

    static func interval(_ interval: Subscription.Interval) -> BillingInterval {
        switch interval {
        case .day: .day
        case .week: .week
        case .month: .month
        case .quarter: .quarter
        case .year: .year
        }
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
@inline(__always)
func lowerBound(_ order: [Int], _ key: Int64, keyOf: (Int) -> Int64) -> Int {
    var lo = 0
    var hi = order.count
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
            while let n = next[current], !seen.contains(n) {
                seen.insert(n)
                current = n
            }
            survivor[id] = current
        }
    }

    public func resolve(_ id: Int64) -> Int64 { survivor.isEmpty ? id : survivor[id] ?? id }
}
