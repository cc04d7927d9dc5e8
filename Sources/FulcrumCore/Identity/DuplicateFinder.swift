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
/// records sharing a normalized name, records sharing a word (other than `and`),
/// records whose words are one typo apart (`NameSimilarity.Vocabulary` finds
/// those words without comparing every pair), and a sorted neighbourhood of
/// `window` records on the name key (words run together). A block of more than
/// `maxBlock` records — a common word such as `technologies`, or a placeholder
/// domain — is not paired all-to-all: its records are sorted by the rest of the
/// name and each is compared with its `window` neighbours. Cost is
/// O(n log n + n × words × window).
public struct DuplicateFinder: Sendable {
    public var window = 5
    public var maxBlock = 40

    public init() {}

    /// Candidate pairs scoring at least `minScore`, best first (then by winner and loser id).
    public func candidates(in accounts: [IdentityAccount], minScore: Double = 0.5) -> [DuplicateCandidate] {
        let ancestry = Ancestry(accounts)
        var vocabulary = NameSimilarity.Vocabulary()
        let live = accounts.filter { $0.mergedInto == nil }.map { Prepared($0, in: &vocabulary) }
        vocabulary.linkTypos()
        var pairs = Set<UInt64>()
        func add(_ i: Int, _ j: Int) {
            guard i != j else { return }
            pairs.insert(UInt64(min(i, j)) << 32 | UInt64(max(i, j)))
        }
        /// All pairs in a small block; sorted neighbours in a big one.
        func pairUp<Rest: Comparable>(_ members: [Int], rest: (Int) -> Rest) {
            guard members.count > 1 else { return }
            if members.count <= maxBlock {
                for x in 0..<members.count { for y in (x + 1)..<members.count { add(members[x], members[y]) } }
                return
            }
            let sorted = members.map { (rest($0), $0) }.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            for n in sorted.indices {
                for m in (n + 1)..<min(n + 1 + window, sorted.count) { add(sorted[n].1, sorted[m].1) }
            }
        }
        var byDomain: [String: [Int]] = [:]
        var byKey: [String: [Int]] = [:]
        var byWord: [Int: [Int]] = [:]
        for (i, p) in live.enumerated() {
            if let d = p.domain { byDomain[d, default: []].append(i) }
            if !p.name.key.isEmpty { byKey[p.name.key, default: []].append(i) }
            for w in Set(p.shape.wordIds) where vocabulary.scalars[w] != ["a", "n", "d"] {
                byWord[w, default: []].append(i)
            }
        }
        for members in byDomain.values { pairUp(members) { live[$0].name.key } }
        for members in byKey.values { pairUp(members) { live[$0].account.id } }
        for (word, members) in byWord { pairUp(members) { live[$0].rest(without: word) } }
        for (word, members) in byWord where members.count <= maxBlock {
            for n in vocabulary.neighbours[word] where n.id > word {
                guard let others = byWord[n.id], others.count <= maxBlock else { continue }
                for x in members { for y in others { add(x, y) } }
            }
        }
        pairUp(Array(live.indices)) { live[$0].name.key }

        var found: [DuplicateCandidate] = []
        for pair in pairs {
            let a = live[Int(pair >> 32)]
            let b = live[Int(pair & 0xFFFF_FFFF)]
            guard let candidate = DuplicateFinder.compare(a, b, vocabulary, atLeast: minScore),
                !ancestry.related(a.account.id, b.account.id)
            else { continue }
            found.append(candidate)
        }
        return found.sorted {
            $0.score != $1.score ? $0.score > $1.score : ($0.winnerId, $0.loserId) < ($1.winnerId, $1.loserId)
        }
    }

