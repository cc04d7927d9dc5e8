import Foundation

/// Data-driven customer buckets (seed 003): the few segments, industries, sizes or countries whose
/// accounts really differ in an outcome, named by the rule that picks them, instead of the many
/// that do not. A CHAID tree (Kass 1980): at each node every dimension's levels are merged while two
/// of them do not differ (2×2 chi-square p above `alphaMerge`, or a group below `minBucket`); the
/// merged groups are tested with one chi-square, its p multiplied by the number of ways the levels
/// could have been grouped (Bonferroni), by the number of dimensions tried at the node and by the
/// number of nodes at its depth (the product of the group counts above it); the best dimension
/// splits the node if that p is below `alpha`. The leaves are the buckets. Pure: the
/// caller gives one outcome (0/1) and one level per dimension for each unit (account).
public enum CustomerBuckets {
    public struct Dimension: Sendable {
        public var name: String
        /// Level names; for an ordered dimension in their order.
        public var levels: [String]
        /// Ordered levels (size bands) merge only with neighbours.
        public var ordered: Bool
        /// The level meaning "not known": it may join any group, also of an ordered dimension.
        public var unknownLevel: Int?
        public init(name: String, levels: [String], ordered: Bool = false, unknownLevel: Int? = nil) {
            self.name = name
            self.levels = levels
            self.ordered = ordered
            self.unknownLevel = unknownLevel
        }
    }

    public struct Settings: Sendable {
        /// A node splits when its best dimension's adjusted p is below this.
        public var alpha = 0.05
        /// Two groups merge while their 2×2 test's p is above this.
        public var alphaMerge = 0.05
        /// No bucket (and no group of a split) holds fewer units.
        public var minBucket = 30
        /// Conditions per bucket at most.
        public var maxDepth = 3
        public init(alpha: Double = 0.05, alphaMerge: Double = 0.05, minBucket: Int = 30, maxDepth: Int = 3) {
            self.alpha = alpha
            self.alphaMerge = alphaMerge
            self.minBucket = minBucket
            self.maxDepth = maxDepth
        }
    }

    public struct Condition: Sendable, Codable, Hashable {
        public var dimension: String
        public var levels: [String]
        public var text: String { "\(dimension): \(levels.joined(separator: " or "))" }
    }

    public struct Bucket: Sendable, Codable {
        /// The rule, e.g. `segment: Consulting · size: 1–49 or 50–199`; `everyone` at the root.
        public var name: String
        public var conditions: [Condition]
        public var units: Int
        public var outcomes: Int
        public var rate: Double
        /// The outcome rate of every unit outside the bucket.
        public var restRate: Double?
        /// rate − restRate with a 95% Wald interval (none when the bucket's rate is 0 or 1).
        public var difference: Double?
        public var low: Double?
        public var high: Double?
    }

    /// One dimension tried at one node: the groups its levels merged into and the adjusted test.
    public struct Test: Sendable, Codable {
        public var within: String
        public var dimension: String
        public var groups: [[String]]
        public var chiSquare: Double
        public var df: Int
        /// p × grouping multiplier × dimensions tried at the node × nodes at its depth, capped at 1.
        public var adjustedP: Double
        public var chosen: Bool
    }

    public struct Result: Sendable, Codable {
        public var units: Int
        public var outcomes: Int
        public var rate: Double
        /// Leaves, highest rate first.
        public var buckets: [Bucket]
        public var tests: [Test]
    }

