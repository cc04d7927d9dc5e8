/// The unit a subscription is billed in.
///
/// MRR normalises every plan to a month, so each unit carries the exact factor
/// that turns one interval's price into a monthly amount.
public enum BillingInterval: String, Sendable, Hashable, Codable, CaseIterable {
    case day, week, month, quarter, year

    /// The factor that turns one interval's price into a monthly amount:
    /// monthly = price × monthlyFactor(count:).
    ///
    /// Exact calendar averages are used (365 days and 52 weeks per year) so that
    /// a weekly plan is worth 52/12 weeks a month, not 4 or 4.33; a 2-year plan is 1/24.
    public func monthlyFactor(count: Int) -> Double {
        let r = monthlyRatio(count: count)
        return r.numerator / r.denominator
    }

    /// The factor as a fraction, so that `price × numerator / denominator` divides last
    /// and exact cases (an annual price divisible by 12) stay exact before rounding.
    func monthlyRatio(count: Int) -> (numerator: Double, denominator: Double) {
        let n = Double(count)
        switch self {
        case .day: return (365, 12 * n)
        case .week: return (52, 12 * n)
        case .month: return (1, n)
        case .quarter: return (1, 3 * n)
        case .year: return (1, 12 * n)
        }
    }
}
