/// How one account moved between two consecutive month-ends.
struct AccountStep: Equatable {
    /// nil when the account was not a customer in either month, or its MRR did not change.
    var kind: MovementKind?
    /// Movement amount at the current month's rates; negative for contraction and churn.
    var amount: Int64
    /// Revaluation of the previous month's MRR at the current month's rates.
    var fx: Int64

    /// Classifies a month-over-month change.
    ///
    /// - `previous`: last month's reported MRR (at last month's rates).
    /// - `previousAtCurrentRates`: last month's native MRR converted at this month's rates.
    /// - `current`: this month's MRR.
    /// - `everPositiveBefore`: whether the account had MRR > 0 in any month before this one.
    ///
    /// Sizing every movement at one month's rates keeps FX out of expansion and
    /// contraction; the difference between the two valuations of last month is
    /// the FX adjustment, so previous + fx + amount == current exactly.
    static func classify(
        previous: Int64, previousAtCurrentRates: Int64, current: Int64,
        everPositiveBefore: Bool
    ) -> AccountStep {
        guard previous > 0 else {
            guard current > 0 else { return AccountStep(kind: nil, amount: 0, fx: 0) }
            return AccountStep(kind: everPositiveBefore ? .reactivation : .new, amount: current, fx: 0)
        }
        let fx = previousAtCurrentRates - previous
        if current <= 0 {
            return AccountStep(kind: .churn, amount: current - previousAtCurrentRates, fx: fx)
        }
        let delta = current - previousAtCurrentRates
        let kind: MovementKind? = delta > 0 ? .expansion : delta < 0 ? .contraction : nil
        return AccountStep(kind: kind, amount: delta, fx: fx)
    }
}