    /// `values[d][u]`: unit u's level index in `dimensions[d].levels`.
    public static func find(
        outcome: [Bool], values: [[Int]], dimensions: [Dimension], settings: Settings = Settings()
    ) -> Result {
        precondition(values.count == dimensions.count && values.allSatisfy { $0.count == outcome.count })
        var finder = Finder(outcome: outcome, values: values, dimensions: dimensions, settings: settings)
        finder.grow(rows: Array(outcome.indices), conditions: [], used: [], nodes: 1)
        let total = outcome.count
        let positives = outcome.lazy.filter { $0 }.count
        var buckets: [Bucket] = []
        for leaf in finder.leaves {
            let n = leaf.rows.count
            let k = leaf.rows.lazy.filter { outcome[$0] }.count
            var b = Bucket(
                name: leaf.conditions.isEmpty ? "everyone" : leaf.conditions.map(\.text).joined(separator: " · "),
                conditions: leaf.conditions, units: n, outcomes: k, rate: n == 0 ? 0 : Double(k) / Double(n))
            let restN = total - n
            if restN > 0, n > 0 {
                let restRate = Double(positives - k) / Double(restN)
                let d = b.rate - restRate
                let se = (b.rate * (1 - b.rate) / Double(n) + restRate * (1 - restRate) / Double(restN)).squareRoot()
                b.restRate = restRate
                b.difference = d
                // A rate at 0 or 1 has no spread: a Wald interval would claim certainty it has not.
                if k > 0, k < n {
                    b.low = d - StandardNormal.z975 * se
                    b.high = d + StandardNormal.z975 * se
                }
            }
            buckets.append(b)
        }
        buckets.sort { ($0.rate, $1.name) > ($1.rate, $0.name) }
        return Result(
            units: total, outcomes: positives, rate: total == 0 ? 0 : Double(positives) / Double(total),
            buckets: buckets, tests: finder.tests)
    }

    /// Pearson's chi-square of an r×2 table given as (units, outcomes) per group, and its degrees of freedom.
    public static func chiSquare(_ groups: [(n: Int, k: Int)]) -> (statistic: Double, df: Int) {
        let n = groups.reduce(0) { $0 + $1.n }
        let k = groups.reduce(0) { $0 + $1.k }
        guard n > 0, k > 0, k < n, groups.count > 1 else { return (0, max(0, groups.count - 1)) }
        let p = Double(k) / Double(n)
        var stat = 0.0
        for g in groups where g.n > 0 {
            let e1 = Double(g.n) * p
            let e0 = Double(g.n) * (1 - p)
            stat += (Double(g.k) - e1) * (Double(g.k) - e1) / e1
            stat += (Double(g.n - g.k) - e0) * (Double(g.n - g.k) - e0) / e0
        }
        return (stat, groups.count - 1)
    }

    /// The number of ways `c` levels can be grouped into `r` groups (Kass's Bonferroni multiplier):
    /// nominal — the Stirling number of the second kind S(c, r); ordered — C(c − 1, r − 1).
    public static func groupings(levels c: Int, groups r: Int, ordered: Bool) -> Double {
        exp(logGroupings(levels: c, groups: r, ordered: ordered)).rounded()
    }

    /// log of `groupings`, by the recurrence S(n, k) = k S(n − 1, k) + S(n − 1, k − 1) in logs, so a
    /// dimension with hundreds of levels gets its (huge) multiplier instead of an overflow.
    public static func logGroupings(levels c: Int, groups r: Int, ordered: Bool) -> Double {
        guard r > 1, c > r else { return 0 }
        if ordered { return lgamma(Double(c)) - lgamma(Double(r)) - lgamma(Double(c - r + 1)) }
        // row[k] = log S(n, k) for the current n; −∞ for S = 0.
        var row = [Double](repeating: -.infinity, count: r + 1)
        row[0] = 0  // S(0, 0) = 1
        for _ in 1...c {
            for k in stride(from: r, through: 1, by: -1) {
                let a = row[k] == -.infinity ? -Double.infinity : log(Double(k)) + row[k]
                let b = row[k - 1]
                let high = max(a, b)
                row[k] = high == -.infinity ? -.infinity : high + log(exp(a - high) + exp(b - high))
            }
            row[0] = -.infinity
        }
        return row[r]
    }

    static func binomial(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, k <= n else { return 0 }
        var v = 1.0
        for i in 0..<min(k, n - k) { v = v * Double(n - i) / Double(i + 1) }
        return v.rounded()
    }

    struct Leaf {
        var rows: [Int]
        var conditions: [Condition]
    }

    struct Group {
        var levels: [Int]
        var n: Int
        var k: Int
    }

    struct Finder {
        let outcome: [Bool]
        let values: [[Int]]
        let dimensions: [Dimension]
        let settings: Settings
        var leaves: [Leaf] = []
        var tests: [Test] = []

