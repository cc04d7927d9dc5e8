import Foundation

/// The table of motivational indicators (seed 003): per lifecycle stage, each measurable indicator —
/// direct customer feedback (surveys, tickets), process metrics (usage, engagement, billing) and the
/// customer's profile — with the outcome rate where it is low and where it is high, the difference
/// with a 95% interval (cluster-robust by account, since a customer appears in many quarters), and
/// how it moves with the direct feedback (Pearson correlation). Pure: the caller gives a panel.
public enum MotivationalIndicators {
    public enum Kind: String, Sendable, Codable {
        /// What customers tell: surveys and tickets.
        case feedback
        /// What they do and how the business serves them: usage, engagement, billing, response.
        case process
        /// Who they are.
        case profile
    }

    public struct Indicator: Sendable {
        public var name: String
        public var kind: Kind
        public init(_ name: String, _ kind: Kind) {
            self.name = name
            self.kind = kind
        }
    }

    public struct Row: Sendable, Codable {
        public var indicator: String
        public var kind: Kind
        /// Rows where the indicator is known.
        public var known: Int
        /// How low and high are cut: `0 vs 1`, `0 vs > 0`, or the quartiles.
        public var cut: String
        public var lowRows: Int
        public var highRows: Int
        public var rateLow: Double
        /// Between the quartiles (quartile cuts only).
        public var rateMid: Double?
        public var rateHigh: Double
        /// rateHigh − rateLow with its cluster-robust 95% interval and two-sided p; no interval when
        /// either rate is 0 or 1.
        public var difference: Double
        public var low: Double?
        public var high: Double?
        public var p: Double?
        /// Pearson correlation with each feedback measure, in the order given; nil where undefined.
        public var correlations: [Double?]
    }

    /// One row per indicator, strongest evidence (smallest p) first. `x` is row-major over `names`
    /// (NaN = unknown), `y` is 0/1 (NaN rows are skipped), `cluster` names each row's account.
    public static func table(
        names: [String], x: [Double], y: [Double], cluster: [Int64], indicators: [Indicator], feedback: [String]
    ) -> [Row] {
        let k = names.count
        let column = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let labelled = y.indices.filter { !y[$0].isNaN }
        var rows: [Row] = []
        for indicator in indicators {
            guard let j = column[indicator.name] else { continue }
            let known = labelled.filter { !x[$0 * k + j].isNaN }
            guard known.count >= 2 else { continue }
            let values = known.map { x[$0 * k + j] }
            let (cut, group) = cutting(values)
            var sums = [(n: 0, k: 0.0), (n: 0, k: 0.0), (n: 0, k: 0.0)]
            var fitX: [Double] = []
            var fitY: [Double] = []
            var fitCluster: [Int64] = []
            for (r, g) in zip(known, group) {
                sums[g].n += 1
                sums[g].k += y[r]
                guard g != 1 else { continue }
                fitX += [1, g == 2 ? 1 : 0]
                fitY.append(y[r])
                fitCluster.append(cluster[r])
            }
            guard sums[0].n > 0, sums[2].n > 0 else { continue }
            let rateLow = sums[0].k / Double(sums[0].n)
            let rateHigh = sums[2].k / Double(sums[2].n)
            let fit = ClusteredLeastSquares.fit(x: fitX, columns: 2, y: fitY, cluster: fitCluster)
            // A rate at 0 or 1 has no spread: a Wald interval there would claim certainty it has not.
            let bounded = [rateLow, rateHigh].contains { $0 == 0 || $0 == 1 }
            let se = bounded ? nil : fit.standardErrors[1]
            let correlations: [Double?] = feedback.map { f in
                guard let fj = column[f], fj != j else { return nil }
                return pearson(rows: Array(0..<(x.count / max(k, 1))), x: x, k: k, a: j, b: fj)
            }
            rows.append(
                Row(
                    indicator: indicator.name, kind: indicator.kind, known: known.count, cut: cut,
                    lowRows: sums[0].n, highRows: sums[2].n, rateLow: rateLow,
                    rateMid: sums[1].n > 0 ? sums[1].k / Double(sums[1].n) : nil, rateHigh: rateHigh,
                    difference: rateHigh - rateLow,
                    low: se.map { rateHigh - rateLow - StandardNormal.z975 * $0 },
                    high: se.map { rateHigh - rateLow + StandardNormal.z975 * $0 },
                    p: se.flatMap { $0 > 0 ? StandardNormal.twoSidedP((rateHigh - rateLow) / $0) : nil },
                    correlations: correlations))
        }
        return rows.sorted { ($0.p ?? 2, $0.indicator) < ($1.p ?? 2, $1.indicator) }
    }

    /// Low (0), middle (1) and high (2) for each value: 0/1 for a flag, zero vs above zero for a
    /// count that is zero for at least a quarter of the rows, else the lower and upper quartiles
    /// (nearest rank) against the rest.
    public static func cutting(_ values: [Double]) -> (String, [Int]) {
        if values.allSatisfy({ $0 == 0 || $0 == 1 }) { return ("0 vs 1", values.map { $0 == 1 ? 2 : 0 }) }
        let zeros = values.lazy.filter { $0 == 0 }.count
        if values.allSatisfy({ $0 >= 0 }), zeros * 4 >= values.count {
            return ("0 vs > 0", values.map { $0 > 0 ? 2 : 0 })
        }
        let sorted = values.sorted()
        let q1 = sorted[max(0, Int((0.25 * Double(sorted.count)).rounded(.up)) - 1)]
        let q3 = sorted[max(0, Int((0.75 * Double(sorted.count)).rounded(.up)) - 1)]
        if q1 == q3 {
            return ("≤ \(text(q1)) vs > \(text(q1))", values.map { $0 > q1 ? 2 : 0 })
        }
        return ("≤ \(text(q1)) vs ≥ \(text(q3))", values.map { $0 <= q1 ? 0 : $0 >= q3 ? 2 : 1 })
    }

    static func text(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : DecimalText.text(v, places: 2)
    }

    /// Pearson's r over the rows where both columns are known; nil when either is constant there.
    public static func pearson(rows: [Int], x: [Double], k: Int, a: Int, b: Int) -> Double? {
        var n = 0.0
        var sa = 0.0
        var sb = 0.0
        for r in rows {
            let va = x[r * k + a]
            let vb = x[r * k + b]
            guard !va.isNaN, !vb.isNaN else { continue }
            n += 1
            sa += va
            sb += vb
        }
        guard n > 2 else { return nil }
        let ma = sa / n
        let mb = sb / n
        var saa = 0.0
        var sbb = 0.0
        var sab = 0.0
        for r in rows {
            let va = x[r * k + a]
            let vb = x[r * k + b]
            guard !va.isNaN, !vb.isNaN else { continue }
            saa += (va - ma) * (va - ma)
            sbb += (vb - mb) * (vb - mb)
            sab += (va - ma) * (vb - mb)
        }
        guard saa > 0, sbb > 0 else { return nil }
        return sab / (saa * sbb).squareRoot()
    }
}
