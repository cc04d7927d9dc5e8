import FulcrumCore
import GRDB

/// One dated event in an account's history, from whichever stovepipe holds it.
public struct TimelineEvent: Sendable, Encodable, Equatable {
    /// touch, activity, deal, deal stage, subscription, subscription change, payment, ticket, survey, usage
    public var kind: String
    /// ISO day or instant, as stored.
    public var at: String
    public var detail: String
    public var amountMinor: Int64?
    public var currency: String?
    /// The store record behind the event (`table:id`), for drill-down.
    public var record: String
}

extension SQLiteStore {
    /// Every touch, activity, deal and stage change, subscription and change, payment, ticket and survey
    /// answer of these account records, and their usage month by month, newest first, at most `limit`.
    public func timeline(of ids: [Int64], limit: Int = 500) throws -> [TimelineEvent] {
        guard !ids.isEmpty else { return [] }
        return try writer.read { db in
            let marks = ids.map { _ in "?" }.joined(separator: ", ")
            // Each part yields (kind, at, detail, amount, currency, record); one statement, one sort.
            let parts = [
                """
                SELECT 'touch', t.occurred_at, t.kind || ' · ' || t.channel || coalesce(' · ' || c.name, '')
                  || coalesce(' · ' || p.email, ''), NULL, NULL, 'touches:' || t.id
                FROM touches t LEFT JOIN campaigns c ON c.id = t.campaign_id LEFT JOIN people p ON p.id = t.person_id
                WHERE t.account_id IN (\(marks))
                """,
                """
                SELECT 'activity', a.occurred_at, a.kind || coalesce(' by ' || r.name, '')
                  || CASE WHEN a.automated = 1 THEN ' (automated)' ELSE '' END, NULL, NULL, 'activities:' || a.id
                FROM activities a LEFT JOIN reps r ON r.id = a.rep_id WHERE a.account_id IN (\(marks))
                """,
                """
                SELECT 'deal', o.created_on, o.type || ' deal opened · ' || o.product || coalesce(' · ' || r.name, ''),
                  o.amount_minor, o.currency, 'opportunities:' || o.id
                FROM opportunities o LEFT JOIN reps r ON r.id = o.owner_rep_id WHERE o.account_id IN (\(marks))
                """,
                """
                SELECT 'deal stage', s.entered_at, 'deal ' || s.opportunity_id || ' entered ' || s.stage, NULL, NULL,
                  'opportunity_stages:' || s.id
                FROM opportunity_stages s WHERE s.account_id IN (\(marks))
                """,
                """
                SELECT 'subscription', s.started_on, 'started ' || s.plan || ' (' || s.interval || ')',
                  s.amount_minor, s.currency, 'subscriptions:' || s.id
                FROM subscriptions s WHERE s.account_id IN (\(marks))
                """,
                """
                SELECT 'subscription', s.ended_on, 'ended ' || s.plan || ' (' || s.status || ')', NULL, NULL,
                  'subscriptions:' || s.id
                FROM subscriptions s WHERE s.account_id IN (\(marks)) AND s.ended_on IS NOT NULL
                """,
                """
                SELECT 'subscription change', c.effective_on, 'subscription ' || c.subscription_id || ' amount now',
                  c.amount_minor, s.currency, 'subscription_changes:' || c.id
                FROM subscription_changes c JOIN subscriptions s ON s.id = c.subscription_id
                WHERE c.account_id IN (\(marks))
                """,
                """
                SELECT 'payment', p.paid_at, 'payment ' || p.status, p.amount_minor, p.currency, 'payments:' || p.id
                FROM payments p WHERE p.account_id IN (\(marks))
                """,
                """
                SELECT 'ticket', t.opened_at, t.priority || ' ' || t.category || ' ticket opened · ' || t.status, NULL,
                  NULL, 'tickets:' || t.id
                FROM tickets t WHERE t.account_id IN (\(marks))
                """,
                """
                SELECT 'survey', s.responded_on, upper(s.kind) || ' ' || s.score, NULL, NULL,
                  'survey_responses:' || s.id
                FROM survey_responses s WHERE s.account_id IN (\(marks))
                """,
                """
                SELECT 'usage', substr(u.day, 1, 7) || '-01', 'usage in ' || substr(u.day, 1, 7) || ': '
                  || CAST(round(avg(u.active_users)) AS INTEGER) || ' active users a day, ' || sum(u.events) || ' events',
                  NULL, NULL, 'usage_daily:' || substr(u.day, 1, 7)
                FROM usage_daily u WHERE u.account_id IN (\(marks)) GROUP BY substr(u.day, 1, 7)
                """,
            ]
            let sql = parts.joined(separator: "\nUNION ALL\n") + "\nORDER BY 2 DESC, 6 DESC LIMIT ?"
            var arguments: [any DatabaseValueConvertible] = []
            for _ in parts { arguments += ids.map { $0 as any DatabaseValueConvertible } }
            arguments.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                TimelineEvent(
                    kind: row[0], at: row[1], detail: row[2], amountMinor: row[3], currency: row[4], record: row[5])
            }
        }
    }

    /// Average daily active users per month of these account records (the usage trend), oldest first.
    public func usageByMonth(of ids: [Int64]) throws -> [(month: String, activeUsers: Double, events: Int64)] {
        guard !ids.isEmpty else { return [] }
        return try writer.read { db in
            let marks = ids.map { _ in "?" }.joined(separator: ", ")
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT substr(day, 1, 7), avg(active_users), sum(events) FROM usage_daily
                    WHERE account_id IN (\(marks)) GROUP BY 1 ORDER BY 1
                    """, arguments: StatementArguments(ids)
            ).map { ($0[0], $0[1], $0[2]) }
        }
    }
}
