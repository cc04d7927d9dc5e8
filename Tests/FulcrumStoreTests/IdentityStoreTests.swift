import FulcrumCore
import GRDB
import Testing

@testable import FulcrumStore

/// A store with: 1 Acme (owner 1), 2 ACME Inc (same domain, another owner), 3 Acme Europe
/// (subsidiary of 1), 4 Beta; a free-mail lead, a lead whose company is ambiguous, and their touches.
private func identityStore() throws -> SQLiteStore {
    let store = try SQLiteStore.inMemory()
    var b = DemoBatch()
    var rep1 = Rep()
    rep1.id = 1
    rep1.name = "Ana"
    var rep2 = Rep()
    rep2.id = 2
    rep2.name = "Ben"
    b.reps = [rep1, rep2]
    func account(
        _ id: Int64, _ name: String, _ domain: String?, owner: Int64? = nil, parent: Int64? = nil, created: Day
    ) -> Account {
        var a = Account()
        a.id = id
        a.name = name
        a.domain = domain
        a.ownerRepId = owner
        a.parentAccountId = parent
        a.createdOn = created
        return a
    }
    b.accounts = [
        account(1, "Acme, Inc.", "acme.com", owner: 1, created: Day(2024, 1, 5)),
        account(2, "ACME Inc", "acme.com", owner: 2, created: Day(2024, 3, 1)),
        account(3, "Acme Europe", "eu.acme.com", parent: 1, created: Day(2024, 2, 1)),
        account(4, "Beta Labs", "beta.io", created: Day(2024, 1, 1)),
        account(5, "Gamma", "gamma.com", created: Day(2024, 1, 1)),
        account(6, "Gamma Ltd", "gamma.de", created: Day(2024, 1, 2)),
    ]
    func person(_ id: Int64, _ email: String?, _ company: String?, account: Int64? = nil) -> Person {
        var p = Person()
        p.id = id
        p.email = email
        p.companyName = company
        p.accountId = account
        p.createdAt = Timestamp(day: Day(2024, 4, 1))
        return p
    }
    b.people = [
        person(1, "jo@acme.com", nil, account: 1), person(2, "jo123@gmail.com", nil),
        person(3, "kim@hotmail.com", "Gamma"), person(4, "lu@beta.io", nil),
    ]
    func touch(_ id: Int64, person: Int64?, account: Int64? = nil) -> Touch {
        var t = Touch()
        t.id = id
        t.personId = person
        t.accountId = account
        t.kind = .visit
        t.occurredAt = Timestamp(day: Day(2024, 4, 2))
        return t
    }
    b.touches = [
        touch(1, person: 1, account: 1), touch(2, person: 2), touch(3, person: 2), touch(4, person: 1),
        touch(5, person: nil),
    ]
    try store.write { db in try SQLiteStore.insert(b, source: "test", into: db) }
    return store
}

@Suite("SQLite store: identity")
struct IdentityStoreTests {
    @Test("duplicates come from the stored accounts; the subsidiary is never paired with its parent")
    func duplicates() throws {
        let store = try identityStore()
        let pairs = try store.duplicateCandidates(minScore: 0.7)
        #expect(pairs.map { [$0.winnerId, $0.loserId] } == [[1, 2], [5, 6]])
        #expect(pairs.map(\.score) == [1, 0.8])
        #expect(try store.duplicateCandidates(minScore: 0.7, limit: 1).count == 1)
        // At any score, 1 and its subsidiary 3 stay apart (3 and the unmerged duplicate 2 may pair weakly).
        #expect(!(try store.duplicateCandidates(minScore: 0)).contains { Set([$0.winnerId, $0.loserId]) == [1, 3] })
    }