        mutating func grow(rows: [Int], conditions: [Condition], used: Set<Int>, nodes: Int) {
            let within = conditions.isEmpty ? "everyone" : conditions.map(\.text).joined(separator: " · ")
            var candidates: [(dimension: Int, groups: [Group], chi: Double, df: Int, p: Double)] = []
            if conditions.count < settings.maxDepth, rows.count >= 2 * settings.minBucket {
                for d in dimensions.indices where !used.contains(d) {
                    let groups = merged(rows: rows, dimension: d)
                    let present = Set(rows.map { values[d][$0] }).count
                    guard present > 1 else { continue }
                    let (chi, df) = CustomerBuckets.chiSquare(groups.map { ($0.n, $0.k) })
                    let raw = df > 0 ? Distributions.chiSquareUpper(chi, df: Double(df)) : 1
                    let logMultiplier = logGroupings(
                        levels: present, groups: groups.count, ordered: dimensions[d].ordered)
                    candidates.append((d, groups, chi, df, raw > 0 ? min(1, exp(log(raw) + logMultiplier)) : 0))
                }
            }
            let tried = Double(candidates.count * nodes)
            let best = candidates.indices.min {
                (candidates[$0].p, candidates[$0].dimension) < (candidates[$1].p, candidates[$1].dimension)
            }
            let splits = best.map { candidates[$0].groups.count > 1 && candidates[$0].p * tried < settings.alpha }
            for (i, c) in candidates.enumerated() {
                tests.append(
                    Test(
                        within: within, dimension: dimensions[c.dimension].name,
                        groups: c.groups.map { $0.levels.map { dimensions[c.dimension].levels[$0] } }, chiSquare: c.chi,
                        df: c.df, adjustedP: min(1, c.p * tried), chosen: i == best && splits == true))
            }
            guard let best, splits == true else {
                leaves.append(Leaf(rows: rows, conditions: conditions))
                return
            }
            let d = candidates[best].dimension
            for group in candidates[best].groups {
                let members = Set(group.levels)
                let child = rows.filter { members.contains(values[d][$0]) }
                let condition = Condition(
                    dimension: dimensions[d].name, levels: group.levels.map { dimensions[d].levels[$0] })
                grow(
                    rows: child, conditions: conditions + [condition], used: used.union([d]),
                    nodes: nodes * candidates[best].groups.count)
            }
        }

        /// The levels present in `rows`, merged while two do not differ or one is too small.
        func merged(rows: [Int], dimension d: Int) -> [Group] {
            let dim = dimensions[d]
            var counts: [Int: (n: Int, k: Int)] = [:]
            for r in rows {
                let old = counts[values[d][r]] ?? (0, 0)
                counts[values[d][r]] = (old.n + 1, old.k + (outcome[r] ? 1 : 0))
            }
            var groups = counts.keys.sorted().map { Group(levels: [$0], n: counts[$0]!.n, k: counts[$0]!.k) }
            func mergeable(_ a: Group, _ b: Group) -> Bool {
                guard dim.ordered else { return true }
                let known = { (g: Group) in g.levels.filter { $0 != dim.unknownLevel } }
                let ka = known(a)
                let kb = known(b)
                if ka.isEmpty || kb.isEmpty { return true }
                // Neighbours among the levels present: nothing present lies between them.
                let present = groups.flatMap { known($0) }
                let (lo, hi) = ka.max()! < kb.min()! ? (ka.max()!, kb.min()!) : (kb.max()!, ka.min()!)
                return !present.contains { $0 > lo && $0 < hi }
            }
            func similarity(_ a: Group, _ b: Group) -> Double {
                let (chi, _) = CustomerBuckets.chiSquare([(a.n, a.k), (b.n, b.k)])
                return Distributions.chiSquareUpper(chi, df: 1)
            }
            while groups.count > 1 {
                let smallest = groups.indices.min { (groups[$0].n, $0) < (groups[$1].n, $1) }!
                var pick: (i: Int, j: Int, p: Double)?
                let small = groups[smallest].n < settings.minBucket
                for i in groups.indices {
                    for j in groups.indices where j > i && mergeable(groups[i], groups[j]) {
                        if small, i != smallest, j != smallest { continue }
                        let p = similarity(groups[i], groups[j])
                        if pick == nil || p > pick!.p { pick = (i, j, p) }
                    }
                }
                guard let pick, small || pick.p > settings.alphaMerge else { break }
                let a = groups[pick.i]
                let b = groups[pick.j]
                groups[pick.i] = Group(levels: (a.levels + b.levels).sorted(), n: a.n + b.n, k: a.k + b.k)
                groups.remove(at: pick.j)
            }
            return groups
        }
    }
}
