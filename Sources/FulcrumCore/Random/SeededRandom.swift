/// A small, fast, seedable generator (xoshiro256**), so the demo company is the
/// same on every machine and Swift version for a given seed — the system
/// generator gives no such promise.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Seeds the state with SplitMix64, as the xoshiro authors recommend.
    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix()
        s1 = splitmix()
        s2 = splitmix()
        s3 = splitmix()
    }

    /// An independent stream for one entity (an account, a month) of a run, so
    /// entities can be generated in any order and still get the same values.
    public init(seed: UInt64, stream: UInt64, salt: UInt64 = 0) {
        self.init(
            seed: seed &* 0x9E37_79B9_7F4A_7C15 ^ (stream &* 0xD1B5_4A32_D192_ED03) ^ (salt &* 0x8CB9_2BA7_2F3D_8DD7))
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Uniform integer in the closed range.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// Standard normal by Box–Muller (one value per call keeps the state simple).
    public mutating func normal() -> Double {
        var u = unit()
        while u <= 0 { u = unit() }
        return (-2 * Math.log(u)).squareRoot() * Math.cos(2 * Double.pi * unit())
    }

    /// Log-normal with the given median and log-space sigma: heavy-tailed sizes.
    public mutating func logNormal(median: Double, sigma: Double) -> Double {
        median * Math.exp(sigma * normal())
    }

    /// Poisson by inversion for small means, normal approximation above 30.
    public mutating func poisson(_ mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 30 { return max(0, Int((mean + mean.squareRoot() * normal()).rounded())) }
        let limit = Math.exp(-mean)
        var k = 0
        var p = unit()
        while p > limit {
            k += 1
            p *= unit()
        }
        return k
    }

    /// Exponential with the given mean.
    public mutating func exponential(mean: Double) -> Double {
        var u = unit()
        while u <= 0 { u = unit() }
        return -mean * Math.log(u)
    }

    /// Index drawn with probability proportional to the weights.
    public mutating func weightedIndex(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var x = unit() * total
        for (i, w) in weights.enumerated() {
            x -= w
            if x < 0 { return i }
        }
        return weights.count - 1
    }

    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}
