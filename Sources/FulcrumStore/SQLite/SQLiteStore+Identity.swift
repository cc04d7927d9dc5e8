import Foundation
import FulcrumCore
import GRDB

/// One row of `account_merges`: the audit trail behind `accounts.merged_into`.
public struct AccountMerge: Hashable, Sendable, Codable {
    public var id: Int64
    public var winnerId: Int64
    public var loserId: Int64
    public var mergedAt: String
    public var actor: String
    public var reason: String
    /// JSON: the duplicate score and evidence at the time of the merge.
    public var evidence: String?
    public var undoneAt: String?
    /// Who undid the merge (`fulcrum accounts unmerge --actor`), nil while it stands.
    public var undoneBy: String?
}

/// Identity resolution on the stored accounts: duplicate candidates, merges
/// with an audit trail, and the records no account could be found for.
/// Every statement uses bound parameters; each write is one transaction.
extension SQLiteStore {
    /// Every account (merged ones too) as the identity code sees it, with its import key.
    public func identityAccounts() throws -> [IdentityAccount] {
        try identityRead { db in try SQLiteStore.identityAccounts(db) }
    }

    /// Candidate duplicate pairs among live accounts, best first.
    public func duplicateCandidates(minScore: Double, limit: Int? = nil) throws -> [DuplicateCandidate] {
        let found = DuplicateFinder().candidates(in: try identityAccounts(), minScore: minScore)
        return limit.map { Array(found.prefix($0)) } ?? found
    }

    /// Merges `loserId` into `winnerId` in one transaction: sets the loser's
    /// `merged_into` and writes the audit row. Refuses merging an account into
    /// itself, an account already merged away (either side), a merge that would
    /// close a cycle, and a parent with its subsidiary. `reason` defaults to
    /// the duplicate finder's evidence for the pair.
    @discardableResult
    public func mergeAccount(
        _ loserId: Int64, into winnerId: Int64, actor: String, reason: String? = nil,
        at instant: Timestamp = SQLiteStore.now()
    ) throws -> AccountMerge {
        try write { db in
            guard loserId != winnerId else { throw refused("cannot merge account \(loserId) into itself") }
            let accounts = try SQLiteStore.identityAccounts(db)
            let byId = Dictionary(accounts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            guard let loser = byId[loserId] else { throw missing("no account \(loserId) (the account to merge away)") }
            guard let winner = byId[winnerId] else { throw missing("no account \(winnerId) (the account to keep)") }
            let matcher = AccountMatcher(accounts: accounts)
            if let into = loser.mergedInto {
                throw refused(
                    "account \(loserId) is already merged into \(matcher.survivor(of: into)); unmerge it first")
            }
            if winner.mergedInto != nil {
                let survivor = matcher.survivor(of: winnerId)
                if survivor == loserId {
                    throw refused(
                        "merging \(loserId) into \(winnerId) would create a cycle: \(winnerId) is already merged into \(loserId)"
                    )
                }
                throw refused("account \(winnerId) was merged into \(survivor); merge into \(survivor) instead")
            }
            guard let candidate = DuplicateFinder.compare(winner, loser, among: accounts) else {
                throw refused(
                    "accounts \(loserId) and \(winnerId) are a parent and its subsidiary; a subsidiary is a separate customer and is never merged with its parent"
                )
            }
            let evidence = try SQLiteStore.evidenceJSON(candidate)
            let why =
                reason.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
                ?? candidate.summary
            try db.execute(
                sql: "UPDATE accounts SET merged_into = ? WHERE id = ? AND merged_into IS NULL",
                arguments: [winnerId, loserId])
            try db.execute(
                sql: """
                    INSERT INTO account_merges (winner_id, loser_id, merged_at, actor, reason, evidence) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [winnerId, loserId, instant.iso, actor, why, evidence])
            return AccountMerge(
                id: db.lastInsertedRowID, winnerId: winnerId, loserId: loserId, mergedAt: instant.iso,
                actor: actor, reason: why, evidence: evidence, undoneAt: nil)
        }
    }

    /// Undoes the merge of `accountId` (the record that was merged away): clears
    /// its `merged_into` and stamps `undone_at` on the audit row, which is kept.
    /// A merge that has no audit row (an import set `merged_into`) gets one,
    /// recorded as merged and undone at the same instant, so the undo is on record.
    @discardableResult
    public func unmergeAccount(_ accountId: Int64, actor: String, at instant: Timestamp = SQLiteStore.now()) throws
        -> AccountMerge
    {
        try write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT merged_into FROM accounts WHERE id = ?", arguments: [accountId])
            else {
                throw missing("no account \(accountId)")
            }
            guard let winnerId: Int64 = row[0] else {
                throw refused(
                    "account \(accountId) is not merged into another account; give the account that was merged away")
            }
            var merge: AccountMerge
            if let open = try SQLiteStore.merges(
                db, where: "loser_id = ? AND winner_id = ? AND undone_at IS NULL",
                [accountId, winnerId]
            ).last {
                merge = open
                try db.execute(
                    sql: "UPDATE account_merges SET undone_at = ?, undone_by = ? WHERE id = ?",
                    arguments: [instant.iso, actor, open.id])
            } else {
                let reason = "merged outside Fulcrum (no audit row); undone by \(actor)"
                try db.execute(
                    sql: """
                        INSERT INTO account_merges (winner_id, loser_id, merged_at, actor, reason, undone_at, undone_by) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [winnerId, accountId, instant.iso, actor, reason, instant.iso, actor])
                merge = AccountMerge(
                    id: db.lastInsertedRowID, winnerId: winnerId, loserId: accountId, mergedAt: instant.iso,
                    actor: actor, reason: reason, evidence: nil, undoneAt: nil)
            }
            try db.execute(sql: "UPDATE accounts SET merged_into = NULL WHERE id = ?", arguments: [accountId])
            merge.undoneAt = instant.iso
            merge.undoneBy = actor
            return merge
        }
    }

