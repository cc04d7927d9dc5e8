import Testing
@testable import FulcrumCore

@Suite("Identity: duplicate finder")
struct IdentityDuplicateTests {
    @Test("same domain and name scores 1, missing domain 0.95, different domains 0.8; evidence names the facts")
    func scoring() {
        let accounts = [
            IdentityAccount(id: 1, name: "Acme, Inc.", domain: "acme.com", ownerRepId: 3, createdOn: Day(2024, 1, 1)),
            IdentityAccount(id: 2, name: "ACME Inc", domain: "www.acme.com", ownerRepId: 7, createdOn: Day(2024, 3, 1)),
            IdentityAccount(id: 3, name: "The Beta Company", ownerRepId: 3, createdOn: Day(2024, 5, 1)),
            IdentityAccount(id: 4, name: "Beta Co.", domain: "beta.io", ownerRepId: 3, createdOn: Day(2024, 2, 1)),
            IdentityAccount(id: 5, name: "Gamma GmbH", domain: "gamma.de"),
            IdentityAccount(id: 6, name: "Gamma", domain: "gamma.fr"),
        ]
        let found = DuplicateFinder().candidates(in: accounts)
        #expect(found.map { [$0.winnerId, $0.loserId] } == [[1, 2], [4, 3], [5, 6]])
        #expect(found.map(\.score) == [1, 0.95, 0.8])
        #expect(found[0].summary == "same name 'acme'; same domain acme.com; different owners 3, 7")
        #expect(found[1].evidence.contains(DuplicateEvidence(.sameOwner, "3")))
        #expect(found[1].evidence.contains(DuplicateEvidence(.missingDomain, "3")))
        #expect(found[2].evidence.contains(DuplicateEvidence(.differentDomains, "gamma.de, gamma.fr")))
        #expect(DuplicateFinder().candidates(in: accounts, minScore: 0.9).count == 2)
    }

    @Test("parents and subsidiaries are never paired, even on the same domain and a similar name; merged records take no part")
    func exclusions() {
        let accounts = [
            IdentityAccount(id: 1, name: "Acme", domain: "acme.com"),
            IdentityAccount(id: 2, name: "Acme Inc", domain: "acme.com", parentId: 1),       // same name, but a subsidiary
            IdentityAccount(id: 3, name: "Acme Ltd", domain: "acme.com", parentId: 2),       // grandchild
            IdentityAccount(id: 4, name: "ACME", domain: "acme.com", mergedInto: 1),         // already merged away
            IdentityAccount(id: 5, name: "Acme Corp", parentId: 4),                          // subsidiary of a record merged into 1
        ]
        let found = DuplicateFinder().candidates(in: accounts, minScore: 0)
        #expect(found.map { [$0.winnerId, $0.loserId] } == [[2, 5], [3, 5]])
        #expect(DuplicateFinder.compare(accounts[0], accounts[1], among: accounts) == nil)
        #expect(DuplicateFinder.compare(accounts[0], accounts[3], among: accounts) == nil)
        #expect(DuplicateFinder.compare(accounts[0], accounts[0]) == nil)
        #expect(DuplicateFinder.compare(accounts[1], accounts[4], among: accounts)?.score == 0.95)
    }

    @Test("the demo's planted duplicates are found with high recall and precision, subsidiaries never", arguments: [UInt64(1), 7])
    func demoDuplicates(seed: UInt64) {
        let company = GeneratedCompany(size: .small, seed: seed)
        let accounts = company.accounts.map { IdentityAccount($0) }
        let found = DuplicateFinder().candidates(in: accounts, minScore: 0.85)
        let planted = Set(company.truth.duplicatePairs.map { [$0.original, $0.duplicate] })
        let foundPairs = Set(found.map { [$0.winnerId, $0.loserId] })
        let truePositives = planted.intersection(foundPairs).count
        let recall = Double(truePositives) / Double(planted.count)
        let precision = found.isEmpty ? 0 : Double(truePositives) / Double(found.count)
        #expect(planted.count >= 8)
        #expect(recall >= 0.95, "recall \(recall): missed \(planted.subtracting(foundPairs).sorted { $0[0] < $1[0] })")
        #expect(precision >= 0.9, "precision \(precision): extra \(found.filter { !planted.contains([$0.winnerId, $0.loserId]) }.map { "\($0.winnerId)-\($0.loserId) \($0.score) \($0.summary)" })")
        // The original (older) record is always the suggested winner.
        #expect(found.filter { planted.contains([$0.winnerId, $0.loserId]) }.count == truePositives)
        for (parent, child) in company.truth.subsidiaries {
            #expect(!found.contains { Set([$0.winnerId, $0.loserId]) == Set([parent, child]) })
        }
    }

    @Test("blocking keeps 50,000 accounts fast and still finds planted typos")
    func scale() {
        var accounts: [IdentityAccount] = []
        let words = ["Copper", "Slate", "Nimbus", "Harbor", "Quartz", "Vector", "Willow", "Zenith", "Onyx", "Ridge"]
        let kinds = ["Analytics", "Telecom", "Partners", "Networks", "Labs", "Systems", "Cloud", "Data"]
        for i in 0..<50_000 {
            let name = "\(words[i % 10])\(kinds[(i / 10) % 8]) \(words[(i / 80) % 10]) \(i / 800)"
            accounts.append(IdentityAccount(id: Int64(i + 1), name: name, domain: i % 3 == 0 ? nil : "c\(i).com"))
        }
        // Ten typo'd duplicates without a domain.
        for k in 0..<10 {
            let original = accounts[k * 4_001]
            accounts.append(IdentityAccount(id: Int64(60_000 + k), name: original.name.uppercased() + "x Inc"))
        }
        let clock = ContinuousClock()
        var found: [DuplicateCandidate] = []
        let elapsed = clock.measure { found = DuplicateFinder().candidates(in: accounts, minScore: 0.85) }
        #expect(elapsed < .seconds(60), "took \(elapsed)")
        for k in 0..<10 {
            #expect(found.contains { $0.winnerId == Int64(k * 4_001 + 1) && $0.loserId == Int64(60_000 + k) },
                    "\(accounts[k * 4_001].name): \(found.filter { $0.loserId == Int64(60_000 + k) || $0.winnerId == Int64(k * 4_001 + 1) })")
        }
    }
}
