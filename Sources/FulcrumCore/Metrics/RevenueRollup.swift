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
        var ids: [MovementKind: [Int64]] = [:]
        var customerIds: [Int64] = []
        var openingIds: [Int64] = []
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
            for m in p.months where m.index >= openingIndex && m.index <= lastIndex { periodOfMonth[m.index - openingIndex] = i }
            endOf[p.last.index - openingIndex] = i
            openingOf[p.first.index - 1 - openingIndex] = i
        }
        let empty = [Cell](repeating: Cell(), count: periods.count)
        // Rows live in an array indexed by slice; each account's slice is looked up once.
        var slices: [[Cell]] = []
        var sliceIndex: [String: Int] = [:]
        var sliceOf: [Int64: Int] = [:]
        func slice(_ account: Int64) -> Int {
            guard let dimension else { return 0 }
            if let i = sliceOf[account] { return i }
            let key = context.value(of: dimension, account: account)
            let i: Int
            if let known = sliceIndex[key] { i = known } else { i = slices.count; sliceIndex[key] = i; slices.append(empty) }
            sliceOf[account] = i
            return i
        }
        if dimension == nil { slices = [empty]; sliceIndex[""] = 0 }
        for m in context.ledger.movements {
            let offset = m.month.index - openingIndex
            guard offset > 0, m.month.index <= lastIndex else { continue }
            let i = periodOfMonth[offset]
            guard i >= 0 else { continue }
            let k = slice(m.accountId)
            switch m.kind {
            case .new: slices[k][i].new += m.amountMinor; slices[k][i].newCustomers += 1
            case .expansion: slices[k][i].expansion += m.amountMinor; slices[k][i].expandedCustomers += 1
            case .contraction: slices[k][i].contraction += m.amountMinor; slices[k][i].contractedCustomers += 1
            case .churn: slices[k][i].churn += m.amountMinor; slices[k][i].churnedCustomers += 1
            case .reactivation: slices[k][i].reactivation += m.amountMinor; slices[k][i].reactivatedCustomers += 1
            case .fxAdjustment: slices[k][i].fxAdjustment += m.amountMinor
            }
            if explain { slices[k][i].ids[m.kind, default: []].append(m.accountId) }
        }
        for e in context.ledger.accountMRR where e.mrrMinor > 0 && e.month.index >= openingIndex && e.month.index <= lastIndex {
            let end = endOf[e.month.index - openingIndex], opening = openingOf[e.month.index - openingIndex]
            guard end >= 0 || opening >= 0 else { continue }
            let k = slice(e.accountId)
            if end >= 0 {
                let i = end
                slices[k][i].mrr += e.mrrMinor; slices[k][i].customers += 1
                if explain { slices[k][i].customerIds.append(e.accountId) }
            }
            if opening >= 0 {
                let i = opening
                slices[k][i].openingMRR += e.mrrMinor; slices[k][i].openingCustomers += 1
                if explain { slices[k][i].openingIds.append(e.accountId) }
            }
        }
        for (key, i) in sliceIndex { cells[key] = slices[i] }
        // The ledger values each account's opening MRR at the new month's rates in the bridge; the
        // per-account table holds it at its own month's rates. Unsliced, take the bridge's exact
        // figures so movements + FX always add up to the change.
        if dimension == nil {
            for (i, p) in periods.enumerated() {
                cells[""]![i].openingMRR = context.monthRow(p.first).openingMRR
            }
        }
    }

    /// Slice values in order, "(none)" last.
    var keys: [String] { cells.keys.sorted { ($0 == "(none)" ? 1 : 0, $0) < ($1 == "(none)" ? 1 : 0, $1) } }

    static func ids(_ accounts: [Int64]) -> [String] { accounts.sorted().map { "account:" + String($0) } }
}
