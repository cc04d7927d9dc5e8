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

    @Test(
        "parents and subsidiaries are never paired, even on the same domain and a similar name; merged records take no part"
    )
    func exclusions() {
        let accounts = [
            IdentityAccount(id: 1, name: "Acme", domain: "acme.com"),
            IdentityAccount(id: 2, name: "Acme Inc", domain: "acme.com", parentId: 1),  // same name, but a subsidiary
            IdentityAccount(id: 3, name: "Acme Ltd", domain: "acme.com", parentId: 2),  // grandchild
            IdentityAccount(id: 4, name: "ACME", domain: "acme.com", mergedInto: 1),  // already merged away
            IdentityAccount(id: 5, name: "Acme Corp", parentId: 4),  // subsidiary of a record merged into 1
        ]
        let found = DuplicateFinder().candidates(in: accounts, minScore: 0)
        #expect(found.map { [$0.winnerId, $0.loserId] } == [[2, 5], [3, 5]])
        #expect(DuplicateFinder.compare(accounts[0], accounts[1], among: accounts) == nil)
        #expect(DuplicateFinder.compare(accounts[0], accounts[3], among: accounts) == nil)
        #expect(DuplicateFinder.compare(accounts[0], accounts[0]) == nil)
        #expect(DuplicateFinder.compare(accounts[1], accounts[4], among: accounts)?.score == 0.95)
    }

    @Test(
        "the demo's planted duplicates are found with high recall and precision, subsidiaries never",
        arguments: [UInt64(1), 7])
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
        #expect(
            precision >= 0.9,
            "precision \(precision): extra \(found.filter { !planted.contains([$0.winnerId, $0.loserId]) }.map { "\($0.winnerId)-\($0.loserId) \($0.score) \($0.summary)" })"
        )
        // The original (older) record is always the suggested winner.
        #expect(found.filter { planted.contains([$0.winnerId, $0.loserId]) }.count == truePositives)
        for (parent, child) in company.truth.subsidiaries {
            #expect(!found.contains { Set([$0.winnerId, $0.loserId]) == Set([parent, child]) })
        }
    }

    @Test(
        "blocking keeps 50,000 accounts fast and still finds planted typos; different numbers are different companies")
    func scale() {
        let accounts = IdentityDuplicateTests.fiftyThousand()
        let clock = ContinuousClock()
        var found: [DuplicateCandidate] = []
        // Debug builds are ~20× slower than release (release: see docs/identity.md).
        let elapsed = clock.measure { found = DuplicateFinder().candidates(in: accounts, minScore: 0.85) }
        #expect(elapsed < .seconds(45), "took \(elapsed)")
        for k in 0..<10 {
            #expect(
                found.contains { $0.winnerId == Int64(k * 4_001 + 1) && $0.loserId == Int64(60_000 + k) },
                "\(accounts[k * 4_001].name): \(found.filter { $0.loserId == Int64(60_000 + k) })")
        }
        // Everything else it finds is a demo-style lookalike: one name is the other plus a word (`X Y` and `X Y Global`).
        func words(_ id: Int64) -> Set<String> { Set(CompanyName(accounts[Int(id) - 1].name).words) }
        let others = found.filter { $0.loserId < 60_000 }.filter {
            !words($0.winnerId).isSubset(of: words($0.loserId)) && !words($0.loserId).isSubset(of: words($0.winnerId))
        }
        #expect(
            others.isEmpty,
            "\(others.prefix(5).map { "\(accounts[Int($0.winnerId) - 1].name) | \(accounts[Int($0.loserId) - 1].name): \($0.summary)" })"
        )
        let numbered = [IdentityAccount(id: 1, name: "Store 12 LLC"), IdentityAccount(id: 2, name: "Store 13 LLC")]
        #expect(DuplicateFinder().candidates(in: numbered, minScore: 0.5).isEmpty)
    }

    /// 50,000 accounts named and given domains the way the demo does, plus ten
    /// duplicates without a domain, upper case, with a one-letter typo in the
    /// middle of the first word (ids 60000…60009).
    static func fiftyThousand() -> [IdentityAccount] {
        let segments = ["Tech", "Telecom", "Consulting"]
        var accounts: [IdentityAccount] = []
        for i in 0..<50_000 {
            let (name, words) = DemoNames.companyName(index: i, segment: segments[i % 3])
            let legal = i % 5 < 3 ? ", " + DemoNames.legal[i % DemoNames.legal.count] : ""
            let domain =
                i % 50 == 0 ? nil : (words[0] + words[1]).lowercased() + DemoNames.tlds[i % DemoNames.tlds.count]
            accounts.append(
                IdentityAccount(id: Int64(i + 1), name: name + legal, domain: domain, ownerRepId: Int64(i % 40)))
        }
        for k in 0..<10 {
            var typo = Array(accounts[k * 4_001].name.split(separator: ",")[0].uppercased())
            let middle = typo.firstIndex(of: " ").map { $0 / 2 } ?? typo.count / 2
            typo[middle] = typo[middle] == "X" ? "Y" : "X"
            accounts.append(IdentityAccount(id: Int64(60_000 + k), name: String(typo) + " Inc"))
        }
        return accounts
    }
}
