import FulcrumCore
import GRDB

/// Reading the store back into the core's plain values.
extension SQLiteStore {
    public func accounts() throws -> [Account] {
        try writer.read { db in
            var segments = TextCache<String>()
            var industries = TextCache<String>()
            var countries = TextCache<String>(limit: 64)
            return try FastRows.map(
                db,
                sql: """
                    SELECT id, name, domain, segment, industry, country, employees, owner_rep_id, parent_account_id,
                           merged_into, created_on FROM accounts ORDER BY id
                    """, capacity: try SQLiteStore.rowCount(db, "accounts")
            ) { row in
                var a = Account()
                a.id = row.int64(0)
                a.name = row.string(1)
                a.domain = row.optionalString(2)
                a.segment = row.optionalText(3, &segments) { $0 }
                a.industry = row.optionalText(4, &industries) { $0 }
                a.country = row.optionalText(5, &countries) { $0 }
                a.employees = row.optionalInt(6)
                a.ownerRepId = row.optionalInt64(7)
                a.parentAccountId = row.optionalInt64(8)
                a.mergedInto = row.optionalInt64(9)
                a.createdOn = try row.day(10, "accounts.created_on")
                return a
            }
        }
    }

    public func billing() throws -> BillingData {
        try writer.read { db in
            // The largest read a report makes: columns are read with SQLite's C API (FastRows).
            // Plans, products, intervals, currencies and statuses repeat: each distinct text is decoded once.
            var plans = TextCache<String>(limit: 64)
            var products = TextCache<String>(limit: 64)
            var currencies = TextCache<String>(limit: 64)
            var intervals = TextCache<Subscription.Interval>()
            var statuses = TextCache<Subscription.Status>()
            var durations = TextCache<Subscription.DiscountDuration?>()
            let subscriptions = try FastRows.map(
                db,
                sql: """
                    SELECT id, account_id, opportunity_id, plan, product, interval, interval_count, amount_minor, quantity, currency,
                           status, started_on, ended_on, canceled_on, cancel_at, trial_end_on, discount_percent,
                           discount_amount_minor, discount_duration, discount_months, discount_start_on
                    FROM subscriptions ORDER BY id
                    """, capacity: try SQLiteStore.rowCount(db, "subscriptions")
            ) { row in
                var s = Subscription()
                s.id = row.int64(0)
                s.accountId = row.int64(1)
                s.opportunityId = row.optionalInt64(2)
                s.plan = row.text(3, &plans) { $0 }
                s.product = row.text(4, &products) { $0 }
                s.interval = row.text(5, &intervals) { Subscription.Interval(rawValue: $0) ?? .month }
                s.intervalCount = row.int(6)
                s.amountMinor = row.int64(7)
                s.quantity = row.int(8)
                s.currency = row.text(9, &currencies) { $0 }
                s.status = row.text(10, &statuses) { Subscription.Status(rawValue: $0) ?? .active }
                s.startedOn = try row.day(11, "subscriptions.started_on")
                s.endedOn = try row.optionalDay(12, "subscriptions.ended_on")
                s.canceledOn = try row.optionalDay(13, "subscriptions.canceled_on")
                s.cancelAt = try row.optionalDay(14, "subscriptions.cancel_at")
                s.trialEndOn = try row.optionalDay(15, "subscriptions.trial_end_on")
                s.discountPercent = row.optionalDouble(16)
                s.discountAmountMinor = row.optionalInt64(17)
                s.discountDuration =
                    row.optionalText(18, &durations) { Subscription.DiscountDuration(rawValue: $0) } ?? nil
                s.discountMonths = row.optionalInt(19)
                s.discountStartOn = try row.optionalDay(20, "subscriptions.discount_start_on")
                return s
            }
            let changes = try FastRows.map(
                db,
                sql: """
                    SELECT id, subscription_id, account_id, effective_on, amount_minor, quantity FROM subscription_changes
                    ORDER BY subscription_id, effective_on, id
                    """, capacity: try SQLiteStore.rowCount(db, "subscription_changes")
            ) { row in
                var c = SubscriptionChange()
                c.id = row.int64(0)
                c.subscriptionId = row.int64(1)
                c.accountId = row.int64(2)
                c.effectiveOn = try row.day(3, "subscription_changes.effective_on")
                c.amountMinor = row.int64(4)
                c.quantity = row.int(5)
                return c
            }
            var periodStatuses = TextCache<Subscription.Status>()
            let periods = try FastRows.map(
                db,
                sql: """
                    SELECT id, subscription_id, account_id, status, from_on, to_on FROM subscription_status_periods ORDER BY id
                    """, capacity: try SQLiteStore.rowCount(db, "subscription_status_periods")
            ) { row in
                var p = SubscriptionStatusPeriod()
                p.id = row.int64(0)
                p.subscriptionId = row.int64(1)
                p.accountId = row.int64(2)
                p.status = row.text(3, &periodStatuses) { Subscription.Status(rawValue: $0) ?? .pastDue }
                p.fromOn = try row.day(4, "subscription_status_periods.from_on")
                p.toOn = try row.optionalDay(5, "subscription_status_periods.to_on")
                return p
            }
            let fx = try fxRates(db)
            return BillingData(subscriptions: subscriptions, changes: changes, statusPeriods: periods, fxRates: fx)
        }
    }

