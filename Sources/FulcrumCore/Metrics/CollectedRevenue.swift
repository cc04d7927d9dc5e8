/// Money an account actually paid in one month and one currency: succeeded payments less the
/// amounts refunded on them (`payments.amount_minor − refunded_minor` over payments whose status
/// is `succeeded` or `refunded`; failed attempts collect nothing), rolled up by the store.
/// Account ids are raw; the metrics resolve merges. Amounts are in `currency`'s minor units.
public struct CollectedRevenue: Sendable, Hashable, Codable {
    public var accountId: Int64
    /// The month of the payment (`paid_at`, UTC).
    public var month: Month
    public var currency: String
    public var amountMinor: Int64
    public init(accountId: Int64, month: Month, currency: String, amountMinor: Int64) {
        self.accountId = accountId
        self.month = month
        self.currency = currency
        self.amountMinor = amountMinor
    }
}

extension MetricContext {
    /// Revenue collected per surviving account over months up to `through`, in the reporting currency:
    /// each account's collected amount per month and currency (merged duplicates pooled under the
    /// survivor) converted at that month's rate and rounded once, as the MRR ledger converts.
    func revenueCollected(through: Month) throws -> [Int64: Int64] {
        struct Group: Hashable {
            var month: Month
            var currency: String
        }
        let rows = inputs.collected
        // Rows of accounts a merge touches (duplicates and their survivors) are pooled under the survivor
        // before converting; so are all rows when they are not in account order. The rest — the store's rows
        // come in account order — are folded one account at a time: a large company has 12 million account-
        // months, and a dictionary of them all took a gigabyte.
        var pooledAccounts: Set<Int64> = []
        for a in inputs.accounts where a.mergedInto != nil {
            pooledAccounts.insert(a.id)
            pooledAccounts.insert(resolver.resolve(a.id))
        }
        let inAccountOrder = zip(rows, rows.dropFirst()).allSatisfy { $0.accountId <= $1.accountId }
        var out: [Int64: Int64] = [:]
        func add(_ account: Int64, _ groups: [Group: Int64]) throws {
            for (g, amount) in groups where amount != 0 {
                out[account, default: 0] += try convert(amount, currency: g.currency, month: g.month)
            }
        }
        var pooled: [Int64: [Group: Int64]] = [:]
        var current: Int64?
        var groups: [Group: Int64] = [:]
        for c in rows where c.month <= through {
            let group = Group(month: c.month, currency: c.currency.uppercased())
            if !inAccountOrder || pooledAccounts.contains(c.accountId) {
                pooled[resolver.resolve(c.accountId), default: [:]][group, default: 0] += c.amountMinor
                continue
            }
            if c.accountId != current {
                if let current { try add(current, groups) }
                current = c.accountId
                groups.removeAll(keepingCapacity: true)
            }
            groups[group, default: 0] += c.amountMinor
        }
        if let current { try add(current, groups) }
        for (account, groups) in pooled { try add(account, groups) }
        return out
    }
}
