/// MRR movements, MRR and customer counts per period and slice, with the accounts
/// behind each figure. The one pass over the ledger that the MRR, movements,
/// customers and churn reports all read, so they can never disagree.
struct RevenueRollup {
    struct Cell {
        var new: Int64 = 0, expansion: Int64 = 0, contraction: Int64 = 0, churn: Int64 = 0, reactivation: Int64 = 0
        var fxAdjustment: Int64 = 0
        var openingMRR: Int64 = 0, mrr: Int64 = 0
        var openingCustomers = 0, customers = 0
        var newCustomers = 0, churnedCustomers = 0, reactivatedCustomers = 0
        var expandedCustomers = 0, contractedCustomers = 0
        /// With explain: (account, amount) of each movement by kind, and each customer's MRR at the end and
        /// at the opening of the period.
        var ids: [MovementKind: [(Int64, Int64)]] = [:]
        var customerIds: [(Int64, Int64)] = []
        var openingIds: [(Int64, Int64)] = []
        /// Opening MRR restated at the new month's FX rates minus the accounts' own figures (unsliced only).
        var openingRestatement: Int64 = 0
        /// Expansion + reactivation + new, and −(churn + contraction).
        var gained: Int64 { new + expansion + reactivation }
        var lost: Int64 { -(churn + contraction) }
    }

    let periods: [Period]
    /// Slice value → one cell per period. The key is "" when the report is not sliced.
    var cells: [String: [Cell]] = [:]