    public func fxRates() throws -> [FXRate] { try writer.read { try fxRates($0) } }

    private func fxRates(_ db: Database) throws -> [FXRate] {
        try SQLiteStore.mapRows(db, sql: "SELECT month, currency, rate FROM fx_rates ORDER BY month, currency") { row in
            var r = FXRate()
            guard let month = Month(iso: row[0] as String) else {
                throw StoreError(
                    .notAStore, path: self.location, reason: "fx_rates.month is not YYYY-MM: \(row[0] as String)")
            }
            r.month = month
            r.currency = row[1]
            r.rate = row[2]
            return r
        }
    }

    public func spend() throws -> [SpendEntry] {
        try writer.read { db in
            try SQLiteStore.mapRows(
                db,
                sql: "SELECT id, month, team, category, channel, segment, amount_minor, currency FROM spend ORDER BY id"
            ) { row in
                var s = SpendEntry()
                s.id = row[0]
                guard let month = Month(iso: row[1] as String) else {
                    throw StoreError(
                        .notAStore, path: self.location, reason: "spend.month is not YYYY-MM: \(row[1] as String)")
                }
                s.month = month
                s.team = Team.Function(rawValue: row[2]) ?? .marketing
                s.category = SpendEntry.Category(rawValue: row[3]) ?? .media
                s.channel = row[4]
                s.segment = row[5]
                s.amountMinor = row[6]
                s.currency = row[7]
                return s
            }
        }
    }

    public func opportunities() throws -> [Opportunity] {
        try writer.read { db in
            // Types, products, sources, channels, currencies and stages repeat: each distinct text is decoded once.
            var types = TextCache<Opportunity.Kind>()
            var products = TextCache<String>(limit: 64)
            var sources = TextCache<String>(limit: 64)
            var channels = TextCache<String>(limit: 64)
            var currencies = TextCache<String>(limit: 64)
            var stages = TextCache<String>(limit: 64)
            return try FastRows.map(
                db,
                sql: """
                    SELECT id, account_id, person_id, type, product, owner_rep_id, lead_source, channel, amount_minor, currency,
                           created_on, closed_on, stage, is_closed, is_won FROM opportunities ORDER BY id
                    """, capacity: try SQLiteStore.rowCount(db, "opportunities")
            ) { row in
                var o = Opportunity()
                o.id = row.int64(0)
                o.accountId = row.optionalInt64(1)
                o.personId = row.optionalInt64(2)
                o.type = row.text(3, &types) { Opportunity.Kind(rawValue: $0) ?? .new }
                o.product = row.text(4, &products) { $0 }
                o.ownerRepId = row.optionalInt64(5)
                o.leadSource = row.optionalText(6, &sources) { $0 }
                o.channel = row.optionalText(7, &channels) { $0 }
                o.amountMinor = row.int64(8)
                o.currency = row.text(9, &currencies) { $0 }
                o.createdOn = try row.day(10, "opportunities.created_on")
                o.closedOn = try row.optionalDay(11, "opportunities.closed_on")
                o.stage = row.text(12, &stages) { $0 }
                o.isClosed = row.int(13) != 0
                o.isWon = row.int(14) != 0
                return o
            }
        }
    }

