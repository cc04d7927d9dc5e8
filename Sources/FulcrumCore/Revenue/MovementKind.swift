/// Why an account's MRR changed from one month-end to the next.
public enum MovementKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// First month with MRR > 0, ever.
    case new
    /// MRR went up while the account stayed a customer (measured at one month's FX rate).
    case expansion
    /// MRR went down while the account stayed a customer (negative amount).
    case contraction
    /// MRR went to zero (negative amount).
    case churn
    /// MRR > 0 again after an earlier month with MRR > 0 and at least one month at zero.
    case reactivation
    /// Revaluation of the opening MRR at the new month's FX rates; not a customer movement.
    case fxAdjustment
}

/// One account's movement in one month, for drill-down.
public struct AccountMovement: Sendable, Hashable, Codable {
    public var accountId: Int64
    public var month: Month
    public var kind: MovementKind
    /// Reporting-currency minor units; negative for contraction and churn.
    public var amountMinor: Int64

    public init(accountId: Int64, month: Month, kind: MovementKind, amountMinor: Int64) {
        self.accountId = accountId
        self.month = month
        self.kind = kind
        self.amountMinor = amountMinor
    }
}

/// One account's MRR at one month-end, in reporting-currency minor units.
public struct AccountMonthMRR: Sendable, Hashable, Codable {
    public var accountId: Int64
    public var month: Month
    public var mrrMinor: Int64

    public init(accountId: Int64, month: Month, mrrMinor: Int64) {
        self.accountId = accountId
        self.month = month
        self.mrrMinor = mrrMinor
    }
}
