/// Ratios derived from the monthly bridge.
///
/// Each is nil when its denominator is zero, so an empty month never reads as 0% churn.
/// Churn rates are positive numbers when revenue or customers were lost.
extension MonthlyMovements {
    /// Accounts churned this month ÷ customers at the end of the previous month.
    public var logoChurnRate: Double? {
        openingCustomers == 0 ? nil : Double(churnedCustomers) / Double(openingCustomers)
    }

    /// Lost MRR (churn + contraction) ÷ opening MRR.
    public var grossMRRChurnRate: Double? {
        openingMRR == 0 ? nil : Double(-(churn + contraction)) / Double(openingMRR)
    }

    /// Lost MRR net of expansion and reactivation ÷ opening MRR; negative means net expansion.
    public var netMRRChurnRate: Double? {
        openingMRR == 0 ? nil : Double(-(churn + contraction) - expansion - reactivation) / Double(openingMRR)
    }

    /// (New + expansion + reactivation) ÷ |churn + contraction|.
    public var quickRatio: Double? {
        let lost = churn + contraction
        return lost == 0 ? nil : Double(new + expansion + reactivation) / Double(abs(lost))
    }

    /// Average revenue per account: closing MRR ÷ customers, in minor units.
    public var arpa: Double? {
        customers == 0 ? nil : Double(mrr) / Double(customers)
    }
}

extension RevenueLedger {
    public func logoChurnRate(in month: Month) -> Double? { row(for: month)?.logoChurnRate }
    public func grossMRRChurnRate(in month: Month) -> Double? { row(for: month)?.grossMRRChurnRate }
    public func netMRRChurnRate(in month: Month) -> Double? { row(for: month)?.netMRRChurnRate }
    public func quickRatio(in month: Month) -> Double? { row(for: month)?.quickRatio }
    public func arpa(in month: Month) -> Double? { row(for: month)?.arpa }
}
