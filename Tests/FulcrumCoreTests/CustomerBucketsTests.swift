import Foundation
import Testing

@testable import FulcrumCore

/// Customer buckets (CHAID) and the motivational-indicator table: the tests worked by hand, then the
/// demo company, whose planted segment story must come out as the buckets and whose planted
/// pre-churn and lead-response signals must lead the indicator table.
@Suite("Customer buckets and motivational indicators")
struct CustomerBucketsTests {
    @Test("chi-square of a 2×2 table and the grouping multipliers, by hand")
    func handWorked() {
        // (20 of 100) vs (40 of 100): expected 30/70 in each row.
        let (chi, df) = CustomerBuckets.chiSquare([(100, 20), (100, 40)])
        #expect(abs(chi - (100.0 / 30 * 2 + 100.0 / 70 * 2)) < 1e-12)
        #expect(df == 1)
        #expect(CustomerBuckets.groupings(levels: 4, groups: 2, ordered: false) == 7)
        #expect(CustomerBuckets.groupings(levels: 5, groups: 3, ordered: false) == 25)
        #expect(CustomerBuckets.groupings(levels: 10, groups: 3, ordered: false) == 9_330)
        #expect(CustomerBuckets.groupings(levels: 5, groups: 2, ordered: true) == 4)
        #expect(CustomerBuckets.groupings(levels: 6, groups: 3, ordered: true) == 10)
        #expect(CustomerBuckets.groupings(levels: 3, groups: 3, ordered: false) == 1)
        // Hundreds of levels: S(300, 12) ≈ 12³⁰⁰ ÷ 12! overflows a Double; its log does not.
        let log12 = CustomerBuckets.logGroupings(levels: 300, groups: 12, ordered: false)
        #expect(abs(log12 - (300 * log(12.0) - lgamma(13.0))) < 1e-6, "\(log12)")
    }

    /// 200 units per level of A; outcome rate 20% for a1 and a2, 50% for a3, the same in every level
    /// of the noise dimension B.
    static func planted() -> (outcome: [Bool], values: [[Int]], dims: [CustomerBuckets.Dimension]) {
        var outcome: [Bool] = []
        var a: [Int] = []
        var b: [Int] = []
        for level in 0..<3 {
            let positives = level == 2 ? 5 : 2  // of every 10
            for i in 0..<200 {
                a.append(level)
                b.append((i / 10) % 4)
                outcome.append(i % 10 < positives)
            }
        }
        let dims = [
            CustomerBuckets.Dimension(name: "A", levels: ["a1", "a2", "a3"]),
            CustomerBuckets.Dimension(name: "B", levels: ["b1", "b2", "b3", "b4"]),
        ]
        return (outcome, [a, b], dims)
    }

    @Test("the level that differs is its own bucket, the alike levels merge, the noise dimension never splits")
    func plantedSplit() throws {
        let (outcome, values, dims) = Self.planted()
        let result = CustomerBuckets.find(outcome: outcome, values: values, dimensions: dims)
        #expect(result.buckets.map(\.name) == ["A: a3", "A: a1 or a2"])
        let top = result.buckets[0]
        #expect(top.units == 200 && top.outcomes == 100 && top.rate == 0.5)
        #expect(top.restRate == 0.2)
        let se = (0.25 / 200 + 0.16 / 400).squareRoot()
        #expect(abs(top.difference! - 0.3) < 1e-12)
        #expect(abs(top.low! - (0.3 - 1.959963984540054 * se)) < 1e-12)
        #expect(abs(top.high! - (0.3 + 1.959963984540054 * se)) < 1e-12)
        // B was tried at the root and in both children, and made no difference anywhere.
        let b = result.tests.filter { $0.dimension == "B" }
        #expect(b.count == 3 && b.allSatisfy { !$0.chosen && $0.groups.count == 1 })
        let root = try #require(result.tests.first { $0.within == "everyone" && $0.dimension == "A" })
        #expect(root.chosen && root.groups == [["a1", "a2"], ["a3"]])
        // Adjusted p = p(χ² = 57.14, 1 df) × 3 groupings × 2 dimensions.
        let chi = 40.0 * 40 / 120 + 40.0 * 40 / 280 + 40.0 * 40 / 60 + 40.0 * 40 / 140
        #expect(abs(root.chiSquare - chi) < 1e-9)
        #expect(abs(root.adjustedP - Distributions.chiSquareUpper(chi, df: 1) * 3 * 2) < 1e-15)
    }

    @Test("ordered levels merge only with neighbours; a level below the minimum joins the most similar")
    func orderedAndSmall() {
        // Rates 10%, 10%, 40%, 10% over four ordered sizes of 200 units.
        var outcome: [Bool] = []
        var size: [Int] = []
        for (level, positives) in [1, 1, 4, 1].enumerated() {
            for i in 0..<200 {
                size.append(level)
                outcome.append(i % 10 < positives)
            }
        }
        let ordered = CustomerBuckets.Dimension(name: "size", levels: ["s1", "s2", "s3", "s4"], ordered: true)
        let nominal = CustomerBuckets.Dimension(name: "size", levels: ["s1", "s2", "s3", "s4"])
        let byOrder = CustomerBuckets.find(outcome: outcome, values: [size], dimensions: [ordered])
        #expect(byOrder.buckets.map(\.name).sorted() == ["size: s1 or s2", "size: s3", "size: s4"])
        let byName = CustomerBuckets.find(outcome: outcome, values: [size], dimensions: [nominal])
        #expect(byName.buckets.map(\.name) == ["size: s3", "size: s1 or s2 or s4"])
        // Ten units of a fifth level with a rate like s3's still join a group: no bucket under 30.
        var small = outcome
        var smallSize = size
        for i in 0..<10 {
            small.append(i < 4)
            smallSize.append(4)
        }
        let five = CustomerBuckets.Dimension(name: "size", levels: ["s1", "s2", "s3", "s4", "s5"])
        let merged = CustomerBuckets.find(outcome: small, values: [smallSize], dimensions: [five])
        #expect(merged.buckets.allSatisfy { $0.units >= 30 })
        #expect(merged.buckets.contains { $0.name == "size: s3 or s5" })
    }

