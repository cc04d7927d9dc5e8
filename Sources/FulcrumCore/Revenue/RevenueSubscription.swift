/// A subscription as the MRR engine sees it: plain values, no store types.
public struct RevenueSubscription: Sendable, Hashable, Codable {
    public var id: Int64
    public var accountId: Int64
    /// First day of service.
    public var start: Day
    /// First day without service (exclusive); nil while the subscription is running.
    public var end: Day?
    /// Day the customer asked to cancel; used by `ChurnRecognition.cancelDate`.
    public var canceledAt: Day?
    /// ISO 4217 code of every amount on this subscription.
    public var currency: String
    public var interval: BillingInterval
    public var intervalCount: Int
    /// Price phases sorted by `from`; the first starts at `start`.
    public var phases: [PricePhase]
    /// Days before `trialEnd` are trial days and excluded from MRR.
    public var trialEnd: Day?
    public var statusPeriods: [StatusPeriod]
    public var discount: Discount?

    public init(
        id: Int64, accountId: Int64, start: Day, end: Day? = nil, canceledAt: Day? = nil,
        currency: String = "USD", interval: BillingInterval = .month, intervalCount: Int = 1,
        phases: [PricePhase], trialEnd: Day? = nil, statusPeriods: [StatusPeriod] = [],
        discount: Discount? = nil
    ) {
        self.id = id
        self.accountId = accountId
        self.start = start
        self.end = end
        self.canceledAt = canceledAt
        self.currency = currency
        self.interval = interval
        self.intervalCount = intervalCount
        self.phases = phases
        self.trialEnd = trialEnd
        self.statusPeriods = statusPeriods
        self.discount = discount
    }

    /// Convenience for a single-price subscription.
    public init(
        id: Int64, accountId: Int64, start: Day, end: Day? = nil, canceledAt: Day? = nil,
        currency: String = "USD", interval: BillingInterval = .month, intervalCount: Int = 1,
        amountMinor: Int64, quantity: Int = 1, trialEnd: Day? = nil,
        statusPeriods: [StatusPeriod] = [], discount: Discount? = nil
    ) {
        self.init(
            id: id, accountId: accountId, start: start, end: end, canceledAt: canceledAt,
            currency: currency, interval: interval, intervalCount: intervalCount,
            phases: [PricePhase(from: start, amountMinor: amountMinor, quantity: quantity)],
            trialEnd: trialEnd, statusPeriods: statusPeriods, discount: discount)
    }
}
