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
/// Plain values only: its price phases and excluded status periods are ranges of
/// `Valuations.phases` and `Valuations.excluded`, so a whole run's valuations are
/// three allocations and reading one costs no reference counting.
struct SubscriptionValuation {
    let accountId: Int64
    /// Index of the subscription's currency in `Valuations.currencies`.
    let currency: Int
    let start: Day
    /// Exclusive end under the churn-recognition policy; nil while running.
    let end: Day?
    /// First month whose last day can see the subscription active.
    let firstMonth: Month
    /// Last month whose last day can see it active; nil while running.
    let lastMonth: Month?
    /// Monthly factor as numerator / denominator (see `BillingInterval.monthlyRatio`).
    let factorNumerator: Double
    let factorDenominator: Double
    /// Its phases, sorted by `from`: `Valuations.phases[phases]`.
    let phases: Range<Int>
    let trialEnd: Day?
    /// Only the periods whose status is excluded from MRR: `Valuations.excluded[excluded]`.
    let excluded: Range<Int>
    let discount: Discount?
    let discountWindow: (from: Day, until: Day?)?

    /// Whether the subscription is in service on `day` (start <= day < end).
    @inline(__always)
    func isActive(on day: Day) -> Bool {
        start <= day && (end.map { day < $0 } ?? true)
    }
}

/// Every subscription of one ledger run, prepared for valuation, with the phases and
/// status periods they point into.
struct Valuations {
    var items: [SubscriptionValuation] = []
    var phases: [PricePhase] = []
    var excluded: [StatusPeriod] = []
    /// Currency codes (upper-case) in order of first appearance.
    var currencies: [String] = []
    let settings: RevenueSettings

    init(settings: RevenueSettings, capacity: Int) {
        self.settings = settings
        items.reserveCapacity(capacity)
        items.adviseHugePages()
        phases.reserveCapacity(capacity)
    }

    /// The engine's subscriptions, as given.
    init(_ subscriptions: [RevenueSubscription], settings: RevenueSettings) throws(RevenueError) {
        self.init(settings: settings, capacity: subscriptions.count)
        for sub in subscriptions {
            try Valuations.validate(id: sub.id, intervalCount: sub.intervalCount, phases: sub.phases)
            let phaseStart = phases.count
            if sub.phases.isSorted(by: { $0.from <= $1.from }) {
                phases.append(contentsOf: sub.phases)
            } else {
                phases.append(contentsOf: sub.phases.sorted { $0.from < $1.from })
            }
            let excludedStart = excluded.count
            for period in sub.statusPeriods where settings.statusTreatment.treatment(of: period.status) == .excluded {
                excluded.append(period)
            }
            add(
                accountId: sub.accountId, start: sub.start, end: sub.end, canceledAt: sub.canceledAt,
                currency: sub.currency,
                interval: sub.interval, intervalCount: sub.intervalCount, phaseStart: phaseStart,
                trialEnd: sub.trialEnd,
                excludedStart: excludedStart, discount: sub.discount)
        }
    }

    /// The checks every subscription passes before it is valued, in this order.
    static func validate(id: Int64, intervalCount: Int, phases: some Collection<PricePhase>) throws(RevenueError) {
        guard intervalCount >= 1 else {
            throw .invalidSubscription(id: id, reason: "interval count \(intervalCount) is below 1")
        }
        guard !phases.isEmpty else {
            throw .invalidSubscription(id: id, reason: "it has no price phases")
        }
        if let bad = phases.first(where: { $0.amountMinor < 0 }) {
            throw .invalidSubscription(id: id, reason: "phase from \(bad.from) has a negative amount")
        }
    }

    /// Adds a validated subscription whose sorted phases are `phases[phaseStart...]` and whose
    /// excluded status periods are `excluded[excludedStart...]` (the caller has just appended both).
    mutating func add(
        accountId: Int64, start: Day, end: Day?, canceledAt: Day?, currency code: String,
        interval: BillingInterval, intervalCount: Int, phaseStart: Int, trialEnd: Day?,
        excludedStart: Int, discount: Discount?
    ) {
        let effectiveEnd: Day?
        switch (settings.churnRecognition, canceledAt, end) {
        case (.cancelDate, let cancel?, let end?): effectiveEnd = min(cancel, end)
        case (.cancelDate, let cancel?, nil): effectiveEnd = cancel
        default: effectiveEnd = end
        }
        let ratio = interval.monthlyRatio(count: intervalCount)
        items.append(
            SubscriptionValuation(
                accountId: accountId, currency: currencyIndex(code), start: start, end: effectiveEnd,
                firstMonth: start.month, lastMonth: effectiveEnd.map { ($0 - 1).month },
                factorNumerator: ratio.numerator, factorDenominator: ratio.denominator,
                phases: phaseStart..<phases.count, trialEnd: trialEnd, excluded: excludedStart..<excluded.count,
                discount: discount, discountWindow: discount?.mrrWindow))
    }

