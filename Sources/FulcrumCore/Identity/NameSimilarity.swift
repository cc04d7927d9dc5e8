/// How alike two normalized company names are, from 0 (nothing shared) to 1
/// (the same key).
///
/// A **fuzzy token set**: equal words pair first, then each remaining word pairs
/// with its most similar remaining word; the score is the share of all
/// characters that sit in paired words, each pair weighted by its similarity.
/// Word order does not matter, and an extra word (`Acme` vs `Acme Labs`) costs
/// its whole length and then × 0.9 — a qualifier such as `Global` or `Europe`
/// usually names a division or a subsidiary, not a second spelling. When *each*
/// name has a word the other lacks (`Acme Europe` vs `Acme Asia`) it is × 0.85
/// instead: two different qualifiers usually mean two different companies.
///
/// Two different words pair only when they look one typo apart: five letters or
/// more, no digits, at most one edit, and Jaro-Winkler at least 0.9. That keeps
/// `Eastern`/`Western`, `Line`/`Link` and `Store 12`/`Store 13` apart while
/// `Globl`/`Global` and `Telecomm`/`Telecom` pair.
///
/// Two names that both carry numbers, and not the same ones (`Store 12`,
/// `Store 13`), score 0: a number is how a chain tells its companies apart.
///
/// When the names split words differently (`Copper Analytics Telecom` typed as
/// `CopperAnalytics Telecomm`), the keys are compared too: one edit apart
/// scores 1 − 1 ÷ key length.
public enum NameSimilarity {
    public static func score(_ a: CompanyName, _ b: CompanyName) -> Double {
        var vocabulary = Vocabulary()
        let x = Shape(a, in: &vocabulary)
        let y = Shape(b, in: &vocabulary)
        vocabulary.linkTypos()
        return score(x, y, vocabulary)
    }

    /// A name's key and its words as vocabulary ids, computed once per account.
    struct Shape {
        let key: [Unicode.Scalar]
        let wordIds: [Int]
        let wordLengths: [Int]
        let wordLength: Int
        /// The digits of the name, in order.
        let digits: [Unicode.Scalar]

        init(_ name: CompanyName, in vocabulary: inout Vocabulary) {
            key = Array(name.key.unicodeScalars)
            digits = key.filter { (0x30...0x39).contains($0.value) }
            wordIds = name.words.prefix(64).map { vocabulary.id(of: $0) }
            wordLengths = wordIds.map { vocabulary.scalars[$0].count }
            wordLength = wordLengths.reduce(0, +)
        }
    }

    /// Every distinct word once, with the other words one typo away from it.
    /// Typo neighbours are found with a deletion index (SymSpell's idea): two
    /// words one edit apart share the word itself or a one-letter deletion of it,
    /// so only words sharing such a variant are compared.
    struct Vocabulary {
        private var ids: [String: Int] = [:]
        private(set) var scalars: [[Unicode.Scalar]] = []
        private(set) var neighbours: [[(id: Int, similarity: Double)]] = []

        mutating func id(of word: String) -> Int {
            if let id = ids[word] { return id }
            ids[word] = scalars.count
            scalars.append(Array(word.unicodeScalars))
            neighbours.append([])
            return scalars.count - 1
        }

        /// Fills `neighbours`; call after the last `id(of:)`.
        mutating func linkTypos() {
            var variants: [String: [Int]] = [:]
            for (id, word) in scalars.enumerated() where word.count >= 5 && !NameSimilarity.isNumber(word) {
                variants[String(String.UnicodeScalarView(word)), default: []].append(id)
                for skip in word.indices {
                    var v = String.UnicodeScalarView()
                    v.append(contentsOf: word[..<skip])
                    v.append(contentsOf: word[(skip + 1)...])
                    variants[String(v), default: []].append(id)
                }
            }
            var linked = Set<UInt64>()
            for group in variants.values where group.count > 1 {
                for x in group.indices {
                    for y in group.indices where group[x] < group[y] {
                        let (a, b) = (group[x], group[y])
                        guard linked.insert(UInt64(a) << 32 | UInt64(b)).inserted else { continue }
                        let sim = NameSimilarity.wordSimilarity(scalars[a], scalars[b])
                        if sim > 0 {
                            neighbours[a].append((b, sim))
                            neighbours[b].append((a, sim))
                        }
                    }
                }
            }
        }

        func similarity(_ x: Int, _ y: Int) -> Double {
            if x == y { return 1 }
            for n in neighbours[x] where n.id == y { return n.similarity }
            return 0
        }
    }

    static func score(_ a: borrowing Shape, _ b: borrowing Shape, _ vocabulary: borrowing Vocabulary) -> Double {
        if a.key == b.key { return a.key.isEmpty ? 0 : 1 }
        guard !a.key.isEmpty, !b.key.isEmpty else { return 0 }
        if !a.digits.isEmpty, !b.digits.isEmpty, a.digits != b.digits { return 0 }
        var best = tokenSet(a, b, vocabulary)
        if a.wordIds.count != b.wordIds.count, abs(a.key.count - b.key.count) <= 1,
            levenshtein(a.key, b.key, atMost: 1) != nil
        {
            best = max(best, 1 - 1 / Double(max(a.key.count, b.key.count)))
        }
        return best
    }

