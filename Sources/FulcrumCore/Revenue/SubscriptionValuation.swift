/// One subscription's monthly value on a given day, in its own currency's minor units.
struct DayValue: Equatable {
    /// What the subscription adds to MRR.
    var mrr: Int64
    /// What it would add if it were not in trial; zero outside trials.
    var trial: Int64
}

/// A subscription prepared for repeated evaluation at month-end days.
///
/// Everything that does not depend on the day (the effective end under the
/// churn-recognition policy, the monthly factor, the excluded status periods,
/// the discount window) is worked out once so each evaluation is a few compares.
struct SubscriptionValuation {
    let accountId: Int64
    let currency: String
    let start: Day
    /// Exclusive end under the churn-recognition policy; nil while running.
    let end: Day?
    /// Monthly factor as numerator / denominator (see `BillingInterval.monthlyRatio`).
    let factorNumerator: Double
    let factorDenominator: Double
    let phases: [PricePhase]
    let trialEnd: Day?
    let includeTrials: Bool
    /// Only the periods whose status is excluded from MRR.
    let excluded: [StatusPeriod]
    let discount: Discount?
    let discountWindow: (from: Day, until: Day?)?

    init(_ sub: RevenueSubscription, settings: RevenueSettings) throws(RevenueError) {
        guard sub.intervalCount >= 1 else {
            throw .invalidSubscription(id: sub.id, reason: "interval count \(sub.intervalCount) is below 1")
        }
        guard !sub.phases.isEmpty else {
            throw .invalidSubscription(id: sub.id, reason: "it has no price phases")
        }
        if let bad = sub.phases.first(where: { $0.amountMinor < 0 }) {
            throw .invalidSubscription(id: sub.id, reason: "phase from \(bad.from) has a negative amount")
        }
        accountId = sub.accountId
        // Codes are stored upper-case; only others need the (Unicode-aware, slower) conversion.
        currency = sub.currency.utf8.allSatisfy { $0 < 128 && !(97...122).contains($0) } ? sub.currency : sub.currency.uppercased()
        start = sub.start
        switch (settings.churnRecognition, sub.canceledAt, sub.end) {
        case (.cancelDate, let cancel?, let end?): self.end = min(cancel, end)
        case (.cancelDate, let cancel?, nil): self.end = cancel
        default: self.end = sub.end
        }
        (factorNumerator, factorDenominator) = sub.interval.monthlyRatio(count: sub.intervalCount)
        phases = sub.phases.isSorted { $0.from <= $1.from } ? sub.phases : sub.phases.sorted { $0.from < $1.from }
        trialEnd = sub.trialEnd
        includeTrials = settings.includeTrials
        excluded = sub.statusPeriods.filter { settings.statusTreatment.treatment(of: $0.status) == .excluded }
        discount = sub.discount
        discountWindow = sub.discount?.mrrWindow
    }

    /// First month whose last day can see the subscription active.
    var firstMonth: Month { start.month }

    /// Last month whose last day can see it active; nil while running.
    var lastMonth: Month? { end.map { ($0 - 1).month } }

    /// Whether the subscription is in service on `day` (start <= day < end).
    @inline(__always)
    func isActive(on day: Day) -> Bool {
        start <= day && (end.map { day < $0 } ?? true)
    }

    /// The subscription's monthly value on `day`.
    func value(on day: Day) -> DayValue {
        guard isActive(on: day), let phase = phase(on: day) else { return DayValue(mrr: 0, trial: 0) }
        for period in excluded where period.covers(day) { return DayValue(mrr: 0, trial: 0) }
        var amount = Double(phase.amountMinor)
        if let discount, let window = discountWindow, window.from <= day, window.until.map({ day < $0 }) ?? true {
            amount = discount.apply(to: amount)
        }
        let monthly = max(0, roundMinor(amount * factorNumerator / factorDenominator))
        if let trialEnd, day < trialEnd {
            return DayValue(mrr: includeTrials ? monthly : 0, trial: monthly)
        }
        return DayValue(mrr: monthly, trial: 0)
    }

    /// Adds the subscription's values at `monthEnds[lo...hi]` (ascending days) to `mrr[k]`, and
    /// while in trial its would-be value to `trial[k]` and a count to `trialCounts[k]` (k > 0 only).
    ///
    /// Gives exactly `value(on:)` at each day, but the rounded monthly amount is worked out once per
    /// run of months with the same phase, discount state and trial state rather than every month.
    func accumulate(monthEnds: UnsafeBufferPointer<Day>, lo: Int, hi: Int, mrr: UnsafeMutablePointer<Int64>,
                    trial: UnsafeMutablePointer<Int64>, trialCounts: UnsafeMutablePointer<Int>) {
        var phaseIndex = -1
        var cachedKey = -1
        var monthly: Int64 = 0
        for k in lo...hi {
            let day = monthEnds[k]
            guard isActive(on: day) else { continue }
            while phaseIndex + 1 < phases.count, phases[phaseIndex + 1].from <= day { phaseIndex += 1 }
            guard phaseIndex >= 0 else { continue }
            var isExcluded = false
            for period in excluded where period.covers(day) { isExcluded = true; break }
            if isExcluded { continue }
            var discounted = false
            if discount != nil, let window = discountWindow, window.from <= day, window.until.map({ day < $0 }) ?? true { discounted = true }
            let key = phaseIndex &* 2 &+ (discounted ? 1 : 0)
            if key != cachedKey {
                var amount = Double(phases[phaseIndex].amountMinor)
                if discounted, let discount { amount = discount.apply(to: amount) }
                monthly = max(0, roundMinor(amount * factorNumerator / factorDenominator))
                cachedKey = key
            }
            if let trialEnd, day < trialEnd {
                if includeTrials { mrr[k] += monthly }
                if k > 0, monthly > 0 {
                    trial[k] += monthly
                    trialCounts[k] += 1
                }
            } else {
                mrr[k] += monthly
            }
        }
    }

    /// The last phase starting on or before `day`.
    @inline(__always)
    func phase(on day: Day) -> PricePhase? {
        var i = phases.count - 1
        while i >= 0 {
            if phases[i].from <= day { return phases[i] }
            i -= 1
        }
        return nil
    }
}

extension Array {
    func isSorted(by areOrdered: (Element, Element) -> Bool) -> Bool {
        var i = 1
        while i < count {
            if !areOrdered(self[i - 1], self[i]) { return false }
            i += 1
        }
        return true
    }
}
