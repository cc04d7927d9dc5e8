import FulcrumCore
import GRDB

/// Reads for the lifecycle, funnel, target and scorecard reports.
extension SQLiteStore {
    public func activities() throws -> [Activity] { try activities(kinds: nil, from: nil) }

    public func activities(kinds: [Activity.Kind]?) throws -> [Activity] { try activities(kinds: kinds, from: nil) }

    /// The activities of these kinds (all when nil) on or after `from` (all when nil): the targets report
    /// reads only demos, a scorecard only its periods. Instants are ISO-8601 UTC text: text order is time order.
    public func activities(kinds only: [Activity.Kind]?, from: Day?) throws -> [Activity] {
        try writer.read { db in
            var kinds = TextCache<Activity.Kind>()
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let only {
                conditions.append("kind IN (\(only.map { _ in "?" }.joined(separator: ", ")))")
                arguments += StatementArguments(only.map(\.rawValue))
            }
            if let from {
                conditions.append("occurred_at >= ?")
                arguments += [from.iso]
            }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return try FastRows.map(
                db,
                sql: """
                    SELECT id, account_id, rep_id, person_id, opportunity_id, kind, occurred_at, automated
                    FROM activities\(filter) ORDER BY id
                    """, arguments: arguments,
                capacity: conditions.isEmpty ? try SQLiteStore.rowCount(db, "activities") : 0
            ) { row in
                var a = Activity()
                a.id = row.int64(0)
                a.accountId = row.optionalInt64(1)
                a.repId = row.optionalInt64(2)
                a.personId = row.optionalInt64(3)
                a.opportunityId = row.optionalInt64(4)
                a.kind = row.text(5, &kinds) { Activity.Kind(rawValue: $0) ?? .call }
                a.occurredAt = try row.timestamp(6, "activities.occurred_at")
                a.automated = row.int(7) != 0
                return a
            }
        }
    }