    /// The fuzzy token set (see the type's comment); no allocation on the way.
    static func tokenSet(_ a: borrowing Shape, _ b: borrowing Shape, _ vocabulary: borrowing Vocabulary) -> Double {
        let total = a.wordLength + b.wordLength
        guard total > 0 else { return 0 }
        var usedA: UInt64 = 0
        var usedB: UInt64 = 0
        var matched = 0.0
        for i in a.wordIds.indices {
            for j in b.wordIds.indices where usedB & (1 << UInt64(j)) == 0 && a.wordIds[i] == b.wordIds[j] {
                usedA |= 1 << UInt64(i)
                usedB |= 1 << UInt64(j)
                matched += Double(a.wordLengths[i] + b.wordLengths[j])
                break
            }
        }
        for i in a.wordIds.indices where usedA & (1 << UInt64(i)) == 0 && !vocabulary.neighbours[a.wordIds[i]].isEmpty {
            var best = 0.0
            var bestJ = -1
            for j in b.wordIds.indices where usedB & (1 << UInt64(j)) == 0 {
                let sim = vocabulary.similarity(a.wordIds[i], b.wordIds[j])
                if sim > best {
                    best = sim
                    bestJ = j
                }
            }
            if bestJ >= 0 {
                usedA |= 1 << UInt64(i)
                usedB |= 1 << UInt64(bestJ)
                matched += best * Double(a.wordLengths[i] + b.wordLengths[bestJ])
            }
        }
        // A word only one name has is a qualifier (`Acme` vs `Acme Global`): × 0.9.
        // Each name having one (`… Prime` vs `… Metro`) is two different
        // qualifiers, stronger evidence against: × 0.85.
        let extraA = usedA.nonzeroBitCount < a.wordIds.count
        let extraB = usedB.nonzeroBitCount < b.wordIds.count
        return matched / Double(total) * (extraA && extraB ? 0.85 : extraA || extraB ? 0.9 : 1)
    }

    /// How alike two words are: 1 if equal, their Jaro-Winkler similarity if
    /// they look one typo apart (five letters or more, no digits, one edit,
    /// Jaro-Winkler ≥ 0.9), else 0.
    public static func wordSimilarity(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar]) -> Double {
        if x == y { return 1 }
        guard min(x.count, y.count) >= 5, abs(x.count - y.count) <= 1, !isNumber(x), !isNumber(y) else { return 0 }
        let jw = jaroWinkler(x, y)
        guard jw >= 0.9, levenshtein(x, y, atMost: 1) != nil else { return 0 }
        return jw
    }

    static func isNumber(_ word: [Unicode.Scalar]) -> Bool { word.contains { $0.properties.numericType != nil } }

    /// Edit distance (insertions, deletions, substitutions), two rows of memory.
    public static func levenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        levenshtein(a, b, atMost: max(a.count, b.count))!
    }

    /// Edit distance if it is at most `limit`, else nil; only a band of width
    /// 2 × limit + 1 around the diagonal is computed (Ukkonen), so near-equal
    /// names cost O(n × limit).
    static func levenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], atMost limit: Int) -> Int? {
        guard limit >= 0, abs(a.count - b.count) <= limit else { return nil }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let big = limit + 1
        var previous = [Int](repeating: big, count: b.count + 1)
        var current = [Int](repeating: big, count: b.count + 1)
        for j in 0...min(b.count, limit) { previous[j] = j }
        for i in 1...a.count {
            let lo = max(1, i - limit)
            let hi = min(b.count, i + limit)
            current[0] = i <= limit ? i : big
            if lo > 1 { current[lo - 1] = big }
            var rowMin = current[0]
            if lo <= hi {
                for j in lo...hi {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    let value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                    current[j] = min(value, big)
                    rowMin = min(rowMin, current[j])
                }
            }
            if hi < b.count { current[hi + 1] = big }
            if rowMin > limit { return nil }
            swap(&previous, &current)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }

    /// Jaro-Winkler similarity with the usual prefix scale 0.1 over at most 4 characters.
    public static func jaroWinkler(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        let j = jaro(a, b)
        var prefix = 0
        while prefix < min(4, a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
        return j + Double(prefix) * 0.1 * (1 - j)
    }

    /// Jaro similarity: matching characters within half the longer length, minus half the transpositions.
    public static func jaro(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        // Which characters matched, as bits: words are short, so no allocation on the hot path.
        guard a.count <= 64, b.count <= 64 else { return jaroLong(a, b) }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        var matchedA: UInt64 = 0
        var matchedB: UInt64 = 0
        var matches = 0
        for i in 0..<a.count {
            let lo = max(0, i - window)
            let hi = min(b.count - 1, i + window)
            guard lo <= hi else { continue }
            for k in lo...hi where matchedB & (1 << UInt64(k)) == 0 && a[i] == b[k] {
                matchedA |= 1 << UInt64(i)
                matchedB |= 1 << UInt64(k)
                matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        var transpositions = 0
        var k = 0
        for i in 0..<a.count where matchedA & (1 << UInt64(i)) != 0 {
            while matchedB & (1 << UInt64(k)) == 0 { k += 1 }
            if a[i] != b[k] { transpositions += 1 }
            k += 1
        }
        let m = Double(matches)
        return (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions) / 2) / m) / 3
    }

    /// `jaro` for words longer than 64 characters, with arrays for the match flags.
    static func jaroLong(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        let window = max(0, max(a.count, b.count) / 2 - 1)
        var matchedA = [Bool](repeating: false, count: a.count)
        var matchedB = [Bool](repeating: false, count: b.count)
        var matches = 0
        for i in 0..<a.count {
            let lo = max(0, i - window)
            let hi = min(b.count - 1, i + window)
            guard lo <= hi else { continue }
            for k in lo...hi where !matchedB[k] && a[i] == b[k] {
                matchedA[i] = true
                matchedB[k] = true
                matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        var transpositions = 0
        var k = 0
        for i in 0..<a.count where matchedA[i] {
            while !matchedB[k] { k += 1 }
            if a[i] != b[k] { transpositions += 1 }
            k += 1
        }
        let m = Double(matches)
        return (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions) / 2) / m) / 3
    }
}
