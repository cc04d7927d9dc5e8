import Foundation
import FulcrumCore
import FulcrumService
import FulcrumStore

/// The server's way to the numbers: the same plan, store reads and report code as `fulcrum report`
/// (FulcrumService, ReportCatalog), with what is expensive kept between requests. A metric context
/// (the ledger over the whole history) is built once per set of definition settings and widened when a
/// report needs more of the store; finished tables are kept by request. Everything is dropped when the
/// store file changes (an import, a merge), so a page never shows numbers older than the store.
///
/// Concurrent requests for the same work wait for one computation (a shared Task), and computations run
/// off the actor so one slow report never holds up another.
public actor ReportEngine {
    public let storePath: String
    let configPath: String?
    private var store: (any Store)?
    private var stamp: StoreStamp?

    private struct ContextSlot {
        var needs: Set<MetricInputs.Need>
        var task: Task<MetricContext, any Error>
        var used: UInt64
    }
    private var contexts: [MetricSettings: ContextSlot] = [:]
    private var tables: [String: (task: Task<ReportTable, any Error>, used: UInt64)] = [:]
    private var clock: UInt64 = 0
    /// Contexts kept at once (each holds a whole ledger) and finished tables kept.
    static let contextCapacity = 3
    static let tableCapacity = 512

    /// A PostgreSQL store whose connection pool the server's ServiceGroup runs (nil: opened here on first use).
    private let serviceStore: PostgresStore?
    private var serviceStorePrepared = false

    public init(storePath: String, configPath: String? = nil, postgres: PostgresStore? = nil) {
        self.storePath = storePath
        self.configPath = configPath
        self.serviceStore = postgres
    }

    /// The store, opened on first use and reopened when its file is replaced; nil when there is none
    /// yet (a new server before any import), which pages show as the empty state.
    public func currentStore() async throws -> (any Store)? {
        if PostgresAddress.isAddress(storePath) { return try await currentPostgresStore() }
        let now = StoreStamp(path: storePath)
        if now != stamp {
            forget()
            if now.inode != stamp?.inode { store = nil }
            stamp = now
        }
        guard now.exists else {
            store = nil
            return nil
        }
        if store == nil { store = try SQLiteStore.openForReading(path: storePath) }
        return store
    }

    /// Closes a PostgreSQL store's connections (the server's shutdown); the next request would reopen it. The
    /// pool of a store the server's ServiceGroup runs ends with the group.
    public func closeStore() {
        if let open = store as? PostgresStore, open !== serviceStore { open.close() }
        store = nil
    }

    /// A PostgreSQL store, checked and migrated once; its version is the `revision` every write to it sets,
    /// read per request without a thread waiting for it.
    private func currentPostgresStore() async throws -> any Store {
        let postgres: PostgresStore
        if let open = store as? PostgresStore {
            postgres = open
        } else if let serviceStore {
            if !serviceStorePrepared {
                try await serviceStore.reading { try serviceStore.prepare() }
                serviceStorePrepared = true
            }
            postgres = serviceStore
            store = postgres
        } else {
            let address = try PostgresAddress(storePath)
            let opened = try await Blocking.run { try PostgresStore.open(address) }
            if let raced = store as? PostgresStore {
                opened.close()
                postgres = raced
            } else {
                postgres = opened
                store = postgres
            }
        }
        let now = StoreStamp(revision: try await postgres.currentRevision())
        if now != stamp {
            forget()
            stamp = now
        }
        return postgres
    }

    /// Whether the store holds data (a data-through date); false for a missing or empty store.
    public func hasData() async -> Bool { await dataThrough() != nil }

    /// The store's data-through day, as imports recorded it (read once per store version).
    public func dataThrough() async -> String? {
        guard let store = try? await currentStore() else { return nil }
        if let known = dataThroughValue { return known }
        let generation = self.generation
        let value = (try? await store.reading { try store.metaValue("data_through") }) ?? nil
        // Kept only when the store did not change during the read (a value read before an import is not its).
        if generation == self.generation { dataThroughValue = .some(value) }
        return value
    }

    private var dataThroughValue: String??
    private var pages: [String: String] = [:]
    private var pageBytes = 0
    /// Rendered pages kept, in bytes (a page over a long range can be large).
    static let pageCapacity = 128 * 1_048_576

    /// Counts the store versions seen: a page rendered from an older one is not kept.
    private var generation = 0

    /// A rendered page of this store version, by its URL (analysis pages only: they change only with the
    /// store), and the version to hand back to `keepPage`.
    func cachedPage(_ key: String) async -> (html: String?, generation: Int) {
        _ = try? await currentStore()
        return (pages[key], generation)
    }

    func keepPage(_ key: String, _ html: String, generation: Int) {
        guard generation == self.generation, html.utf8.count < Self.pageCapacity / 8 else { return }
        if pageBytes + html.utf8.count > Self.pageCapacity {
            pages.removeAll()
            pageBytes = 0
        }
        pageBytes += html.utf8.count - (pages[key]?.utf8.count ?? 0)
        pages[key] = html
    }
    private var details: [Int64: AccountDetail] = [:]
    private var timelines: [[Int64]: [TimelineEvent]] = [:]
    private var usages: [[Int64]: [UsageMonth]] = [:]
    /// Accounts whose detail, timeline and usage are kept (the pages people open again and again).
    static let accountCapacity = 4096

    private func forget() {
        generation += 1
        contexts.removeAll()
        tables.removeAll()
        accountIndexTask = nil
        stagesTask = nil
        goalsTask = nil
        predictionTasks.removeAll()
        predictedTask = nil
        dataThroughValue = nil
        pages.removeAll()
        pageBytes = 0
        details.removeAll()
        timelines.removeAll()
        usages.removeAll()
    }

    /// Where the lifecycle definitions come from (the Metrics page says so).
    func lifecycleSettingsDescription() -> String {
        let path = configPath ?? LifecycleConfig.defaultPath(forStore: storePath)
        if configPath != nil || FileManager.default.fileExists(atPath: path) {
            return
                "MQL, SAL/SQL statuses, response SLA and at-risk rules from \(URL(fileURLWithPath: path).lastPathComponent) (docs/lifecycle.md)"
        }
        return "the documented defaults of docs/lifecycle.md (no lifecycle.yaml beside the store)"
    }

    /// Forgets every cached number (after this server wrote to the store itself).
    public func invalidate() {
        stamp = nil
        store = nil
        forget()
    }

    private var stagesTask: Task<[Int64: String], any Error>?
    private var goalsTask: Task<[GoalValue], any Error>?

    /// The default goal tree's values at the last complete quarter (`fulcrum goals`).
    func goals() async throws -> [GoalValue] {
        let store = try await requireStore()
        if let task = goalsTask { return try await task.value }
        let path = storePath
        let config = configPath
        let task = Task {
            try await Blocking.run {
                try GoalEvaluator.evaluate(.default, store: store, storePath: path, config: config)
            }
        }
        goalsTask = task
        return try await settle(task) { self.goalsTask = nil }
    }

    /// Every account's lifecycle stage at the end of the data (the `lifecycle` report's rules and configuration).
    func lifecycleStages() async throws -> [Int64: String] {
        let store = try await requireStore()
        if let task = stagesTask { return try await task.value }
        let path = storePath
        let config = configPath
        let plan = try ReportPlan(ids: ["lifecycle"], parameters: ReportParameters()) {
            try ReportPlan.lifecycleSettings(config: config, storePath: path)
        }
        // Inserted before the first suspension: concurrent callers share this one computation.
        let task = Task {
            let context = try await self.context(store: store, plan: plan)
            return try await Blocking.run { LifecycleStages.current(context) }
        }
        stagesTask = task
        return try await settle(task) { self.stagesTask = nil }
    }

    private var predictionTasks: [String: Task<ReportTable, any Error>] = [:]

    /// The prediction tables a page or `/api/v1/predictions/{name}` shows, as the CLI prints them:
    /// `models` (`fulcrum model list`), `next-steps` (all rows), `buckets` and `indicators` (`fulcrum model …`).
    /// (`/api/v1/predictions/{id}`)
    func predictionTable(_ name: String) async throws -> ReportTable {
        let store = try await requireStore()
        guard Self.predictionTables.contains(name) else {
            throw Problem(
                .notFound,
                "no prediction table '\(name)'; there are \(Self.predictionTables.joined(separator: ", "))",
                parameter: "id")
        }
        if let task = predictionTasks[name] { return try await task.value }
        let path = storePath
        let task = Task {
            try await Blocking.run {
                switch name {
                case "models": return PredictionService.modelsTable(store: store)
                case "next-steps":
                    let (currency, steps, notes) = try PredictionService.nextSteps(
                        store: store, storePath: path, owner: nil)
                    return PredictionService.nextStepsTable(steps, currency: currency, notes: notes, limit: Int.max)
                case "buckets":
                    let context = try SegmentationService.context(store: store, storePath: path)
                    return try SegmentationService.bucketsTable(
                        context, outcomes: BucketOutcomes.Outcome.allCases, dimensions: nil,
                        settings: CustomerBuckets.Settings())
                default:
                    let context = try SegmentationService.context(store: store, storePath: path)
                    return SegmentationService.indicatorsTable(context, stages: IndicatorStages.stages)
                }
            }
        }
        predictionTasks[name] = task
        return try await settle(task) { self.predictionTasks[name] = nil }
    }

    static let predictionTables = ["models", "next-steps", "buckets", "indicators"]

    /// The stored churn model's view of every paying account: `accounts-ltv` with its churn_90d, predicted
    /// residual and predicted LTV columns (as `fulcrum accounts --by-ltv` prints them), and each account's
    /// risk (health, band). Nil when the store holds no churn model.
    struct Predicted: Sendable {
        var ltv: ReportTable
        var risks: [Int64: PredictionService.AccountRisk]
    }

    private var predictedTask: Task<Predicted?, any Error>?

    func predicted() async throws -> Predicted? {
        let store = try await requireStore()
        if let task = predictedTask { return try await task.value }
        let task = Task { () -> Predicted? in
            guard try await store.reading({ try store.model(kind: ChurnModel.kind) != nil }) else { return nil }
            var parameters = ReportParameters()
            parameters.limit = 100_000_000
            let ltv = try await self.table(id: "accounts-ltv", parameters: parameters)
            return try await Blocking.run {
                let model = try PredictionService.model(store: store, kind: ChurnModel.kind)
                let (month, _, risks) = try PredictionService.churnRisks(store: store, model: model, month: nil)
                let table = PredictionService.withPredictedLTV(
                    ltv, risks: risks, model: model, settings: MetricSettings(), month: month)
                return Predicted(
                    ltv: table,
                    risks: Dictionary(risks.map { ($0.accountId, $0) }, uniquingKeysWith: { a, _ in a }))
            }
        }
        predictedTask = task
        return try await settle(task) { self.predictedTask = nil }
    }

    private var accountIndexTask: Task<AccountIndex, any Error>?

    /// Every account with its standing and LTV potential (the Accounts page and `/api/v1/accounts`).
    func accountIndex() async throws -> AccountIndex {
        _ = try await requireStore()
        if let task = accountIndexTask { return try await task.value }
        let task = Task {
            var parameters = ReportParameters()
            parameters.limit = 100_000_000
            let ltvTable = try await self.table(id: "accounts-ltv", parameters: parameters)
            let listContext = try await self.context(needs: [.billing, .reps])
            return try await Blocking.run {
                AccountIndex(
                    list: AccountList.table(listContext, search: nil, segment: nil, limit: Int.max), ltv: ltvTable)
            }
        }
        accountIndexTask = task
        return try await settle(task) { self.accountIndexTask = nil }
    }

    /// Waits for `task`; when it fails, `forget` drops it from the cache (the next request tries again).
    private func settle<T: Sendable>(_ task: Task<T, any Error>, forget: () -> Void) async throws -> T {
        do {
            return try await task.value
        } catch {
            forget()
            throw error
        }
    }

    /// One catalog report, as `fulcrum report ID` computes it with the same parameters. Tables with
    /// `explain` (every cell's records) are computed each time, not kept: they can be large.
    public func table(id: String, parameters: ReportParameters, explain: Bool = false) async throws -> ReportTable {
        let store = try await requireStore()
        let key = "\(id)|\(explain)|\(parameters)"
        clock += 1
        if let hit = tables[key] {
            tables[key]?.used = clock
            return try await hit.task.value
        }
        let path = storePath
        let config = configPath
        let plan = try ReportPlan(ids: [id], parameters: parameters) {
            try ReportPlan.lifecycleSettings(config: config, storePath: path)
        }
        if let problem = ReportCatalog.usageProblem(plan.queries[0]) { throw problem }
        let query = plan.queries[0]
        let task = Task {
            let context = try await self.context(store: store, plan: plan)
            return try await Blocking.run { try ReportCatalog.run(query, context: context, explain: explain) }
        }
        guard !explain else { return try await task.value }
        tables[key] = (task, clock)
        if tables.count > Self.tableCapacity, let oldest = tables.min(by: { $0.value.used < $1.value.used }) {
            tables[oldest.key] = nil
        }
        let generation = self.generation
        return try await settle(task) { if self.generation == generation { self.tables[key] = nil } }
    }

    /// The source ids and account names of the records an explained table names.
    public func labels(for table: ReportTable) async throws -> [String: RecordLabel] {
        let store = try await requireStore()
        let records = table.explainedRecords
        return try await store.reading { try store.recordLabels(records) }
    }

    /// The headline snapshot in every report's shape (`fulcrum report headline --format json`).
    public func headline(settings: RevenueSettings = RevenueSettings(), explain: Bool = false) async throws
        -> ReportTable
    {
        let store = try await requireStore()
        if explain {
            return try await Blocking.run {
                try HeadlineService.compute(store: store, settings: settings, explain: true).table(settings: settings)
            }
        }
        let key = "headline|\(settings)"
        clock += 1
        if let hit = tables[key] {
            tables[key]?.used = clock
            return try await hit.task.value
        }
        let task = Task {
            try await Blocking.run {
                try HeadlineService.compute(store: store, settings: settings).table(settings: settings)
            }
        }
        tables[key] = (task, clock)
        let generation = self.generation
        return try await settle(task) { if self.generation == generation { self.tables[key] = nil } }
    }

    /// A context holding at least `needs`, for the given definition settings.
    public func context(needs: Set<MetricInputs.Need>, settings: MetricSettings = MetricSettings()) async throws
        -> MetricContext
    {
        let store = try await requireStore()
        var query = ReportQuery(report: "mrr")
        query.settings = settings
        return try await context(store: store, needs: needs, query: query)
    }

    private func context(store: any Store, plan: ReportPlan) async throws -> MetricContext {
        try await context(store: store, needs: plan.needs, query: plan.contextQuery)
    }

    private func context(store: any Store, needs: Set<MetricInputs.Need>, query: ReportQuery) async throws
        -> MetricContext
    {
        // The server reads whole histories once rather than one range per request.
        var needs = needs
        if needs.contains(.activitiesInRange) || needs.contains(.demos) {
            needs.subtract([.activitiesInRange, .demos])
            needs.insert(.activities)
        }
        let settings = query.settings
        clock += 1
        if let slot = contexts[settings], slot.needs.isSuperset(of: needs) {
            contexts[settings]?.used = clock
            return try await slot.task.value
        }
        // Widen: the new context reads what the old one did and what this request adds.
        let all = needs.union(contexts[settings]?.needs ?? [])
        var sharedQuery = query
        sharedQuery.by = nil
        let shared = sharedQuery
        let task = Task {
            try await Blocking.run {
                try ReportInputs.context(store: store, needs: all, query: shared, allDimensions: true)
            }
        }
        contexts[settings] = ContextSlot(needs: all, task: task, used: clock)
        if contexts.count > Self.contextCapacity, let oldest = contexts.min(by: { $0.value.used < $1.value.used }) {
            contexts[oldest.key] = nil
        }
        let generation = self.generation
        return try await settle(task) { if self.generation == generation { self.contexts[settings] = nil } }
    }

    /// One account's detail (`fulcrum accounts show --format json`); nil when no account has this id.
    public func accountDetail(id: Int64) async throws -> AccountDetail? {
        let store = try await requireStore()
        if let known = details[id] { return known }
        let generation = self.generation
        let context = try await context(needs: AccountDetail.needs)
        // The accounts-ltv table the Accounts page holds (computed once for every account).
        var parameters = ReportParameters()
        parameters.limit = 100_000_000
        let ltv = try await self.table(id: "accounts-ltv", parameters: parameters)
        let detail = try await Blocking.run {
            try AccountDetail.build(store: store, context: context, account: id, ltv: ltv)
        }
        // Kept only when the store did not change meanwhile.
        if let detail, generation == self.generation {
            if details.count >= Self.accountCapacity { details.removeAll() }
            details[id] = detail
        }
        return detail
    }

    /// The most events a timeline holds; shorter ones are its first events.
    static let timelineCapacity = 5000

    /// The account records' timeline, newest first, at most `limit` events.
    public func timeline(records: [Int64], limit: Int) async throws -> [TimelineEvent] {
        let store = try await requireStore()
        if let known = timelines[records] { return Array(known.prefix(limit)) }
        let generation = self.generation
        let events = try await store.reading { try store.timeline(of: records, limit: Self.timelineCapacity) }
        if generation == self.generation {
            if timelines.count >= Self.accountCapacity / 4 { timelines.removeAll() }
            timelines[records] = events
        }
        return Array(events.prefix(limit))
    }

    /// Average daily active users and events per month of the account records.
    func usage(records: [Int64]) async throws -> [UsageMonth] {
        let store = try await requireStore()
        if let known = usages[records] { return known }
        let generation = self.generation
        let months = try await store.reading { try store.usageByMonth(of: records) }
        if generation == self.generation {
            if usages.count >= Self.accountCapacity { usages.removeAll() }
            usages[records] = months
        }
        return months
    }

    private func requireStore() async throws -> any Store {
        guard let store = try await currentStore() else {
            throw StoreError(
                .notFound, path: storePath,
                reason: "no store here yet; import data (fulcrum import) or load the demo company (fulcrum demo)")
        }
        return store
    }
}

/// What identifies one version of the store's files: a changed size or modification time of the
/// database or its write-ahead log means something was written.
struct StoreStamp: Equatable {
    var exists: Bool
    var inode: UInt64
    var parts: [Double]
    var revision: String? = nil

    /// A PostgreSQL store's version: the revision its last write set.
    init(revision: String?) {
        exists = true
        inode = 0
        parts = []
        self.revision = revision
    }

    init(path: String) {
        var parts: [Double] = []
        var inode: UInt64 = 0
        var exists = false
        for (i, file) in [path, path + "-wal"].enumerated() {
            var info = stat()
            guard stat(file, &info) == 0 else {
                parts += [-1, -1]
                continue
            }
            if i == 0 {
                exists = true
                inode = UInt64(info.st_ino)
            }
            parts += [
                Double(info.st_size), Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9,
            ]
        }
        self.exists = exists
        self.inode = inode
        self.parts = parts
    }
}

/// Long synchronous work (store reads, report computation, imports) run on a Dispatch queue, off Swift's
/// cooperative thread pool, so on a two-core machine one slow report never stalls every other request.
enum Blocking {
    static let queue = DispatchQueue(label: "fulcrum.blocking", qos: .userInitiated, attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
