import Foundation
import FulcrumCore

/// Identity resolution on the stored accounts, written once for both backends: duplicate candidates,
/// merges with an audit trail, and the records no account could be found for. Every statement uses bound
/// parameters; the caller runs each write in one transaction. An unknown account is NULL on SQLite and
/// 0 on PostgreSQL: `coalesce(account_id, 0) = 0` means "no account" on both.
extension StoreQueries {
    private func refused(_ reason: String) -> StoreError {
        StoreError(.refused, path: runner.location, reason: "refused: " + reason)
    }
    private func missing(_ reason: String) -> StoreError {
        StoreError(.notFound, path: runner.location, reason: reason)
    }

    /// Every account (merged ones too) as the identity code sees it, with its import key.
    func identityAccounts() throws -> [IdentityAccount] {
        try runner.rows(
            """
            SELECT id, name, domain, parent_account_id, merged_into, owner_rep_id, created_on, source, external_id
            FROM accounts ORDER BY id
            """
        ) { row in
            IdentityAccount(
                id: row.int64(0), name: row.string(1), domain: row.optionalString(2),
                parentId: row.optionalInt64(3), mergedInto: row.optionalInt64(4), ownerRepId: row.optionalInt64(5),
                createdOn: row.optionalString(6).flatMap { Day(iso: $0) }, source: row.string(7),
                externalId: row.optionalString(8))
        }
    }

    func merges(where condition: String, _ arguments: [QueryValue]) throws -> [AccountMerge] {
        try runner.rows(
            """
            SELECT id, winner_id, loser_id, merged_at, actor, reason, evidence, undone_at, undone_by FROM account_merges
            WHERE \(condition) ORDER BY id
            """, arguments
        ) { row in
            AccountMerge(
                id: row.int64(0), winnerId: row.int64(1), loserId: row.int64(2), mergedAt: row.string(3),
                actor: row.string(4), reason: row.string(5), evidence: row.optionalString(6),
                undoneAt: row.optionalString(7), undoneBy: row.optionalString(8))
        }
    }