    @Test("indicator cuts and rates by hand; Pearson's r by hand")
    func indicatorTable() throws {
        #expect(MotivationalIndicators.cutting([0, 1, 1, 0]).0 == "0 vs 1")
        #expect(MotivationalIndicators.cutting([0, 3, 0, 2]) == ("0 vs > 0", [0, 2, 0, 2]))
        let (cut, groups) = MotivationalIndicators.cutting([1, 2, 3, 4, 5, 6, 7, 8])
        #expect(cut == "≤ 2 vs ≥ 6" && groups == [0, 0, 1, 1, 1, 2, 2, 2])
        // Two columns: a flag and a score; four accounts, two rows each.
        let names = ["flag", "score"]
        let x: [Double] = [0, 1, 0, 2, 0, 3, 0, 4, 1, 5, 1, 6, 1, 7, 1, .nan]
        let y: [Double] = [0, 0, 0, 1, 1, 1, 0, 1]
        let cluster: [Int64] = [1, 1, 2, 2, 3, 3, 4, 4]
        let rows = MotivationalIndicators.table(
            names: names, x: x, y: y, cluster: cluster, indicators: [.init("flag", .process)], feedback: ["score"])
        let flag = try #require(rows.first)
        #expect(flag.rateLow == 0.25 && flag.rateHigh == 0.75 && flag.difference == 0.5)
        #expect(flag.lowRows == 4 && flag.highRows == 4 && flag.known == 8)
        // r(flag, score) over the seven rows where both are known.
        let f: [Double] = [0, 0, 0, 0, 1, 1, 1]
        let s: [Double] = [1, 2, 3, 4, 5, 6, 7]
        let mf = f.reduce(0, +) / 7
        let ms = s.reduce(0, +) / 7
        let cov = zip(f, s).reduce(0) { $0 + ($1.0 - mf) * ($1.1 - ms) }
        let r =
            cov / (f.reduce(0) { $0 + ($1 - mf) * ($1 - mf) } * s.reduce(0) { $0 + ($1 - ms) * ($1 - ms) }).squareRoot()
        #expect(abs(flag.correlations[0]! - r) < 1e-12)
        // A group whose rate is 0 or 1 gets no interval.
        let certain = MotivationalIndicators.table(
            names: names, x: x, y: [0, 0, 0, 0, 1, 1, 1, 1], cluster: cluster, indicators: [.init("flag", .process)],
            feedback: [])
        #expect(certain[0].p == nil && certain[0].low == nil)
    }

    static let context = try! MetricContext(inputs: DemoInputs.make(seed: 5, accounts: 3_000))

    @Test(
        "demo: churn and win buckets follow the segments (Consulting churns most, Tech least); industry and country never split"
    )
    func demoBuckets() throws {
        let c = Self.context
        for outcome in [BucketOutcomes.Outcome.churn, .win] {
            let units = BucketOutcomes.units(c, outcome: outcome)
            let (dims, values) = BucketOutcomes.dimensions(
                c, accounts: units.map(\.account), names: BucketOutcomes.dimensionNames(c))
            let result = CustomerBuckets.find(outcome: units.map(\.happened), values: values, dimensions: dims)
            let root = try #require(result.tests.first { $0.chosen && $0.within == "everyone" })
            #expect(root.dimension == "segment", "\(outcome): \(result.tests.filter(\.chosen))")
            for b in result.buckets {
                #expect(!b.conditions.contains { ["country", "industry"].contains($0.dimension) }, "\(b.name)")
            }
            if outcome == .churn {
                // Planted annual churn: Tech 8%, Telecom 15%, Consulting 22% (Telecom may pool with either).
                let top = result.buckets[0]
                let bottom = result.buckets[result.buckets.count - 1]
                let topLevels = try #require(top.conditions.first?.levels)
                let bottomLevels = try #require(bottom.conditions.first?.levels)
                #expect(
                    topLevels.contains("Consulting") && !topLevels.contains("Tech"), "\(result.buckets.map(\.name))")
                #expect(bottomLevels.contains("Tech") && !bottomLevels.contains("Consulting"))
                #expect(top.low! > 0)
            }
        }
    }

    @Test("demo: the planted pre-churn signals and lead-response effects lead the indicator table")
    func demoIndicators() throws {
        let sections = IndicatorStages.sections(Self.context)
        func row(_ stage: String, _ outcome: String, _ name: String) throws -> MotivationalIndicators.Row {
            let s = try #require(sections.first { $0.stage == stage && $0.outcome == outcome })
            return try #require(s.table.first { $0.indicator == name })
        }
        for (name, up) in [("urgent_tickets_90d", true), ("detractors_120d", true), ("active_users_trend", false)] {
            let r = try row("customer", "churn", name)
            #expect((r.difference > 0) == up && r.p! < 0.01, "\(name): \(r)")
        }
        for name in ["fast_response", "webinars"] {
            let r = try row("lead", "opportunity", name)
            #expect(r.difference > 0 && r.p! < 0.01, "\(name): \(r)")
        }
        let opens = try row("lead", "opportunity", "email_opens")
        #expect(opens.p.map { $0 > 0.01 } ?? true, "\(opens)")
        // Detractors and the last NPS move together, as the survey says they must.
        let detractors = try row("customer", "churn", "detractors_120d")
        #expect(detractors.correlations[0]! < -0.3)
    }
}