    /// The score and evidence for one pair, whatever blocks they are in.
    /// Nil when the pair may not be merged: the same record, a record merged
    /// away, or a parent and its subsidiary.
    public static func compare(_ a: IdentityAccount, _ b: IdentityAccount, among accounts: [IdentityAccount] = [])
        -> DuplicateCandidate?
    {
        guard a.id != b.id, a.mergedInto == nil, b.mergedInto == nil else { return nil }
        if Ancestry(accounts + [a, b]).related(a.id, b.id) { return nil }
        var vocabulary = NameSimilarity.Vocabulary()
        let x = Prepared(a, in: &vocabulary)
        let y = Prepared(b, in: &vocabulary)
        vocabulary.linkTypos()
        return compare(x, y, vocabulary, atLeast: 0)
    }

    /// The candidate for a pair, or nil when it scores below `floor` (the
    /// evidence is only written for pairs that are kept).
    static func compare(_ a: Prepared, _ b: Prepared, _ vocabulary: NameSimilarity.Vocabulary, atLeast floor: Double)
        -> DuplicateCandidate?
    {
        let s = NameSimilarity.score(a.shape, b.shape, vocabulary)
        let sameDomain = a.domain != nil && a.domain == b.domain
        let raw = sameDomain ? max(s, 0.5) : a.domain == nil || b.domain == nil ? 0.95 * s : 0.8 * s
        let score = (raw * 1000).rounded() / 1000
        guard score >= floor else { return nil }
        var evidence: [DuplicateEvidence] = []
        if a.name.key == b.name.key {
            evidence.append(.init(.sameName, a.name.display))
        } else {
            evidence.append(.init(.similarName, format(s)))
        }
        switch (a.domain, b.domain) {
        case (let x?, let y?) where x == y: evidence.append(.init(.sameDomain, x))
        case (let x?, let y?): evidence.append(.init(.differentDomains, "\(x), \(y)"))
        default:
            let without = [a, b].filter { $0.domain == nil }.map { String($0.account.id) }
            evidence.append(.init(.missingDomain, without.joined(separator: ", ")))
        }
        switch (a.account.ownerRepId, b.account.ownerRepId) {
        case (let x?, let y?) where x == y: evidence.append(.init(.sameOwner, String(x)))
        case (let x?, let y?): evidence.append(.init(.differentOwners, "\(x), \(y)"))
        default: break
        }
        let aFirst =
            (a.account.createdOn?.ordinal ?? Int.max, a.account.id) <= (
                b.account.createdOn?.ordinal ?? Int.max, b.account.id
            )
        let (winner, loser) = aFirst ? (a, b) : (b, a)
        return DuplicateCandidate(
            winnerId: winner.account.id, loserId: loser.account.id, score: score, evidence: evidence)
    }

    /// Three decimals, without Foundation's formatter.
    static func format(_ x: Double) -> String {
        let thousandths = Int((x * 1000).rounded())
        let frac = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
    }

    /// An account with its comparison keys computed once. A class so the
    /// million pair comparisons pass a reference, not a copy of every field.
    final class Prepared {
        let account: IdentityAccount
        let name: CompanyName
        let domain: String?
        let shape: NameSimilarity.Shape

        init(_ account: IdentityAccount, in vocabulary: inout NameSimilarity.Vocabulary) {
            self.account = account
            name = CompanyName(account.name)
            domain = account.companyDomain.map(DomainName.registrable)
            shape = NameSimilarity.Shape(name, in: &vocabulary)
        }

        /// The name's other words, as an ordering key for a big word block:
        /// records whose other words are the same end up side by side.
        func rest(without word: Int) -> WordList {
            WordList(ids: shape.wordIds.filter { $0 != word }.sorted())
        }
    }
}

/// Word ids compared lexicographically.
struct WordList: Comparable {
    var ids: [Int]
    static func < (a: WordList, b: WordList) -> Bool { a.ids.lexicographicallyPrecedes(b.ids) }
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
        if parent[a] == nil && parent[b] == nil { return false }
        return ancestors(of: a).contains(chains.survivor(of: b)) || ancestors(of: b).contains(chains.survivor(of: a))
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
