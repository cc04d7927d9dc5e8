/// The MRR bridge for one month, in reporting-currency minor units.
///
/// `openingMRR + new + expansion + contraction + churn + reactivation + fxAdjustment == mrr`
/// holds exactly; contraction and churn are negative.
public struct MonthlyMovements: Sendable, Hashable, Codable {
    public var month: Month
    /// MRR at the end of the previous month (for the ledger's first month: valued at this month's rates).
    public var openingMRR: Int64
    public var new: Int64
    public var expansion: Int64
    public var contraction: Int64
    public var churn: Int64
    public var reactivation: Int64
    /// Change in the opening MRR caused only by this month's FX rates.
    public var fxAdjustment: Int64
    /// Closing MRR.
    public var mrr: Int64
    /// Accounts with MRR > 0 at the end of this month.
    public var customers: Int
    /// Accounts with MRR > 0 at the end of the previous month.
    public var openingCustomers: Int
    public var newCustomers: Int
    public var churnedCustomers: Int
    public var reactivatedCustomers: Int
    /// What subscriptions in trial at month-end would add to MRR if they were paying.
    public var trialMRR: Int64
    /// Subscriptions in trial (with a non-zero would-be MRR) at month-end.
    public var trialSubscriptions: Int

    public init(month: Month) {
        self.month = month
        openingMRR = 0
        new = 0
        expansion = 0
        contraction = 0
        churn = 0
        reactivation = 0
        fxAdjustment = 0
        mrr = 0
        customers = 0
        openingCustomers = 0
        newCustomers = 0
        churnedCustomers = 0
        reactivatedCustomers = 0
        trialMRR = 0
        trialSubscriptions = 0
    }

    /// Adds another part of the same month's figures (the ledger's accounts split in two).
    mutating func add(_ other: MonthlyMovements) {
        openingMRR += other.openingMRR
        new += other.new
        expansion += other.expansion
        contraction += other.contraction
        churn += other.churn
        reactivation += other.reactivation
        fxAdjustment += other.fxAdjustment
        mrr += other.mrr
        customers += other.customers
        openingCustomers += other.openingCustomers
        newCustomers += other.newCustomers
        churnedCustomers += other.churnedCustomers
        reactivatedCustomers += other.reactivatedCustomers
        trialMRR += other.trialMRR
        trialSubscriptions += other.trialSubscriptions
    }

    /// New + expansion + reactivation + contraction + churn, excluding FX.
    public var netNewMRR: Int64 { new + expansion + contraction + churn + reactivation }
}
