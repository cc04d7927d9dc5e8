/// Deterministic, stratified, stable assignment. Accounts already assigned keep their arm. New
/// eligible accounts are taken in the order of a hash of (experiment, account) — a fixed random
/// order nobody chooses — and each goes, within its stratum (segment, and size band if asked), to
/// the arm furthest below its planned share; ties go to the earlier arm. Arms stay balanced within
/// every stratum (to one account, for equal weights) however accounts arrive.
public enum ExperimentAssignment {
    public struct Entry: Sendable, Equatable, Codable {
        public var accountId: Int64
        public var arm: String
        public var stratum: String
        public init(accountId: Int64, arm: String, stratum: String) {
            self.accountId = accountId
            self.arm = arm
            self.stratum = stratum
        }
    }

    /// FNV-1a (64-bit) of "experiment|account": stable across runs and machines.
    public static func hash(_ experiment: String, _ account: Int64) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in experiment.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        for byte in "|\(account)".utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// The new entries for `eligible` accounts (id → stratum) not in `existing`.
    public static func assign(
        experiment: ExperimentDefinition, eligible: [Int64: String], existing: [Entry]
    ) -> [Entry] {
        var counts: [String: [Double]] = [:]
        let arms = experiment.arms
        let known = Set(existing.map(\.accountId))
        for e in existing {
            guard let i = arms.firstIndex(where: { $0.name == e.arm }) else { continue }
            counts[e.stratum, default: Array(repeating: 0, count: arms.count)][i] += 1
        }
        let fresh = eligible.keys.filter { !known.contains($0) }.map { (hash(experiment.name, $0), $0) }.sorted {
            $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1
        }.map(\.1)
        var out: [Entry] = []
        for id in fresh {
            let stratum = eligible[id]!
            var c = counts[stratum] ?? Array(repeating: 0, count: arms.count)
            let total = c.reduce(0, +) + 1
            let weightSum = arms.reduce(0) { $0 + $1.weight }
            // Deficit: the planned count after this account minus what the arm has.
            var best = 0
            var bestDeficit = -Double.infinity
            for (i, arm) in arms.enumerated() {
                let deficit = total * arm.weight / weightSum - c[i]
                if deficit > bestDeficit + 1e-12 {
                    bestDeficit = deficit
                    best = i
                }
            }
            c[best] += 1
            counts[stratum] = c
            out.append(Entry(accountId: id, arm: arms[best].name, stratum: stratum))
        }
        return out
    }

    /// SMB under 200 employees, Mid-Market under 2,000, Enterprise above; unknown when not given.
    public static func sizeBand(_ employees: Int?) -> String {
        guard let e = employees else { return "size unknown" }
        return e < 200 ? "SMB" : e < 2_000 ? "Mid-Market" : "Enterprise"
    }
}
