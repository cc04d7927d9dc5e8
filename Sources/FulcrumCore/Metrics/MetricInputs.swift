/// The plain values every report is computed from, as the store hands them over.
/// A report only needs some of them; the CLI loads what `ReportCatalog` says it needs.
public struct MetricInputs: Sendable {
    public enum Need: String, Sendable, Hashable, CaseIterable {
        case billing, spend, opportunities, people, reps, customFields, firstTouches, firstPayments, collected,
            campaigns, firstCampaignTouches, activities, stageChanges, targets, teams, touchCounts, tickets, surveys,
            personFields, dealFields, repFields, qualifyingTouches, fx, firstPaidDays, demos, firstResponses,
            /// Every touch with an account, in time order (attribution).
            attributionTouches,
            /// Activities from the first month of the report's periods on (a scorecard counts only those).
            activitiesInRange,
            /// Touches of the driver kinds with an account, and referrals (`fulcrum drivers`).
            driverTouches, referrals,
            /// Usage, touches, conversations and failed payments per account-month (prediction features).
            accountMonthTallies,
            /// Every lead's journey, made from people read one at a time and never all held (the lead reports;
            /// `.people` as well makes them from `people` instead).
            leads,
            /// Tickets of priority high or urgent only (the lifecycle report's at-risk rule).
            urgentTickets
    }

    public var dataThrough: Day
    public var accounts: [Account] = []
    public var subscriptions: [Subscription] = []
    public var changes: [SubscriptionChange] = []
    public var statusPeriods: [SubscriptionStatusPeriod] = []
    public var fxRates: [FXRate] = []
    public var spend: [SpendEntry] = []
    public var opportunities: [Opportunity] = []
    public var people: [Person] = []
    public var reps: [Rep] = []
    /// Custom fields of accounts (entity "accounts").
    public var customFields: [CustomField] = []
    public var firstTouches: [AccountInstant] = []
    public var firstPayments: [AccountInstant] = []
    /// Revenue collected (succeeded payments less refunds) per account, month and currency.
    public var collected: [CollectedRevenue] = []
    /// Every campaign, for the `campaign` dimension's names.
    public var campaigns: [Campaign] = []
    /// Each account's earliest touch (raw account ids) with the campaign it is attributed to, if any.
    public var firstCampaignTouches: [AccountInstant] = []

    public var activities: [Activity] = []
    public var stageChanges: [StageChange] = []
    public var targets: [Target] = []
    public var teams: [Team] = []
    public var touchCounts: [TouchCount] = []
    public var tickets: [Ticket] = []
    public var surveys: [SurveyResponse] = []
    /// Custom fields of people (a `lead_score`), opportunities and reps (a CRM's region or office).
    public var personFields: [CustomField] = []
    public var dealFields: [CustomField] = []
    public var repFields: [CustomField] = []
    /// Each account's first day of paid service (raw ids): earliest start or trial end of a priced subscription that ran past it.
    public var firstPaidDays: [AccountInstant] = []
    /// Per person, its first human answer (the store's roll-up); nil = derive it from `activities`.
    public var firstResponses: [PersonInstant]?
    /// Per person, the instant of its N-th touch of the MQL-qualifying kinds (when the lifecycle settings use touches).
    public var qualifyingTouches: [PersonInstant] = []
    /// Every touch with an account (raw ids), ordered by account and time.
    public var attributionTouches = AttributionTouches()
    /// Touches of `DriverPanels.touchKinds` with an account (raw ids).
    public var driverTouches: [AccountTouch] = []
    public var referrals: [Referral] = []
    public var accountMonthTallies: [AccountMonthTally] = []

    /// Whether to work out each account's acquisition channel and campaign (a pass over every lead and
    /// deal): needed only when a query slices by them; the CLI turns it off otherwise.
    public var acquisitionDimensions = true

    public init(dataThrough: Day) { self.dataThrough = dataThrough }
}
