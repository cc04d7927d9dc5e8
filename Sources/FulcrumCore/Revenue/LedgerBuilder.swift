/// The working state of one `computeLedger` run.
///
/// Subscriptions are grouped by account and each account is valued, classified
/// and emitted before the next one starts, so memory stays proportional to one
/// account's months plus the output.
struct LedgerBuilder {
    /// Slot 0 is the month before `from` (the opening balance); slot k is `from + k - 1`.
    let base: Month
    let slots: Int
    let monthEnds: [Day]
    var rates: RateResolver
    var rows: [MonthlyMovements]
    var accountMRR: [AccountMonthMRR] = []
    var movements: [AccountMovement] = []
    /// `trialNative[currency][slot]`, converted once per month at the end.
    var trialNative: [[Int64]] = []
    var trialCounts: [Int]
    /// Per-currency month buffers of the account being processed, reused across accounts.
    var buffers: [[Int64]] = []
    var bufferCurrency: [Int] = []
    var used = 0
    var reported: [Int64]
    let from: Month
    let to: Month

    init(settings: RevenueSettings, fx: FXTable, from: Month, to: Month) {
        self.from = from
        self.to = to
        base = from.adding(-1)
        slots = from.distance(to: to) + 2
        monthEnds = (0..<slots).map { from.adding($0 - 1).lastDay }
        rates = RateResolver(fx: fx, reportingCurrency: settings.reportingCurrency, base: base, slots: slots)
        rows = (1..<slots).map { MonthlyMovements(month: from.adding($0 - 1)) }
        trialCounts = Array(repeating: 0, count: slots)
        reported = Array(repeating: 0, count: slots)
    }

    mutating func build(_ valuations: [SubscriptionValuation]) throws(RevenueError) -> RevenueLedger {
        var currencyOf = [Int](repeating: 0, count: valuations.count)
        for i in valuations.indices {
            currencyOf[i] = rates.index(of: valuations[i].currency)
            while trialNative.count < rates.codes.count { trialNative.append(Array(repeating: 0, count: slots)) }
        }
        let order = valuations.indices.sorted {
            let a = valuations[$0].accountId, b = valuations[$1].accountId
            return a != b ? a < b : $0 < $1
        }
        accountMRR.reserveCapacity(valuations.count * 8)
        movements.reserveCapacity(valuations.count * 2)
        var groupStart = 0
        while groupStart < order.count {
            let account = valuations[order[groupStart]].accountId
            var groupEnd = groupStart
            var everBefore = false
            used = 0
            while groupEnd < order.count, valuations[order[groupEnd]].accountId == account {
                let i = order[groupEnd]
                accumulate(valuations[i], currency: currencyOf[i])
                if !everBefore { everBefore = hadMRRBeforeBase(valuations[i]) }
                groupEnd += 1
            }
            try settle(account: account, everBefore: everBefore)
            groupStart = groupEnd
        }
        try addTrials()
        return RevenueLedger(reportingCurrency: rates.reportingCurrency, from: from, to: to,
                             months: rows, accountMRR: accountMRR, movements: movements)
    }

    /// Adds one subscription's month-end values to its account's buffer for its currency.
    mutating func accumulate(_ v: SubscriptionValuation, currency c: Int) {
        let b = buffer(for: c)
        let lo = max(0, base.distance(to: v.firstMonth))
        let hi = v.lastMonth.map { min(slots - 1, base.distance(to: $0)) } ?? slots - 1
        guard lo <= hi else { return }
        for k in lo...hi {
            let value = v.value(on: monthEnds[k])
            buffers[b][k] += value.mrr
            if k > 0, value.trial > 0 {
                trialNative[c][k] += value.trial
                trialCounts[k] += 1
            }
        }
    }

    /// Whether the subscription had MRR > 0 at any month-end before the opening month;
    /// only needed to tell new from reactivation, so it stops at the first hit.
    func hadMRRBeforeBase(_ v: SubscriptionValuation) -> Bool {
        var month = v.firstMonth
        let last = min(base.adding(-1), v.lastMonth ?? base.adding(-1))
        while month <= last {
            if v.value(on: month.lastDay).mrr > 0 { return true }
            month = month.adding(1)
        }
        return false
    }

    /// The current account's buffer for currency `c`, zeroed on first use.
    mutating func buffer(for c: Int) -> Int {
        for b in 0..<used where bufferCurrency[b] == c { return b }
        if used == buffers.count {
            buffers.append(Array(repeating: 0, count: slots))
            bufferCurrency.append(c)
        } else {
            for k in 0..<slots { buffers[used][k] = 0 }
            bufferCurrency[used] = c
        }
        used += 1
        return used - 1
    }

    /// The current account's MRR at slot `k`, each currency converted at slot `rateSlot`'s rates.
    func value(slot k: Int, rateSlot: Int) throws(RevenueError) -> Int64 {
        var total: Int64 = 0
        for b in 0..<used {
            total += try rates.convert(buffers[b][k], currency: bufferCurrency[b], slot: rateSlot)
        }
        return total
    }

    /// Values, classifies and emits the account whose buffers are filled.
    mutating func settle(account: Int64, everBefore: Bool) throws(RevenueError) {
        for k in 0..<slots { reported[k] = try value(slot: k, rateSlot: max(k, 1)) }
        var everPositive = everBefore
        for k in 1..<slots {
            let previous = reported[k - 1], current = reported[k]
            everPositive = everPositive || previous > 0
            if previous == 0 && current == 0 { continue }
            let revalued = previous > 0 && k > 1 ? try value(slot: k - 1, rateSlot: k) : previous
            let step = AccountStep.classify(previous: previous, previousAtCurrentRates: revalued,
                                            current: current, everPositiveBefore: everPositive)
            record(step, account: account, slot: k, previous: previous, current: current)
        }
    }

    mutating func record(_ step: AccountStep, account: Int64, slot k: Int, previous: Int64, current: Int64) {
        let month = from.adding(k - 1)
        rows[k - 1].openingMRR += previous
        rows[k - 1].mrr += current
        rows[k - 1].fxAdjustment += step.fx
        if previous > 0 { rows[k - 1].openingCustomers += 1 }
        if current > 0 {
            rows[k - 1].customers += 1
            accountMRR.append(AccountMonthMRR(accountId: account, month: month, mrrMinor: current))
        }
        if step.fx != 0 {
            movements.append(AccountMovement(accountId: account, month: month, kind: .fxAdjustment, amountMinor: step.fx))
        }
        guard let kind = step.kind else { return }
        movements.append(AccountMovement(accountId: account, month: month, kind: kind, amountMinor: step.amount))
        switch kind {
        case .new: rows[k - 1].new += step.amount; rows[k - 1].newCustomers += 1
        case .reactivation: rows[k - 1].reactivation += step.amount; rows[k - 1].reactivatedCustomers += 1
        case .churn: rows[k - 1].churn += step.amount; rows[k - 1].churnedCustomers += 1
        case .expansion: rows[k - 1].expansion += step.amount
        case .contraction: rows[k - 1].contraction += step.amount
        case .fxAdjustment: break
        }
    }

    /// Converts the accumulated trial amounts, one rounding per currency and month.
    mutating func addTrials() throws(RevenueError) {
        for k in 1..<slots {
            var total: Int64 = 0
            for c in trialNative.indices { total += try rates.convert(trialNative[c][k], currency: c, slot: k) }
            rows[k - 1].trialMRR = total
            rows[k - 1].trialSubscriptions = trialCounts[k]
        }
    }
}
