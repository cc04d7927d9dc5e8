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
        var periodOfMonth: [Int: Int] = [:]
        var endOf: [Int: Int] = [:]
        var openingOf: [Int: Int] = [:]
        for (i, p) in periods.enumerated() {
            for m in p.months { periodOfMonth[m.index] = i }
            endOf[p.last.index] = i
            openingOf[p.first.adding(-1).index] = i
        }
        let empty = [Cell](repeating: Cell(), count: periods.count)
        func key(_ account: Int64) -> String { dimension.map { context.value(of: $0, account: account) } ?? "" }
        var keyCache: [Int64: String] = [:]
        func cachedKey(_ account: Int64) -> String {
            if let k = keyCache[account] { return k }
            let k = key(account)
            keyCache[account] = k
            return k
        }
        if dimension == nil { cells[""] = empty }
        // Mutate cells in place through the dictionary's default subscript: copying a slice's
        // row per record would make the pass quadratic in the number of periods.
        for m in context.ledger.movements {
            guard m.month >= firstMonth, m.month <= lastMonth, let i = periodOfMonth[m.month.index] else { continue }
            let k = cachedKey(m.accountId)
            RevenueRollup.update(&cells[k, default: empty][i]) { c in
                switch m.kind {
                case .new: c.new += m.amountMinor; c.newCustomers += 1
                case .expansion: c.expansion += m.amountMinor; c.expandedCustomers += 1
                case .contraction: c.contraction += m.amountMinor; c.contractedCustomers += 1
                case .churn: c.churn += m.amountMinor; c.churnedCustomers += 1
                case .reactivation: c.reactivation += m.amountMinor; c.reactivatedCustomers += 1
                case .fxAdjustment: c.fxAdjustment += m.amountMinor
                }
                if explain { c.ids[m.kind, default: []].append(m.accountId) }
            }
        }
        for e in context.ledger.accountMRR where e.mrrMinor > 0 {
            let end = endOf[e.month.index], opening = openingOf[e.month.index]
            guard end != nil || opening != nil else { continue }
            let k = cachedKey(e.accountId)
            if cells[k] == nil { cells[k] = empty }
            if let i = end {
                RevenueRollup.update(&cells[k]![i]) { c in
                    c.mrr += e.mrrMinor; c.customers += 1
                    if explain { c.customerIds.append(e.accountId) }
                }
            }
            if let i = opening {
                RevenueRollup.update(&cells[k]![i]) { c in
                    c.openingMRR += e.mrrMinor; c.openingCustomers += 1
                    if explain { c.openingIds.append(e.accountId) }
                }
            }
        }
        // The ledger values each account's opening MRR at the new month's rates in the bridge; the
        // per-account table holds it at its own month's rates. Unsliced, take the bridge's exact
        // figures so movements + FX always add up to the change.
        if dimension == nil {
            for (i, p) in periods.enumerated() {
                cells[""]![i].openingMRR = context.monthRow(p.first).openingMRR
            }
        }
    }

    @inline(__always)
    static func update(_ cell: inout Cell, _ body: (inout Cell) -> Void) { body(&cell) }

    /// Slice values in order, "(none)" last.
    var keys: [String] { cells.keys.sorted { ($0 == "(none)" ? 1 : 0, $0) < ($1 == "(none)" ? 1 : 0, $1) } }

    static func ids(_ accounts: [Int64]) -> [String] { accounts.sorted().map { "account:" + String($0) } }
}