    public func stageChanges() throws -> [StageChange] {
        try writer.read { db in
            var stages = TextCache<String>(limit: 32)
            return try FastRows.map(
                db,
                sql: """
                    SELECT id, opportunity_id, account_id, stage, entered_at FROM opportunity_stages
                    ORDER BY opportunity_id, entered_at, id
                    """, capacity: try SQLiteStore.rowCount(db, "opportunity_stages")
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
    }

    public func targets() throws -> [Target] {
        try writer.read { db in
            try FastRows.map(
                db, sql: "SELECT id, month, scope, scope_key, metric, value FROM targets ORDER BY id",
                capacity: try SQLiteStore.rowCount(db, "targets")
            ) { row in
                var t = Target()
                t.id = row.int64(0)
                let month = row.string(1)
                guard let m = Month(iso: month) else {
                    throw StoreError(.notAStore, path: "targets.month", reason: "not YYYY-MM: \(month)")
                }
                t.month = m
                t.scope = Target.Scope(rawValue: row.string(2)) ?? .company
                t.scopeKey = row.string(3)
                t.metric = row.string(4)
                t.value = row.double(5)
                return t
            }
        }
    }

    public func teams() throws -> [Team] {
        try writer.read { db in
            try FastRows.map(db, sql: "SELECT id, name, function, segment FROM teams ORDER BY id") { row in
                var t = Team()
                t.id = row.int64(0)
                t.name = row.string(1)
                t.function = Team.Function(rawValue: row.string(2)) ?? .sales
                t.segment = row.optionalString(3)
                return t
            }
        }
    }

    /// Touches counted by month, kind, channel, campaign and the segment of their account (as recorded).
    public func touchCounts() throws -> [TouchCount] {
        try writer.read { db in
            var kinds = TextCache<Touch.Kind>()
            var channels = TextCache<String>(limit: 64)
            var segments = TextCache<String>(limit: 64)
            return try FastRows.map(
                db,
                sql: """
                    SELECT substr(t.occurred_at, 1, 7) AS month, t.kind, t.channel, t.campaign_id, a.segment, count(*)
                    FROM touches t LEFT JOIN accounts a ON a.id = t.account_id
                    GROUP BY month, t.kind, t.channel, t.campaign_id, a.segment
                    """
            ) { row in
                let month = row.string(0)
                guard let m = Month(iso: month) else {
                    throw StoreError(.notAStore, path: "touches.occurred_at", reason: "not a timestamp: \(month)")
                }
                return TouchCount(
                    month: m, kind: row.text(1, &kinds) { Touch.Kind(rawValue: $0) ?? .visit },
                    channel: row.text(2, &channels) { $0 }, campaignId: row.optionalInt64(3),
                    segment: row.optionalText(4, &segments) { $0 }, count: row.int(5))
            }
        }
    }

    public func accountTouches(kinds: [Touch.Kind]) throws -> [AccountTouch] {
        guard !kinds.isEmpty else { return [] }
        return try writer.read { db in
            let marks = kinds.map { _ in "?" }.joined(separator: ", ")
            var kindCache = TextCache<Touch.Kind>()
            return try FastRows.map(
                db,
                sql: """
                    SELECT account_id, kind, occurred_at FROM touches
                    WHERE account_id IS NOT NULL AND kind IN (\(marks)) ORDER BY account_id, occurred_at, id
                    """, arguments: StatementArguments(kinds.map(\.rawValue))
            ) { row in
                AccountTouch(
                    accountId: row.int64(0), kind: row.text(1, &kindCache) { Touch.Kind(rawValue: $0) ?? .visit },
                    at: try row.timestamp(2, "touches.occurred_at"))
            }
        }
    }

    public func accountMonthTallies() throws -> [AccountMonthTally] {
        let queries: [(AccountMonthTally.Measure, String)] = [
            (
                .activeUsers,
                "SELECT account_id, substr(day, 1, 7), count(*), sum(active_users) FROM usage_daily GROUP BY 1, 2"
            ),
            (.events, "SELECT account_id, substr(day, 1, 7), count(*), sum(events) FROM usage_daily GROUP BY 1, 2"),
            (
                .failedPayments,
                "SELECT account_id, substr(paid_at, 1, 7), count(*), 0 FROM payments WHERE status = 'failed' GROUP BY 1, 2"
            ),
            (
                .touches,
                "SELECT account_id, substr(occurred_at, 1, 7), count(*), 0 FROM touches WHERE account_id IS NOT NULL GROUP BY 1, 2"
            ),
            (
                .conversations,
                """
                SELECT account_id, substr(occurred_at, 1, 7), count(*), 0 FROM activities
                WHERE account_id IS NOT NULL AND automated = 0 AND kind IN ('call', 'meeting') GROUP BY 1, 2
                """
            ),
        ]
        return try writer.read { db in
            var out: [AccountMonthTally] = []
            for (measure, sql) in queries {
                out += try FastRows.map(db, sql: sql) { row in
                    let text = row.string(1)
                    guard let month = Month(iso: text) else {
                        throw StoreError(
                            .notAStore, path: self.location,
                            reason: "\(measure.rawValue): month '\(text)' is not YYYY-MM")
                    }
                    return AccountMonthTally(
                        accountId: row.int64(0), month: month, measure: measure, count: row.int(2), sum: row.double(3))
                }
            }
            return out
        }
    }

    public func model(kind: String) throws -> String? {
        try writer.read { db in
            guard try db.tableExists("models") else { return nil }
            return try String.fetchOne(db, sql: "SELECT model FROM models WHERE kind = ?", arguments: [kind])
        }
    }

    public func saveModel(kind: String, trainedAt: String, json: String) throws {
        try writer.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO models (kind, trained_at, model) VALUES (?, ?, ?)",
                arguments: [kind, trainedAt, json])
        }
    }

    public func experiments() throws -> [(name: String, json: String)] {
        try writer.read { db in
            guard try db.tableExists("experiments") else { return [] }
            return try Row.fetchAll(db, sql: "SELECT name, definition FROM experiments ORDER BY created_on, name").map {
                (name: $0[0] as String, json: $0[1] as String)
            }
        }
    }

    public func createExperiment(name: String, createdOn: String, json: String) throws {
        try writer.write { db in
            if try String.fetchOne(db, sql: "SELECT name FROM experiments WHERE name = ?", arguments: [name]) != nil {
                throw StoreError(
                    .refused, path: location,
                    reason:
                        "experiment '\(name)' exists; experiments are never changed after creation, pick another name")
            }
            try db.execute(
                sql: "INSERT INTO experiments (name, created_on, definition) VALUES (?, ?, ?)",
                arguments: [name, createdOn, json])
        }
    }