    public func people() throws -> [Person] {
        try writer.read { db in
            // Half a million rows on a medium store: read with SQLite's C API (FastRows), only the fields
            // reports use; sources, channels and statuses repeat, so each distinct text is decoded once.
            var sources = TextCache<String>(limit: 64)
            var channels = TextCache<String>(limit: 64)
            var statuses = TextCache<String>(limit: 32)
            return try FastRows.map(
                db,
                sql: """
                    SELECT id, account_id, lead_source, channel, campaign_id, owner_rep_id, created_at, mql_at, sal_at, sql_at,
                           opportunity_at, customer_at, status FROM people ORDER BY id
                    """, capacity: try SQLiteStore.rowCount(db, "people")
            ) { row in
                var p = Person()
                p.id = row.int64(0)
                p.accountId = row.optionalInt64(1)
                p.leadSource = row.optionalText(2, &sources) { $0 }
                p.channel = row.optionalText(3, &channels) { $0 }
                p.campaignId = row.optionalInt64(4)
                p.ownerRepId = row.optionalInt64(5)
                p.createdAt = try row.timestamp(6, "people.created_at")
                p.mqlAt = try row.optionalTimestamp(7, "people.mql_at")
                p.salAt = try row.optionalTimestamp(8, "people.sal_at")
                p.sqlAt = try row.optionalTimestamp(9, "people.sql_at")
                p.opportunityAt = try row.optionalTimestamp(10, "people.opportunity_at")
                p.customerAt = try row.optionalTimestamp(11, "people.customer_at")
                p.status = row.text(12, &statuses) { $0 }
                return p
            }
        }
    }

    public func reps() throws -> [Rep] {
        try writer.read { db in
            try SQLiteStore.mapRows(
                db,
                sql:
                    "SELECT id, name, email, team_id, role, monthly_quota_minor, hired_on, left_on FROM reps ORDER BY id"
            ) { row in
                var r = Rep()
                r.id = row[0]
                r.name = row[1]
                r.email = row[2]
                r.teamId = row[3]
                r.role = row[4]
                r.monthlyQuotaMinor = row[5]
                r.hiredOn = try SQLiteStore.optionalDay(row[6], "reps.hired_on")
                r.leftOn = try SQLiteStore.optionalDay(row[7], "reps.left_on")
                return r
            }
        }
    }

    public func customFields(entity: String) throws -> [CustomField] {
        try writer.read { db in
            try SQLiteStore.mapRows(
                db,
                sql: """
                    SELECT entity, record_id, account_id, name, value FROM custom_fields WHERE entity = ? ORDER BY record_id, name
                    """, arguments: [entity]
            ) { row in
                var f = CustomField()
                f.entity = row[0]
                f.recordId = row[1]
                f.accountId = row[2]
                f.name = row[3]
                f.value = row[4]
                return f
            }
        }
    }

    /// MIN over ISO-8601 UTC text is the earliest instant, so the roll-up runs in SQLite on the account index.
    public func firstTouches() throws -> [AccountInstant] {
        try firstInstants(
            sql: """
                SELECT account_id, MIN(occurred_at) FROM touches WHERE account_id IS NOT NULL GROUP BY account_id ORDER BY account_id
                """, column: "touches.occurred_at")
    }

    public func firstPayments() throws -> [AccountInstant] {
        try firstInstants(
            sql: """
                SELECT account_id, MIN(paid_at) FROM payments WHERE status = 'succeeded' GROUP BY account_id ORDER BY account_id
                """, column: "payments.paid_at")
    }