    /// Adds an audit row; its id is the next one (writers are serialized by the caller's transaction).
    private func insertMerge(_ values: [QueryValue]) throws -> Int64 {
        let id =
            try runner.rows("SELECT CAST(coalesce(max(id), 0) + 1 AS BIGINT) FROM account_merges") { $0.int64(0) }
            .first ?? 1
        _ = try runner.rows(
            """
            INSERT INTO account_merges (id, winner_id, loser_id, merged_at, actor, reason, evidence, undone_at, undone_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.int(id)] + values
        ) { _ in () }
        return id
    }

    /// Merges `loserId` into `winnerId`: sets the loser's `merged_into` and writes the audit row. Refuses
    /// merging an account into itself, an account already merged away (either side), a merge that would
    /// close a cycle, and a parent with its subsidiary. `reason` defaults to the duplicate finder's evidence.
    func mergeAccount(_ loserId: Int64, into winnerId: Int64, actor: String, reason: String?, at instant: Timestamp)
        throws -> AccountMerge
    {
        guard loserId != winnerId else { throw refused("cannot merge account \(loserId) into itself") }
        let accounts = try identityAccounts()
        let byId = Dictionary(accounts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        guard let loser = byId[loserId] else { throw missing("no account \(loserId) (the account to merge away)") }
        guard let winner = byId[winnerId] else { throw missing("no account \(winnerId) (the account to keep)") }
        let matcher = AccountMatcher(accounts: accounts)
        if let into = loser.mergedInto {
            throw refused("account \(loserId) is already merged into \(matcher.survivor(of: into)); unmerge it first")
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
        let evidence = try Self.evidenceJSON(candidate)
        let why =
            reason.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
            ?? candidate.summary
        _ = try runner.rows(
            "UPDATE accounts SET merged_into = ? WHERE id = ? AND merged_into IS NULL", [.int(winnerId), .int(loserId)]
        ) { _ in () }
        let id = try insertMerge([
            .int(winnerId), .int(loserId), .text(instant.iso), .text(actor), .text(why), .text(evidence), .null, .null,
        ])
        return AccountMerge(
            id: id, winnerId: winnerId, loserId: loserId, mergedAt: instant.iso, actor: actor, reason: why,
            evidence: evidence, undoneAt: nil)
    }

    /// Undoes the merge of `accountId` (the record that was merged away): clears its `merged_into` and stamps
    /// `undone_at` on the audit row, which is kept. A merge that has no audit row (an import set
    /// `merged_into`) gets one, recorded as merged and undone at the same instant, so the undo is on record.
    func unmergeAccount(_ accountId: Int64, actor: String, at instant: Timestamp) throws -> AccountMerge {
        guard
            let row = try runner.rows(
                "SELECT merged_into FROM accounts WHERE id = ?", [.int(accountId)],
                {
                    $0.optionalInt64(0)
                }
            ).first
        else {
            throw missing("no account \(accountId)")
        }
        guard let winnerId = row else {
            throw refused(
                "account \(accountId) is not merged into another account; give the account that was merged away")
        }
        var merge: AccountMerge
        if let open = try merges(
            where: "loser_id = ? AND winner_id = ? AND undone_at IS NULL", [.int(accountId), .int(winnerId)]
        ).last {
            merge = open
            _ = try runner.rows(
                "UPDATE account_merges SET undone_at = ?, undone_by = ? WHERE id = ?",
                [.text(instant.iso), .text(actor), .int(open.id)]
            ) { _ in () }
        } else {
            let reason = "merged outside Fulcrum (no audit row); undone by \(actor)"
            let id = try insertMerge([
                .int(winnerId), .int(accountId), .text(instant.iso), .text(actor), .text(reason), .null,
                .text(instant.iso), .text(actor),
            ])
            merge = AccountMerge(
                id: id, winnerId: winnerId, loserId: accountId, mergedAt: instant.iso, actor: actor, reason: reason,
                evidence: nil, undoneAt: nil)
        }
        _ = try runner.rows("UPDATE accounts SET merged_into = NULL WHERE id = ?", [.int(accountId)]) { _ in () }
        merge.undoneAt = instant.iso
        merge.undoneBy = actor
        return merge
    }

    /// Records with no account — people, their touches and activities, and deals — each with the reason the
    /// matcher gives today. Counts cover every such record; `limit` caps the records listed per table (nil
    /// lists all). A person who *would* match now (an account arrived after the lead) is listed as
    /// `matchable`, naming the account, rather than silently left behind.
    func unmatchedRecords(limit: Int?) throws -> UnmatchedReport {
        let matcher = AccountMatcher(accounts: try identityAccounts())
        var report = UnmatchedReport()
        var personReason: [Int64: (code: String, text: String)] = [:]
        let people = try runner.rows(
            """
            SELECT id, email, company_name, website, source, external_id FROM people
            WHERE coalesce(account_id, 0) = 0 ORDER BY id
            """
        ) {
            (
                id: $0.int64(0), email: $0.optionalString(1), company: $0.optionalString(2),
                website: $0.optionalString(3), source: $0.string(4), externalId: $0.optionalString(5)
            )
        }
        for p in people {
            let reason: (code: String, text: String)
            switch matcher.match(IdentityRecord(email: p.email, website: p.website, companyName: p.company)) {
            case .matched(let m):
                reason = (
                    "matchable",
                    "now matches account \(m.accountId) by \(m.rule.rawValue) (\(m.key)); the next import's identity pass assigns it"
                )
            case .unmatched(let r):
                reason = (r.code, r.description)
            }
            personReason[p.id] = reason
            report.add(
                UnmatchedRecord(
                    table: "people", id: p.id, source: p.source, externalId: p.externalId, personId: p.id,
                    email: p.email, companyName: p.company, reasonCode: reason.code, reason: reason.text),
                limit: limit)
        }
        for table in ["touches", "activities", "opportunities"] {
            // The records and their people are two reads joined here, not one SQL join: a record without an
            // account and its person may live on different shards of a distributed store (no outer join there).
            let rows = try runner.rows(
                """
                SELECT id, person_id, source, external_id FROM \(table) WHERE coalesce(account_id, 0) = 0 ORDER BY id
                """
            ) {
                (id: $0.int64(0), personId: $0.optionalInt64(1), source: $0.string(2), externalId: $0.optionalString(3))
            }
            var personOf: [Int64: (account: Int64?, email: String?, company: String?)] = [:]
            try runner.forEachRow(
                """
                SELECT id, NULLIF(account_id, 0), email, company_name FROM people
                WHERE id IN (SELECT person_id FROM \(table) WHERE coalesce(account_id, 0) = 0)
                """, []
            ) { personOf[$0.int64(0)] = ($0.optionalInt64(1), $0.optionalString(2), $0.optionalString(3)) }
            for row in rows {
                let person = row.personId.flatMap { personOf[$0] }
                let reason: (code: String, text: String)
                if let personId = row.personId, let personAccount = person?.account {
                    reason = (
                        "person_matched",
                        "person \(personId) belongs to account \(personAccount); this record was not updated"
                    )
                } else if let personId = row.personId, let r = personReason[personId] {
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
                        table: table, id: row.id, source: row.source, externalId: row.externalId,
                        personId: row.personId, email: person?.email, companyName: person?.company,
                        reasonCode: reason.code, reason: reason.text), limit: limit)
            }
        }
        // References an export made to records it did not include, kept empty until an import brings them.
        let entities = try runner.rows("SELECT DISTINCT entity FROM unresolved_references ORDER BY 1") {
            $0.string(0)
        }
        for entity in entities where Schema.tableNames.contains(entity) {
            let rows = try runner.rows(
                """
                SELECT u.record_id, e.external_id, u.column_name, u.target, u.source, u.key
                FROM unresolved_references u JOIN \(entity) e ON e.id = u.record_id
                WHERE u.entity = ? ORDER BY u.record_id, u.column_name
                """, [.text(entity)]
            ) {
                (
                    id: $0.int64(0), externalId: $0.optionalString(1), column: $0.string(2), target: $0.string(3),
                    source: $0.string(4), key: $0.string(5)
                )
            }
            for row in rows {
                report.add(
                    UnmatchedRecord(
                        table: entity, id: row.id, source: row.source, externalId: row.externalId, personId: nil,
                        email: nil, companyName: nil, reasonCode: "unresolved_reference",
                        reason:
                            "\(row.column) names \(row.target) record '\(row.key)' of \(row.source), which "
                            + "the store does not hold yet"
                            + (RowWriter.sourceFileHint[row.target].map { " (import it from " + $0 + ")" } ?? "")),
                    limit: limit)
            }
        }
        return report
    }

    static func evidenceJSON(_ candidate: DuplicateCandidate) throws -> String { try MergeEvidence.json(candidate) }
}

/// The duplicate finder's score and evidence as a merge records them:
/// `{"evidence":[{"kind":"same_name","value":"acme"},…],"score":0.95}`, keys sorted.
enum MergeEvidence {
    private struct Payload: Encodable {
        var score: Double
        var evidence: [DuplicateEvidence]
    }

    static func json(_ candidate: DuplicateCandidate) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(
            decoding: try encoder.encode(Payload(score: candidate.score, evidence: candidate.evidence)), as: UTF8.self)
    }
}
