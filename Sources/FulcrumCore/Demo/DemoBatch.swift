/// A slice of the generated company, handed to a sink a few hundred accounts at
/// a time so memory stays flat whatever the size.
public struct DemoBatch: Sendable {
    public var teams: [Team] = []
    public var reps: [Rep] = []
    public var campaigns: [Campaign] = []
    public var fxRates: [FXRate] = []
    public var accounts: [Account] = []
    public var people: [Person] = []
    public var touches: [Touch] = []
    public var opportunities: [Opportunity] = []
    public var stageChanges: [StageChange] = []
    public var activities: [Activity] = []
    public var subscriptions: [Subscription] = []
    public var subscriptionChanges: [SubscriptionChange] = []
    public var statusPeriods: [SubscriptionStatusPeriod] = []
    public var invoices: [Invoice] = []
    public var invoiceLines: [InvoiceLine] = []
    public var payments: [Payment] = []
    public var tickets: [Ticket] = []
    public var usage: [UsageDay] = []
    public var surveys: [SurveyResponse] = []
    public var referrals: [Referral] = []
    public var customFields: [CustomField] = []
    public var spend: [SpendEntry] = []
    public var targets: [Target] = []
    public init() {}

    /// Rows in the batch, for progress and flushing decisions.
    public var rowCount: Int {
        teams.count + reps.count + campaigns.count + fxRates.count + accounts.count + people.count + touches.count
            + opportunities.count + stageChanges.count + activities.count + subscriptions.count
            + subscriptionChanges.count + statusPeriods.count + invoices.count + invoiceLines.count + payments.count
            + tickets.count + usage.count + surveys.count + referrals.count + customFields.count + spend.count
            + targets.count
    }
}
