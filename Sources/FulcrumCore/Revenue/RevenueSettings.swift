/// When a cancelled subscription stops counting towards MRR.
public enum ChurnRecognition: String, Sendable, Hashable, Codable {
    /// Counts until `end`, the end of the period the customer paid for (default).
    case endOfPaidPeriod
    /// Stops counting on `canceledAt` when set, otherwise at `end`; shows churn as
    /// soon as the customer decides to leave.
    case cancelDate
}

/// Whether a subscription in a given status contributes to MRR.
public enum MRRTreatment: String, Sendable, Hashable, Codable {
    case counts, excluded
}

/// Per-status MRR policy.
///
/// Defaults: past-due still counts (the customer usually pays after a retry),
/// paused and unpaid are excluded (no revenue is expected while they last).
public struct StatusTreatment: Sendable, Hashable, Codable {
    public var pastDue: MRRTreatment = .counts
    public var paused: MRRTreatment = .excluded
    public var unpaid: MRRTreatment = .excluded

    public init(pastDue: MRRTreatment = .counts, paused: MRRTreatment = .excluded, unpaid: MRRTreatment = .excluded) {
        self.pastDue = pastDue
        self.paused = paused
        self.unpaid = unpaid
    }

    public func treatment(of status: StatusPeriod.Status) -> MRRTreatment {
        switch status {
        case .pastDue: return pastDue
        case .paused: return paused
        case .unpaid: return unpaid
        }
    }
}

/// Policy knobs for the MRR engine; the defaults are Fulcrum's documented metric definitions.
public struct RevenueSettings: Sendable, Hashable, Codable {
    public var churnRecognition: ChurnRecognition = .endOfPaidPeriod
    public var statusTreatment = StatusTreatment()
    /// Every ledger amount is in this currency's minor units.
    public var reportingCurrency = "USD"
    /// Counts trial subscriptions in MRR when true. Off by default: a trial is
    /// not revenue, and trial MRR is always reported separately.
    public var includeTrials = false

    public init(
        churnRecognition: ChurnRecognition = .endOfPaidPeriod, statusTreatment: StatusTreatment = StatusTreatment(),
        reportingCurrency: String = "USD", includeTrials: Bool = false
    ) {
        self.churnRecognition = churnRecognition
        self.statusTreatment = statusTreatment
        self.reportingCurrency = reportingCurrency
        self.includeTrials = includeTrials
    }
}