    /// The index of `code` (upper-cased) in `currencies`, appending it on first sight.
    mutating func currencyIndex(_ code: String) -> Int {
        // Codes are stored upper-case; only others need the (Unicode-aware, slower) conversion.
        let upper = code.utf8.allSatisfy { $0 < 128 && !(97...122).contains($0) } ? code : code.uppercased()
        if let last = currencies.last, last == upper { return currencies.count - 1 }
        if let i = currencies.firstIndex(of: upper) { return i }
        currencies.append(upper)
        return currencies.count - 1
    }

    /// Subscription `i`'s monthly value on `day`.
    func value(_ i: Int, on day: Day) -> DayValue {
        let v = items[i]
        guard v.isActive(on: day), let phase = phase(v, on: day) else { return DayValue(mrr: 0, trial: 0) }
        for p in v.excluded where excluded[p].covers(day) { return DayValue(mrr: 0, trial: 0) }
        var amount = Double(phase.amountMinor)
        if let discount = v.discount, let window = v.discountWindow, window.from <= day,
            window.until.map({ day < $0 }) ?? true
        {
            amount = discount.apply(to: amount)
        }
        let monthly = max(0, roundMinor(amount * v.factorNumerator / v.factorDenominator))
        if let trialEnd = v.trialEnd, day < trialEnd {
            return DayValue(mrr: settings.includeTrials ? monthly : 0, trial: monthly)
        }
        return DayValue(mrr: monthly, trial: 0)
    }

    /// The last phase of `v` starting on or before `day`.
    @inline(__always)
    func phase(_ v: SubscriptionValuation, on day: Day) -> PricePhase? {
        var i = v.phases.upperBound - 1
        while i >= v.phases.lowerBound {
            if phases[i].from <= day { return phases[i] }
            i -= 1
        }
        return nil
    }

    /// Adds subscription `i`'s values at `monthEnds[lo...hi]` (ascending days) to `mrr[k]`, and
    /// while in trial its would-be value to `trial[k]` and a count to `trialCounts[k]` (k > 0 only).
    ///
    /// Gives exactly `value(_:on:)` at each day, but the rounded monthly amount is worked out once
    /// per run of months with the same phase and discount state rather than every month.
    func accumulate(
        _ i: Int, monthEnds: UnsafeBufferPointer<Day>, lo: Int, hi: Int, mrr: UnsafeMutablePointer<Int64>,
        trial: UnsafeMutablePointer<Int64>, trialCounts: UnsafeMutablePointer<Int>
    ) {
        let v = items[i]
        let includeTrials = settings.includeTrials
        var phaseIndex = v.phases.lowerBound - 1
        var cachedKey = Int.min
        var monthly: Int64 = 0
        for k in lo...hi {
            let day = monthEnds[k]
            guard v.isActive(on: day) else { continue }
            while phaseIndex + 1 < v.phases.upperBound, phases[phaseIndex + 1].from <= day { phaseIndex += 1 }
            guard phaseIndex >= v.phases.lowerBound else { continue }
            var isExcluded = false
            for p in v.excluded where excluded[p].covers(day) {
                isExcluded = true
                break
            }
            if isExcluded { continue }
            var discounted = false
            if v.discount != nil, let window = v.discountWindow, window.from <= day,
                window.until.map({ day < $0 }) ?? true
            {
                discounted = true
            }
            let key = phaseIndex &* 2 &+ (discounted ? 1 : 0)
            if key != cachedKey {
                var amount = Double(phases[phaseIndex].amountMinor)
                if discounted, let discount = v.discount { amount = discount.apply(to: amount) }
                monthly = max(0, roundMinor(amount * v.factorNumerator / v.factorDenominator))
                cachedKey = key
            }
            if let trialEnd = v.trialEnd, day < trialEnd {
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
