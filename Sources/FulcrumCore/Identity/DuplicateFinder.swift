/// Finds account records that are probably the same company.
///
/// Only live records take part (an account merged away is already resolved),
/// and a parent is never paired with its subsidiary (or any descendant): a
/// subsidiary is a separate customer.
///
/// **Scoring.** The name decides, the website adjusts: with name similarity
/// `s` (`NameSimilarity`, 1 for equal normalized names),
/// - same registrable domain: `max(s, 0.5)` — the same website alone is worth 0.5;
/// - one or both without a domain: `0.95 × s`;
/// - two different domains: `0.8 × s` (two websites count against).
///
/// Owners are reported but not scored: two reps opening the same company is how
/// duplicates arise, but one rep can own two real companies too.
///
/// **Blocking.** Comparing all n² pairs is out of reach at 50,000 accounts, so
/// pairs are only formed inside blocks: records sharing a registrable domain,
/// records sharing a normalized name (each block capped at `maxBlock` records —
/// a domain on hundreds of accounts is a placeholder, not evidence), and a
/// sorted neighbourhood of `window` records on three orderings of the name (the
/// key, the key reversed, the words sorted), which brings typos at either end and
/// reordered words next to each other. Cost is O(n log n + n × window).
public struct DuplicateFinder: Sendable {
    public var window = 8
    public var maxBlock = 50

    public init() {}

    /// Candidate pairs scoring at least `minScore`, best first (then by winner and loser id).
    public func candidates(in accounts: [IdentityAccount], minScore: Double = 0.5) -> [DuplicateCandidate] {
        let ancestry = Ancestry(accounts)
        let live = accounts.filter { $0.mergedInto == nil }.map(Prepared.init)
        var pairs = Set<UInt64>()
        func add(_ i: Int, _ j: Int) {
            guard i != j else { return }
            pairs.insert(UInt64(min(i, j)) << 32 | UInt64(max(i, j)))
        }
        func addBlocks(_ key: (Prepared) -> String?) {
            var blocks: [String: [Int]] = [:]
            for (i, p) in live.enumerated() { if let k = key(p), !k.isEmpty { blocks[k, default: []].append(i) } }
            for members in blocks.values where members.count > 1 && members.count <= maxBlock {
                for x in 0..<members.count { for y in (x + 1)..<members.count { add(members[x], members[y]) } }
            }
        }
        addBlocks { $0.domain }
        addBlocks { $0.name.key }
        for order in [\Prepared.name.key, \Prepared.reversedKey, \Prepared.sortedWords] {
            let sorted = live.indices.filter { !live[$0].name.key.isEmpty }.sorted {
                let a = live[$0][keyPath: order], b = live[$1][keyPath: order]
                return a != b ? a < b : live[$0].account.id < live[$1].account.id
            }
            for (n, i) in sorted.enumerated() {
                for m in (n + 1)..<min(n + 1 + window, sorted.count) { add(i, sorted[m]) }
            }
        }

        var found: [DuplicateCandidate] = []
        for pair in pairs {
            let a = live[Int(pair >> 32)], b = live[Int(pair & 0xFFFF_FFFF)]
            if ancestry.related(a.account.id, b.account.id) { continue }
            let candidate = DuplicateFinder.compare(a, b, atLeast: minScore)
            if candidate.score >= minScore { found.append(candidate) }
        }
        return found.sorted {
            $0.score != $1.score ? $0.score > $1.score : ($0.winnerId, $0.loserId) < ($1.winnerId, $1.loserId)
        }
    }

    /// The score and evidence for one pair, whatever blocks they are in.
    /// Nil when the pair may not be merged: the same record, a record merged
    /// away, or a parent and its subsidiary.
    public static func compare(_ a: IdentityAccount, _ b: IdentityAccount, among accounts: [IdentityAccount] = []) -> DuplicateCandidate? {
        guard a.id != b.id, a.mergedInto == nil, b.mergedInto == nil else { return nil }
        if Ancestry(accounts + [a, b]).related(a.id, b.id) { return nil }
        return compare(Prepared(a), Prepared(b), atLeast: 0)
    }

