import FulcrumCore

/// Every read the reports make, written once for both backends.
///
/// The SQL is the dialect SQLite and PostgreSQL share (text days and instants compare in time order,
/// `substr` cuts a month, sums are cast to the type they are read as, derived tables are named), and each
/// row is decoded by the same code, so the same store gives the same values on either backend.
/// Roll-ups (first touch, first payment, collected revenue, monthly tallies) run in the database.
/// An unknown account is NULL on SQLite and 0 on PostgreSQL (`PostgresSchema`): queries read
/// `NULLIF(account_id, 0)` and filter `account_id <> 0`, which mean the same on both.
struct StoreQueries<Runner: QueryRunner> {
    let runner: Runner

    func accounts() throws -> [Account] {
        var segments = TextCache<String>()
        var industries = TextCache<String>()
        var countries = TextCache<String>(limit: 64)
        return try runner.rows(
            """
            SELECT id, name, domain, segment, industry, country, employees, owner_rep_id, parent_account_id,
                   merged_into, created_on FROM accounts ORDER BY id
            """, [], capacity: try runner.expectedRows("accounts")
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

    /// The largest read a report makes. Plans, products, intervals, currencies and statuses repeat: each
    /// distinct text is decoded once.
    func billing() throws -> BillingData {
        var plans = TextCache<String>(limit: 64)
        var products = TextCache<String>(limit: 64)
        var currencies = TextCache<String>(limit: 64)
        var intervals = TextCache<Subscription.Interval>()
        var statuses = TextCache<Subscription.Status>()
        var durations = TextCache<Subscription.DiscountDuration?>()
        let subscriptions = try runner.rows(
            """
            SELECT id, account_id, opportunity_id, plan, product, interval, interval_count, amount_minor, quantity, currency,
                   status, started_on, ended_on, canceled_on, cancel_at, trial_end_on, discount_percent,
                   discount_amount_minor, discount_duration, discount_months, discount_start_on
            FROM subscriptions ORDER BY id
            """, [], capacity: try runner.expectedRows("subscriptions")
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
            s.discountDuration = row.optionalText(18, &durations) { Subscription.DiscountDuration(rawValue: $0) } ?? nil
            s.discountMonths = row.optionalInt(19)
            s.discountStartOn = try row.optionalDay(20, "subscriptions.discount_start_on")
            return s
        }
        let changes = try runner.rows(
            """
            SELECT id, subscription_id, account_id, effective_on, amount_minor, quantity FROM subscription_changes
            ORDER BY subscription_id, effective_on, id
            """, [], capacity: try runner.expectedRows("subscription_changes")
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
        let periods = try runner.rows(
            "SELECT id, subscription_id, account_id, status, from_on, to_on FROM subscription_status_periods ORDER BY id",
            [], capacity: try runner.expectedRows("subscription_status_periods")
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
        return BillingData(
            subscriptions: subscriptions, changes: changes, statusPeriods: periods, fxRates: try fxRates())
    }

    func fxRates() throws -> [FXRate] {
        try runner.rows("SELECT month, currency, rate FROM fx_rates ORDER BY month, currency") { row in
            var r = FXRate()
            r.month = try row.month(0, "fx_rates.month")
            r.currency = row.string(1)
            r.rate = row.double(2)
            return r
        }
    }

    func spend() throws -> [SpendEntry] {
        try runner.rows(
            "SELECT id, month, team, category, channel, segment, amount_minor, currency FROM spend ORDER BY id"
        ) { row in
            var s = SpendEntry()
            s.id = row.int64(0)
            s.month = try row.month(1, "spend.month")
            s.team = Team.Function(rawValue: row.string(2)) ?? .marketing
            s.category = SpendEntry.Category(rawValue: row.string(3)) ?? .media
            s.channel = row.optionalString(4)
            s.segment = row.optionalString(5)
            s.amountMinor = row.int64(6)
            s.currency = row.string(7)
            return s
        }
    }

    /// Types, products, sources, channels, currencies and stages repeat: each distinct text is decoded once.
    func opportunities() throws -> [Opportunity] {
        var types = TextCache<Opportunity.Kind>()
        var products = TextCache<String>(limit: 64)
        var sources = TextCache<String>(limit: 64)
        var channels = TextCache<String>(limit: 64)
        var currencies = TextCache<String>(limit: 64)
        var stages = TextCache<String>(limit: 64)
        return try runner.rows(
            """
            SELECT id, NULLIF(account_id, 0), person_id, type, product, owner_rep_id, lead_source, channel, amount_minor, currency,
                   created_on, closed_on, stage, is_closed, is_won FROM opportunities ORDER BY id
            """, [], capacity: try runner.expectedRows("opportunities")
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
            o.isClosed = row.bool(13)
            o.isWon = row.bool(14)
            return o
        }
    }

    /// Half a million rows on a medium store: only the fields reports use; sources, channels and statuses
    /// repeat, so each distinct text is decoded once.
    func people() throws -> [Person] {
        var people: [Person] = []
        people.reserveCapacity(try runner.expectedRows("people"))
        try forEachPerson { people.append($0) }
        return people
    }

    /// Every person in id order, decoded one row at a time (nothing else is kept).
    func forEachPerson(_ body: (Person) throws -> Void) throws {
        var sources = TextCache<String>(limit: 64)
        var channels = TextCache<String>(limit: 64)
        var statuses = TextCache<String>(limit: 32)
        try runner.forEachRow(
            """
            SELECT id, NULLIF(account_id, 0), lead_source, channel, campaign_id, owner_rep_id, created_at, mql_at, sal_at, sql_at,
                   opportunity_at, customer_at, status FROM people ORDER BY id
            """, []
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
            try body(p)
        }
    }

    func reps() throws -> [Rep] {
        try runner.rows(
            "SELECT id, name, email, team_id, role, monthly_quota_minor, hired_on, left_on FROM reps ORDER BY id"
        ) { row in
            var r = Rep()
            r.id = row.int64(0)
            r.name = row.string(1)
            r.email = row.optionalString(2)
            r.teamId = row.optionalInt64(3)
            r.role = row.string(4)
            r.monthlyQuotaMinor = row.optionalInt64(5)
            r.hiredOn = try row.optionalDay(6, "reps.hired_on")
            r.leftOn = try row.optionalDay(7, "reps.left_on")
            return r
        }
    }

    func customFields(entity: String) throws -> [CustomField] {
        try runner.rows(
            """
            SELECT entity, record_id, NULLIF(account_id, 0), name, value FROM custom_fields WHERE entity = ? ORDER BY record_id, name
            """, [.text(entity)]
        ) { row in
            var f = CustomField()
            f.entity = row.string(0)
            f.recordId = row.int64(1)
            f.accountId = row.optionalInt64(2)
            f.name = row.string(3)
            f.value = row.string(4)
            return f
        }
    }

    /// MIN over ISO-8601 UTC text is the earliest instant, so the roll-up runs in the database on the account index.
    func firstTouches() throws -> [AccountInstant] {
        try firstInstants(
            "SELECT account_id, MIN(occurred_at) FROM touches WHERE account_id <> 0 GROUP BY account_id ORDER BY account_id",
            column: "touches.occurred_at")
    }

    func firstPayments() throws -> [AccountInstant] {
        try firstInstants(
            "SELECT account_id, MIN(paid_at) FROM payments WHERE status = 'succeeded' GROUP BY account_id ORDER BY account_id",
            column: "payments.paid_at")
    }

    private func firstInstants(_ sql: String, column: String) throws -> [AccountInstant] {
        try runner.rows(sql) { row in AccountInstant(accountId: row.int64(0), at: try row.timestamp(1, column)) }
    }

    /// Grouped by the month prefix of `paid_at` (ISO-8601 UTC text, as the store writes instants).
    func collectedRevenue() throws -> [CollectedRevenue] {
        try runner.rows(
            """
            SELECT account_id, substr(paid_at, 1, 7) AS month, currency, CAST(SUM(amount_minor - refunded_minor) AS BIGINT)
            FROM payments WHERE status IN ('succeeded', 'refunded')
            GROUP BY account_id, substr(paid_at, 1, 7), currency ORDER BY account_id, month, currency
            """
        ) { row in
            CollectedRevenue(
                accountId: row.int64(0), month: try row.month(1, "payments.paid_at"), currency: row.string(2),
                amountMinor: row.int64(3))
        }
    }

    func campaigns() throws -> [Campaign] {
        try runner.rows(
            "SELECT id, name, channel, segment, kind, started_on, ended_on, budget_minor, currency FROM campaigns ORDER BY id"
        ) { row in
            var c = Campaign()
            c.id = row.int64(0)
            c.name = row.string(1)
            c.channel = row.string(2)
            c.segment = row.optionalString(3)
            c.kind = row.string(4)
            c.startedOn = try row.day(5, "campaigns.started_on")
            c.endedOn = try row.optionalDay(6, "campaigns.ended_on")
            c.budgetMinor = row.optionalInt64(7)
            c.currency = row.string(8)
            return c
        }
    }

    func firstCampaignTouches() throws -> [AccountInstant] {
        try runner.rows(
            """
            SELECT account_id, occurred_at, campaign_id FROM (
              SELECT account_id, occurred_at, campaign_id,
                     ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY occurred_at, id) AS n
              FROM touches WHERE account_id <> 0) AS ranked
            WHERE n = 1 ORDER BY account_id
            """
        ) { row in
            AccountInstant(
                accountId: row.int64(0), at: try row.timestamp(1, "touches.occurred_at"),
                campaignId: row.optionalInt64(2))
        }
    }

    /// The activities of these kinds (all when nil) on or after `from` (all when nil): the targets report
    /// reads only demos, a scorecard only its periods. Instants are ISO-8601 UTC text: text order is time order.
    func activities(kinds only: [Activity.Kind]?, from: Day?) throws -> [Activity] {
        var kinds = TextCache<Activity.Kind>()
        var conditions: [String] = []
        var arguments: [QueryValue] = []
        if let only {
            conditions.append("kind IN (\(Self.marks(only.count)))")
            arguments += only.map { .text($0.rawValue) }
        }
        if let from {
            conditions.append("occurred_at >= ?")
            arguments.append(.text(from.iso))
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try runner.rows(
            """
            SELECT id, NULLIF(account_id, 0), rep_id, person_id, opportunity_id, kind, occurred_at, automated
            FROM activities\(filter) ORDER BY id
            """, arguments, capacity: conditions.isEmpty ? try runner.expectedRows("activities") : 0
        ) { row in
            var a = Activity()
            a.id = row.int64(0)
            a.accountId = row.optionalInt64(1)
            a.repId = row.optionalInt64(2)
            a.personId = row.optionalInt64(3)
            a.opportunityId = row.optionalInt64(4)
            a.kind = row.text(5, &kinds) { Activity.Kind(rawValue: $0) ?? .call }
            a.occurredAt = try row.timestamp(6, "activities.occurred_at")
            a.automated = row.bool(7)
            return a
        }
    }

    func stageChanges() throws -> [StageChange] {
        var stages = TextCache<String>(limit: 32)
        return try runner.rows(
            """
            SELECT id, opportunity_id, NULLIF(account_id, 0), stage, entered_at FROM opportunity_stages
            ORDER BY opportunity_id, entered_at, id
            """, [], capacity: try runner.expectedRows("opportunity_stages")
        ) { row in
            var s = StageChange()
            s.id = row.int64(0)
            s.opportunityId = row.int64(1)
            s.accountId = row.optionalInt64(2)
            s.stage = row.text(3, &stages) { $0 }
            s.enteredAt = try row.timestamp(4, "opportunity_stages.entered_at")
            return s
        }
    }

    func targets() throws -> [Target] {
        try runner.rows(
            "SELECT id, month, scope, scope_key, metric, value FROM targets ORDER BY id", [],
            capacity: try runner.expectedRows("targets")
        ) { row in
            var t = Target()
            t.id = row.int64(0)
            t.month = try row.month(1, "targets.month")
            t.scope = Target.Scope(rawValue: row.string(2)) ?? .company
            t.scopeKey = row.string(3)
            t.metric = row.string(4)
            t.value = row.double(5)
            return t
        }
    }

    func teams() throws -> [Team] {
        try runner.rows("SELECT id, name, function, segment FROM teams ORDER BY id") { row in
            var t = Team()
            t.id = row.int64(0)
            t.name = row.string(1)
            t.function = Team.Function(rawValue: row.string(2)) ?? .sales
            t.segment = row.optionalString(3)
            return t
        }
    }

    /// Touches counted by month, kind, channel, campaign and the segment of their account (as recorded).
    func touchCounts() throws -> [TouchCount] {
        runner.groupsByScanning ? try touchCountsByScanning() : try touchCountsGroupedInSQL()
    }

    /// `touchCounts` from one scan of the touches, counted here by the same five keys and returned in the
    /// order SQL's GROUP BY gives (text compared byte by byte, NULL first). On SQLite the GROUP BY sorted all
    /// 52 million touches of the large company (two of the marketing report's three minutes); the scan
    /// takes seconds. Each touch's segment is its account's as recorded (not the survivor's), as in SQL.
    private func touchCountsByScanning() throws -> [TouchCount] {
        var segments = TextCodes()
        var segmentOf: [Int64: Int] = [:]
        try runner.forEachRow("SELECT id, segment FROM accounts", []) { row in
            segmentOf[row.int64(0)] = row.isNull(1) ? -1 : segments.code(row, 1)
        }
        var kinds = TextCodes()
        var channels = TextCodes()
        var counts: [TouchCountKey: Int] = [:]
        try runner.forEachRow("SELECT occurred_at, kind, channel, campaign_id, account_id FROM touches", []) { row in
            let key = TouchCountKey(
                month: try row.monthPrefix(0, "touches.occurred_at"), kind: kinds.code(row, 1),
                channel: channels.code(row, 2), campaign: row.optionalInt64(3),
                segment: row.isNull(4) ? -1 : segmentOf[row.int64(4)] ?? -1)
            counts[key, default: 0] += 1
        }
        func bytes(_ names: [String], _ code: Int) -> [UInt8] { code < 0 ? [] : Array(names[code].utf8) }
        func isLess(_ a: TouchCountKey, _ b: TouchCountKey) -> Bool {
            if a.month != b.month { return a.month < b.month }
            if a.kind != b.kind {
                return bytes(kinds.names, a.kind).lexicographicallyPrecedes(bytes(kinds.names, b.kind))
            }
            if a.channel != b.channel {
                return bytes(channels.names, a.channel).lexicographicallyPrecedes(bytes(channels.names, b.channel))
            }
            if a.campaign != b.campaign { return (a.campaign ?? .min) < (b.campaign ?? .min) }
            if a.segment == b.segment || b.segment < 0 { return false }
            return a.segment < 0
                || bytes(segments.names, a.segment).lexicographicallyPrecedes(bytes(segments.names, b.segment))
        }
        return counts.keys.sorted(by: isLess).map { key in
            TouchCount(
                month: key.month, kind: Touch.Kind(rawValue: kinds.names[key.kind]) ?? .visit,
                channel: channels.names[key.channel], campaignId: key.campaign,
                segment: key.segment < 0 ? nil : segments.names[key.segment], count: counts[key]!)
        }
    }

    /// `touchCounts` grouped by the database (PostgreSQL; and the reference the scan is tested against).
    func touchCountsGroupedInSQL() throws -> [TouchCount] {
        var kinds = TextCache<Touch.Kind>()
        var channels = TextCache<String>(limit: 64)
        var segments = TextCache<String>(limit: 64)
        return try runner.rows(
            """
            SELECT substr(t.occurred_at, 1, 7) AS month, t.kind, t.channel, t.campaign_id, a.segment, count(*)
            FROM touches t LEFT JOIN accounts a ON a.id = t.account_id
            GROUP BY substr(t.occurred_at, 1, 7), t.kind, t.channel, t.campaign_id, a.segment
            """
        ) { row in
            TouchCount(
                month: try row.month(0, "touches.occurred_at"),
                kind: row.text(1, &kinds) { Touch.Kind(rawValue: $0) ?? .visit },
                channel: row.text(2, &channels) { $0 }, campaignId: row.optionalInt64(3),
                segment: row.optionalText(4, &segments) { $0 }, count: row.int(5))
        }
    }

    func accountTouches(kinds: [Touch.Kind]) throws -> [AccountTouch] {
        guard !kinds.isEmpty else { return [] }
        var kindCache = TextCache<Touch.Kind>()
        return try runner.rows(
            """
            SELECT account_id, kind, occurred_at FROM touches
            WHERE account_id <> 0 AND kind IN (\(Self.marks(kinds.count))) ORDER BY account_id, occurred_at, id
            """, kinds.map { .text($0.rawValue) }
        ) { row in
            AccountTouch(
                accountId: row.int64(0), kind: row.text(1, &kindCache) { Touch.Kind(rawValue: $0) ?? .visit },
                at: try row.timestamp(2, "touches.occurred_at"))
        }
    }

    /// Usage, touches, conversations and failed payments per account and month, rolled up in the database.
    func accountMonthTallies() throws -> [AccountMonthTally] {
        let queries: [(AccountMonthTally.Measure, String)] = [
            (
                .activeUsers,
                """
                SELECT account_id, substr(day, 1, 7), count(*), CAST(sum(active_users) AS DOUBLE PRECISION)
                FROM usage_daily GROUP BY 1, 2 ORDER BY 1, 2
                """
            ),
            (
                .events,
                """
                SELECT account_id, substr(day, 1, 7), count(*), CAST(sum(events) AS DOUBLE PRECISION)
                FROM usage_daily GROUP BY 1, 2 ORDER BY 1, 2
                """
            ),
            (
                .failedPayments,
                """
                SELECT account_id, substr(paid_at, 1, 7), count(*), 0 FROM payments WHERE status = 'failed'
                GROUP BY 1, 2 ORDER BY 1, 2
                """
            ),
            (
                .touches,
                """
                SELECT account_id, substr(occurred_at, 1, 7), count(*), 0 FROM touches WHERE account_id <> 0
                GROUP BY 1, 2 ORDER BY 1, 2
                """
            ),
            (
                .conversations,
                """
                SELECT account_id, substr(occurred_at, 1, 7), count(*), 0 FROM activities
                WHERE account_id <> 0 AND automated = 0 AND kind IN ('call', 'meeting') GROUP BY 1, 2 ORDER BY 1, 2
                """
            ),
        ]
        var out: [AccountMonthTally] = []
        for (measure, sql) in queries {
            out += try runner.rows(sql) { row in
                AccountMonthTally(
                    accountId: row.int64(0), month: try row.month(1, "\(measure.rawValue) month"), measure: measure,
                    count: row.int(2), sum: row.double(3))
            }
        }
        return out
    }

    func referrals() throws -> [Referral] {
        try runner.rows("SELECT id, referrer_account_id, account_id, referred_on FROM referrals ORDER BY id") { row in
            var r = Referral()
            r.id = row.int64(0)
            r.referrerAccountId = row.int64(1)
            r.accountId = row.int64(2)
            r.referredOn = try row.day(3, "referrals.referred_on")
            return r
        }
    }

    /// Every ticket, or only those of the given priorities (compared exactly).
    func tickets(priorities only: [String]? = nil) throws -> [Ticket] {
        if only?.isEmpty == true { return [] }
        var priorities = TextCache<String>()
        var categories = TextCache<String>(limit: 64)
        var statuses = TextCache<String>()
        let filter = only.map { "WHERE priority IN (\(Self.marks($0.count)))" } ?? ""
        return try runner.rows(
            """
            SELECT id, account_id, person_id, opened_at, closed_at, priority, category, status, first_response_at
            FROM tickets \(filter) ORDER BY id
            """, (only ?? []).map { .text($0) }, capacity: only == nil ? try runner.expectedRows("tickets") : 0
        ) { row in
            var t = Ticket()
            t.id = row.int64(0)
            t.accountId = row.int64(1)
            t.personId = row.optionalInt64(2)
            t.openedAt = try row.timestamp(3, "tickets.opened_at")
            t.closedAt = try row.optionalTimestamp(4, "tickets.closed_at")
            t.priority = row.text(5, &priorities) { $0 }
            t.category = row.text(6, &categories) { $0 }
            t.status = row.text(7, &statuses) { $0 }
            t.firstResponseAt = try row.optionalTimestamp(8, "tickets.first_response_at")
            return t
        }
    }

    func surveys() throws -> [SurveyResponse] {
        try runner.rows(
            "SELECT id, account_id, person_id, kind, score, responded_on FROM survey_responses ORDER BY id", [],
            capacity: try runner.expectedRows("survey_responses")
        ) { row in
            var s = SurveyResponse()
            s.id = row.int64(0)
            s.accountId = row.int64(1)
            s.personId = row.optionalInt64(2)
            s.kind = SurveyResponse.Kind(rawValue: row.string(3)) ?? .nps
            s.score = row.int(4)
            s.respondedOn = try row.day(5, "survey_responses.responded_on")
            return s
        }
    }

    /// Per person, the first human activity of these kinds at or after its creation (the lead-response clock).
    ///
    /// Two reads joined here, not one SQL join: an activity and its person may belong to different accounts, so
    /// on a store distributed by account they may live on different shards. First the creation of every person
    /// with such an activity, then the activities themselves, each kept only if it is that person's earliest
    /// so far at or after the creation.
    func firstResponses(kinds: [Activity.Kind]) throws -> [PersonInstant] {
        guard !kinds.isEmpty else { return [] }
        let responses = "automated = 0 AND person_id IS NOT NULL AND kind IN (\(Self.marks(kinds.count)))"
        let arguments = kinds.map { QueryValue.text($0.rawValue) }
        var created: [Int64: Timestamp] = [:]
        try runner.forEachRow(
            "SELECT id, created_at FROM people WHERE id IN (SELECT person_id FROM activities WHERE \(responses))",
            arguments
        ) { row in created[row.int64(0)] = try row.timestamp(1, "people.created_at") }
        var first: [Int64: Timestamp] = [:]
        first.reserveCapacity(created.count)
        try runner.forEachRow("SELECT person_id, occurred_at FROM activities WHERE \(responses)", arguments) { row in
            let person = row.int64(0)
            guard let lead = created[person] else { return }
            let at = try row.timestamp(1, "activities.occurred_at")
            guard at >= lead else { return }
            if let earlier = first[person], earlier <= at { return }
            first[person] = at
        }
        return first.map { PersonInstant(personId: $0.key, at: $0.value) }.sorted { $0.personId < $1.personId }
    }

    /// Each account's first day of paid service (raw account ids): the earliest start, or trial end, of a
    /// subscription with a price that ran past it — an unconverted trial never counts.
    func firstPaidDays() throws -> [AccountInstant] {
        try runner.rows(
            """
            SELECT account_id, MIN(COALESCE(trial_end_on, started_on)) FROM subscriptions
            WHERE amount_minor > 0 AND (ended_on IS NULL OR ended_on > COALESCE(trial_end_on, started_on))
            GROUP BY account_id ORDER BY account_id
            """
        ) { row in
            AccountInstant(accountId: row.int64(0), at: Timestamp(day: try row.day(1, "subscriptions.started_on")))
        }
    }

    /// Per person, the instant of its `count`-th touch of `kinds` (the touch-based MQL rule).
    func qualifyingTouches(kinds: [Touch.Kind], count: Int) throws -> [PersonInstant] {
        guard !kinds.isEmpty, count >= 1 else { return [] }
        return try runner.rows(
            """
            SELECT person_id, occurred_at FROM (
              SELECT person_id, occurred_at, row_number() OVER (PARTITION BY person_id ORDER BY occurred_at, id) AS n
              FROM touches WHERE person_id IS NOT NULL AND kind IN (\(Self.marks(kinds.count)))) AS ranked
            WHERE n = ? ORDER BY person_id
            """, kinds.map { .text($0.rawValue) } + [.int(Int64(count))]
        ) { row in PersonInstant(personId: row.int64(0), at: try row.timestamp(1, "touches.occurred_at")) }
    }

    /// Every touch with an account, ordered by account and time (attribution's journeys), read into columns
    /// as the rows come (`AttributionTouches`: 16 bytes a touch).
    func attributionTouches() throws -> AttributionTouches {
        var touches = AttributionTouches()
        touches.reserveCapacity(try runner.expectedRows("touches"))
        var channels = TextCache<Int>(limit: 512)
        try runner.forEachRow(
            """
            SELECT account_id, campaign_id, channel, occurred_at FROM touches
            WHERE account_id <> 0 ORDER BY account_id, occurred_at, id
            """, []
        ) { row in
            let channel = row.text(2, &channels) { touches.code(channel: $0) }
            touches.append(
                accountId: row.int64(0), campaignId: row.optionalInt64(1), channel: channel,
                at: try row.timestamp(3, "touches.occurred_at"))
        }
        return touches
    }

    /// Every source imported into the store, with its "data through" date.
    func dataSources() throws -> [DataSource] {
        try runner.rows("SELECT source, data_through, imported_at, rows FROM data_sources ORDER BY source") {
            DataSource(
                source: $0.string(0), dataThrough: $0.optionalString(1), importedAt: $0.string(2), rows: $0.int(3))
        }
    }

    func metaValue(_ key: String) throws -> String? {
        try runner.rows("SELECT value FROM meta WHERE key = ?", [.text(key)]) { $0.string(0) }.first
    }

    /// Row count of each of these tables (names from the schema).
    func tableCounts(_ tables: [String]) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in tables { counts[table] = try runner.count(table) }
        return counts
    }

    /// Explained record kinds and the table each names (its account joined for the name).
    static var labelledKinds: [String: String] {
        [
            "opportunity": "opportunities", "subscription": "subscriptions", "spend": "spend", "person": "people",
            "ticket": "tickets", "survey": "survey_responses",
        ]
    }

    func recordLabels(_ records: Set<String>) throws -> [String: RecordLabel] {
        var ids: [String: [Int64]] = [:]
        for record in records {
            guard let colon = record.firstIndex(of: ":"), let id = Int64(record[record.index(after: colon)...])
            else { continue }
            ids[String(record[..<colon]), default: []].append(id)
        }
        var labels: [String: RecordLabel] = [:]
        func sourceId(_ row: Runner.Row, _ source: Int32, _ external: Int32) -> [String] {
            row.isNull(external) ? [] : [row.string(source) + ":" + row.string(external)]
        }
        // Accounts: the account's own source id and those of the records merged into it.
        for chunk in Self.chunks(ids["account"] ?? []) {
            let marks = Self.marks(chunk.count)
            let args = chunk.map { QueryValue.int($0) }
            let rows = try runner.rows(
                """
                SELECT id, name, source, external_id, merged_into FROM accounts
                WHERE id IN (\(marks)) OR merged_into IN (\(marks)) ORDER BY id
                """, args + args
            ) { row in
                (
                    id: row.int64(0), name: row.string(1), sourceIds: sourceId(row, 2, 3),
                    mergedInto: row.optionalInt64(4)
                )
            }
            let wanted = Set(chunk)
            for r in rows where wanted.contains(r.id) {
                labels["account:\(r.id)"] = RecordLabel(sourceIds: r.sourceIds, account: r.name)
            }
            for r in rows {
                guard let winner = r.mergedInto, wanted.contains(winner), winner != r.id else { continue }
                labels["account:\(winner)", default: RecordLabel(sourceIds: [], account: nil)].sourceIds += r.sourceIds
            }
        }
        for (kind, table) in Self.labelledKinds {
            for chunk in Self.chunks(ids[kind] ?? []) {
                let rows = try runner.rows(
                    """
                    SELECT r.id, r.source, r.external_id, \(kind == "spend" ? "CAST(NULL AS TEXT)" : "a.name")
                    FROM \(table) r \(kind == "spend" ? "" : "LEFT JOIN accounts a ON a.id = r.account_id")
                    WHERE r.id IN (\(Self.marks(chunk.count)))
                    """, chunk.map { .int($0) }
                ) { row in
                    (row.int64(0), RecordLabel(sourceIds: sourceId(row, 1, 2), account: row.optionalString(3)))
                }
                for (id, label) in rows { labels[kind + ":" + String(id)] = label }
            }
        }
        return labels
    }

    /// Ids in bounded groups, so one IN list stays well under either backend's limit on bound values.
    static func chunks(_ ids: [Int64], size: Int = 500) -> [[Int64]] {
        let sorted = Set(ids).sorted()
        return stride(from: 0, to: sorted.count, by: size).map { Array(sorted[$0..<min($0 + size, sorted.count)]) }
    }

    /// `?, ?, …` for an IN list of `count` bound values.
    static func marks(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }
}

/// Distinct texts of one column numbered in order of first sight; the first few found by their bytes without
/// making a String (low-cardinality columns read millions of times: a touch's kind and channel).
private struct TextCodes {
    private(set) var names: [String] = []
    private var keys: [[UInt8]] = []
    /// By bytes, as SQL groups: two spellings of one text (composed and decomposed accents) stay apart.
    private var codeOf: [[UInt8]: Int] = [:]

    mutating func code<Row: StoreRow>(_ row: Row, _ i: Int32) -> Int {
        if let k = row.withBytes(i, { find($0) }) { return k }
        let bytes = row.withBytes(i) { Array($0) }
        if let c = codeOf[bytes] { return c }
        let c = names.count
        names.append(row.string(i))
        codeOf[bytes] = c
        if keys.count == c, c < 64 { keys.append(bytes) }
        return c
    }

    private func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        search: for k in keys.indices where keys[k].count == bytes.count {
            for j in 0..<bytes.count where keys[k][j] != bytes[j] { continue search }
            return k
        }
        return nil
    }
}

/// The five keys `touchCounts` groups by, with texts as `TextCodes` codes (-1: NULL segment).
private struct TouchCountKey: Hashable {
    var month: Month
    var kind: Int
    var channel: Int
    var campaign: Int64?
    var segment: Int
}
