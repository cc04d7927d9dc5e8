extension RevenueSubscription {
    /// Builds the engine's view of stored subscriptions: price history from the
    /// change rows, status periods, the discount, and the account after merges
    /// (so a merged duplicate's revenue counts once, under the surviving account).
    public static func from(
        _ subscriptions: [Subscription], changes: [SubscriptionChange], statusPeriods: [SubscriptionStatusPeriod],
        accountFor: (Int64) -> Int64 = { $0 }
    ) -> [RevenueSubscription] {
        var changesBySubscription: [Int64: [SubscriptionChange]] = [:]
        for change in changes { changesBySubscription[change.subscriptionId, default: []].append(change) }
        var periodsBySubscription: [Int64: [SubscriptionStatusPeriod]] = [:]
        for period in statusPeriods { periodsBySubscription[period.subscriptionId, default: []].append(period) }
        return subscriptions.map { s in
            var phases = [PricePhase(from: s.startedOn, amountMinor: s.amountMinor, quantity: s.quantity)]
            for change in (changesBySubscription[s.id] ?? []).sorted(by: { ($0.effectiveOn, $0.id) < ($1.effectiveOn, $1.id) }) {
                if change.effectiveOn <= s.startedOn {
                    phases[0] = PricePhase(from: s.startedOn, amountMinor: change.amountMinor, quantity: change.quantity)
                } else {
                    phases.append(PricePhase(from: change.effectiveOn, amountMinor: change.amountMinor, quantity: change.quantity))
                }
            }
            let periods: [StatusPeriod] = (periodsBySubscription[s.id] ?? []).compactMap { p in
                let status: StatusPeriod.Status? = switch p.status {
                case .pastDue: .pastDue
                case .paused: .paused
                case .unpaid: .unpaid
                default: nil
                }
                return status.map { StatusPeriod(from: p.fromOn, to: p.toOn, status: $0) }
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
            return RevenueSubscription(
                id: s.id, accountId: accountFor(s.accountId), start: s.startedOn, end: s.endedOn, canceledAt: s.canceledOn,
                currency: s.currency, interval: interval, intervalCount: s.intervalCount, phases: phases,
                trialEnd: s.trialEndOn, statusPeriods: periods, discount: discount)
        }
    }
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

    public func resolve(_ id: Int64) -> Int64 { survivor[id] ?? id }
}
