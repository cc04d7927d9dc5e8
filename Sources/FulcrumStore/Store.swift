import Dispatch
import FulcrumCore

/// What the reports need from a store, as plain values.
///
/// The metrics code in FulcrumCore only ever sees these values, never a
/// database, so the PostgreSQL store replaces the SQLite one without touching
/// a formula. Both run the same queries (`StoreQueries`). The reads are
/// synchronous: the metric code calls several at once from threads of its own
/// and the CLI calls them directly; SQLite runs them on GRDB's serialized
/// queue, PostgreSQL on its event loops while the caller waits. Async callers
/// (the server) go through `reading`, and PostgreSQL's per-request version
/// check (`PostgresStore.currentRevision`) is async all the way down.
public protocol Store: Sendable {
    /// Where the store lives (a file path or a connection description without secrets).
    var location: String { get }
    /// Every source imported into the store, with its "data through" date.
    func dataSources() throws -> [DataSource]
    /// Row count of every table.
    func tableCounts() throws -> [String: Int]
    /// A value from the store's metadata (origin, seed, size, data through).
    func metaValue(_ key: String) throws -> String?
    /// Every account with its segment and merge pointer.
    func accounts() throws -> [Account]
    /// Explained records (`account:12`, `opportunity:7`, …) as a user knows them: the source's own ids and
    /// the account's name. Records of other kinds, or not in the store, are left out.
    func recordLabels(_ records: Set<String>) throws -> [String: RecordLabel]
    /// Accounts a user may mean by `text` (store id, `source:external_id`, external id, domain, name), at most
    /// `limit`.
    func findAccounts(_ text: String, limit: Int) throws -> [AccountSourceRecord]
    /// The account and every record merged into it, as their sources know them.
    func accountRecords(of id: Int64) throws -> [AccountSourceRecord]
    /// People and touches of these account records.
    func engagement(of ids: [Int64]) throws -> AccountEngagement
    /// The records' events of every stovepipe, newest first, at most `limit`.
    func timeline(of ids: [Int64], limit: Int) throws -> [TimelineEvent]
    /// The records' usage month by month, oldest first.
    func usageByMonth(of ids: [Int64]) throws -> [UsageMonth]
    /// Every account (merged ones too) as the identity code sees it.
    func identityAccounts() throws -> [IdentityAccount]
    /// The merge audit trail, oldest first.
    func accountMerges() throws -> [AccountMerge]
    /// Records without an account, with the reason; `limit` caps the records listed per table.
    func unmatchedRecords(limit: Int?) throws -> UnmatchedReport
    /// Merges `loserId` into `winnerId` in one transaction, with an audit row.
    @discardableResult
    func mergeAccount(_ loserId: Int64, into winnerId: Int64, actor: String, reason: String?, at instant: Timestamp)
        throws -> AccountMerge
    /// Undoes the merge of `accountId` in one transaction; the audit row is kept, marked undone.
    @discardableResult
    func unmergeAccount(_ accountId: Int64, actor: String, at instant: Timestamp) throws -> AccountMerge
    /// Subscriptions with their price history and status periods, and the FX table.
    func billing() throws -> BillingData
    /// The FX table alone (reports that convert deal amounts but need no subscriptions).
    func fxRates() throws -> [FXRate]
    /// Every spend entry.
    func spend() throws -> [SpendEntry]
    /// Every opportunity (new business, renewal, upsell).
    func opportunities() throws -> [Opportunity]
    /// Every lead and contact with what reports use: account, lead source, channel, campaign, owner, lifecycle
    /// timestamps and status (not the identity fields — e-mail, names, title, company — that identity resolution
    /// reads on its own).
    func people() throws -> [Person]
    /// The same people in id order, handed to `body` one at a time and never all held (the lead reports'
    /// journeys on a store of millions of people).
    func forEachPerson(_ body: (Person) throws -> Void) throws
    /// How many people the store holds (room reserved before `forEachPerson`).
    func peopleCount() throws -> Int
    /// Every rep, for owner names.
    func reps() throws -> [Rep]
    /// Custom field values of one entity (e.g. "accounts"), the source of custom dimensions.
    func customFields(entity: String) throws -> [CustomField]
    /// Earliest touch per account (raw account ids, before merges), rolled up in the store.
    func firstTouches() throws -> [AccountInstant]
    /// Earliest succeeded payment per account (raw account ids, before merges), rolled up in the store.
    func firstPayments() throws -> [AccountInstant]
    /// Revenue collected per account (raw ids), month of payment and currency: succeeded payments
    /// less refunds (`amount_minor − refunded_minor` over statuses `succeeded` and `refunded`), rolled up in the store.
    func collectedRevenue() throws -> [CollectedRevenue]
    /// Every campaign.
    func campaigns() throws -> [Campaign]
    /// Each account's earliest touch (raw account ids, ties by touch id) with its campaign, rolled up in the store.
    func firstCampaignTouches() throws -> [AccountInstant]
    /// Every sales activity (calls, emails, meetings, demos; automated sends flagged).
    func activities() throws -> [Activity]
    /// Every opportunity stage entry, ordered by opportunity and time.
    func stageChanges() throws -> [StageChange]
    /// Every target row.
    func targets() throws -> [Target]
    /// Every team.
    func teams() throws -> [Team]
    /// Touches counted by month, kind, channel, campaign and account segment, rolled up in the store.
    func touchCounts() throws -> [TouchCount]
    /// Every support ticket.
    func tickets() throws -> [Ticket]
    /// The tickets of these priorities only (compared exactly, as stored).
    func tickets(priorities: [String]) throws -> [Ticket]
    /// Every survey response (NPS, CSAT).
    func surveys() throws -> [SurveyResponse]
    /// Activities of these kinds only (all when nil), on or after `from` (all when nil).
    func activities(kinds: [Activity.Kind]?, from: Day?) throws -> [Activity]
    /// Per person, the first human activity of these kinds at or after its creation, rolled up in the store.
    func firstResponses(kinds: [Activity.Kind]) throws -> [PersonInstant]
    /// Each account's first day of paid service (raw account ids), rolled up in the store.
    func firstPaidDays() throws -> [AccountInstant]
    /// Per person, the instant of its `count`-th touch of `kinds` (the touch-based MQL rule), rolled up in the store.
    func qualifyingTouches(kinds: [Touch.Kind], count: Int) throws -> [PersonInstant]
    /// Every touch with an account, ordered by account and time (attribution's journeys).
    func attributionTouches() throws -> AttributionTouches
    /// Touches of these kinds with an account (raw ids): the marketing drivers of `fulcrum drivers`.
    func accountTouches(kinds: [Touch.Kind]) throws -> [AccountTouch]
    /// Every referral (raw account ids).
    func referrals() throws -> [Referral]
    /// Usage, touches, conversations and failed payments per account and calendar month (raw account ids).
    func accountMonthTallies() throws -> [AccountMonthTally]
    /// The trained model of a kind (its JSON), if one was saved.
    func model(kind: String) throws -> String?
    /// Saves a trained model, replacing the kind's previous one.
    func saveModel(kind: String, trainedAt: String, json: String) throws
    /// Experiments by name, as the JSON `ExperimentDefinition` they were created with.
    func experiments() throws -> [(name: String, json: String)]
    /// Adds an experiment; one with the same name is a `StoreError` (experiments are never overwritten).
    func createExperiment(name: String, createdOn: String, json: String) throws
    func experimentAssignments(_ experiment: String) throws -> [ExperimentAssignment.Entry]
    /// Adds assignments in one transaction (existing ones are never changed).
    func addExperimentAssignments(_ experiment: String, _ entries: [ExperimentAssignment.Entry], on: String) throws
}