    /// The audit trail, oldest first.
    public func accountMerges() throws -> [AccountMerge] {
        try identityRead { db in try SQLiteStore.merges(db, where: "1 = 1", []) }
    }

    /// Records with no account — people, their touches and activities, and deals —
    /// each with the reason the matcher gives today. Counts cover every such record;
    /// `limit` caps the records listed per table (nil lists all). A person who
    /// *would* match now (an account arrived after the lead) is listed as
    /// `matchable`, naming the account, rather than silently left behind.
    public func unmatchedRecords(limit: Int? = nil) throws -> UnmatchedReport {
        try identityRead { db in
            let matcher = AccountMatcher(accounts: try SQLiteStore.identityAccounts(db))
            var report = UnmatchedReport()
            var personReason: [Int64: (code: String, text: String)] = [:]
            let people = try Row.fetchAll(
                db,
                sql:
                    "SELECT id, email, company_name, website, source, external_id FROM people WHERE account_id IS NULL ORDER BY id"
            )
            for row in people {
                let id: Int64 = row[0]
                let email: String? = row[1]
                let company: String? = row[2]
                let reason: (code: String, text: String)
                switch matcher.match(IdentityRecord(email: email, website: row[3], companyName: company)) {
                case .matched(let m):
                    reason = (
                        "matchable",
                        "now matches account \(m.accountId) by \(m.rule.rawValue) (\(m.key)); the next import's identity pass assigns it"
                    )
                case .unmatched(let r):
                    reason = (r.code, r.description)
                }
                personReason[id] = reason
                report.add(
                    UnmatchedRecord(
                        table: "people", id: id, source: row[4], externalId: row[5], personId: id, email: email,
                        companyName: company,
                        reasonCode: reason.code, reason: reason.text), limit: limit)
            }
            for table in ["touches", "activities", "opportunities"] {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT t.id, t.person_id, p.account_id, p.email, p.company_name, t.source, t.external_id FROM \(table) t
                        LEFT JOIN people p ON p.id = t.person_id WHERE t.account_id IS NULL ORDER BY t.id
                        """)
                for row in rows {
                    let id: Int64 = row[0]
                    let personId: Int64? = row[1]
                    let personAccount: Int64? = row[2]
                    let reason: (code: String, text: String)
                    if let personId, let personAccount {
                        reason = (
                            "person_matched",
                            "person \(personId) belongs to account \(personAccount); this record was not updated"
                        )
                    } else if let personId, let r = personReason[personId] {
                        reason = (r.code, "person \(personId): " + r.text)
                    } else if table == "opportunities" {
                        reason = (
                            "no_account_no_person",
                            "the deal names no account and no person to take one from; import it with its account id"
                        )
                    } else {
                        reason = (UnmatchedReason.noClues.code, "no person and no account")
                    }
                    report.add(
                        UnmatchedRecord(
                            table: table, id: id, source: row[5], externalId: row[6], personId: personId,
                            email: row[3], companyName: row[4],
                            reasonCode: reason.code, reason: reason.text), limit: limit)
                }
            }
            // References an export made to records it did not include, kept empty until an import brings them.
            let entities = try String.fetchAll(db, sql: "SELECT DISTINCT entity FROM unresolved_references ORDER BY 1")
            for entity in entities where Schema.tableNames.contains(entity) {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT u.record_id, e.external_id, u.column_name, u.target, u.source, u.key
                        FROM unresolved_references u JOIN \(entity) e ON e.id = u.record_id
                        WHERE u.entity = ? ORDER BY u.record_id, u.column_name
                        """, arguments: [entity])
                for row in rows {
                    let target: String = row[3]
                    let source: String = row[4]
                    report.add(
                        UnmatchedRecord(
                            table: entity, id: row[0], source: source, externalId: row[1], personId: nil, email: nil,
                            companyName: nil, reasonCode: "unresolved_reference",
                            reason:
                                "\(row[2] as String) names \(target) record '\(row[5] as String)' of \(source), which "
                                + "the store does not hold yet"
                                + (RowWriter.sourceFileHint[target].map { " (import it from " + $0 + ")" } ?? "")),
                        limit: limit)
                }
            }
            return report
        }
    }

    /// The current instant, to the second.
    public static func now() -> Timestamp { Timestamp(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))) }

    // MARK: - Helpers

    fileprivate func identityRead<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try writer.read(body) } catch let error as DatabaseError {
            throw SQLiteStore.describe(error, path: location)
        }
    }

    fileprivate func refused(_ reason: String) -> StoreError {
        StoreError(.refused, path: location, reason: "refused: " + reason)
    }
    fileprivate func missing(_ reason: String) -> StoreError { StoreError(.notFound, path: location, reason: reason) }

    fileprivate static func identityAccounts(_ db: Database) throws -> [IdentityAccount] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, name, domain, parent_account_id, merged_into, owner_rep_id, created_on, source, external_id
                FROM accounts ORDER BY id
                """
        ).map { row in
            IdentityAccount(
                id: row[0], name: row[1], domain: row[2], parentId: row[3], mergedInto: row[4], ownerRepId: row[5],
                createdOn: (row[6] as String?).flatMap { Day(iso: $0) }, source: row[7], externalId: row[8])
        }
    }

    fileprivate static func merges(_ db: Database, where condition: String, _ arguments: StatementArguments) throws
        -> [AccountMerge]
    {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, winner_id, loser_id, merged_at, actor, reason, evidence, undone_at, undone_by FROM account_merges
                WHERE \(condition) ORDER BY id
                """, arguments: arguments
        ).map { row in
            AccountMerge(
                id: row[0], winnerId: row[1], loserId: row[2], mergedAt: row[3], actor: row[4], reason: row[5],
                evidence: row[6], undoneAt: row[7], undoneBy: row[8])
        }
    }

    /// `{"evidence":[{"kind":"same_name","value":"acme"},…],"score":0.95}`, keys sorted.
    fileprivate static func evidenceJSON(_ candidate: DuplicateCandidate) throws -> String {
        struct Payload: Encodable {
            var score: Double
            var evidence: [DuplicateEvidence]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(
            decoding: try encoder.encode(Payload(score: candidate.score, evidence: candidate.evidence)), as: UTF8.self)
    }
}