    public func experimentAssignments(_ experiment: String) throws -> [ExperimentAssignment.Entry] {
        try writer.read { db in
            guard try db.tableExists("experiment_assignments") else { return [] }
            return try Row.fetchAll(
                db,
                sql: "SELECT account_id, arm, stratum FROM experiment_assignments WHERE experiment = ? ORDER BY rowid",
                arguments: [experiment]
            ).map { ExperimentAssignment.Entry(accountId: $0[0], arm: $0[1], stratum: $0[2]) }
        }
    }

    public func addExperimentAssignments(_ experiment: String, _ entries: [ExperimentAssignment.Entry], on: String)
        throws
    {
        try writer.write { db in
            let statement = try db.makeStatement(
                sql:
                    "INSERT INTO experiment_assignments (account_id, experiment, arm, stratum, assigned_on) VALUES (?, ?, ?, ?, ?)"
            )
            for e in entries {
                try statement.execute(arguments: [e.accountId, experiment, e.arm, e.stratum, on])
            }
        }
    }

    public func referrals() throws -> [Referral] {
        try writer.read { db in
            try FastRows.map(
                db, sql: "SELECT id, referrer_account_id, account_id, referred_on FROM referrals ORDER BY id"
            ) { row in
                var r = Referral()
                r.id = row.int64(0)
                r.referrerAccountId = row.int64(1)
                r.accountId = row.int64(2)
                r.referredOn = try row.day(3, "referrals.referred_on")
                return r
            }
        }
    }

