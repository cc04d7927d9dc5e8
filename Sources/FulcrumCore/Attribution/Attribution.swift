/// Multi-touch attribution: how much of a conversion's value each channel (or campaign) earns, by the
/// rule-based models and by the data-driven first-order Markov model (docs/attribution.md).
///
/// A journey is the ordered touches before one conversion (or before the data ends, when it never
/// converted). Rule-based models split each converted journey's value over its touches; the Markov
/// model learns transition probabilities from all journeys, converted or not, and credits each channel
/// with its normalized removal effect. Every model's credits sum to the attributed total.
public enum Attribution {
    public enum Model: String, CaseIterable, Sendable {
        case first, last, linear, position
        case timeDecay = "time-decay"
        case markov
    }

    /// Each channel's share of one journey's conversion under a rule-based model (shares sum to 1).
    /// `ages` are the touches' ages in days before the conversion (only time-decay reads them).
    public static func shares(
        _ model: Model, count: Int, ages: [Double] = [], halfLifeDays: Double = 7
    ) -> [Double] {
        guard count > 0 else { return [] }
        var w = [Double](repeating: 0, count: count)
        switch model {
        case .first: w[0] = 1
        case .last: w[count - 1] = 1
        case .linear: for i in 0..<count { w[i] = 1 / Double(count) }
        case .position:
            // 40% to the first touch, 40% to the last, 20% spread over the ones between; one touch takes
            // all, two touches half each.
            if count == 1 {
                w[0] = 1
            } else if count == 2 {
                w[0] = 0.5
                w[1] = 0.5
            } else {
                w[0] = 0.4
                w[count - 1] = 0.4
                for i in 1..<(count - 1) { w[i] = 0.2 / Double(count - 2) }
            }
        case .timeDecay:
            // Weight 2^(−age / half-life), normalized: a touch one half-life older counts half.
            var total = 0.0
            for i in 0..<count {
                let age = i < ages.count ? max(0, ages[i]) : 0
                w[i] = Math.pow(2, -age / halfLifeDays)
                total += w[i]
            }
            for i in 0..<count { w[i] /= total }
        case .markov:
            // The Markov model does not split journeys one by one (see MarkovChain).
            for i in 0..<count { w[i] = 1 / Double(count) }
        }
        return w
    }
}

/// The first-order Markov chain of journeys: states start, each channel, conversion and null. Built
/// from transition counts only (memory channels², whatever the number of journeys), solved exactly.
public struct MarkovChain: Sendable {
    /// Number of channels; channel states are 0..<n, start is n.
    public let channels: Int
    /// counts[from * (n + 3) + to]: from is a channel or start (n); to is a channel, start (unused),
    /// conversion (n + 1) or null (n + 2).
    public private(set) var counts: [Double]

    public init(channels: Int) {
        self.channels = channels
        counts = [Double](repeating: 0, count: (channels + 1) * (channels + 3))
    }

    var width: Int { channels + 3 }
    var conversion: Int { channels + 1 }
    var null: Int { channels + 2 }

    /// Adds one journey: its channel indexes in order (consecutive repeats kept), and whether it converted.
    public mutating func add(path: [Int], converted: Bool, weight: Double = 1) {
        guard !path.isEmpty else { return }
        var from = channels
        for c in path {
            counts[from * width + c] += weight
            from = c
        }
        counts[from * width + (converted ? conversion : null)] += weight
    }

    /// Adds one transition (for readers that see journeys touch by touch).
    public mutating func addTransition(from: Int?, to: Int?, converted: Bool = false, weight: Double = 1) {
        let f = from ?? channels
        let t = to ?? (converted ? conversion : null)
        counts[f * width + t] += weight
    }

    public mutating func merge(_ other: MarkovChain) {
        precondition(other.channels == channels)
        for i in counts.indices { counts[i] += other.counts[i] }
    }

    /// The same chain with `count` channels (new ones after the existing); counts keep their meaning.
    public mutating func grow(to count: Int) {
        guard count > channels else { return }
        var bigger = MarkovChain(channels: count)
        func map(_ s: Int) -> Int { s < channels ? s : s - channels + count }
        for from in 0...channels {
            for to in 0..<width where counts[from * width + to] != 0 {
                bigger.counts[map(from) * bigger.width + map(to)] = counts[from * width + to]
            }
        }
        self = bigger
    }

