import Dispatch

/// The working state of one `computeLedger` run.
///
/// Subscriptions are grouped by account and each account is valued, classified
/// and emitted before the next one starts, so memory stays proportional to one
/// account's months plus the output. Only the slots an account's subscriptions
/// can be active in (and the month after, for its churn) are valued and classified.
struct LedgerBuilder {
    /// Slot 0 is the month before `from` (the opening balance); slot k is `from + k - 1`.
    let base: Month
    let slots: Int
    let monthEnds: [Day]
    var rates: RateResolver
    var rows: [MonthlyMovements]
    var accountMRR: [AccountMonthMRR] = []
    var movements: [AccountMovement] = []
    /// `trialNative[c * slots + k]`: trial amounts of currency c in slot k, converted once per month at the end.
    var trialNative: [Int64] = []
    var trialCounts: [Int]
    /// Per-currency month buffers of the account being processed, reused across accounts:
    /// buffer b is `native[b * slots ..< (b + 1) * slots]`, in currency `bufferCurrency[b]`.
    /// Every buffer is zero outside the current account's slots, and all of it between accounts.
    var native: [Int64] = []
    var bufferCurrency: [Int] = []
    var used = 0
    /// The current account's first and last slot with an active subscription.
    var low = 0
    var high = -1
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

    /// The slots `v` can be active in (empty when lo > hi).
    @inline(__always)
    func slotRange(_ v: SubscriptionValuation) -> (lo: Int, hi: Int) {
        let lo = max(0, base.distance(to: v.firstMonth))
        let hi = v.lastMonth.map { min(slots - 1, base.distance(to: $0)) } ?? slots - 1
        return (lo, hi)
    }

    mutating func build(_ valuations: Valuations, parallelAbove threshold: Int = LedgerBuilder.parallelThreshold)
        throws(RevenueError) -> RevenueLedger
    {
        // Rates are registered in order of first appearance, as the currencies are listed.
        let rateIndex = valuations.currencies.map { rates.index(of: $0) }
        let items = valuations.items
        trialNative = Array(repeating: 0, count: rates.codes.count * slots)
        var order = Array(items.indices)
        var sorted = true
        for i in items.indices.dropFirst() where items[i - 1].accountId > items[i].accountId {
            sorted = false
            break
        }
        if !sorted {
            var keyed = items.indices.map { (items[$0].accountId, $0) }
            keyed.sort { $0 < $1 }
            order = keyed.map(\.1)
        }
        // Accounts are independent, so a large book is split at an account boundary near its middle
        // and the halves run on two threads; the second half's rows are appended to the first's and
        // its month totals added, which is exactly what one pass in account order would give. An
        // error is the one a single pass would meet first: the first half's, else the second's.
        var split = order.count
        if order.count >= max(2, threshold) {
            split = order.count / 2
            while split < order.count, items[order[split]].accountId == items[order[split - 1]].accountId { split += 1 }
        }
        if split < order.count {
            // This builder's arrays receive the second half's rows too: reserved for the whole book
            // now, so appending them never reallocates.
            reserveOutput(for: items, order[...])
            let firstOrder = order[..<split]
            let secondOrder = order[split...]
            var second = self
            second.accountMRR = []
            second.movements = []
            var secondResult: Result<Void, RevenueError> = .success(())
            let firstResult: Result<Void, RevenueError> = withUnsafeMutablePointer(to: &second) { other in
                withUnsafeMutablePointer(to: &secondResult) { otherResult in
                    let work = SendablePointers(builder: other, result: otherResult)
                    let group = DispatchGroup()
                    DispatchQueue.global(qos: .userInitiated).async(group: group) {
                        work.result.pointee = Result { () throws(RevenueError) in
                            try work.builder.pointee.run(valuations, secondOrder, rateIndex: rateIndex)
                        }
                    }
                    let mine = Result { () throws(RevenueError) in
                        try self.run(valuations, firstOrder, rateIndex: rateIndex)
                    }
                    group.wait()
                    return mine
                }
            }
            try firstResult.get()
            try secondResult.get()
            merge(second)
        } else {
            try run(valuations, order[...], rateIndex: rateIndex)
        }
        try addTrials()
        return RevenueLedger(
            reportingCurrency: rates.reportingCurrency, from: from, to: to,
            months: rows, accountMRR: accountMRR, movements: movements)
    }