    /// Scores a pair; the name similarity is exact whenever the score can reach `floor`.
    static func compare(_ a: Prepared, _ b: Prepared, atLeast floor: Double) -> DuplicateCandidate {
        var evidence: [DuplicateEvidence] = []
        let factor = a.domain == nil || b.domain == nil ? 0.95 : a.domain == b.domain ? 1 : 0.8
        let sameDomain = a.domain != nil && a.domain == b.domain
        let s = NameSimilarity.score(a.shape, b.shape, atLeast: sameDomain ? 0 : min(1, floor / factor))
        if a.name.key == b.name.key { evidence.append(.init(.sameName, a.name.display)) }
        else { evidence.append(.init(.similarName, format(s))) }
        let score: Double
        switch (a.domain, b.domain) {
        case let (x?, y?) where x == y:
            evidence.append(.init(.sameDomain, x)); score = max(s, 0.5)
        case let (x?, y?):
            evidence.append(.init(.differentDomains, "\(x), \(y)")); score = 0.8 * s
        default:
            let without = [a, b].filter { $0.domain == nil }.map { String($0.account.id) }
            evidence.append(.init(.missingDomain, without.joined(separator: ", "))); score = 0.95 * s
        }
        switch (a.account.ownerRepId, b.account.ownerRepId) {
        case let (x?, y?) where x == y: evidence.append(.init(.sameOwner, String(x)))
        case let (x?, y?): evidence.append(.init(.differentOwners, "\(x), \(y)"))
        default: break
        }
        let aFirst = (a.account.createdOn?.ordinal ?? Int.max, a.account.id) <= (b.account.createdOn?.ordinal ?? Int.max, b.account.id)
        let (winner, loser) = aFirst ? (a, b) : (b, a)
        return DuplicateCandidate(winnerId: winner.account.id, loserId: loser.account.id,
                                  score: (score * 1000).rounded() / 1000, evidence: evidence)
    }

    /// Three decimals, without Foundation's formatter.
    static func format(_ x: Double) -> String {
        let thousandths = Int((x * 1000).rounded())
        let frac = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
    }

    /// An account with its comparison keys computed once.
    struct Prepared {
        let account: IdentityAccount
        let name: CompanyName
        let domain: String?
        let reversedKey: String
        let sortedWords: String
        let shape: NameSimilarity.Shape

        init(_ account: IdentityAccount) {
            self.account = account
            name = CompanyName(account.name)
            shape = NameSimilarity.Shape(name)
            domain = account.companyDomain.map(DomainName.registrable)
            reversedKey = String(name.key.reversed())
            sortedWords = name.words.sorted().joined(separator: " ")
        }
    }
}

/// Parent links, to keep a parent and its subsidiaries (at any depth) apart.
/// Merges are followed, so a subsidiary of a record merged into X is one of X's.
struct Ancestry {
    private var parent: [Int64: Int64] = [:]
    private let chains: MergeChains

    init(_ accounts: [IdentityAccount]) {
        chains = MergeChains(accounts)
        for a in accounts { if let p = a.parentId { parent[a.id] = p } }
    }

    /// True when one of the two is an ancestor of the other.
    func related(_ a: Int64, _ b: Int64) -> Bool {
        ancestors(of: a).contains(chains.survivor(of: b)) || ancestors(of: b).contains(chains.survivor(of: a))
    }

    private func ancestors(of id: Int64) -> Set<Int64> {
        var result = Set<Int64>()
        var current = id
        while let p = parent[current], result.count < 64 {
            let s = chains.survivor(of: p)
            guard result.insert(p).inserted else { break }
            result.insert(s)
            current = p
        }
        return result
    }
}