    /// Grouped by the month prefix of `paid_at` (ISO-8601 UTC text, as the store writes instants).
    public func collectedRevenue() throws -> [CollectedRevenue] {
        try writer.read { db in
            try SQLiteStore.mapRows(
                db,
                sql: """
                    SELECT account_id, substr(paid_at, 1, 7) AS month, currency, SUM(amount_minor - refunded_minor)
                    FROM payments WHERE status IN ('succeeded', 'refunded')
                    GROUP BY account_id, month, currency ORDER BY account_id, month, currency
                    """
            ) { row in
                let text: String = row[1]
                guard let month = Month(iso: text) else {
                    throw StoreError(
                        .notAStore, path: self.location, reason: "payments.paid_at does not start with YYYY-MM: \(text)"
                    )
                }
                return CollectedRevenue(accountId: row[0], month: month, currency: row[2], amountMinor: row[3])
            }
        }
    }

    public func campaigns() throws -> [Campaign] {
        try writer.read { db in
            try SQLiteStore.mapRows(
                db,
                sql: """
                    SELECT id, name, channel, segment, kind, started_on, ended_on, budget_minor, currency FROM campaigns ORDER BY id
                    """
            ) { row in
                var c = Campaign()
                c.id = row[0]
                c.name = row[1]
                c.channel = row[2]
                c.segment = row[3]
                c.kind = row[4]
                c.startedOn = try SQLiteStore.day(row[5], "campaigns.started_on")
                c.endedOn = try SQLiteStore.optionalDay(row[6], "campaigns.ended_on")
                c.budgetMinor = row[7]
                c.currency = row[8]
                return c
            }
        }
    }

    public func firstCampaignTouches() throws -> [AccountInstant] {
        try writer.read { db in
            try SQLiteStore.mapRows(
                db,
                sql: """
                    SELECT account_id, occurred_at, campaign_id FROM (
                      SELECT account_id, occurred_at, campaign_id,
                             ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY occurred_at, id) AS n
                      FROM touches WHERE account_id IS NOT NULL)
                    WHERE n = 1 ORDER BY account_id
                    """
            ) { row in
                AccountInstant(
                    accountId: row[0], at: try SQLiteStore.timestamp(row[1], "touches.occurred_at"), campaignId: row[2])
            }
        }
    }

    private func firstInstants(sql: String, column: String) throws -> [AccountInstant] {
        try writer.read { db in
            try SQLiteStore.mapRows(db, sql: sql) { row in
                AccountInstant(accountId: row[0], at: try SQLiteStore.timestamp(row[1], column))
            }
        }
    }

    /// Rows in `table`, to size a result array before reading it (same read transaction, so exact).
    static func rowCount(_ db: Database, _ table: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
    }

    static func timestamp(_ text: String, _ column: String) throws -> Timestamp {
        guard let t = Timestamp(iso: text) else {
            throw StoreError(.notAStore, path: column, reason: "not an ISO-8601 timestamp: \(text)")
        }
        return t
    }

    static func optionalTimestamp(_ text: String?, _ column: String) throws -> Timestamp? {
        try text.map { try timestamp($0, column) }
    }

    /// Maps every row of a query through `transform`, stepping a cursor instead of copying all
    /// rows into an array first (half the decoding time on the medium company's billing tables).
    static func mapRows<T>(
        _ db: Database, sql: String, arguments: StatementArguments = StatementArguments(),
        _ transform: (Row) throws -> T
    ) throws -> [T] {
        var out: [T] = []
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() { out.append(try transform(row)) }
        return out
    }

    static func day(_ text: String, _ column: String) throws -> Day {
        guard let d = Day(iso: text) else {
            throw StoreError(.notAStore, path: column, reason: "not a YYYY-MM-DD date: \(text)")
        }
        return d
    }

    static func optionalDay(_ text: String?, _ column: String) throws -> Day? {
        try text.map { try day($0, column) }
    }
}
