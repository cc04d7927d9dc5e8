/// Who was acquired in a window and what acquiring them cost, per slice (segment or channel).
/// The shared input of CAC, unit economics and segment economics.
struct Acquisition {
    var newCustomers: [String: [Int64]] = [:]
    /// Σ first-month MRR of the new customers (for ACV and payback).
    var firstMRR: [String: Int64] = [:]
    var marketing: SpendAllocation
    var sales: SpendAllocation
    /// With explain: each new customer's first-month MRR.
    var firstMRRByAccount: [Int64: Int64] = [:]

    init(context: MetricContext, months: ClosedRange<Month>, by dimension: Dimension?, explain: Bool) throws {
        for (account, first) in context.firstPaidMonth where months.contains(first) {
            let key = dimension.map { context.value(of: $0, account: account) } ?? ""
            newCustomers[key, default: []].append(account)
            let mrr = context.ledger.mrr(account: account, month: first)
            firstMRR[key, default: 0] += mrr
            if explain { firstMRRByAccount[account] = mrr }
        }
        let window = context.inputs.spend.filter { months.contains($0.month) }
        marketing = try SpendAllocation(
            window.filter { $0.team == .marketing }, by: dimension, context: context, explain: explain)
        sales = try SpendAllocation(
            window.filter { $0.team == .sales }, by: dimension, context: context, explain: explain,
            fallback: marketing.tagged)
    }

    func count(_ key: String) -> Int { newCustomers[key]?.count ?? 0 }

    /// The explanations of a slice's (or, with nil, every slice's) acquisition cells: new customers
    /// counted, marketing and sales spend entries by their allocated parts, ACV as 12 × first-month MRR ÷ them.
    func explained(_ key: String?) -> (
        customers: Explanation, marketing: Explanation, sales: Explanation, fullyLoaded: Explanation, acv: Explanation
    ) {
        let ids = key.map { newCustomers[$0] ?? [] } ?? newCustomers.values.flatMap { $0 }
        let customers = Explanation.count(RevenueRollup.ids(ids))
        let mk = Explanation.sum(key.map { marketing.items[$0] ?? [] } ?? marketing.items.values.flatMap { $0 })
        let sl = Explanation.sum(key.map { sales.items[$0] ?? [] } ?? sales.items.values.flatMap { $0 })
        let acv = Explanation.sum(
            Explanation.accountAmounts(ids.map { ($0, (firstMRRByAccount[$0] ?? 0) * 12) }))
        return (customers, mk, sl, .sum(mk.items + sl.items), .ratio(acv, over: customers))
    }
    func marketingSpend(_ key: String) -> Int64 { marketing.amounts[key] ?? 0 }
    func salesSpend(_ key: String) -> Int64 { sales.amounts[key] ?? 0 }
    func fullyLoaded(_ key: String) -> Int64 { marketingSpend(key) + salesSpend(key) }

    /// Spend ÷ new customers, rounded to minor units; nil with no new customers.
    static func perCustomer(_ spend: Int64, _ customers: Int) -> Int64? {
        customers > 0 ? roundMinor(Double(spend) / Double(customers)) : nil
    }

    /// Whether any spend entry (tagged, or a share of untagged spend) is attributed to the slice.
    func hasSpend(_ key: String, fullyLoaded: Bool) -> Bool {
        marketing.amounts[key] != nil || (fullyLoaded && sales.amounts[key] != nil)
    }

    /// CAC of a slice: its spend ÷ its new customers. Blank (nil) with no new customers, and when no
    /// spend is attributed to the slice — the "(none)" slice never has any, since spend is only tagged
    /// with real values — because cost that cannot be attributed is unknown, not zero.
    func cac(_ key: String, fullyLoaded: Bool) -> Int64? {
        guard key != "(none)", hasSpend(key, fullyLoaded: fullyLoaded) else { return nil }
        return Acquisition.perCustomer(fullyLoaded ? self.fullyLoaded(key) : marketingSpend(key), count(key))
    }

    /// CAC over every slice (the Total row): blank with no spend entry in the window at all.
    func totalCAC(fullyLoaded: Bool, customers: Int) -> Int64? {
        let entries = marketing.entries + (fullyLoaded ? sales.entries : 0)
        guard entries > 0 else { return nil }
        return Acquisition.perCustomer(marketing.total + (fullyLoaded ? sales.total : 0), customers)
    }

    /// Slice values present on either side (customers or spend), "(none)" last.
    var keys: [String] {
        Set(newCustomers.keys).union(marketing.amounts.keys).union(sales.amounts.keys)
            .sorted { ($0 == "(none)" ? 1 : 0, $0) < ($1 == "(none)" ? 1 : 0, $1) }
    }

    static let rule = """
        spend tagged with a segment/channel belongs to it; a team's untagged spend is shared in proportion to \
        that team's tagged spend in the same window (the marketing team's tagged spend when the team has none); new customers \
        are attributed to their account's segment, or to their acquisition channel (first won new-business \
        opportunity's channel, else the earliest lead's channel); CAC is blank for a slice no spend is attributed to, \
        (none) included: unattributed cost is unknown, not zero
        """
}
