/// One account's activity of one kind in one calendar month, rolled up in the store: what the
/// prediction features read instead of millions of raw rows (usage days, touches, activities,
/// failed payments).
public struct AccountMonthTally: Sendable, Hashable {
    public enum Measure: String, Sendable, Hashable, CaseIterable {
        /// `count` = days with usage, `sum` = Σ active users over them.
        case activeUsers = "active_users"
        /// `sum` = Σ product events.
        case events
        /// `count` = failed payments.
        case failedPayments = "failed_payments"
        /// `count` = marketing touches of the account's people.
        case touches
        /// `count` = non-automated calls and meetings with the account.
        case conversations
    }

    public var accountId: Int64
    public var month: Month
    public var measure: Measure
    public var count: Int
    public var sum: Double

    public init(accountId: Int64, month: Month, measure: Measure, count: Int, sum: Double) {
        self.accountId = accountId
        self.month = month
        self.measure = measure
        self.count = count
        self.sum = sum
    }
}

extension AccountMonthTally {
    /// The store's roll-up done in memory (the same rules as `Store.accountMonthTallies`, which a store test
    /// compares with this): for data that never went through a store.
    public static func rollUp(
        usage: [UsageDay], payments: [Payment], touches: [Touch], activities: [Activity]
    ) -> [AccountMonthTally] {
        struct Key: Hashable {
            var account: Int64
            var month: Int
            var measure: Measure
        }
        var out: [Key: (Int, Double)] = [:]
        func add(_ account: Int64, _ month: Month, _ measure: Measure, _ sum: Double) {
            let key = Key(account: account, month: month.index, measure: measure)
            let old = out[key] ?? (0, 0)
            out[key] = (old.0 + 1, old.1 + sum)
        }
        for u in usage {
            add(u.accountId, u.day.month, .activeUsers, Double(u.activeUsers))
            add(u.accountId, u.day.month, .events, Double(u.events))
        }
        for p in payments where p.status == "failed" { add(p.accountId, p.paidAt.day.month, .failedPayments, 0) }
        for t in touches { if let a = t.accountId { add(a, t.occurredAt.day.month, .touches, 0) } }
        for a in activities where !a.automated && (a.kind == .call || a.kind == .meeting) {
            if let account = a.accountId { add(account, a.occurredAt.day.month, .conversations, 0) }
        }
        return out.map {
            AccountMonthTally(
                accountId: $0.key.account, month: Month(index: $0.key.month), measure: $0.key.measure,
                count: $0.value.0, sum: $0.value.1)
        }
    }
}
