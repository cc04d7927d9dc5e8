import FulcrumCore
import GRDB

/// Reading the store back into the core's plain values.
extension SQLiteStore {
    public func accounts() throws -> [Account] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, name, domain, segment, industry, country, employees, owner_rep_id, parent_account_id,
                       merged_into, created_on FROM accounts ORDER BY id
                """).map { row in
                var a = Account()
                a.id = row[0]; a.name = row[1]; a.domain = row[2]; a.segment = row[3]; a.industry = row[4]
                a.country = row[5]; a.employees = row[6]; a.ownerRepId = row[7]; a.parentAccountId = row[8]
                a.mergedInto = row[9]; a.createdOn = try SQLiteStore.day(row[10], "accounts.created_on")
                return a
            }
        }
    }

    public func billing() throws -> BillingData {
        try writer.read { db in
            let subscriptions = try Row.fetchAll(db, sql: """
                SELECT id, account_id, opportunity_id, plan, product, interval, interval_count, amount_minor, quantity, currency,
                       status, started_on, ended_on, canceled_on, cancel_at, trial_end_on, discount_percent,
                       discount_amount_minor, discount_duration, discount_months, discount_start_on
                FROM subscriptions ORDER BY id
                """).map { row in
                var s = Subscription()
                s.id = row[0]; s.accountId = row[1]; s.opportunityId = row[2]; s.plan = row[3]; s.product = row[4]
                s.interval = Subscription.Interval(rawValue: row[5]) ?? .month
                s.intervalCount = row[6]; s.amountMinor = row[7]; s.quantity = row[8]; s.currency = row[9]
                s.status = Subscription.Status(rawValue: row[10]) ?? .active
                s.startedOn = try SQLiteStore.day(row[11], "subscriptions.started_on")
                s.endedOn = try SQLiteStore.optionalDay(row[12], "subscriptions.ended_on")
                s.canceledOn = try SQLiteStore.optionalDay(row[13], "subscriptions.canceled_on")
                s.cancelAt = try SQLiteStore.optionalDay(row[14], "subscriptions.cancel_at")
                s.trialEndOn = try SQLiteStore.optionalDay(row[15], "subscriptions.trial_end_on")
                s.discountPercent = row[16]; s.discountAmountMinor = row[17]
                s.discountDuration = (row[18] as String?).flatMap(Subscription.DiscountDuration.init(rawValue:))
                s.discountMonths = row[19]
                s.discountStartOn = try SQLiteStore.optionalDay(row[20], "subscriptions.discount_start_on")
                return s
            }
            let changes = try Row.fetchAll(db, sql: """
                SELECT id, subscription_id, account_id, effective_on, amount_minor, quantity FROM subscription_changes
                ORDER BY subscription_id, effective_on, id
                """).map { row in
                var c = SubscriptionChange()
                c.id = row[0]; c.subscriptionId = row[1]; c.accountId = row[2]
                c.effectiveOn = try SQLiteStore.day(row[3], "subscription_changes.effective_on")
                c.amountMinor = row[4]; c.quantity = row[5]
                return c
            }
            let periods = try Row.fetchAll(db, sql: """
                SELECT id, subscription_id, account_id, status, from_on, to_on FROM subscription_status_periods ORDER BY id
                """).map { row in
                var p = SubscriptionStatusPeriod()
                p.id = row[0]; p.subscriptionId = row[1]; p.accountId = row[2]
                p.status = Subscription.Status(rawValue: row[3]) ?? .pastDue
                p.fromOn = try SQLiteStore.day(row[4], "subscription_status_periods.from_on")
                p.toOn = try SQLiteStore.optionalDay(row[5], "subscription_status_periods.to_on")
                return p
            }
            let fx = try Row.fetchAll(db, sql: "SELECT month, currency, rate FROM fx_rates ORDER BY month, currency").map { row in
                var r = FXRate()
                guard let month = Month(iso: row[0] as String) else {
                    throw StoreError(.notAStore, path: self.location, reason: "fx_rates.month is not YYYY-MM: \(row[0] as String)")
                }
                r.month = month; r.currency = row[1]; r.rate = row[2]
                return r
            }
            return BillingData(subscriptions: subscriptions, changes: changes, statusPeriods: periods, fxRates: fx)
        }
    }

    public func spend() throws -> [SpendEntry] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, month, team, category, channel, segment, amount_minor, currency FROM spend ORDER BY id").map { row in
                var s = SpendEntry()
                s.id = row[0]
                guard let month = Month(iso: row[1] as String) else {
                    throw StoreError(.notAStore, path: self.location, reason: "spend.month is not YYYY-MM: \(row[1] as String)")
                }
                s.month = month
                s.team = Team.Function(rawValue: row[2]) ?? .marketing
                s.category = SpendEntry.Category(rawValue: row[3]) ?? .media
                s.channel = row[4]; s.segment = row[5]; s.amountMinor = row[6]; s.currency = row[7]
                return s
            }
        }
    }

    static func day(_ text: String, _ column: String) throws -> Day {
        guard let d = Day(iso: text) else { throw StoreError(.notAStore, path: column, reason: "not a YYYY-MM-DD date: \(text)") }
        return d
    }

    static func optionalDay(_ text: String?, _ column: String) throws -> Day? {
        try text.map { try day($0, column) }
    }
}
