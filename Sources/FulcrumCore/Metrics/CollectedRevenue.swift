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
        struct Key: Hashable {
            var account: Int64
            var month: Month
            var currency: String
        }
        var native: [Key: Int64] = [:]
        for c in inputs.collected where c.month <= through {
            native[
                Key(account: resolver.resolve(c.accountId), month: c.month, currency: c.currency.uppercased()),
                default: 0] += c.amountMinor
        }
        var out: [Int64: Int64] = [:]
        for (k, amount) in native where amount != 0 {
            out[k.account, default: 0] += try convert(amount, currency: k.currency, month: k.month)
        }
        return out
    }
}
