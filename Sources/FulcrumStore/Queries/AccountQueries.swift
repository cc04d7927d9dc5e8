import Foundation
import FulcrumCore

/// One record of an account as its source knows it: what `fulcrum accounts show` lists as its identity.
public struct AccountSourceRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var source: String
    public var externalId: String?
    public var name: String
    public var domain: String?
    public var mergedInto: Int64?
}

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

/// Touches and people of an account's records: counts and the first and last touch.
public struct AccountEngagement: Sendable, Equatable {
    public var people: Int
    public var touches: Int
    public var first: String?
    public var last: String?
}

/// Average daily active users and events of one month.
public struct UsageMonth: Sendable, Equatable {
    public var month: String
    public var activeUsers: Double
    public var events: Int64
}

/// The one-account reads (`fulcrum accounts show`, the Account Control Center), written once for both
/// backends like every other read (`StoreQueries`).
extension StoreQueries {
    private func sourceRecords(_ condition: String, _ arguments: [QueryValue], limit: Int) throws
        -> [AccountSourceRecord]
    {
        try runner.rows(
            "SELECT id, source, external_id, name, domain, merged_into FROM accounts WHERE \(condition) ORDER BY id LIMIT ?",
            arguments + [.int(Int64(limit))]
        ) {
            AccountSourceRecord(
                id: $0.int64(0), source: $0.string(1), externalId: $0.optionalString(2), name: $0.string(3),
                domain: $0.optionalString(4), mergedInto: $0.optionalInt64(5))
        }
    }

    /// Accounts a user may mean by `text`: a store id, `source:external_id`, an external id, a domain, an
    /// exact name (any case), else names containing the text (any case); at most `limit` records, store ids
    /// ascending — enough for a caller to tell one account from several after merges.
    func findAccounts(_ text: String, limit: Int) throws -> [AccountSourceRecord] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let id = Int64(trimmed) {
            let found = try sourceRecords("id = ?", [.int(id)], limit: limit)
            if !found.isEmpty { return found }
        }
        if let colon = trimmed.firstIndex(of: ":") {
            let found = try sourceRecords(
                "source = ? AND external_id = ?",
                [.text(String(trimmed[..<colon])), .text(String(trimmed[trimmed.index(after: colon)...]))],
                limit: limit)
            if !found.isEmpty { return found }
        }
        for condition in ["external_id = ?", "lower(domain) = lower(?)", "lower(name) = lower(?)"] {
            let found = try sourceRecords(condition, [.text(trimmed)], limit: limit)
            if !found.isEmpty { return found }
        }
        let pattern =
            "%"
            + trimmed.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        return try sourceRecords("lower(name) LIKE ? ESCAPE '\\'", [.text(pattern)], limit: limit)
    }

    /// The account and every record merged into it (directly or through a chain), as their sources know them.
    func accountRecords(of id: Int64) throws -> [AccountSourceRecord] {
        try runner.rows(
            """
            WITH RECURSIVE family(id) AS (
              SELECT CAST(? AS BIGINT) UNION SELECT a.id FROM accounts a JOIN family f ON a.merged_into = f.id)
            SELECT a.id, a.source, a.external_id, a.name, a.domain, a.merged_into FROM accounts a
            JOIN family f ON f.id = a.id ORDER BY a.id
            """, [.int(id)]
        ) {
            AccountSourceRecord(
                id: $0.int64(0), source: $0.string(1), externalId: $0.optionalString(2), name: $0.string(3),
                domain: $0.optionalString(4), mergedInto: $0.optionalInt64(5))
        }
    }

    func engagement(of ids: [Int64]) throws -> AccountEngagement {
        guard !ids.isEmpty else { return AccountEngagement(people: 0, touches: 0) }
        let marks = Self.marks(ids.count)
        let arguments = ids.map { QueryValue.int($0) }
        let people =
            try runner.rows("SELECT count(*) FROM people WHERE account_id IN (\(marks))", arguments) { $0.int(0) }
            .first ?? 0
        let touches = try runner.rows(
            "SELECT count(*), min(occurred_at), max(occurred_at) FROM touches WHERE account_id IN (\(marks))",
            arguments
        ) { ($0.int(0), $0.optionalString(1), $0.optionalString(2)) }.first
        return AccountEngagement(
            people: people, touches: touches?.0 ?? 0, first: touches?.1, last: touches?.2)
    }

    /// Every touch, activity, deal and stage change, subscription and change, payment, ticket and survey
    /// answer of these account records, and their usage month by month, newest first, at most `limit`.
    func timeline(of ids: [Int64], limit: Int) throws -> [TimelineEvent] {
        guard !ids.isEmpty else { return [] }
        let marks = Self.marks(ids.count)
        // Each part yields (kind, at, detail, amount, currency, record); one statement, one sort.
        let parts = [
            """
            SELECT 'touch', t.occurred_at, t.kind || ' · ' || t.channel || coalesce(' · ' || c.name, '')
              || coalesce(' · ' || p.email, ''), CAST(NULL AS BIGINT), CAST(NULL AS TEXT), 'touches:' || t.id
            FROM touches t LEFT JOIN campaigns c ON c.id = t.campaign_id
              LEFT JOIN people p ON p.account_id = t.account_id AND p.id = t.person_id
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
            FROM subscription_changes c
              LEFT JOIN subscriptions s ON s.account_id = c.account_id AND s.id = c.subscription_id
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
              || CAST(round(avg(u.active_users)) AS BIGINT) || ' active users a day, ' || CAST(sum(u.events) AS BIGINT)
              || ' events', NULL, NULL, 'usage_daily:' || substr(u.day, 1, 7)
            FROM usage_daily u WHERE u.account_id IN (\(marks)) GROUP BY substr(u.day, 1, 7)
            """,
        ]
        let sql = parts.joined(separator: "\nUNION ALL\n") + "\nORDER BY 2 DESC, 6 DESC LIMIT ?"
        var arguments: [QueryValue] = []
        for _ in parts { arguments += ids.map { .int($0) } }
        arguments.append(.int(Int64(limit)))
        return try runner.rows(sql, arguments) { row in
            TimelineEvent(
                kind: row.string(0), at: row.string(1), detail: row.string(2), amountMinor: row.optionalInt64(3),
                currency: row.optionalString(4), record: row.string(5))
        }
    }

    /// Average daily active users and events per month of these account records (the usage trend), oldest first.
    func usageByMonth(of ids: [Int64]) throws -> [UsageMonth] {
        guard !ids.isEmpty else { return [] }
        return try runner.rows(
            """
            SELECT substr(day, 1, 7), CAST(avg(active_users) AS DOUBLE PRECISION), CAST(sum(events) AS BIGINT)
            FROM usage_daily WHERE account_id IN (\(Self.marks(ids.count))) GROUP BY substr(day, 1, 7) ORDER BY 1
            """, ids.map { .int($0) }
        ) { UsageMonth(month: $0.string(0), activeUsers: $0.double(1), events: $0.int64(2)) }
    }
}
