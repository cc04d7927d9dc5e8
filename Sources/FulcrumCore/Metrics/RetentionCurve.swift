/// Pooled survivor counts by tenure month, for fitting a shifted-beta-geometric model to a
/// segment's customers (docs/metrics.md, "LTV from a fitted sBG model").
///
/// An account is born in its first month with MRR > 0 and dies at its first churn
/// (reactivation does not revive it: sBG describes one contract lifetime). Cohorts of
/// different ages are pooled with the product-limit estimator: the survival from tenure
/// k−1 to k is estimated only from accounts old enough to be observed at k, then scaled to
/// the number of accounts, so young cohorts never look like churn.
enum RetentionCurve {
    /// First churn month per account (after its first paid month).
    static func firstChurn(_ ledger: RevenueLedger) -> [Int64: Month] {
        var out: [Int64: Month] = [:]
        for m in ledger.movements where m.kind == .churn && out[m.accountId] == nil { out[m.accountId] = m.month }
        return out
    }

    /// Survivor counts N_0…N_k for `accounts`, observed up to `through` (a complete month), at most `maxTenure` steps.
    static func survivors(
        accounts: [Int64], firstPaid: [Int64: Month], firstChurn: [Int64: Month], through: Month,
        maxTenure: Int = 36
    ) -> [Int] {
        var births: [(Month, Month?)] = []
        for a in accounts {
            guard let born = firstPaid[a], born <= through else { continue }
            births.append((born, firstChurn[a]))
        }
        guard !births.isEmpty else { return [] }
        var survival = 1.0
        var counts = [births.count]
        for k in 1...maxTenure {
            var atRisk = 0
            var died = 0
            for (born, death) in births where born.adding(k) <= through {
                // Alive at k−1 (death after born + k − 1), observable at k.
                if let death, death <= born.adding(k - 1) { continue }
                atRisk += 1
                if let death, death == born.adding(k) { died += 1 }
            }
            guard atRisk >= 5 else { break }
            survival *= Double(atRisk - died) / Double(atRisk)
            counts.append(Int((Double(births.count) * survival).rounded()))
        }
        return counts
    }

    /// The sBG fit of counts that can be fitted at all (≥ 3 counts, some churn, someone left),
    /// converged or not.
    static func attempt(_ counts: [Int]) -> SBGFit? {
        guard counts.count >= 3, let last = counts.last, last < counts[0], last > 0 else { return nil }
        return try? ShiftedBetaGeometric.fit(survivors: counts)
    }

    /// A fitted model when the counts identify one (≥ 3 counts, some churn, converged).
    static func fit(_ counts: [Int]) -> ShiftedBetaGeometric? {
        attempt(counts).flatMap { $0.converged ? $0.model : nil }
    }

    /// A model per renewal period: monthly first; when monthly counts do not identify a model
    /// (annual contracts churn only at renewals, so monthly survival is a staircase), every
    /// twelfth count, i.e. yearly renewals. `periodMonths` says which.
    ///
    /// When neither grain identifies an sBG because its likelihood rises toward the homogeneous
    /// limit (churn per period does not fall with tenure, so there is no heterogeneity to fit),
    /// the limit itself is used: one constant churn rate, fitted by maximum likelihood — yearly
    /// when the yearly counts allow it (annual contracts), else monthly. Each grain is fitted once.
    static func fitRenewals(_ counts: [Int]) -> (model: ShiftedBetaGeometric, periodMonths: Int)? {
        let monthly = attempt(counts)
        if let f = monthly, f.converged { return (f.model, 1) }
        let yearlyCounts = stride(from: 0, to: counts.count, by: 12).map { counts[$0] }
        let yearly = attempt(yearlyCounts)
        if let f = yearly, f.converged { return (f.model, 12) }
        if let limit = yearly?.homogeneousLimit(survivors: yearlyCounts) { return (limit.model, 12) }
        if let limit = monthly?.homogeneousLimit(survivors: counts) { return (limit.model, 1) }
        return nil
    }

    /// The constant-churn (geometric) limit when it is the sBG optimum (`SBGFit.homogeneousLimit`).
    static func fitConstantChurn(_ counts: [Int]) -> ShiftedBetaGeometric? {
        attempt(counts)?.homogeneousLimit(survivors: counts)?.model
    }
}
