import FulcrumCore
import GRDB

/// Reading the store back into the core's plain values: the shared queries (`StoreQueries`) on one
/// read transaction of this store.
extension SQLiteStore {
    func query<T>(_ body: (StoreQueries<SQLiteRunner>) throws -> T) throws -> T {
        try writer.read { db in try body(StoreQueries(runner: SQLiteRunner(db: db, location: location))) }
    }

    public func accounts() throws -> [Account] { try query { try $0.accounts() } }
    public func recordLabels(_ records: Set<String>) throws -> [String: RecordLabel] {
        try query { try $0.recordLabels(records) }
    }
    public func findAccounts(_ text: String, limit: Int = 500) throws -> [AccountSourceRecord] {
        try query { try $0.findAccounts(text, limit: limit) }
    }
    public func accountRecords(of id: Int64) throws -> [AccountSourceRecord] {
        try query { try $0.accountRecords(of: id) }
    }
    public func engagement(of ids: [Int64]) throws -> AccountEngagement { try query { try $0.engagement(of: ids) } }
    public func timeline(of ids: [Int64], limit: Int = 500) throws -> [TimelineEvent] {
        try query { try $0.timeline(of: ids, limit: limit) }
    }
    public func usageByMonth(of ids: [Int64]) throws -> [UsageMonth] { try query { try $0.usageByMonth(of: ids) } }
    public func billing() throws -> BillingData { try query { try $0.billing() } }
    public func fxRates() throws -> [FXRate] { try query { try $0.fxRates() } }
    public func spend() throws -> [SpendEntry] { try query { try $0.spend() } }
    public func opportunities() throws -> [Opportunity] { try query { try $0.opportunities() } }
    public func people() throws -> [Person] { try query { try $0.people() } }
    public func forEachPerson(_ body: (Person) throws -> Void) throws { try query { try $0.forEachPerson(body) } }
    public func peopleCount() throws -> Int { try query { try $0.runner.count("people") } }
    public func reps() throws -> [Rep] { try query { try $0.reps() } }
    public func customFields(entity: String) throws -> [CustomField] {
        try query { try $0.customFields(entity: entity) }
    }
    public func firstTouches() throws -> [AccountInstant] { try query { try $0.firstTouches() } }
    public func firstPayments() throws -> [AccountInstant] { try query { try $0.firstPayments() } }
    public func collectedRevenue() throws -> [CollectedRevenue] { try query { try $0.collectedRevenue() } }
    public func campaigns() throws -> [Campaign] { try query { try $0.campaigns() } }
    public func firstCampaignTouches() throws -> [AccountInstant] { try query { try $0.firstCampaignTouches() } }
    public func activities() throws -> [Activity] { try activities(kinds: nil, from: nil) }
    public func activities(kinds: [Activity.Kind]?) throws -> [Activity] { try activities(kinds: kinds, from: nil) }
    public func activities(kinds: [Activity.Kind]?, from: Day?) throws -> [Activity] {
        try query { try $0.activities(kinds: kinds, from: from) }
    }
    public func stageChanges() throws -> [StageChange] { try query { try $0.stageChanges() } }
    public func targets() throws -> [Target] { try query { try $0.targets() } }
    public func teams() throws -> [Team] { try query { try $0.teams() } }
    public func touchCounts() throws -> [TouchCount] { try query { try $0.touchCounts() } }
    public func accountTouches(kinds: [Touch.Kind]) throws -> [AccountTouch] {
        try query { try $0.accountTouches(kinds: kinds) }
    }
    public func accountMonthTallies() throws -> [AccountMonthTally] { try query { try $0.accountMonthTallies() } }
    public func referrals() throws -> [Referral] { try query { try $0.referrals() } }
    public func tickets() throws -> [Ticket] { try query { try $0.tickets() } }
    public func tickets(priorities: [String]) throws -> [Ticket] {
        try query { try $0.tickets(priorities: priorities) }
    }
    public func surveys() throws -> [SurveyResponse] { try query { try $0.surveys() } }
    public func firstResponses(kinds: [Activity.Kind]) throws -> [PersonInstant] {
        try query { try $0.firstResponses(kinds: kinds) }
    }
    public func firstPaidDays() throws -> [AccountInstant] { try query { try $0.firstPaidDays() } }
    public func qualifyingTouches(kinds: [Touch.Kind], count: Int) throws -> [PersonInstant] {
        try query { try $0.qualifyingTouches(kinds: kinds, count: count) }
    }
    public func attributionTouches() throws -> AttributionTouches { try query { try $0.attributionTouches() } }

    /// Rows in `table`, to size a result array before reading it (same read transaction, so exact).
    static func rowCount(_ db: Database, _ table: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
    }

    static func timestamp(_ text: String, _ column: String) throws -> Timestamp {
        guard let t = Timestamp(iso: text) else {
            throw StoreError(.notAStore, path: column, reason: "not an ISO-8601 timestamp: \(text)")
        }
        return t
    }

    static func optionalTimestamp(_ text: String?, _ column: String) throws -> Timestamp? {
        try text.map { try timestamp($0, column) }
    }

    /// Maps every row of a query through `transform`, stepping a cursor instead of copying all
    /// rows into an array first (half the decoding time on the medium company's billing tables).
    static func mapRows<T>(
        _ db: Database, sql: String, arguments: StatementArguments = StatementArguments(),
        _ transform: (Row) throws -> T
    ) throws -> [T] {
        var out: [T] = []
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() { out.append(try transform(row)) }
        return out
    }

    static func day(_ text: String, _ column: String) throws -> Day {
        guard let d = Day(iso: text) else {
            throw StoreError(.notAStore, path: column, reason: "not a YYYY-MM-DD date: \(text)")
        }
        return d
    }

    static func optionalDay(_ text: String?, _ column: String) throws -> Day? {
        try text.map { try day($0, column) }
    }
}
