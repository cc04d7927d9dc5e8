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
        if a.key == b.key { return a.key.isEmpty ? 0 : 1 }
        let ka = Array(a.key.unicodeScalars), kb = Array(b.key.unicodeScalars)
        guard !ka.isEmpty, !kb.isEmpty else { return 0 }
        return max(tokenSet(a.words, b.words), editRatio(ka, kb))
    }

    /// Fuzzy token-set similarity (see the type's comment).
    public static func tokenSet(_ a: [String], _ b: [String]) -> Double {
        let sa = a.map { Array($0.unicodeScalars) }, sb = b.map { Array($0.unicodeScalars) }
        let total = sa.reduce(0) { $0 + $1.count } + sb.reduce(0) { $0 + $1.count }
        guard total > 0 else { return 0 }
        var pairs: [(sim: Double, i: Int, j: Int)] = []
        for (i, x) in sa.enumerated() {
            for (j, y) in sb.enumerated() {
                let sim = x == y ? 1 : jaroWinkler(x, y)
                if sim >= 0.9 { pairs.append((sim, i, j)) }
            }
        }
        pairs.sort { $0.sim != $1.sim ? $0.sim > $1.sim : ($0.i, $0.j) < ($1.i, $1.j) }
        var usedA = Set<Int>(), usedB = Set<Int>()
        var matched = 0.0
        for p in pairs where !usedA.contains(p.i) && !usedB.contains(p.j) {
            usedA.insert(p.i); usedB.insert(p.j)
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
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
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