    public struct Solution: Sendable {
        /// Probability of reaching conversion from start.
        public var conversionProbability: Double
        /// Per channel: 1 − P(conversion without the channel) ÷ P(conversion); 0 for a channel never seen.
        public var removalEffects: [Double]
        /// Per channel: removal effect ÷ Σ removal effects (sums to 1 when any effect is positive).
        public var shares: [Double]
    }

    /// The exact absorbing-chain solution. With transient states T = {start, channels}, Q the transition
    /// probabilities within T and r those into conversion, x = (I − Q)⁻¹ r is each state's probability of
    /// converting. Removing channel k (its visits go to null) leaves x_start − h_k · x_k, where
    /// h_k = N[start][k] ÷ N[k][k] is the probability of ever reaching k from start and N = (I − Q)⁻¹;
    /// so one inverse gives every removal effect (no simulation, no re-solve per channel).
    public func solve() -> Solution {
        let n = channels
        let m = n + 1
        // I − Q over transient states (channels, then start), and r.
        var a = [Double](repeating: 0, count: m * m)
        var r = [Double](repeating: 0, count: m)
        var seen = [Bool](repeating: false, count: n)
        for from in 0..<m {
            var total = 0.0
            for to in 0..<width { total += counts[from * width + to] }
            a[from * m + from] = 1
            guard total > 0 else { continue }
            if from < n { seen[from] = true }
            // Nothing transitions into start: only channel columns of Q are filled.
            for to in 0..<n { a[from * m + to] -= counts[from * width + to] / total }
            r[from] = counts[from * width + conversion] / total
        }
        let inverse = Self.invert(a, m)
        var x = [Double](repeating: 0, count: m)
        for i in 0..<m {
            var s = 0.0
            for j in 0..<m { s += inverse[i * m + j] * r[j] }
            x[i] = s
        }
        let start = n
        let p = x[start]
        var effects = [Double](repeating: 0, count: n)
        for k in 0..<n where seen[k] && p > 0 {
            let hit = inverse[start * m + k] / inverse[k * m + k]
            let without = x[start] - hit * x[k]
            effects[k] = max(0, 1 - without / p)
        }
        let sum = effects.reduce(0, +)
        return Solution(
            conversionProbability: p, removalEffects: effects, shares: effects.map { sum > 0 ? $0 / sum : 0 })
    }

    /// The inverse of the m × m matrix `a` (row-major) by Gauss–Jordan elimination with partial pivoting.
    static func invert(_ a: [Double], _ m: Int) -> [Double] {
        var left = a
        var right = [Double](repeating: 0, count: m * m)
        for i in 0..<m { right[i * m + i] = 1 }
        for col in 0..<m {
            var pivot = col
            var best = abs(left[col * m + col])
            for row in (col + 1)..<max(col + 1, m) where abs(left[row * m + col]) > best {
                best = abs(left[row * m + col])
                pivot = row
            }
            if pivot != col {
                for j in 0..<m {
                    left.swapAt(col * m + j, pivot * m + j)
                    right.swapAt(col * m + j, pivot * m + j)
                }
            }
            let d = left[col * m + col]
            guard d != 0 else { continue }
            let inv = 1 / d
            for j in 0..<m {
                left[col * m + j] *= inv
                right[col * m + j] *= inv
            }
            for row in 0..<m where row != col {
                let f = left[row * m + col]
                guard f != 0 else { continue }
                for j in 0..<m {
                    left[row * m + j] -= f * left[col * m + j]
                    right[row * m + j] -= f * right[col * m + j]
                }
            }
        }
        return right
    }
}

