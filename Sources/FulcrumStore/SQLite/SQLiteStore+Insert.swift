import FulcrumCore
import GRDB

/// Bulk insertion of generated or imported rows, table by table in foreign-key
/// order, through cached prepared statements (parameters are always bound).
extension SQLiteStore {
    public static func insert(_ batch: DemoBatch, source: String, into db: Database) throws {
        try rows(db, "teams(id, name, function, segment, source)", batch.teams) { b, x in
            b.bind(x.id)
            b.bind(x.name)
            b.bind(x.function.rawValue)
            b.bind(x.segment)
            b.bind(source)
        }
        try rows(db, "reps(id, name, email, team_id, role, monthly_quota_minor, hired_on, left_on, source)", batch.reps)
        { b, x in
            b.bind(x.id)
            b.bind(x.name)
            b.bind(x.email)
            b.bind(x.teamId)
            b.bind(x.role)
            b.bind(x.monthlyQuotaMinor)
            b.bind(x.hiredOn)
            b.bind(x.leftOn)
            b.bind(source)
        }
        try rows(
            db, "campaigns(id, name, channel, segment, kind, started_on, ended_on, budget_minor, currency, source)",
            batch.campaigns
        ) { b, x in
            b.bind(x.id)
            b.bind(x.name)
            b.bind(x.channel)
            b.bind(x.segment)
            b.bind(x.kind)
            b.bind(x.startedOn)
            b.bind(x.endedOn)
            b.bind(x.budgetMinor)
            b.bind(x.currency)
            b.bind(source)
        }
        try rows(db, "fx_rates(month, currency, rate)", batch.fxRates) { b, x in
            b.bind(x.month)
            b.bind(x.currency)
            b.bind(x.rate)
        }
        try rows(
            db,
            "accounts(id, name, domain, segment, industry, country, employees, owner_rep_id, parent_account_id, merged_into, created_on, source)",
            batch.accounts
        ) { b, x in
            b.bind(x.id)
            b.bind(x.name)
            b.bind(x.domain)
            b.bind(x.segment)
            b.bind(x.industry)
            b.bind(x.country)
            b.bind(x.employees)
            b.bind(x.ownerRepId)
            b.bind(x.parentAccountId)
            b.bind(x.mergedInto)
            b.bind(x.createdOn)
            b.bind(source)
        }
        try rows(
            db,
            "people(id, account_id, email, first_name, last_name, title, company_name, lead_source, channel, campaign_id, owner_rep_id, created_at, mql_at, sal_at, sql_at, opportunity_at, customer_at, status, source)",
            batch.people
        ) { b, x in
            b.bind(x.id)
            b.bind(x.accountId)
            b.bind(x.email)
            b.bind(x.firstName)
            b.bind(x.lastName)
            b.bind(x.title)
            b.bind(x.companyName)
            b.bind(x.leadSource)
            b.bind(x.channel)
            b.bind(x.campaignId)
            b.bind(x.ownerRepId)
            b.bind(x.createdAt)
            b.bind(x.mqlAt)
            b.bind(x.salAt)
            b.bind(x.sqlAt)
            b.bind(x.opportunityAt)
            b.bind(x.customerAt)
            b.bind(x.status)
            b.bind(source)
        }
        try rows(
            db, "touches(id, account_id, person_id, campaign_id, kind, channel, occurred_at, source)", batch.touches
        ) { b, x in
            b.bind(x.id)
            b.bind(x.accountId)
            b.bind(x.personId)
            b.bind(x.campaignId)
            b.bind(x.kind.rawValue)
            b.bind(x.channel)
            b.bind(x.occurredAt)
            b.bind(source)
        }
        try rows(db, "referrals(id, referrer_account_id, account_id, referred_on, source)", batch.referrals) { b, x in
            b.bind(x.id)
            b.bind(x.referrerAccountId)
            b.bind(x.accountId)
            b.bind(x.referredOn)
            b.bind(source)
        }
        try rows(
            db,
            "opportunities(id, account_id, person_id, type, product, owner_rep_id, lead_source, channel, amount_minor, currency, created_on, closed_on, stage, is_closed, is_won, source)",
            batch.opportunities
        ) { b, x in
            b.bind(x.id)
            b.bind(x.accountId)
            b.bind(x.personId)
            b.bind(x.type.rawValue)
            b.bind(x.product)
            b.bind(x.ownerRepId)
            b.bind(x.leadSource)
            b.bind(x.channel)
            b.bind(x.amountMinor)
            b.bind(x.currency)
            b.bind(x.createdOn)
            b.bind(x.closedOn)
            b.bind(x.stage)
            b.bind(x.isClosed)
            b.bind(x.isWon)
            b.bind(source)
        }
        try rows(
            db, "opportunity_stages(id, opportunity_id, account_id, stage, entered_at, source)", batch.stageChanges
        ) { b, x in
            b.bind(x.id)
            b.bind(x.opportunityId)
            b.bind(x.accountId)
            b.bind(x.stage)
            b.bind(x.enteredAt)
            b.bind(source)
        }
        try rows(
            db, "activities(id, account_id, rep_id, person_id, opportunity_id, kind, occurred_at, automated, source)",
            batch.activities
        ) { b, x in
            b.bind(x.id)
            b.bind(x.accountId)
            b.bind(x.repId)
            b.bind(x.personId)
            b.bind(x.opportunityId)
            b.bind(x.kind.rawValue)
            b.bind(x.occurredAt)
            b.bind(x.automated)
            b.bind(source)
        }
        try rows(
            db,
            "subscriptions(id, account_id, opportunity_id, plan, product, interval, interval_count, amount_minor, quantity, currency, status, started_on, ended_on, canceled_on, cancel_at, trial_end_on, discount_percent, discount_amount_minor, discount_duration, discount_months, discount_start_on, source)",
            batch.subscriptions
        ) { b, x in
            b.bind(x.id)
            b.bind(x.accountId)
            b.bind(x.opportunityId)
            b.bind(x.plan)
            b.bind(x.product)
            b.bind(x.interval.rawValue)
            b.bind(x.intervalCount)
            b.bind(x.amountMinor)
            b.bind(x.quantity)
            b.bind(x.currency)
            b.bind(x.status.rawValue)
            b.bind(x.startedOn)
            b.bind(x.endedOn)
            b.bind(x.canceledOn)
            b.bind(x.cancelAt)
            b.bind(x.trialEndOn)
            b.bind(x.discountPercent)
            b.bind(x.discountAmountMinor)
            b.bind(x.discountDuration?.rawValue)
            b.bind(x.discountMonths)
            b.bind(x.discountStartOn)
            b.bind(source)
        }
        try rows(
            db, "subscription_changes(id, subscription_id, account_id, effective_on, amount_minor, quantity, source)",
            batch.subscriptionChanges
        ) { b, x in
            b.bind(x.id)
            b.bind(x.subscriptionId)
            b.bind(x.accountId)
            b.bind(x.effectiveOn)
            b.bind(x.amountMinor)
            b.bind(x.quantity)
            b.bind(source)
        }
        try rows(
            db, "subscription_status_periods(id, subscription_id, account_id, status, from_on, to_on, source)",
            batch.statusPeriods
        ) { b, x in
            b.bind(x.id)
            b.bind(x.subscriptionId)
            b.bind(x.accountId)
            b.bind(x.status.rawValue)
            b.bind(x.fromOn)
            b.bind(x.toOn)
            b.bind(source)
        }
        try rows(
            db,
            "invoices(id, account_id, subscription_id, number, issued_on, due_on, status, currency, total_minor, source)",
            batch.invoices
        ) { b, x in
            b.bind(x.id)
            b.bind(x.accountId)
            b.bind(x.subscriptionId)
            b.bind(x.number)
            b.bind(x.issuedOn)
            b.bind(x.dueOn)
            b.bind(x.status)
            b.bind(x.currency)
            b.bind(x.totalMinor)
            b.bind(source)
        }
        try rows(
            db,
            "invoice_lines(id, invoice_id, account_id, subscription_id, description, period_start, period_end, amount_minor, quantity, proration, source)",
            batch.invoiceLines
        ) { b, x in
            b.bind(x.id)
            b.bind(x.invoiceId)
            b.bind(x.accountId)
            b.bind(x.subscriptionId)
            b.bind(x.description)
            b.bind(x.periodStart)
            b.bind(x.periodEnd)
            b.bind(x.amountMinor)
            b.bind(x.quantity)
            b.bind(x.proration)
            b.bind(source)
        }
        try rows(
            db, "payments(id, account_id, invoice_id, paid_at, amount_minor, currency, status, refunded_minor, source)",
            batch.payments
        ) { b, x in
            b.bind(x.id)
            b.bind(x.accountId)
            b.bind(x.invoiceId)
            b.bind(x.paidAt)
            b.bind(x.amountMinor)
            b.bind(x.currency)
            b.bind(x.status)
            b.bind(x.refundedMinor)
            b.bind(source)
        }
        try rows(
            db,
            "tickets(id, account_id, person_id, opened_at, closed_at, first_response_at, priority, category, status, source)",
            batch.tickets
        ) { b, x in
            b.bind(x.id)
            b.bind(x.accountId)
            b.bind(x.personId)
            b.bind(x.openedAt)
            b.bind(x.closedAt)
            b.bind(x.firstResponseAt)
            b.bind(x.priority)
            b.bind(x.category)
            b.bind(x.status)
            b.bind(source)
        }
        try rows(db, "usage_daily(account_id, day, active_users, events)", batch.usage) { b, x in
            b.bind(x.accountId)
            b.bind(x.day)
            b.bind(x.activeUsers)
            b.bind(x.events)
        }
        try rows(db, "survey_responses(id, account_id, person_id, kind, score, responded_on, source)", batch.surveys) {
            b, x in
            b.bind(x.id)
            b.bind(x.accountId)
            b.bind(x.personId)
            b.bind(x.kind.rawValue)
            b.bind(x.score)
            b.bind(x.respondedOn)
            b.bind(source)
        }
        try rows(db, "custom_fields(entity, record_id, account_id, name, value)", batch.customFields) { b, x in
            b.bind(x.entity)
            b.bind(x.recordId)
            b.bind(x.accountId)
            b.bind(x.name)
            b.bind(x.value)
        }
        try rows(db, "spend(id, month, team, category, channel, segment, amount_minor, currency, source)", batch.spend)
        { b, x in
            b.bind(x.id)
            b.bind(x.month)
            b.bind(x.team.rawValue)
            b.bind(x.category.rawValue)
            b.bind(x.channel)
            b.bind(x.segment)
            b.bind(x.amountMinor)
            b.bind(x.currency)
            b.bind(source)
        }
        try rows(db, "targets(id, month, scope, scope_key, metric, value, source)", batch.targets) { b, x in
            b.bind(x.id)
            b.bind(x.month)
            b.bind(x.scope.rawValue)
            b.bind(x.scopeKey)
            b.bind(x.metric)
            b.bind(x.value)
            b.bind(source)
        }
    }

    /// Inserts `items` with one cached statement, e.g. `rows(db, "t(a, b)", items) { b, x in b.bind(x.a); b.bind(x.b) }`.
    /// Values are bound straight through SQLite's C API (`FastBinder`): the bulk load of the demo
    /// company spends its time in SQLite, not in building argument arrays.
    static func rows<T>(_ db: Database, _ target: String, _ items: [T], _ bind: (inout FastBinder, T) -> Void) throws {
        guard !items.isEmpty else { return }
        let columnCount = target.split(separator: ",").count
        let placeholders = Array(repeating: "?", count: columnCount).joined(separator: ", ")
        let statement = try db.cachedStatement(sql: "INSERT INTO \(target) VALUES (\(placeholders))")
        var binder = FastBinder(statement)
        for item in items {
            binder.reset()
            bind(&binder, item)
            try binder.step(db)
        }
    }
}