    public func tickets() throws -> [Ticket] {
        try writer.read { db in
            var priorities = TextCache<String>()
            var categories = TextCache<String>(limit: 64)
            var statuses = TextCache<String>()
            return try FastRows.map(
                db,
                sql: """
                    SELECT id, account_id, person_id, opened_at, closed_at, priority, category, status, first_response_at
                    FROM tickets ORDER BY id
                    """, capacity: try SQLiteStore.rowCount(db, "tickets")
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
    }

    public func surveys() throws -> [SurveyResponse] {
        try writer.read { db in
            try FastRows.map(
                db,
                sql: "SELECT id, account_id, person_id, kind, score, responded_on FROM survey_responses ORDER BY id",
                capacity: try SQLiteStore.rowCount(db, "survey_responses")
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
    }
}

extension SQLiteStore {
    /// Per person, the first human activity of these kinds at or after its creation (the lead-response
    /// clock), rolled up in the store: instants are ISO-8601 UTC text, so text order is time order.
    public func firstResponses(kinds: [Activity.Kind]) throws -> [PersonInstant] {
        guard !kinds.isEmpty else { return [] }
        return try writer.read { db in
            let marks = kinds.map { _ in "?" }.joined(separator: ", ")
            return try FastRows.map(
                db,
                sql: """
                    SELECT a.person_id, MIN(a.occurred_at) FROM activities a JOIN people p ON p.id = a.person_id
                    WHERE a.automated = 0 AND a.occurred_at >= p.created_at AND a.kind IN (\(marks))
                    GROUP BY a.person_id
                    """, arguments: StatementArguments(kinds.map(\.rawValue))
            ) { row in PersonInstant(personId: row.int64(0), at: try row.timestamp(1, "activities.occurred_at")) }
        }
    }

    /// Each account's first day of paid service (raw account ids): the earliest start, or trial end, of a
    /// subscription with a price that ran past it — an unconverted trial never counts.
    public func firstPaidDays() throws -> [AccountInstant] {
        try writer.read { db in
            try FastRows.map(
                db,
                sql: """
                    SELECT account_id, MIN(COALESCE(trial_end_on, started_on)) FROM subscriptions
                    WHERE amount_minor > 0 AND (ended_on IS NULL OR ended_on > COALESCE(trial_end_on, started_on))
                    GROUP BY account_id ORDER BY account_id
                    """
            ) { row in
                AccountInstant(accountId: row.int64(0), at: Timestamp(day: try row.day(1, "subscriptions.started_on")))
            }
        }
    }

    /// Per person, the instant of its `count`-th touch of `kinds` (the touch-based MQL rule).
    public func qualifyingTouches(kinds: [Touch.Kind], count: Int) throws -> [PersonInstant] {
        guard !kinds.isEmpty, count >= 1 else { return [] }
        return try writer.read { db in
            let marks = kinds.map { _ in "?" }.joined(separator: ", ")
            let sql = """
                SELECT person_id, occurred_at FROM (
                  SELECT person_id, occurred_at, row_number() OVER (PARTITION BY person_id ORDER BY occurred_at, id) AS n
                  FROM touches WHERE person_id IS NOT NULL AND kind IN (\(marks)))
                WHERE n = ?
                """
            var arguments = StatementArguments(kinds.map(\.rawValue))
            arguments += [count]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                PersonInstant(
                    personId: $0[0], at: try SQLiteStore.timestamp($0[1], "touches.occurred_at"))
            }
        }
    }
}

/// One record of an account as its source knows it: what `fulcrum accounts show` lists as its identity.
public struct AccountSourceRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var source: String
    public var externalId: String?
    public var name: String
    public var domain: String?
    public var mergedInto: Int64?
}

extension SQLiteStore {
    /// Accounts a user may mean by `text`: a store id, `source:external_id`, an external id, a domain, an
    /// exact name (any case), else names containing the text (case-insensitive for ASCII); at most `limit`
    /// records, store ids ascending — enough for a caller to tell one account from several after merges.
    /// Every value is bound, never spliced into the SQL.
    public func findAccounts(_ text: String, limit: Int = 500) throws -> [AccountSourceRecord] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return try writer.read { db in
            func fetch(_ condition: String, _ arguments: StatementArguments) throws -> [AccountSourceRecord] {
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, source, external_id, name, domain, merged_into FROM accounts WHERE \(condition)
                        ORDER BY id LIMIT ?
                        """, arguments: arguments + [limit]
                ).map {
                    AccountSourceRecord(
                        id: $0[0], source: $0[1], externalId: $0[2], name: $0[3], domain: $0[4], mergedInto: $0[5])
                }
            }
            if let id = Int64(trimmed) {
                let found = try fetch("id = ?", [id])
                if !found.isEmpty { return found }
            }
            if let colon = trimmed.firstIndex(of: ":") {
                let found = try fetch(
                    "source = ? AND external_id = ?",
                    [String(trimmed[..<colon]), String(trimmed[trimmed.index(after: colon)...])])
                if !found.isEmpty { return found }
            }
            for (condition, value) in [
                ("external_id = ?", trimmed), ("lower(domain) = lower(?)", trimmed),
                ("lower(name) = lower(?)", trimmed),
            ] {
                let found = try fetch(condition, [value])
                if !found.isEmpty { return found }
            }
            let pattern =
                "%"
                + trimmed.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            return try fetch("name LIKE ? ESCAPE '\\'", [pattern])
        }
    }

    /// The account and every record merged into it (directly or through a chain), as their sources know them.
    public func accountRecords(of id: Int64) throws -> [AccountSourceRecord] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE family(id) AS (SELECT ? UNION SELECT a.id FROM accounts a JOIN family f ON a.merged_into = f.id)
                    SELECT a.id, a.source, a.external_id, a.name, a.domain, a.merged_into FROM accounts a JOIN family f ON f.id = a.id
                    ORDER BY a.id
                    """, arguments: [id]
            ).map {
                AccountSourceRecord(
                    id: $0[0], source: $0[1], externalId: $0[2], name: $0[3], domain: $0[4], mergedInto: $0[5])
            }
        }
    }

    /// Touches and people of these account records: counts and the first and last touch.
    public func engagement(of ids: [Int64]) throws -> (people: Int, touches: Int, first: String?, last: String?) {
        try writer.read { db in
            let marks = ids.map { _ in "?" }.joined(separator: ", ")
            let people =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM people WHERE account_id IN (\(marks))",
                    arguments: StatementArguments(ids)) ?? 0
            let row = try Row.fetchOne(
                db,
                sql: "SELECT count(*), min(occurred_at), max(occurred_at) FROM touches WHERE account_id IN (\(marks))",
                arguments: StatementArguments(ids))
            return (people, row?[0] ?? 0, row?[1], row?[2])
        }
    }
}
