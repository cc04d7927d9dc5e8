import FulcrumCore
import GRDB

/// Bulk insertion of generated or imported rows, table by table in foreign-key
/// order, through cached prepared statements (parameters are always bound).
extension SQLiteStore {
    public static func insert(_ batch: DemoBatch, source: String, into db: Database) throws {
        try rows(db, "teams(id, name, function, segment, source)", batch.teams) {
            [$0.id, $0.name, $0.function.rawValue, $0.segment, source]
        }
        try rows(db, "reps(id, name, email, team_id, role, monthly_quota_minor, hired_on, left_on, source)", batch.reps) {
            [$0.id, $0.name, $0.email, $0.teamId, $0.role, $0.monthlyQuotaMinor, $0.hiredOn?.iso, $0.leftOn?.iso, source]
        }
        try rows(db, "campaigns(id, name, channel, segment, kind, started_on, ended_on, budget_minor, currency, source)", batch.campaigns) {
            [$0.id, $0.name, $0.channel, $0.segment, $0.kind, $0.startedOn.iso, $0.endedOn?.iso, $0.budgetMinor, $0.currency, source]
        }
        try rows(db, "fx_rates(month, currency, rate)", batch.fxRates) { [$0.month.iso, $0.currency, $0.rate] }
        try rows(db, "accounts(id, name, domain, segment, industry, country, employees, owner_rep_id, parent_account_id, merged_into, created_on, source)", batch.accounts) {
            [$0.id, $0.name, $0.domain, $0.segment, $0.industry, $0.country, $0.employees, $0.ownerRepId, $0.parentAccountId,
             $0.mergedInto, $0.createdOn.iso, source]
        }
        try rows(db, "people(id, account_id, email, first_name, last_name, title, company_name, lead_source, channel, campaign_id, owner_rep_id, created_at, mql_at, sal_at, sql_at, opportunity_at, customer_at, status, source)", batch.people) {
            [$0.id, $0.accountId, $0.email, $0.firstName, $0.lastName, $0.title, $0.companyName, $0.leadSource, $0.channel,
             $0.campaignId, $0.ownerRepId, $0.createdAt.iso, $0.mqlAt?.iso, $0.salAt?.iso, $0.sqlAt?.iso,
             $0.opportunityAt?.iso, $0.customerAt?.iso, $0.status, source]
        }
        try rows(db, "touches(id, account_id, person_id, campaign_id, kind, channel, occurred_at, source)", batch.touches) {
            [$0.id, $0.accountId, $0.personId, $0.campaignId, $0.kind.rawValue, $0.channel, $0.occurredAt.iso, source]
        }
        try rows(db, "referrals(id, referrer_account_id, account_id, referred_on, source)", batch.referrals) {
            [$0.id, $0.referrerAccountId, $0.accountId, $0.referredOn.iso, source]
        }
        try rows(db, "opportunities(id, account_id, person_id, type, product, owner_rep_id, lead_source, channel, amount_minor, currency, created_on, closed_on, stage, is_closed, is_won, source)", batch.opportunities) {
            [$0.id, $0.accountId, $0.personId, $0.type.rawValue, $0.product, $0.ownerRepId, $0.leadSource, $0.channel,
             $0.amountMinor, $0.currency, $0.createdOn.iso, $0.closedOn?.iso, $0.stage, $0.isClosed, $0.isWon, source]
        }
        try rows(db, "opportunity_stages(id, opportunity_id, account_id, stage, entered_at, source)", batch.stageChanges) {
            [$0.id, $0.opportunityId, $0.accountId, $0.stage, $0.enteredAt.iso, source]
        }
        try rows(db, "activities(id, account_id, rep_id, person_id, opportunity_id, kind, occurred_at, automated, source)", batch.activities) {
            [$0.id, $0.accountId, $0.repId, $0.personId, $0.opportunityId, $0.kind.rawValue, $0.occurredAt.iso, $0.automated, source]
        }
        try rows(db, "subscriptions(id, account_id, opportunity_id, plan, product, interval, interval_count, amount_minor, quantity, currency, status, started_on, ended_on, canceled_on, cancel_at, trial_end_on, discount_percent, discount_amount_minor, discount_duration, discount_months, discount_start_on, source)", batch.subscriptions) {
            [$0.id, $0.accountId, $0.opportunityId, $0.plan, $0.product, $0.interval.rawValue, $0.intervalCount, $0.amountMinor,
             $0.quantity, $0.currency, $0.status.rawValue, $0.startedOn.iso, $0.endedOn?.iso, $0.canceledOn?.iso,
             $0.cancelAt?.iso, $0.trialEndOn?.iso, $0.discountPercent, $0.discountAmountMinor, $0.discountDuration?.rawValue,
             $0.discountMonths, $0.discountStartOn?.iso, source]
        }
        try rows(db, "subscription_changes(id, subscription_id, account_id, effective_on, amount_minor, quantity, source)", batch.subscriptionChanges) {
            [$0.id, $0.subscriptionId, $0.accountId, $0.effectiveOn.iso, $0.amountMinor, $0.quantity, source]
        }
        try rows(db, "subscription_status_periods(id, subscription_id, account_id, status, from_on, to_on, source)", batch.statusPeriods) {
            [$0.id, $0.subscriptionId, $0.accountId, $0.status.rawValue, $0.fromOn.iso, $0.toOn?.iso, source]
        }
        try rows(db, "invoices(id, account_id, subscription_id, number, issued_on, due_on, status, currency, total_minor, source)", batch.invoices) {
            [$0.id, $0.accountId, $0.subscriptionId, $0.number, $0.issuedOn.iso, $0.dueOn?.iso, $0.status, $0.currency, $0.totalMinor, source]
        }
        try rows(db, "invoice_lines(id, invoice_id, account_id, subscription_id, description, period_start, period_end, amount_minor, quantity, proration, source)", batch.invoiceLines) {
            [$0.id, $0.invoiceId, $0.accountId, $0.subscriptionId, $0.description, $0.periodStart?.iso, $0.periodEnd?.iso,
             $0.amountMinor, $0.quantity, $0.proration, source]
        }
        try rows(db, "payments(id, account_id, invoice_id, paid_at, amount_minor, currency, status, refunded_minor, source)", batch.payments) {
            [$0.id, $0.accountId, $0.invoiceId, $0.paidAt.iso, $0.amountMinor, $0.currency, $0.status, $0.refundedMinor, source]
        }
        try rows(db, "tickets(id, account_id, person_id, opened_at, closed_at, priority, category, status, source)", batch.tickets) {
            [$0.id, $0.accountId, $0.personId, $0.openedAt.iso, $0.closedAt?.iso, $0.priority, $0.category, $0.status, source]
        }
        try rows(db, "usage_daily(account_id, day, active_users, events)", batch.usage) {
            [$0.accountId, $0.day.iso, $0.activeUsers, $0.events]
        }
        try rows(db, "survey_responses(id, account_id, person_id, kind, score, responded_on, source)", batch.surveys) {
            [$0.id, $0.accountId, $0.personId, $0.kind.rawValue, $0.score, $0.respondedOn.iso, source]
        }
        try rows(db, "custom_fields(entity, record_id, account_id, name, value)", batch.customFields) {
            [$0.entity, $0.recordId, $0.accountId, $0.name, $0.value]
        }
        try rows(db, "spend(id, month, team, category, channel, segment, amount_minor, currency, source)", batch.spend) {
            [$0.id, $0.month.iso, $0.team.rawValue, $0.category.rawValue, $0.channel, $0.segment, $0.amountMinor, $0.currency, source]
        }
        try rows(db, "targets(id, month, scope, scope_key, metric, value, source)", batch.targets) {
            [$0.id, $0.month.iso, $0.scope.rawValue, $0.scopeKey, $0.metric, $0.value, source]
        }
    }

    /// Inserts `items` with one cached statement, e.g. `rows(db, "t(a, b)", items) { [$0.a, $0.b] }`.
    /// Values are bound straight through SQLite's C API (`FastBinder`): the bulk load of the demo
    /// company spends its time in SQLite, not in building argument arrays.
    static func rows<T>(_ db: Database, _ target: String, _ items: [T], _ values: (T) -> [(any DatabaseValueConvertible)?]) throws {
        guard !items.isEmpty else { return }
        let columnCount = target.split(separator: ",").count
        let placeholders = Array(repeating: "?", count: columnCount).joined(separator: ", ")
        let statement = try db.cachedStatement(sql: "INSERT INTO \(target) VALUES (\(placeholders))")
        var binder = FastBinder(statement)
        for item in items {
            binder.reset()
            for value in values(item) { binder.bind(value) }
            try binder.step(db)
        }
    }
}