    @Test("merge writes merged_into and an audit row in one go; unmerge stamps undone_at and keeps the row")
    func mergeAndUnmerge() throws {
        let store = try identityStore()
        let at = Timestamp(day: Day(2026, 11, 2), hour: 9)
        let merge = try store.mergeAccount(2, into: 1, actor: "ana", reason: nil, at: at)
        #expect(
            merge.winnerId == 1 && merge.loserId == 2 && merge.mergedAt == "2026-11-02T09:00:00Z"
                && merge.actor == "ana")
        #expect(merge.reason == "same name 'acme'; same domain acme.com; different owners 1, 2")
        #expect(
            merge.evidence?.hasPrefix(#"{"evidence":[{"kind":"same_name","value":"acme"}"#) == true,
            "\(merge.evidence ?? "")")
        #expect(try store.accounts().first { $0.id == 2 }?.mergedInto == 1)
        #expect(
            try store.duplicateCandidates(minScore: 0.5).map(\.loserId) == [6],
            "a merged account is no longer a candidate")

        let undo = try store.unmergeAccount(2, actor: "ben", at: at + 3600)
        #expect(undo.id == merge.id && undo.undoneAt == "2026-11-02T10:00:00Z" && undo.undoneBy == "ben")
        #expect(try store.accounts().first { $0.id == 2 }?.mergedInto == nil)
        let trail = try store.accountMerges()
        #expect(trail.count == 1 && trail[0].undoneAt == "2026-11-02T10:00:00Z" && trail[0].reason == merge.reason)
        #expect(trail[0].actor == "ana" && trail[0].undoneBy == "ben", "who merged and who undid are both on record")

        // Merged again with a reason of our own: a second audit row.
        let again = try store.mergeAccount(
            2, into: 1, actor: "ana", reason: "  same company, two reps  ", at: at + 7200)
        #expect(again.reason == "same company, two reps")
        #expect(try store.accountMerges().map(\.undoneAt) == ["2026-11-02T10:00:00Z", nil])
    }

    @Test("merges that must not happen are refused with the reason, and nothing is written")
    func refusals() throws {
        let store = try identityStore()
        func refusal(_ body: () throws -> Void) -> String {
            do {
                try body()
                return "no error"
            } catch let e as StoreError {
                #expect(
                    e.code == (e.reason.hasPrefix("refused: ") ? .refused : .notFound), "\(e.reason): code \(e.code)")
                return e.reason
            } catch { return "\(error)" }
        }
        #expect(
            refusal { try store.mergeAccount(1, into: 1, actor: "t") } == "refused: cannot merge account 1 into itself")
        #expect(
            refusal { try store.mergeAccount(99, into: 1, actor: "t") } == "no account 99 (the account to merge away)")
        #expect(refusal { try store.mergeAccount(1, into: 98, actor: "t") } == "no account 98 (the account to keep)")
        #expect(refusal { try store.mergeAccount(3, into: 1, actor: "t") }.contains("parent and its subsidiary"))
        #expect(refusal { try store.mergeAccount(1, into: 3, actor: "t") }.contains("parent and its subsidiary"))
        try store.mergeAccount(2, into: 1, actor: "t")
        #expect(
            refusal { try store.mergeAccount(1, into: 2, actor: "t") }
                == "refused: merging 1 into 2 would create a cycle: 2 is already merged into 1")
        #expect(
            refusal { try store.mergeAccount(2, into: 4, actor: "t") }
                == "refused: account 2 is already merged into 1; unmerge it first")
        #expect(
            refusal { try store.mergeAccount(4, into: 2, actor: "t") }
                == "refused: account 2 was merged into 1; merge into 1 instead")
        #expect(
            refusal { try store.unmergeAccount(1, actor: "t") }.hasPrefix(
                "refused: account 1 is not merged into another account"))
        #expect(refusal { try store.unmergeAccount(77, actor: "t") } == "no account 77")
        #expect(try store.accountMerges().count == 1)
        #expect(try store.accounts().filter { $0.mergedInto != nil }.map(\.id) == [2])
    }

    @Test("a merge set by an import (no audit row) can still be undone, and the undo is on record")
    func unmergeWithoutAuditRow() throws {
        let store = try identityStore()
        try store.write { db in
            try db.execute(sql: "UPDATE accounts SET merged_into = ? WHERE id = ?", arguments: [5, 6])
        }
        let undo = try store.unmergeAccount(6, actor: "ops", at: Timestamp(day: Day(2026, 1, 1)))
        #expect(undo.winnerId == 5 && undo.undoneAt == "2026-01-01T00:00:00Z")
        #expect(try store.accountMerges().first?.reason == "merged outside Fulcrum (no audit row); undone by ops")
        #expect(try store.accountMerges().first?.undoneBy == "ops")
        #expect(try store.accounts().first { $0.id == 6 }?.mergedInto == nil)
    }

    @Test("unmatched records are listed with their reasons, touches through their person")
    func unmatched() throws {
        let store = try identityStore()
        let report = try store.unmatchedRecords()
        let people = report.records.filter { $0.table == "people" }
        #expect(people.map(\.id) == [2, 3, 4])
        #expect(people[0].reasonCode == "free_mail_domain")
        #expect(people[0].reason == "free-mail domain gmail.com (never matched by domain) and no company name")
        #expect(people[1].reasonCode == "ambiguous_name" && people[1].reason.contains("5, 6"))
        #expect(people[2].reasonCode == "matchable" && people[2].reason.contains("account 4 by email_domain"))
        let touches = report.records.filter { $0.table == "touches" }
        #expect(touches.map(\.id) == [2, 3, 4, 5])
        #expect(touches.map(\.reasonCode) == ["free_mail_domain", "free_mail_domain", "person_matched", "no_clues"])
        #expect(touches[0].reason.hasPrefix("person 2: free-mail domain gmail.com"))
        #expect(report.total == 7)
        #expect(report.counts.first == UnmatchedReport.Count(table: "people", reasonCode: "ambiguous_name", count: 1))
        let limited = try store.unmatchedRecords(limit: 1)
        #expect(limited.records.map { "\($0.table) \($0.id)" } == ["people 2", "touches 2"])
        #expect(limited.total == 7)
    }
}