    init(context: MetricContext, periods: [Period], by dimension: Dimension?, explain: Bool) {
        self.periods = periods
        guard let firstMonth = periods.first?.first, let lastMonth = periods.last?.last else { return }
        // Month → period tables as arrays over [first − 1, last] (−1: none), read once per ledger row.
        let openingIndex = min(firstMonth.index, periods.map(\.first.index).min()!) - 1
        let lastIndex = max(lastMonth.index, periods.map(\.last.index).max()!)
        var periodOfMonth = [Int](repeating: -1, count: lastIndex - openingIndex + 1)
        var endOf = periodOfMonth
        var openingOf = periodOfMonth
        for (i, p) in periods.enumerated() {
            for m in p.months where m.index >= openingIndex && m.index <= lastIndex {
                periodOfMonth[m.index - openingIndex] = i
            }
            endOf[p.last.index - openingIndex] = i
            openingOf[p.first.index - 1 - openingIndex] = i
        }
        let width = periods.count
        let movements = context.ledger.movements
        let accountMRR = context.ledger.accountMRR
        @inline(__always) func movementPeriod(_ m: AccountMovement) -> Int {
            let offset = m.month.index - openingIndex
            guard offset > 0, m.month.index <= lastIndex else { return -1 }
            return periodOfMonth[offset]
        }
        @inline(__always) func mrrPeriods(_ e: AccountMonthMRR) -> (end: Int, opening: Int) {
            guard e.mrrMinor > 0, e.month.index >= openingIndex, e.month.index <= lastIndex else { return (-1, -1) }
            return (endOf[e.month.index - openingIndex], openingOf[e.month.index - openingIndex])
        }
        // Each account's slice, looked up once per run of its rows (both tables are sorted by account);
        // every slice is known before the cells are filled, so they are filled through one pointer.
        var sliceIndex: [String: Int] = [:]
        var sliceOf: [Int64: Int] = [:]
        var lastAccount: Int64?
        var lastSlice = 0
        func slice(_ account: Int64) -> Int {
            guard let dimension else { return 0 }
            if account == lastAccount { return lastSlice }
            lastAccount = account
            if let i = sliceOf[account] {
                lastSlice = i
                return i
            }
            let key = context.value(of: dimension, account: account)
            let i: Int
            if let known = sliceIndex[key] {
                i = known
            } else {
                i = sliceIndex.count
                sliceIndex[key] = i
            }
            sliceOf[account] = i
            lastSlice = i
            return i
        }
        if dimension == nil {
            sliceIndex[""] = 0
        } else {
            for m in movements where movementPeriod(m) >= 0 { _ = slice(m.accountId) }
            for e in accountMRR {
                let p = mrrPeriods(e)
                if p.end >= 0 || p.opening >= 0 { _ = slice(e.accountId) }
            }
        }
        var flat = [Cell](repeating: Cell(), count: sliceIndex.count * width)
        flat.withUnsafeMutableBufferPointer { cell in
            for m in movements {
                let i = movementPeriod(m)
                guard i >= 0 else { continue }
                let c = slice(m.accountId) * width + i
                switch m.kind {
                case .new:
                    cell[c].new += m.amountMinor
                    cell[c].newCustomers += 1
                case .expansion:
                    cell[c].expansion += m.amountMinor
                    cell[c].expandedCustomers += 1
                case .contraction:
                    cell[c].contraction += m.amountMinor
                    cell[c].contractedCustomers += 1
                case .churn:
                    cell[c].churn += m.amountMinor
                    cell[c].churnedCustomers += 1
                case .reactivation:
                    cell[c].reactivation += m.amountMinor
                    cell[c].reactivatedCustomers += 1
                case .fxAdjustment: cell[c].fxAdjustment += m.amountMinor
                }
                if explain { cell[c].ids[m.kind, default: []].append((m.accountId, m.amountMinor)) }
            }
            for e in accountMRR {
                let (end, opening) = mrrPeriods(e)
                guard end >= 0 || opening >= 0 else { continue }
                let k = slice(e.accountId) * width
                if end >= 0 {
                    cell[k + end].mrr += e.mrrMinor
                    cell[k + end].customers += 1
                    if explain { cell[k + end].customerIds.append((e.accountId, e.mrrMinor)) }
                }
                if opening >= 0 {
                    cell[k + opening].openingMRR += e.mrrMinor
                    cell[k + opening].openingCustomers += 1
                    if explain { cell[k + opening].openingIds.append((e.accountId, e.mrrMinor)) }
                }
            }
        }
        for (key, i) in sliceIndex { cells[key] = Array(flat[(i * width)..<((i + 1) * width)]) }
        // The ledger values each account's opening MRR at the new month's rates in the bridge; the
        // per-account table holds it at its own month's rates. Unsliced, take the bridge's exact
        // figures so movements + FX always add up to the change.
        if dimension == nil {
            for (i, p) in periods.enumerated() {
                let bridge = context.monthRow(p.first).openingMRR
                cells[""]![i].openingRestatement = bridge - cells[""]![i].openingMRR
                cells[""]![i].openingMRR = bridge
            }
        }
    }

    /// Slice values in order, "(none)" last.
    var keys: [String] { cells.keys.sorted { ($0 == "(none)" ? 1 : 0, $0) < ($1 == "(none)" ? 1 : 0, $1) } }

    static func ids(_ accounts: [Int64]) -> [String] { Explanation.accounts(accounts) }

    /// Accounts counted: one record per entry (an account that churned twice is listed twice).
    static func counted(_ entries: [(Int64, Int64)]) -> Explanation { .count(ids(entries.map(\.0))) }

    /// Accounts and their amounts, adding up to the cell.
    static func summed(_ entries: [(Int64, Int64)]) -> Explanation { .sum(Explanation.accountAmounts(entries)) }

    /// Opening MRR: each account's MRR at the end of the month before, plus (unsliced) the restatement at the
    /// new month's FX rates that the MRR bridge uses, as a named adjustment.
    static func opening(_ cell: Cell) -> Explanation {
        var items = Explanation.accountAmounts(cell.openingIds)
        if cell.openingRestatement != 0 {
            items.append(.init(fxRestatement, Double(cell.openingRestatement)))
        }
        return .sum(items)
    }

    /// The adjustment item of an opening MRR restated at the new month's FX rates.
    static let fxRestatement = "adjustment:fx-restatement"
}
