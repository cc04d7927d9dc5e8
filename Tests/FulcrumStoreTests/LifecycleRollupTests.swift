import Foundation
import FulcrumCore
import Testing

@testable import FulcrumStore

/// The lifecycle roll-ups the store computes in SQL give what the reports would derive from the rows.
@Suite("SQLite store: lifecycle roll-ups")
struct LifecycleRollupTests {
    static let store: SQLiteStore = {
        let path = try! temporaryFolder() + "/demo.sqlite"
        _ = try! DemoLoader.build(at: path, size: .small, seed: 2, accountCount: 300)
        return try! SQLiteStore.openForReading(path: path)
    }()

    @Test("first responses: the earliest human activity of the counted kinds at or after each lead's creation")
    func firstResponses() throws {
        let people = try Self.store.people()
        let activities = try Self.store.activities()
        let created = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0.createdAt) })
        for kinds in [Activity.Kind.allCases, [.call]] {
            var expected: [Int64: Timestamp] = [:]
            for a in activities where !a.automated && kinds.contains(a.kind) {
                guard let p = a.personId, let c = created[p], a.occurredAt >= c else { continue }
                if let e = expected[p], e <= a.occurredAt { continue }
                expected[p] = a.occurredAt
            }
            let rolled = try Self.store.firstResponses(kinds: kinds)
            #expect(rolled.count == expected.count)
            #expect(Dictionary(uniqueKeysWithValues: rolled.map { ($0.personId, $0.at) }) == expected)
            #expect(!expected.isEmpty)
        }
    }

    @Test("people one at a time are every person in id order; tickets of some priorities are exactly those")
    func peopleStreamedAndTicketsByPriority() throws {
        var streamed: [Person] = []
        try Self.store.forEachPerson { streamed.append($0) }
        let people = try Self.store.people()
        #expect(!people.isEmpty && streamed == people)
        #expect(try Self.store.peopleCount() == people.count)
        #expect(streamed.map(\.id) == streamed.map(\.id).sorted())
        let all = try Self.store.tickets()
        for priorities in [["urgent"], ["high", "urgent"], ["none such"], []] {
            let some = try Self.store.tickets(priorities: priorities)
            #expect(some == all.filter { priorities.contains($0.priority) }, "\(priorities)")
        }
        #expect(try !Self.store.tickets(priorities: ["high"]).isEmpty)
    }

    @Test("first paid days: earliest start or trial end of a priced subscription that ran past it")
    func firstPaidDays() throws {
        let billing = try Self.store.billing()
        var expected: [Int64: Day] = [:]
        for s in billing.subscriptions where s.amountMinor > 0 {
            let from = s.trialEndOn ?? s.startedOn
            if let end = s.endedOn, end <= from { continue }
            if let e = expected[s.accountId], e <= from { continue }
            expected[s.accountId] = from
        }
        let rolled = try Self.store.firstPaidDays()
        #expect(Dictionary(uniqueKeysWithValues: rolled.map { ($0.accountId, $0.at.day) }) == expected)
        #expect(!expected.isEmpty)
    }

    @Test("activities of some kinds are those of all kinds filtered")
    func activitiesByKind() throws {
        let all = try Self.store.activities()
        let demos = try Self.store.activities(kinds: [.demo])
        #expect(demos == all.filter { $0.kind == .demo })
        #expect(!demos.isEmpty)
    }
}

extension LifecycleRollupTests {
    @Test("activities from a day on are those of all days filtered")
    func activitiesFrom() throws {
        let all = try Self.store.activities()
        let from = Day(2024, 1, 1)
        let recent = try Self.store.activities(kinds: nil, from: from)
        #expect(recent == all.filter { $0.occurredAt.day >= from })
        #expect(!recent.isEmpty && recent.count < all.count)
    }
}