    /// Below this many subscriptions one thread is quicker than starting a second.
    static let parallelThreshold = 20_000

    /// Values, classifies and emits the accounts of `order` (subscription indices, grouped by account).
    mutating func run(_ valuations: Valuations, _ order: ArraySlice<Int>, rateIndex: [Int]) throws(RevenueError) {
        let items = valuations.items
        reserveOutput(for: items, order)
        var groupStart = order.startIndex
        while groupStart < order.endIndex {
            let account = items[order[groupStart]].accountId
            var groupEnd = groupStart
            var everBefore = false
            used = 0
            low = slots
            high = -1
            while groupEnd < order.endIndex, items[order[groupEnd]].accountId == account {
                let i = order[groupEnd]
                accumulate(valuations, i, currency: rateIndex[items[i].currency])
                if !everBefore { everBefore = hadMRRBeforeBase(valuations, i) }
                groupEnd += 1
            }
            if low <= high {
                try settle(account: account, everBefore: everBefore)
                clearBuffers()
            }
            groupStart = groupEnd
        }
    }

    /// Reserves room for the rows of the subscriptions `order` on top of what is written.
    ///
    /// Σ active slots bounds the output: one account-month row needs an active subscription in
    /// that slot, and each such row gives at most three movement rows (its own kind, the next
    /// month's churn, the next month's FX adjustment). Reserving the bound never regrows the
    /// arrays; pages past what is written are never touched.
    mutating func reserveOutput(for items: [SubscriptionValuation], _ order: ArraySlice<Int>) {
        var activeSlots = 0
        for i in order {
            let r = slotRange(items[i])
            if r.lo <= r.hi { activeSlots += r.hi - r.lo + 1 }
        }
        guard
            accountMRR.capacity < accountMRR.count + activeSlots
                || movements.capacity < movements.count + 3 * activeSlots
        else { return }
        accountMRR.reserveCapacity(accountMRR.count + activeSlots)
        movements.reserveCapacity(movements.count + 3 * activeSlots)
        accountMRR.adviseHugePages()
        movements.adviseHugePages()
    }

    /// Adds what `other` produced for the accounts after this builder's.
    mutating func merge(_ other: LedgerBuilder) {
        accountMRR.append(contentsOf: other.accountMRR)
        movements.append(contentsOf: other.movements)
        for k in rows.indices { rows[k].add(other.rows[k]) }
        for i in trialNative.indices { trialNative[i] += other.trialNative[i] }
        for k in trialCounts.indices { trialCounts[k] += other.trialCounts[k] }
    }

    /// Adds one subscription's month-end values to its account's buffer for its currency.
    mutating func accumulate(_ valuations: Valuations, _ i: Int, currency c: Int) {
        let (lo, hi) = slotRange(valuations.items[i])
        guard lo <= hi else { return }
        let b = buffer(for: c)
        low = min(low, lo)
        high = max(high, hi)
        let slots = slots
        monthEnds.withUnsafeBufferPointer { ends in
            native.withUnsafeMutableBufferPointer { nb in
                trialNative.withUnsafeMutableBufferPointer { tb in
                    trialCounts.withUnsafeMutableBufferPointer { counts in
                        valuations.accumulate(
                            i, monthEnds: ends, lo: lo, hi: hi, mrr: nb.baseAddress! + b * slots,
                            trial: tb.baseAddress! + c * slots, trialCounts: counts.baseAddress!)
                    }
                }
            }
        }
    }

    /// Whether the subscription had MRR > 0 at any month-end before the opening month;
    /// only needed to tell new from reactivation, so it stops at the first hit.
    func hadMRRBeforeBase(_ valuations: Valuations, _ i: Int) -> Bool {
        let v = valuations.items[i]
        var month = v.firstMonth
        let last = min(base.adding(-1), v.lastMonth ?? base.adding(-1))
        while month <= last {
            if valuations.value(i, on: month.lastDay).mrr > 0 { return true }
            month = month.adding(1)
        }
        return false
    }