/// Credits per channel under every requested model, accumulated journey by journey without allocating:
/// what a stream of millions of journeys needs.
public struct AttributionTally: Sendable {
    public private(set) var channels: [String]
    public let halfLifeDays: Double
    /// Rule-based models, in the order their credits are kept.
    static let ruleModels: [Attribution.Model] = [.first, .last, .linear, .position, .timeDecay]
    /// Per rule-based model (ruleModels order): conversions credited (fractional) and value credited, per channel.
    private var conversionCredits: [[Double]]
    private var valueCredits: [[Double]]
    public private(set) var chain: MarkovChain
    public private(set) var convertedJourneys = 0
    public private(set) var journeys = 0
    public private(set) var totalValue = 0.0
    /// With explain: the record of the journey being added (`opportunity:7`); its credits are kept per model
    /// and channel as (record, share, share × value), and the Markov model's as the journeys through the channel.
    public var explainRecord: String?
    public private(set) var explained: [[[(record: String, share: Double, value: Double)]]] = []
    public private(set) var markovRecords: [[String]] = []

    public init(channels: [String], halfLifeDays: Double = 7) {
        self.channels = channels
        self.halfLifeDays = halfLifeDays
        chain = MarkovChain(channels: channels.count)
        conversionCredits = Array(repeating: Array(repeating: 0, count: channels.count), count: Self.ruleModels.count)
        valueCredits = conversionCredits
    }

    /// Channels met after the tally began (a streamed file names them as they come).
    public mutating func addChannels<C: Collection>(_ names: C) where C.Element == String {
        channels.append(contentsOf: names)
        for m in conversionCredits.indices {
            conversionCredits[m].append(contentsOf: repeatElement(0, count: names.count))
            valueCredits[m].append(contentsOf: repeatElement(0, count: names.count))
        }
        chain.grow(to: channels.count)
    }

    @inline(__always)
    private mutating func credit(_ model: Int, _ channel: Int, _ share: Double, _ value: Double) {
        conversionCredits[model][channel] += share
        valueCredits[model][channel] += share * value
        if let record = explainRecord {
            if explained.count < Self.ruleModels.count {
                explained = Array(repeating: [], count: Self.ruleModels.count)
            }
            while explained[model].count < channels.count { explained[model].append([]) }
            explained[model][channel].append((record, share, share * value))
        }
    }

    /// One journey: channel indexes in order, touch ages in days before the conversion (empty when unknown:
    /// time-decay then credits nothing for it), whether it converted and its value. The shares are those of
    /// `Attribution.shares`.
    public mutating func add(path: [Int], ages: [Double] = [], converted: Bool, value: Double) {
        guard !path.isEmpty else { return }
        journeys += 1
        chain.add(path: path, converted: converted)
        guard converted else { return }
        convertedJourneys += 1
        totalValue += value
        if let record = explainRecord {
            while markovRecords.count < channels.count { markovRecords.append([]) }
            for c in Set(path) { markovRecords[c].append(record) }
        }
        let n = path.count
        credit(0, path[0], 1, value)
        credit(1, path[n - 1], 1, value)
        let even = 1 / Double(n)
        for c in path { credit(2, c, even, value) }
        if n <= 2 {
            for c in path { credit(3, c, even, value) }
        } else {
            credit(3, path[0], 0.4, value)
            credit(3, path[n - 1], 0.4, value)
            let middle = 0.2 / Double(n - 2)
            for i in 1..<(n - 1) { credit(3, path[i], middle, value) }
        }
        if ages.count == n {
            var total = 0.0
            for a in ages { total += Math.pow(2, -max(0, a) / halfLifeDays) }
            for (i, c) in path.enumerated() {
                credit(4, c, Math.pow(2, -max(0, ages[i]) / halfLifeDays) / total, value)
            }
        }
    }

    public mutating func merge(_ other: AttributionTally) {
        chain.merge(other.chain)
        convertedJourneys += other.convertedJourneys
        journeys += other.journeys
        totalValue += other.totalValue
        for m in conversionCredits.indices {
            for i in channels.indices {
                conversionCredits[m][i] += other.conversionCredits[m][i]
                valueCredits[m][i] += other.valueCredits[m][i]
            }
        }
    }

    /// Conversions and value per channel under `model`; the Markov model's are its shares of the totals.
    public func credits(_ model: Attribution.Model, solution: MarkovChain.Solution? = nil)
        -> (conversions: [Double], values: [Double])
    {
        guard let m = Self.ruleModels.firstIndex(of: model) else {
            let shares = (solution ?? chain.solve()).shares
            return (shares.map { $0 * Double(convertedJourneys) }, shares.map { $0 * totalValue })
        }
        return (conversionCredits[m], valueCredits[m])
    }
}
