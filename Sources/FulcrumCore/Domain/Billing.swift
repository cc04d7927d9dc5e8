/// A recurring contract. `amountMinor` is the price of one billing interval for
/// the whole subscription (all seats), before discount; `endedOn` is exclusive
/// (the first day not in service). Cancel request, scheduled end and actual end
/// are kept apart because churn definitions differ on which one dates churn.
public struct Subscription: Hashable, Sendable, Codable {
    public enum Interval: String, Sendable, Codable, CaseIterable { case day, week, month, quarter, year }
    public enum Status: String, Sendable, Codable, CaseIterable {
        case trialing, active
        case pastDue = "past_due"
        case paused, unpaid, canceled, ended
    }
    public enum DiscountDuration: String, Sendable, Codable, CaseIterable { case once, repeating, forever }
    public var id: Int64 = 0
    public var accountId: Int64 = 0
    public var opportunityId: Int64?
    public var plan = ""
    public var product = ""
    public var interval: Interval = .month
    public var intervalCount = 1
    public var amountMinor: Int64 = 0
    public var quantity = 1
    public var currency = "USD"
    public var status: Status = .active
    public var startedOn = Day(ordinal: 0)
    public var endedOn: Day?
    public var canceledOn: Day?
    public var cancelAt: Day?
    public var trialEndOn: Day?
    public var discountPercent: Double?
    public var discountAmountMinor: Int64?
    public var discountDuration: DiscountDuration?
    public var discountMonths: Int?
    public var discountStartOn: Day?
    public init() {}
}

/// A price or seat change taking effect on a day: the MRR history of a subscription.
public struct SubscriptionChange: Hashable, Sendable, Codable {
    public var id: Int64 = 0
    public var subscriptionId: Int64 = 0
    public var accountId: Int64 = 0
    public var effectiveOn = Day(ordinal: 0)
    public var amountMinor: Int64 = 0
    public var quantity = 1
    public init() {}
}

/// A span during which a subscription was past due, paused or unpaid.
public struct SubscriptionStatusPeriod: Hashable, Sendable, Codable {
    public var id: Int64 = 0
    public var subscriptionId: Int64 = 0
    public var accountId: Int64 = 0
    public var status: Subscription.Status = .pastDue
    public var fromOn = Day(ordinal: 0)
    public var toOn: Day?
    public init() {}
}

public struct Invoice: Hashable, Sendable, Codable {
    public var id: Int64 = 0
    public var accountId: Int64 = 0
    public var subscriptionId: Int64?
    public var number = ""
    public var issuedOn = Day(ordinal: 0)
    public var dueOn: Day?
    public var status = "paid"
    public var currency = "USD"
    public var totalMinor: Int64 = 0
    public init() {}
}

/// An invoice line with its service period; proration lines are flagged so
/// run-rate is never rebuilt from them.
public struct InvoiceLine: Hashable, Sendable, Codable {
    public var id: Int64 = 0
    public var invoiceId: Int64 = 0
    public var accountId: Int64 = 0
    public var subscriptionId: Int64?
    public var description = ""
    public var periodStart: Day?
    public var periodEnd: Day?
    public var amountMinor: Int64 = 0
    public var quantity = 1
    public var proration = false
    public init() {}
}

public struct Payment: Hashable, Sendable, Codable {
    public var id: Int64 = 0
    public var accountId: Int64 = 0
    public var invoiceId: Int64?
    public var paidAt = Timestamp(seconds: 0)
    public var amountMinor: Int64 = 0
    public var currency = "USD"
    public var status = "succeeded"
    public var refundedMinor: Int64 = 0
    public init() {}
}