/// One record without an account, and why.
public struct UnmatchedRecord: Hashable, Sendable, Codable {
    /// `people`, `touches`, `activities` or `opportunities` without an account, or any table holding a
    /// reference to a record the store does not hold yet (`unresolved_reference`).
    public var table: String
    /// The store's id, and the record's own id in the system it came from (what a user can look up there).
    public var id: Int64
    public var source: String
    public var externalId: String?
    public var personId: Int64?
    public var email: String?
    public var companyName: String?
    /// A stable code (`free_mail_domain`, `ambiguous_name`, `no_candidate`, `matchable`, …).
    public var reasonCode: String
    public var reason: String
}

/// Every record without an account, counted by table and reason, and the first ones of each table.
public struct UnmatchedReport: Sendable, Encodable {
    public struct Count: Hashable, Sendable, Codable {
        public var table: String
        public var reasonCode: String
        public var count: Int
    }
    /// Counts by table and reason code, in table order then by count (largest first).
    public var counts: [Count] {
        tally.map { Count(table: $0.key.table, reasonCode: $0.key.code, count: $0.value) }.sorted {
            let order = ["people": 0, "touches": 1, "activities": 2, "opportunities": 3]
            return (order[$0.table] ?? 9, -$0.count, $0.reasonCode) < (order[$1.table] ?? 9, -$1.count, $1.reasonCode)
        }
    }
    /// Records per table: the first `limit` of each (by id).
    public var records: [UnmatchedRecord] = []
    public var total: Int { tally.values.reduce(0, +) }

    private struct Key: Hashable, Sendable {
        var table: String
        var code: String
    }
    private var tally: [Key: Int] = [:]
    private var listed: [String: Int] = [:]

    mutating func add(_ record: UnmatchedRecord, limit: Int?) {
        tally[Key(table: record.table, code: record.reasonCode), default: 0] += 1
        if limit.map({ listed[record.table, default: 0] < $0 }) ?? true {
            records.append(record)
            listed[record.table, default: 0] += 1
        }
    }

    private enum CodingKeys: String, CodingKey { case counts, records, total }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(counts, forKey: .counts)
        try c.encode(total, forKey: .total)
        try c.encode(records, forKey: .records)
    }
    public init() {}
}
