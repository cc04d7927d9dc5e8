/// The analysis of one experiment's per-account outcomes: for every metric and every treatment arm
/// against control, the counts, rates or means, and the tests the metric calls for — a
/// two-proportion z-test for a 1/0 outcome (with Cochran–Mantel–Haenszel when strata are given),
/// Welch's t-test and Mann–Whitney for an amount, CUPED with a pre-period value — plus the
/// sample-ratio check of the arms against their planned allocation.
public struct ExperimentAnalysis: Sendable, Codable, Equatable {
    public struct ArmSummary: Sendable, Codable, Equatable {
        public var arm: String
        public var accounts: Int
        /// Accounts with a value for the metric (a blank is not a zero).
        public var measured: Int
        public var mean: Double
    }

    public struct Comparison: Sendable, Codable, Equatable {
        public var metric: String
        /// `binary` (every value 0 or 1) or `amount`.
        public var kind: String
        public var arm: String
        public var control: String
        public var arms: [ArmSummary]
        public var difference: Double
        public var zTest: ExperimentStatistics.ProportionTest?
        public var welch: ExperimentStatistics.WelchTest?
        public var mannWhitney: ExperimentStatistics.MannWhitneyTest?
        public var cmh: ExperimentStatistics.CMHTest?
        public var cuped: ExperimentStatistics.CUPEDTest?
        /// The p-value the call rests on: CUPED's when there is a pre-period, else the z-test's or Welch's.
        public var pValue: Double
        public var ciLow: Double
        public var ciHigh: Double
        public var srm: ExperimentStatistics.SampleRatioTest
    }

    /// One account's row: its arm, optional stratum, a value per metric (nil = blank), optional pre-period value per metric.
    public struct Row: Sendable {
        public var arm: String
        public var stratum: String?
        public var values: [Double?]
        public var pre: [Double?]
        public init(arm: String, stratum: String? = nil, values: [Double?], pre: [Double?] = []) {
            self.arm = arm
            self.stratum = stratum
            self.values = values
            self.pre = pre
        }
    }

    public var arms: [String]
    public var control: String
    public var srm: ExperimentStatistics.SampleRatioTest
    public var comparisons: [Comparison]

    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// `weights` are the planned allocation per arm (equal when nil); `arms` lists arm names in order
    /// (control first unless `control` names another).
    public static func run(
        rows: [Row], metrics: [String], arms given: [String]? = nil, control: String? = nil,
        weights: [Double]? = nil, alpha: Double = 0.05
    ) throws -> ExperimentAnalysis {
        var arms = given ?? []
        if given == nil { for r in rows where !arms.contains(r.arm) { arms.append(r.arm) } }
        let control = control ?? arms.first ?? ""
        guard arms.contains(control) else {
            throw Problem(description: "no arm '\(control)'; the arms are \(arms.joined(separator: ", "))")
        }
        if given == nil { arms = [control] + arms.filter { $0 != control } }
        guard arms.count >= 2 else {
            throw Problem(description: "an experiment needs at least two arms; found \(arms.joined(separator: ", "))")
        }
        let counts = arms.map { a in rows.filter { $0.arm == a }.count }
        let srm = ExperimentStatistics.sampleRatio(
            counts: counts, weights: weights ?? Array(repeating: 1, count: arms.count))
        var comparisons: [Comparison] = []
        for (m, metric) in metrics.enumerated() {
            let values = rows.compactMap { $0.values[m] }
            let binary = !values.isEmpty && values.allSatisfy { $0 == 0 || $0 == 1 }
            func measured(_ arm: String) -> [Row] { rows.filter { $0.arm == arm && $0.values[m] != nil } }
            let summaries = arms.map { a -> ArmSummary in
                let r = measured(a)
                let mean = r.isEmpty ? 0 : r.reduce(0) { $0 + $1.values[m]! } / Double(r.count)
                return ArmSummary(arm: a, accounts: rows.filter { $0.arm == a }.count, measured: r.count, mean: mean)
            }
            let c = measured(control)
            for arm in arms where arm != control {
                let t = measured(arm)
                guard c.count >= 2, t.count >= 2 else {
                    throw Problem(
                        description: "\(metric): needs at least two measured accounts in \(control) and \(arm)")
                }
                let cv = c.map { $0.values[m]! }
                let tv = t.map { $0.values[m]! }
                var comparison = Comparison(
                    metric: metric, kind: binary ? "binary" : "amount", arm: arm, control: control,
                    arms: summaries.filter { $0.arm == arm || $0.arm == control }, difference: 0, pValue: 1,
                    ciLow: 0, ciHigh: 0, srm: srm)
                if binary {
                    let z = ExperimentStatistics.proportions(
                        control: Int(cv.reduce(0, +)), of: cv.count, treatment: Int(tv.reduce(0, +)), of: tv.count,
                        alpha: alpha)
                    comparison.zTest = z
                    comparison.difference = z.difference
                    comparison.pValue = z.pValue
                    comparison.ciLow = z.ciLow
                    comparison.ciHigh = z.ciHigh
                    if rows.contains(where: { $0.stratum != nil }) {
                        var strata: [String] = []
                        for r in c + t { if let s = r.stratum, !strata.contains(s) { strata.append(s) } }
                        comparison.cmh = ExperimentStatistics.cochranMantelHaenszel(
                            strata.map { s in
                                let ts = t.filter { $0.stratum == s }.map { $0.values[m]! }
                                let cs = c.filter { $0.stratum == s }.map { $0.values[m]! }
                                let a = ts.reduce(0, +)
                                let cc = cs.reduce(0, +)
                                return (a, Double(ts.count) - a, cc, Double(cs.count) - cc)
                            })
                    }
                } else {
                    let w = ExperimentStatistics.welch(control: cv, treatment: tv, alpha: alpha)
                    comparison.welch = w
                    comparison.mannWhitney = ExperimentStatistics.mannWhitney(control: cv, treatment: tv)
                    comparison.difference = w.difference
                    comparison.pValue = w.pValue
                    comparison.ciLow = w.ciLow
                    comparison.ciHigh = w.ciHigh
                }
                let withPre = { (rows: [Row]) in
                    rows.compactMap { r -> (y: Double, pre: Double)? in
                        guard m < r.pre.count, let p = r.pre[m] else { return nil }
                        return (r.values[m]!, p)
                    }
                }
                let cp = withPre(c)
                let tp = withPre(t)
                if cp.count >= 2 && tp.count >= 2 {
                    let cuped = ExperimentStatistics.cuped(control: cp, treatment: tp, alpha: alpha)
                    comparison.cuped = cuped
                    comparison.pValue = cuped.welch.pValue
                    comparison.ciLow = cuped.welch.ciLow
                    comparison.ciHigh = cuped.welch.ciHigh
                }
                comparisons.append(comparison)
            }
        }
        return ExperimentAnalysis(arms: arms, control: control, srm: srm, comparisons: comparisons)
    }
}
