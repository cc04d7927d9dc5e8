import Foundation
import FulcrumCore
import GRDB
import Testing

@testable import FulcrumStore

@Suite("Identity pass on the demo company")
struct IdentityResolveTests {
    @Test(
        "free-mail leads the demo plants without an account are tied to the company they work for, never by their mail domain"
    )
    func recoversFreeMailEmployers() throws {
        let folder = try temporaryFolder()
        let built = try DemoLoader.build(at: folder + "/demo.sqlite", size: .small, seed: 1)
        let store = try SQLiteStore.open(path: folder + "/demo.sqlite")
        let planted = built.truth.freeMailEmployers
        #expect(planted.count == built.truth.freeMailPeople && planted.count > 300)

        let summary = try store.resolveIdentities()
        #expect(summary.unmatchedBefore == planted.count)
        #expect(summary.matchedByEmailDomain == 0, "a free-mail domain never decides")
        let (names, assigned) = try store.write { db -> ([Int64: String], [Int64: Int64]) in
            let names = Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, name FROM accounts").map {
                    ($0[0] as Int64, $0[1] as String)
                })
            let assigned = Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(
                    db, sql: "SELECT id, account_id FROM people WHERE account_id IS NOT NULL"
                ).map {
                    ($0[0] as Int64, $0[1] as Int64)
                })
            return (names, assigned)
        }
        var matched = 0
        var right = 0
        for (person, employer) in planted {
            guard let account = assigned[person] else { continue }
            matched += 1
            // The employer itself, or a record of the same company (a planted duplicate carries its name).
            if account == employer || CompanyName(names[account]!).key == CompanyName(names[employer]!).key {
                right += 1
            }
        }
        #expect(matched == summary.matchedByCompanyName)
        #expect(
            Double(matched) >= 0.6 * Double(planted.count),
            "recall \(matched)/\(planted.count); 30% of these leads give no company name")
        #expect(Double(right) >= 0.99 * Double(matched), "precision \(right)/\(matched)")
        #expect(try store.resolveIdentities().matchedByCompanyName == 0, "a second pass finds nothing new")
    }
}