/// The billing facts MRR is computed from.
public struct BillingData: Sendable {
    public var subscriptions: [Subscription]
    public var changes: [SubscriptionChange]
    public var statusPeriods: [SubscriptionStatusPeriod]
    public var fxRates: [FXRate]
    public init(
        subscriptions: [Subscription], changes: [SubscriptionChange], statusPeriods: [SubscriptionStatusPeriod],
        fxRates: [FXRate]
    ) {
        self.subscriptions = subscriptions
        self.changes = changes
        self.statusPeriods = statusPeriods
        self.fxRates = fxRates
    }
}

extension Store {
    /// Candidate duplicate pairs among live accounts, best first.
    public func duplicateCandidates(minScore: Double, limit: Int? = nil) throws -> [DuplicateCandidate] {
        let found = DuplicateFinder().candidates(in: try identityAccounts(), minScore: minScore)
        return limit.map { Array(found.prefix($0)) } ?? found
    }
}

extension Store {
    /// Runs synchronous reads of this store on a thread outside Swift's cooperative pool and resumes the
    /// caller with their result: how async code (the server's requests) reads a store without holding one of
    /// the pool's few threads while the reads wait for disk or network.
    public func reading<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            StoreReads.queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// The threads `Store.reading` runs reads on.
enum StoreReads {
    static let queue = DispatchQueue(label: "fulcrum.store-reads", qos: .userInitiated, attributes: .concurrent)
}
