/// How alike two normalized company names are, from 0 (nothing shared) to 1
/// (the same key).
///
/// Two views, and the higher wins:
/// - **fuzzy token set**: words are paired greedily when their Jaro-Winkler
///   similarity is at least 0.9, and the score is the share of characters that
///   sit in paired words (weighted by the pair's similarity). Word order does not
///   matter; an extra distinctive word (`Acme Europe` vs `Acme Asia`, `Acme` vs
///   `Acme Labs`) costs its whole length, which is what keeps lookalike
///   siblings apart.
/// - **edit ratio** on the keys: 1 − Levenshtein distance ÷ longer key length,
///   which forgives typos and words run together (`Copper Analytics Telecomm`).
public enum NameSimilarity {
    public static func score(_ a: CompanyName, _ b: CompanyName) -> Double {
        score(Shape(a), Shape(b), atLeast: 0)
    }

    /// A name's key and words as scalar arrays, computed once per account.
    struct Shape {
        let key: [Unicode.Scalar]
        let words: [[Unicode.Scalar]]
        let wordLength: Int
        init(_ name: CompanyName) {
            key = Array(name.key.unicodeScalars)
            words = name.words.map { Array($0.unicodeScalars) }
            wordLength = words.reduce(0) { $0 + $1.count }
        }
    }

    /// The similarity when it is at least `floor`; some smaller value otherwise
    /// (the edit distance stops early once the ratio cannot reach the floor).
    static func score(_ a: Shape, _ b: Shape, atLeast floor: Double) -> Double {
        if a.key == b.key { return a.key.isEmpty ? 0 : 1 }
        guard !a.key.isEmpty, !b.key.isEmpty else { return 0 }
        let tokens = tokenSet(a.words, b.words, total: a.wordLength + b.wordLength)
        let longer = max(a.key.count, b.key.count)
        let bar = max(floor, tokens)
        let maxDistance = Int(((1 - bar) * Double(longer)).rounded(.down))
        guard let distance = levenshtein(a.key, b.key, atMost: maxDistance) else { return tokens }
        return max(tokens, 1 - Double(distance) / Double(longer))
    }

    /// Fuzzy token-set similarity (see the type's comment).
    public static func tokenSet(_ a: [String], _ b: [String]) -> Double {
        let sa = a.map { Array($0.unicodeScalars) }, sb = b.map { Array($0.unicodeScalars) }
        return tokenSet(sa, sb, total: sa.reduce(0) { $0 + $1.count } + sb.reduce(0) { $0 + $1.count })
    }

    static func tokenSet(_ sa: [[Unicode.Scalar]], _ sb: [[Unicode.Scalar]], total: Int) -> Double {
        guard total > 0 else { return 0 }
        var pairs: [(sim: Double, i: Int, j: Int)] = []
        for i in sa.indices {
            for j in sb.indices {
                let sim = sa[i] == sb[j] ? 1 : jaroWinkler(sa[i], sb[j])
                if sim >= 0.9 { pairs.append((sim, i, j)) }
            }
        }
        if pairs.count > 1 { pairs.sort { $0.sim != $1.sim ? $0.sim > $1.sim : ($0.i, $0.j) < ($1.i, $1.j) } }
        var usedA = [Bool](repeating: false, count: sa.count), usedB = [Bool](repeating: false, count: sb.count)
        var matched = 0.0
        for p in pairs where !usedA[p.i] && !usedB[p.j] {
            usedA[p.i] = true; usedB[p.j] = true
            matched += p.sim * Double(sa[p.i].count + sb[p.j].count)
        }
        return matched / Double(total)
    }

    /// 1 − Levenshtein distance ÷ the longer length.
    public static func editRatio(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        let longer = max(a.count, b.count)
        guard longer > 0 else { return 1 }
        return 1 - Double(levenshtein(a, b)) / Double(longer)
    }

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
            let lo = max(1, i - limit), hi = min(b.count, i + limit)
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
        let window = max(0, max(a.count, b.count) / 2 - 1)
        var matchedA = [Bool](repeating: false, count: a.count)
        var matchedB = [Bool](repeating: false, count: b.count)
        var matches = 0
        for i in 0..<a.count {
            let lo = max(0, i - window), hi = min(b.count - 1, i + window)
            guard lo <= hi else { continue }
            for k in lo...hi where !matchedB[k] && a[i] == b[k] {
                matchedA[i] = true; matchedB[k] = true; matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        var transpositions = 0, k = 0
        for i in 0..<a.count where matchedA[i] {
            while !matchedB[k] { k += 1 }
            if a[i] != b[k] { transpositions += 1 }
            k += 1
        }
        let m = Double(matches)
        return (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions) / 2) / m) / 3
    }
}