    /// The current account's buffer for currency `c` (zero where the account has not written).
    mutating func buffer(for c: Int) -> Int {
        for b in 0..<used where bufferCurrency[b] == c { return b }
        if used == bufferCurrency.count {
            native.append(contentsOf: repeatElement(0, count: slots))
            bufferCurrency.append(c)
        } else {
            bufferCurrency[used] = c
        }
        used += 1
        return used - 1
    }

    /// Zeroes what the current account wrote, so the buffers are clean for the next one.
    mutating func clearBuffers() {
        let slots = slots
        let low = low
        let high = high
        let used = used
        native.withUnsafeMutableBufferPointer { nb in
            for b in 0..<used {
                for k in low...high { nb[b * slots + k] = 0 }
            }
        }
    }

    /// The current account's MRR at slot `k`, each currency converted at slot `rateSlot`'s rates.
    @inline(__always)
    func value(slot k: Int, rateSlot: Int) throws(RevenueError) -> Int64 {
        var total: Int64 = 0
        for b in 0..<used {
            total += try rates.convert(native[b * slots + k], currency: bufferCurrency[b], slot: rateSlot)
        }
        return total
    }

    /// Values, classifies and emits the account whose buffers are filled, over its active
    /// slots and the slot after them (outside those its MRR is zero in both months: no step).
    mutating func settle(account: Int64, everBefore: Bool) throws(RevenueError) {
        let low = low
        let high = high
        for k in low...high { reported[k] = try value(slot: k, rateSlot: max(k, 1)) }
        // With every buffer in the reporting currency no rate applies, so a revaluation is the value itself.
        var sameCurrency = true
        for b in 0..<used where !rates.isReporting(bufferCurrency[b]) { sameCurrency = false }
        var everPositive = everBefore
        for k in max(1, low)...min(slots - 1, high + 1) {
            let previous = k - 1 >= low ? reported[k - 1] : 0
            let current = k <= high ? reported[k] : 0
            everPositive = everPositive || previous > 0
            if previous == 0 && current == 0 { continue }
            let revalued = previous > 0 && k > 1 && !sameCurrency ? try value(slot: k - 1, rateSlot: k) : previous
            let step = AccountStep.classify(
                previous: previous, previousAtCurrentRates: revalued,
                current: current, everPositiveBefore: everPositive)
            record(step, account: account, slot: k, previous: previous, current: current)
        }
    }

    mutating func record(_ step: AccountStep, account: Int64, slot k: Int, previous: Int64, current: Int64) {
        let month = from.adding(k - 1)
        var row = rows[k - 1]
        row.openingMRR += previous
        row.mrr += current
        row.fxAdjustment += step.fx
        if previous > 0 { row.openingCustomers += 1 }
        if current > 0 {
            row.customers += 1
            accountMRR.append(AccountMonthMRR(accountId: account, month: month, mrrMinor: current))
        }
        if step.fx != 0 {
            movements.append(
                AccountMovement(accountId: account, month: month, kind: .fxAdjustment, amountMinor: step.fx))
        }
        if let kind = step.kind {
            movements.append(AccountMovement(accountId: account, month: month, kind: kind, amountMinor: step.amount))
            switch kind {
            case .new:
                row.new += step.amount
                row.newCustomers += 1
            case .reactivation:
                row.reactivation += step.amount
                row.reactivatedCustomers += 1
            case .churn:
                row.churn += step.amount
                row.churnedCustomers += 1
            case .expansion: row.expansion += step.amount
            case .contraction: row.contraction += step.amount
            case .fxAdjustment: break
            }
        }
        rows[k - 1] = row
    }

    /// Converts the accumulated trial amounts, one rounding per currency and month.
    mutating func addTrials() throws(RevenueError) {
        for k in 1..<slots {
            var total: Int64 = 0
            for c in 0..<rates.codes.count {
                total += try rates.convert(trialNative[c * slots + k], currency: c, slot: k)
            }
            rows[k - 1].trialMRR = total
            rows[k - 1].trialSubscriptions = trialCounts[k]
        }
    }
}

/// The second half's builder and result, handed to the thread that fills them; the caller
/// waits for that thread before touching either again.
private struct SendablePointers: @unchecked Sendable {
    let builder: UnsafeMutablePointer<LedgerBuilder>
    let result: UnsafeMutablePointer<Result<Void, RevenueError>>
}
