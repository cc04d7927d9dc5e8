import Testing

@testable import FulcrumCore

/// Assignment (deterministic, stratified, stable) and the experiment's statistics on the demo
/// company: an A/A split's false-positive rate stays near 5%, and a planted effect is detected at
/// about the power the design promised.
@Suite("Experiment design and assignment")
struct ExperimentDesignTests {
    static func definition(_ name: String, weights: [Double] = [1, 1], metric: ExperimentMetric = .converted)
        -> ExperimentDefinition
    {
        ExperimentDefinition(
            name: name, hypothesis: "h", eligibility: .init(),
            arms: weights.enumerated().map {
                .init(name: $0.offset == 0 ? "control" : "arm\($0.offset)", weight: $0.element)
            },
            primaryMetric: metric, guardrails: [], start: Day(iso: "2025-11-01")!, plannedEnd: Day(iso: "2026-10-31")!,
            minimumEffect: 0.05, createdOn: Day(iso: "2025-10-31")!)
    }

    @Test("assignment is deterministic, balanced within every stratum, and stable as accounts arrive")
    func assignment() {
        var eligible: [Int64: String] = [:]
        for id in 1...2_000 {
            eligible[Int64(id)] = ["Tech", "Telecom", "Consulting"][id % 3] + (id % 7 == 0 ? "·big" : "")
        }
        let e = Self.definition("pilot")
        let a = ExperimentAssignment.assign(experiment: e, eligible: eligible, existing: [])
        let b = ExperimentAssignment.assign(experiment: e, eligible: eligible, existing: [])
        #expect(a == b)
        // Another experiment orders accounts differently.
        let other = ExperimentAssignment.assign(experiment: Self.definition("other"), eligible: eligible, existing: [])
        #expect(
            Dictionary(uniqueKeysWithValues: a.map { ($0.accountId, $0.arm) })
                != Dictionary(uniqueKeysWithValues: other.map { ($0.accountId, $0.arm) }))
        func balance(_ entries: [ExperimentAssignment.Entry]) -> Int {
            var counts: [String: [String: Int]] = [:]
            for e in entries { counts[e.stratum, default: [:]][e.arm, default: 0] += 1 }
            return counts.values.map { abs(($0["control"] ?? 0) - ($0["arm1"] ?? 0)) }.max() ?? 0
        }
        #expect(balance(a) <= 1)
        // New accounts later: the first assignments never change, balance holds.
        var more = eligible
        for id in 2_001...2_600 { more[Int64(id)] = ["Tech", "Telecom", "Consulting"][id % 3] }
        let added = ExperimentAssignment.assign(experiment: e, eligible: more, existing: a)
        #expect(added.count == 600)
        #expect(Set(added.map(\.accountId)).isDisjoint(with: Set(a.map(\.accountId))))
        #expect(balance(a + added) <= 1)
        // Unequal weights: 1:3 within a point of 25% / 75%.
        let weighted = ExperimentAssignment.assign(
            experiment: Self.definition("w", weights: [1, 3]), eligible: eligible, existing: [])
        let control = Double(weighted.filter { $0.arm == "control" }.count) / Double(weighted.count)
        #expect(abs(control - 0.25) < 0.01)
        // A sample-ratio check of the real assignment passes.
        let counts = ["control", "arm1"].map { arm in a.filter { $0.arm == arm }.count }
        #expect(!ExperimentStatistics.sampleRatio(counts: counts, weights: [1, 1]).mismatch)
    }

    static let context: MetricContext = try! MetricContext(inputs: DemoInputs.make(seed: 4, accounts: 4_000))

    /// Accounts existing before the window and their `converted` outcome over it.
    static func population() throws -> [(id: Int64, segment: String, y: Double)] {
        let e = definition("population")
        let eligible = ExperimentData.eligible(e, context: context, asOf: e.start - 1)
        let ids = eligible.keys.sorted()
        let y = try ExperimentData.outcomes(.converted, accounts: ids, window: e.start...e.plannedEnd, context: context)
        return ids.map { ($0, eligible[$0]!, y[$0]!!) }
    }

    @Test("A/A on the demo company: over 400 stratified random splits, about 5% are called significant")
    func aaFalsePositives() throws {
        let people = try Self.population()
        let eligible = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0.segment) })
        let outcome = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0.y) })
        var significant = 0
        let repetitions = 400
        for r in 0..<repetitions {
            let split = ExperimentAssignment.assign(
                experiment: Self.definition("aa-\(r)"), eligible: eligible, existing: [])
            let rows = split.map { ExperimentAnalysis.Row(arm: $0.arm, values: [outcome[$0.accountId]!]) }
            let a = try ExperimentAnalysis.run(rows: rows, metrics: ["converted"], arms: ["control", "arm1"])
            if a.comparisons[0].pValue < 0.05 { significant += 1 }
        }
        let rate = Double(significant) / Double(repetitions)
        #expect(rate > 0.025 && rate < 0.08, "false-positive rate \(rate)")
    }

    @Test("A/B with a planted lift: detected at about the design's 80% power")
    func abPower() throws {
        let people = try Self.population()
        let p0 = people.reduce(0) { $0 + $1.y } / Double(people.count)
        let lift = 0.06
        let n = Int(
            ExperimentPower.sampleSize(
                effect: ExperimentPower.proportionEffect(baseline: p0, treatment: p0 + lift), power: 0.8
            ).rounded(.up))
        #expect(2 * n <= people.count, "the demo has \(people.count) accounts; the design needs \(2 * n)")
        var rng = SeededRandom(seed: 77, stream: 1, salt: 9)
        var detected = 0
        let repetitions = 300
        for _ in 0..<repetitions {
            // Draw 2n accounts; the treated half gets the planted lift (a non-converter converts with q).
            var pool = people
            for i in 0..<(2 * n) {
                let j = i + Int(rng.unit() * Double(pool.count - i))
                pool.swapAt(i, j)
            }
            let q = lift / (1 - p0)
            var rows: [ExperimentAnalysis.Row] = []
            for i in 0..<(2 * n) {
                let treated = i >= n
                var y = pool[i].y
                if treated && y == 0 && rng.unit() < q { y = 1 }
                rows.append(.init(arm: treated ? "arm1" : "control", values: [y]))
            }
            let a = try ExperimentAnalysis.run(rows: rows, metrics: ["converted"], arms: ["control", "arm1"])
            if a.comparisons[0].pValue < 0.05 { detected += 1 }
        }
        let power = Double(detected) / Double(repetitions)
        #expect(power > 0.72 && power < 0.88, "detected \(power) of the time at n = \(n) per arm, baseline \(p0)")
    }

    @Test("design: sample size from the baseline, duration from the flow of eligible accounts")
    func design() {
        let e = Self.definition("d")
        let baseline = ExperimentData.Baseline(window: "", accounts: 1_000, mean: 0.10, standardDeviation: 0.3)
        let d = ExperimentDesign.make(e, baseline: baseline, eligibleNow: 500, monthlyFlow: 100)
        // statsmodels: NormalIndPower().solve_power(proportion_effectsize(0.15, 0.10), power=0.8) = 680.3 → 681.
        #expect(d.controlArm == 681)
        #expect(d.total == 1_362)
        #expect(abs(d.monthsNeeded! - 8.62) < 1e-9)
    }
}
