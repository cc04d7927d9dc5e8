import Foundation
import FulcrumCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresNIO
import ServiceLifecycle

/// The team store: the same logical model and the same queries (`StoreQueries`) as the embedded SQLite
/// store, on a PostgreSQL server, keyed for distribution by account (`PostgresSchema`).
///
/// The Store protocol is synchronous; this store runs each call on PostgreSQL's event loops and waits, which
/// is safe from any thread that is not one of those loops (the CLI's, a server request's). Every read call
/// runs in its own REPEATABLE READ, READ ONLY transaction, so the several queries one call makes (billing
/// reads three tables) see one state of the store, never half of an import.
public final class PostgresStore: Store, @unchecked Sendable {
    public let address: PostgresAddress
    public var location: String { address.description }
    let connections: ConnectionPool

    /// Opens the store at `address`, applying pending migrations (an empty database becomes a store).
    /// - Throws: `StoreError` naming the address when the server cannot be reached, refuses the login, or
    ///   the database holds other tables or a newer Fulcrum's schema.
    public static func open(_ address: PostgresAddress, migrate: Bool = true) throws -> PostgresStore {
        let store = PostgresStore(address: address)
        store.connections.start()
        do {
            try store.prepare(migrate: migrate)
        } catch {
            store.close()
            throw error
        }
        return store
    }

    /// A store whose connection pool a ServiceGroup runs (`service`, the server's), not yet checked: call
    /// `prepare()` once the group runs, before the first read.
    public static func forService(_ address: PostgresAddress) -> PostgresStore { PostgresStore(address: address) }

    /// The connection pool (postgres-nio's `PostgresClient`) as a service with a lifecycle, for a store made
    /// with `forService`.
    public var service: some Service { connections.service }

    /// Checks the server answers and holds a Fulcrum store (or an empty database), then applies pending
    /// migrations when `migrate`.
    public func prepare(migrate: Bool = true) throws {
        try connections.verify()
        try checkIsStore()
        if migrate { try self.migrate() }
    }

    init(address: PostgresAddress) {
        self.address = address
        self.connections = ConnectionPool(address: address)
    }

    deinit { connections.closeAll() }

    /// Ends the connection pool this store runs (a store from `open`); the store cannot be used afterwards.
    public func close() { connections.closeAll() }

    // MARK: Reads (shared with SQLite)

    func query<T>(_ body: (StoreQueries<PostgresRunner>) throws -> T) throws -> T {
        try connections.with { connection in
            try PostgresRunner.transaction(connection, readOnly: true) {
                try body(StoreQueries(runner: PostgresRunner(connection: connection, location: location)))
            }
        }
    }

    public func dataSources() throws -> [DataSource] { try query { try $0.dataSources() } }
    public func tableCounts() throws -> [String: Int] { try query { try $0.tableCounts(Schema.tableNames) } }
    public func metaValue(_ key: String) throws -> String? { try query { try $0.metaValue(key) } }
    public func accounts() throws -> [Account] { try query { try $0.accounts() } }
    public func recordLabels(_ records: Set<String>) throws -> [String: RecordLabel] {
        try query { try $0.recordLabels(records) }
    }
    public func identityAccounts() throws -> [IdentityAccount] { try query { try $0.identityAccounts() } }
    public func accountMerges() throws -> [AccountMerge] { try query { try $0.merges(where: "1 = 1", []) } }
    public func unmatchedRecords(limit: Int?) throws -> UnmatchedReport {
        try query { try $0.unmatchedRecords(limit: limit) }
    }
    @discardableResult
    public func mergeAccount(
        _ loserId: Int64, into winnerId: Int64, actor: String, reason: String?, at instant: Timestamp
    ) throws -> AccountMerge {
        try write {
            try StoreQueries(runner: $0).mergeAccount(
                loserId, into: winnerId, actor: actor, reason: reason, at: instant)
        }
    }
    @discardableResult
    public func unmergeAccount(_ accountId: Int64, actor: String, at instant: Timestamp) throws -> AccountMerge {
        try write { try StoreQueries(runner: $0).unmergeAccount(accountId, actor: actor, at: instant) }
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

    // MARK: Models and experiments

    public func model(kind: String) throws -> String? {
        try query { try $0.runner.rows("SELECT model FROM models WHERE kind = ?", [.text(kind)]) { $0.string(0) } }
            .first
    }

    public func saveModel(kind: String, trainedAt: String, json: String) throws {
        try write { runner in
            try runner.execute(
                """
                INSERT INTO models (kind, trained_at, model) VALUES (?, ?, ?)
                ON CONFLICT (kind) DO UPDATE SET trained_at = excluded.trained_at, model = excluded.model
                """, [.text(kind), .text(trainedAt), .text(json)])
        }
    }

    public func experiments() throws -> [(name: String, json: String)] {
        try query {
            try $0.runner.rows("SELECT name, definition FROM experiments ORDER BY created_on, name") {
                (name: $0.string(0), json: $0.string(1))
            }
        }
    }

    public func createExperiment(name: String, createdOn: String, json: String) throws {
        try write { runner in
            if try !runner.rows("SELECT name FROM experiments WHERE name = ?", [.text(name)], { $0.string(0) }).isEmpty
            {
                throw StoreError(
                    .refused, path: location,
                    reason:
                        "experiment '\(name)' exists; experiments are never changed after creation, pick another name")
            }
            try runner.execute(
                "INSERT INTO experiments (name, created_on, definition) VALUES (?, ?, ?)",
                [.text(name), .text(createdOn), .text(json)])
        }
    }

    public func experimentAssignments(_ experiment: String) throws -> [ExperimentAssignment.Entry] {
        try query {
            try $0.runner.rows(
                "SELECT account_id, arm, stratum FROM experiment_assignments WHERE experiment = ? ORDER BY seq",
                [.text(experiment)]
            ) { ExperimentAssignment.Entry(accountId: $0.int64(0), arm: $0.string(1), stratum: $0.string(2)) }
        }
    }

    public func addExperimentAssignments(_ experiment: String, _ entries: [ExperimentAssignment.Entry], on: String)
        throws
    {
        try write { runner in
            for e in entries {
                try runner.execute(
                    "INSERT INTO experiment_assignments (account_id, experiment, arm, stratum, assigned_on) VALUES (?, ?, ?, ?, ?)",
                    [.int(e.accountId), .text(experiment), .text(e.arm), .text(e.stratum), .text(on)])
            }
        }
    }

    /// The store's version: a new value whenever anything is written (an import, a copy, a model, an
    /// experiment), so a server can keep computed reports until it changes.
    public func revision() throws -> String? {
        try query { try $0.runner.rows("SELECT value FROM fulcrum_revision") { $0.string(0) } }.first
    }

    /// `revision()` without a thread waiting: the query runs on postgres-nio's async API (`PostgresClient`), so
    /// a server checking the store's version on every request never blocks a cooperative thread for it.
    ///
    /// A server that stopped answering is reported with its reason within `ConnectionPool.patience`, as a
    /// synchronous call's is, not after the pool's minute of retries.
    public func currentRevision() async throws -> String? {
        let client = connections.client
        let location = self.location
        do {
            return try await withThrowingTaskGroup(of: String??.self) { group in
                group.addTask {
                    let rows = try await client.query(
                        "SELECT value FROM fulcrum_revision", logger: ConnectionPool.logger)
                    for try await value in rows.decode(String.self) { return .some(value) }
                    return .some(nil)
                }
                group.addTask {
                    try await Task.sleep(for: ConnectionPool.patience)
                    return nil
                }
                while let next = try await group.next() {
                    if let answer = next {
                        group.cancelAll()
                        return answer
                    }
                    // No answer yet: a busy pool keeps waiting, a server that is not there is reported now.
                    try await reading { try self.connections.verify() }
                }
                return nil
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw PostgresRunner.describe(error, location: location)
        }
    }

    /// Sets the store's revision (`fulcrum_revision`, bookkeeping outside the logical model) to a new random value (inside the writing transaction), when the store has tables.
    static let bumpRevision = """
        DO $$ BEGIN IF to_regclass('fulcrum_revision') IS NOT NULL THEN
          INSERT INTO fulcrum_revision (id, value) VALUES (1, gen_random_uuid()::text)
          ON CONFLICT (id) DO UPDATE SET value = excluded.value;
        END IF; END $$
        """

    /// Sets metadata values in one transaction.
    public func setMeta(_ values: [String: String]) throws {
        try write { runner in
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                try runner.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [.text(key), .text(value)])
            }
        }
    }

    /// Runs `body` in one read-write transaction: all of it lands or none of it.
    /// Waits for a staged import in progress (`staged`), whose copy-back would otherwise overwrite this write.
    func write<T>(_ body: (PostgresRunner) throws -> T) throws -> T {
        try connections.with { connection in
            try PostgresRunner.transaction(connection, readOnly: false) {
                let runner = PostgresRunner(connection: connection, location: location)
                try runner.execute("SELECT pg_advisory_xact_lock_shared(\(Self.writerLock))", [])
                let value = try body(runner)
                try runner.execute(Self.bumpRevision, [])
                return value
            }
        }
    }

    // MARK: Migrations

    /// Migrations this Fulcrum knows that the store has not applied yet, oldest first.
    public func pendingMigrations() throws -> [String] {
        let applied = Set(try appliedMigrations())
        return PostgresSchema.migrations.map(\.id).filter { !applied.contains($0) }
    }

    /// Names of the migrations applied, in order.
    public func appliedMigrations() throws -> [String] {
        try connections.with { connection in
            let runner = PostgresRunner(connection: connection, location: location)
            let exists = try runner.rows("SELECT to_regclass('fulcrum_migrations') IS NOT NULL") { $0.bool(0) }
            guard exists.first == true else { return [] }
            return try runner.rows("SELECT id FROM fulcrum_migrations ORDER BY id") { $0.string(0) }
        }
    }

    /// Applies every pending migration, each in its own transaction; concurrent callers wait for one another
    /// (an advisory lock), so a migration is never applied twice. Returns the ones applied.
    @discardableResult
    public func migrate() throws -> [String] {
        let known = Set(PostgresSchema.migrations.map(\.id))
        let unknown = try appliedMigrations().filter { !known.contains($0) }
        if !unknown.isEmpty {
            throw StoreError(
                .newerSchema, path: location,
                reason:
                    "written by a newer Fulcrum (unknown schema migrations \(unknown.joined(separator: ", "))); upgrade Fulcrum"
            )
        }
        guard try !pendingMigrations().isEmpty else { return [] }
        var applied: [String] = []
        for migration in PostgresSchema.migrations {
            let done = try write { runner -> Bool in
                try runner.execute("SELECT pg_advisory_xact_lock(8124321)", [])
                try runner.execute(
                    "CREATE TABLE IF NOT EXISTS fulcrum_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", [])
                let seen = try runner.rows("SELECT id FROM fulcrum_migrations WHERE id = ?", [.text(migration.id)]) {
                    $0.string(0)
                }
                guard seen.isEmpty else { return false }
                for statement in migration.statements { try runner.execute(statement, []) }
                try runner.execute(
                    "INSERT INTO fulcrum_migrations (id, applied_at) VALUES (?, ?)",
                    [.text(migration.id), .text(ISO8601DateFormatter().string(from: Date()))])
                return true
            }
            if done { applied.append(migration.id) }
        }
        return applied
    }

    /// A database holding other tables and no Fulcrum migrations is not ours to change.
    func checkIsStore() throws {
        let tables = try connections.with { connection in
            try PostgresRunner(connection: connection, location: location).rows(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1"
            ) { $0.string(0) }
        }
        if !tables.isEmpty, !tables.contains("fulcrum_migrations") {
            throw StoreError(
                .notAStore, path: location,
                reason:
                    "not a Fulcrum store (a database with other tables: \(tables.prefix(3).joined(separator: ", ")))")
        }
    }
}

/// The store's connections: postgres-nio's `PostgresClient` (its pool: at most `limit` connections, opened on
/// demand, closed after a minute idle), leased to the store's synchronous callers one connection each.
///
/// The client works only while its `run()` runs. A store the CLI opens runs it in a task of its own (`start`,
/// ended by `closeAll`); the server runs it as a service of its ServiceGroup (`service`), so the pool starts
/// with the server and shuts down after the HTTP server has drained. Either way `run()` and every lease run on
/// threads of their own, not Swift's cooperative pool: the callers waiting for a connection may be that pool's
/// threads, and a pool whose every thread waits would never open the connection they wait for.
final class ConnectionPool: @unchecked Sendable {
    let address: PostgresAddress
    let client: PostgresClient
    private let running = NIOLockedValueBox<(task: Task<Void, Never>, done: DispatchSemaphore)?>(nil)
    static let logger: Logger = {
        var logger = Logger(label: "fulcrum.postgres")
        logger.logLevel = .critical
        return logger
    }()
    /// How long a call waits for a connection before checking that the server is there at all.
    static let patience = Duration.seconds(2)
    /// Where lease tasks run (they only wait, never block, so one serial thread serves them all).
    private static let leases = OwnThreadExecutor(label: "fulcrum.postgres-leases")

    init(address: PostgresAddress, limit: Int = 8) {
        self.address = address
        var configuration = PostgresClient.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password(),
            database: address.database, tls: .disable)
        configuration.options.minimumConnections = 0
        configuration.options.maximumConnections = limit
        self.client = PostgresClient(
            configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            backgroundLogger: Self.logger)
    }

    /// Runs the client in a task of its own until `closeAll()` (a store opened outside a service group).
    func start() {
        running.withLockedValue { running in
            guard running == nil else { return }
            let done = DispatchSemaphore(value: 0)
            let client = self.client
            let task = Task(executorPreference: OwnThreadExecutor(label: "fulcrum.postgres-client")) {
                await client.run()
                done.signal()
            }
            running = (task, done)
        }
    }

    /// The client as a service for a ServiceGroup: `run()` on a thread of its own, ended by the group's
    /// graceful shutdown or cancellation.
    var service: some Service { ClientService(client: client) }

    /// Opens one connection straight to the server and closes it: a refused connection, an unknown database or
    /// a wrong password is reported at once with the server's reason (the pool would retry for a minute first).
    func verify() throws {
        do {
            let configuration = PostgresConnection.Configuration(
                host: address.host, port: address.port, username: address.user, password: address.password(),
                database: address.database, tls: .disable)
            let connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 0,
                logger: Self.logger
            ).wait()
            try? connection.close().wait()
        } catch {
            throw PostgresRunner.describe(error, location: address.description, connecting: true)
        }
    }

    /// Runs `body` with a connection leased from the pool for its duration; the connection is back in the pool
    /// when this returns.
    func with<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let lease = Lease()
        let client = self.client
        Task(executorPreference: Self.leases) {
            do {
                try await client.withConnection { connection in await lease.hold(connection) }
            } catch {
                lease.fail(error)
            }
            lease.returned()
        }
        let connection: PostgresConnection
        do {
            connection = try lease.connection(patience: Self.patience) { try self.verify() }
        } catch let error as StoreError {
            // The server is not there (the lease would have waited for the pool's minute of retries): the lease
            // gives its connection back as soon as it gets one.
            lease.release()
            throw error
        } catch {
            lease.waitUntilReturned()
            throw PostgresRunner.describe(error, location: address.description, connecting: true)
        }
        defer {
            lease.release()
            lease.waitUntilReturned()
        }
        return try body(connection)
    }

    /// Ends the client this store runs itself, which closes its connections; a client the server runs as a
    /// service ends with the server. Waits for the connections to close only on a thread that runs no task:
    /// the client ends through a task of Swift's cooperative pool (swift-service-lifecycle's cancellation
    /// waiter), which a pool thread blocked here could keep from ever running.
    func closeAll() {
        guard
            let (task, done) = running.withLockedValue({ running in
                defer { running = nil }
                return running
            })
        else { return }
        task.cancel()
        let inTask = withUnsafeCurrentTask { $0 != nil }
        if !inTask { _ = done.wait(timeout: .now() + 10) }
    }
}

/// `PostgresClient.run()` as a ServiceGroup service, on a thread of its own (see `ConnectionPool`).
private struct ClientService: Service {
    let client: PostgresClient

    func run() async throws {
        await withTaskExecutorPreference(OwnThreadExecutor(label: "fulcrum.postgres-client")) { await client.run() }
    }
}

/// One connection handed from an async lease to a thread that waits for it, and back when that thread is done.
private final class Lease: @unchecked Sendable {
    private let lock = NIOLock()
    private let ready = DispatchSemaphore(value: 0)
    private let back = DispatchSemaphore(value: 0)
    private var leased: PostgresConnection?
    private var failure: (any Error)?
    private var released = false
    private var holder: CheckedContinuation<Void, Never>?

    /// Hands `connection` to the waiting thread and keeps the lease until `release()`.
    func hold(_ connection: PostgresConnection) async {
        await withCheckedContinuation { continuation in
            let releasedAlready = lock.withLock { () -> Bool in
                leased = connection
                if released { return true }
                holder = continuation
                return false
            }
            ready.signal()
            if releasedAlready { continuation.resume() }
        }
    }

    func fail(_ error: any Error) {
        lock.withLock { failure = error }
        ready.signal()
    }

    func returned() { back.signal() }

    /// Waits for the connection (or the reason there is none); after `patience` without one, `check` runs once
    /// and its error, if any, is thrown (the wait goes on when it passes: the pool is only busy).
    func connection(patience: Duration, check: () throws -> Void) throws -> PostgresConnection {
        let seconds = Double(patience.components.seconds) + Double(patience.components.attoseconds) / 1e18
        if ready.wait(timeout: .now() + seconds) == .timedOut {
            try check()
            ready.wait()
        }
        return try lock.withLock { () throws -> PostgresConnection in
            if let leased { return leased }
            throw failure ?? StoreError(.cannotOpen, path: "", reason: "no connection")
        }
    }

    func release() {
        let continuation = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            released = true
            defer { holder = nil }
            return holder
        }
        continuation?.resume()
    }

    func waitUntilReturned() { back.wait() }
}

/// The shared queries on one PostgreSQL connection.
struct PostgresRunner: QueryRunner {
    let connection: PostgresConnection
    let location: String

    func rows<T>(_ sql: String, _ arguments: [QueryValue], capacity: Int, _ transform: (PostgresStoreRow) throws -> T)
        throws -> [T]
    {
        var out: [T] = []
        out.reserveCapacity(capacity)
        try stream(sql, arguments) { out.append(try transform($0)) }
        return out
    }

    var groupsByScanning: Bool { false }

    /// Rows are decoded as they arrive from the server, none kept.
    func forEachRow(_ sql: String, _ arguments: [QueryValue], _ body: (PostgresStoreRow) throws -> Void) throws {
        try stream(sql, arguments, body)
    }

    func execute(_ sql: String, _ arguments: [QueryValue]) throws { try stream(sql, arguments) { _ in } }

    /// Results are decoded as they stream in, so their size is not known first; arrays grow as they fill.
    func expectedRows(_ table: String) throws -> Int { 0 }

    /// Runs `sql` and hands each row to `body` as it arrives, on the connection's event loop while this thread
    /// waits. postgres-nio's collecting `query` copies its growing row array at every network read (quadratic in
    /// the rows: 212 s for the medium company's 5 million touches); the row callback keeps nothing.
    private func stream(_ sql: String, _ arguments: [QueryValue], _ body: (PostgresStoreRow) throws -> Void) throws {
        var bindings = PostgresBindings(capacity: arguments.count)
        for value in arguments {
            switch value {
            case .int(let v): bindings.append(v)
            case .double(let v): bindings.append(v)
            case .text(let v): bindings.append(v)
            case .null: bindings.appendNull()
            }
        }
        let query = PostgresQuery(unsafeSQL: Self.numbered(sql), binds: bindings)
        try withoutActuallyEscaping(body) { body in
            // The driver may hold its callback a moment after the result completes: it holds only the relay, which
            // lets go of `body` before this returns.
            let relay = RowRelay(body)
            defer { relay.body = nil }
            do {
                _ = try connection.query(query, logger: ConnectionPool.logger) { row in
                    try relay.pass(PostgresStoreRow(row: row.makeRandomAccess()))
                }.wait()
            } catch {
                // The caller's own error (a value it cannot decode, a write it could not make) comes back as it was.
                if let own = relay.error { throw own }
                throw Self.describe(error, location: location)
            }
        }
    }

    /// Runs `body` inside BEGIN … COMMIT (ROLLBACK when it throws).
    static func transaction<T>(_ connection: PostgresConnection, readOnly: Bool, _ body: () throws -> T) throws -> T {
        let runner = PostgresRunner(connection: connection, location: "")
        try runner.execute(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN", [])
        do {
            let value = try body()
            try runner.execute("COMMIT", [])
            return value
        } catch {
            try? runner.execute("ROLLBACK", [])
            throw error
        }
    }

    /// `?` placeholders as PostgreSQL's `$1, $2, …` (none sits inside a quoted literal in the shared SQL,
    /// and quoted text is skipped anyway).
    static func numbered(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 8)
        var n = 0
        var quoted = false
        for c in sql {
            if c == "'" { quoted.toggle() }
            if c == "?" && !quoted {
                n += 1
                out += "$\(n)"
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// A driver or server error as a `StoreError` naming the store and the server's reason (never a password).
    static func describe(_ error: any Error, location: String, connecting: Bool = false) -> StoreError {
        if let store = error as? StoreError { return store }
        if let psql = error as? PSQLError {
            if let info = psql.serverInfo {
                let state = info[.sqlState] ?? ""
                let message = info[.message] ?? "server error"
                let kind: StoreError.Code = state.hasPrefix("28") || state == "3D000" ? .cannotOpen : .writeFailed
                let detail = info[.detail].map { " (\($0))" } ?? ""
                return StoreError(kind, path: location, reason: "\(message)\(detail) [SQLSTATE \(state)]")
            }
            if connecting || psql.code == .connectionError || psql.code == .serverClosedConnection {
                let underlying = psql.underlying.map { "\($0)" } ?? "\(psql.code)"
                return StoreError(.cannotOpen, path: location, reason: "cannot connect to the server (\(underlying))")
            }
            return StoreError(.writeFailed, path: location, reason: "\(psql.code)")
        }
        return StoreError(connecting ? .cannotOpen : .writeFailed, path: location, reason: "\(error)")
    }
}

/// Passes rows from the driver's event loop to a caller blocked until the result is complete, so the caller's
/// state is touched by one thread at a time.
private final class RowRelay: @unchecked Sendable {
    var body: ((PostgresStoreRow) throws -> Void)?
    private(set) var error: (any Error)?
    init(_ body: @escaping (PostgresStoreRow) throws -> Void) { self.body = body }

    func pass(_ row: PostgresStoreRow) throws {
        do {
            try body?(row)
        } catch {
            self.error = error
            throw error
        }
    }
}

/// One PostgreSQL result row, read by the shared decoding code (`StoreRow`).
struct PostgresStoreRow: StoreRow {
    let row: PostgresRandomAccessRow

    func isNull(_ i: Int32) -> Bool { row[Int(i)].bytes == nil }

    func int64(_ i: Int32) -> Int64 {
        let cell = row[Int(i)]
        guard var bytes = cell.bytes else { return 0 }
        if cell.format == .binary {
            switch cell.dataType {
            case .int8: return bytes.readInteger(as: Int64.self) ?? 0
            case .int4: return Int64(bytes.readInteger(as: Int32.self) ?? 0)
            case .int2: return Int64(bytes.readInteger(as: Int16.self) ?? 0)
            case .bool: return Int64(bytes.readInteger(as: UInt8.self) ?? 0)
            case .float8: return Int64(Double(bitPattern: bytes.readInteger(as: UInt64.self) ?? 0))
            default: break
            }
        }
        let text = String(buffer: bytes)
        return Int64(text) ?? Double(text).map { Int64($0) } ?? 0
    }

    func double(_ i: Int32) -> Double {
        let cell = row[Int(i)]
        guard var bytes = cell.bytes else { return 0 }
        if cell.format == .binary {
            switch cell.dataType {
            case .float8: return Double(bitPattern: bytes.readInteger(as: UInt64.self) ?? 0)
            case .float4: return Double(Float(bitPattern: bytes.readInteger(as: UInt32.self) ?? 0))
            case .int8, .int4, .int2, .bool: return Double(int64(i))
            default: break
            }
        }
        return Double(String(buffer: bytes)) ?? 0
    }

    func withBytes<R>(_ i: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard let bytes = row[Int(i)].bytes else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try bytes.withUnsafeReadableBytes { raw in try body(raw.bindMemory(to: UInt8.self)) }
    }
}

extension PostgresStore {
    /// Creates an empty database on the server at `server` (connecting to its own database to do so). The
    /// name is an identifier Fulcrum chose (letters, digits, underscores), never user text spliced into SQL.
    public static func createDatabase(_ name: String, server: PostgresAddress) throws {
        try maintain(server) { runner in
            try runner.execute("CREATE DATABASE \(try identifier(name))", [])
        }
    }

    /// Drops a database if it exists (its connections are ended first).
    public static func dropDatabase(_ name: String, server: PostgresAddress) throws {
        try maintain(server) { runner in
            try runner.execute("DROP DATABASE IF EXISTS \(try identifier(name)) WITH (FORCE)", [])
        }
    }

    private static func maintain(_ server: PostgresAddress, _ body: (PostgresRunner) throws -> Void) throws {
        let pool = ConnectionPool(address: server, limit: 1)
        pool.start()
        defer { pool.closeAll() }
        try pool.verify()
        try pool.with { try body(PostgresRunner(connection: $0, location: server.description)) }
    }

    /// `name` if it is a plain lower-case SQL identifier, else an error.
    static func identifier(_ name: String) throws -> String {
        let ok =
            !name.isEmpty && name.count <= 63 && name.first.map { $0 == "_" || ("a"..."z").contains($0) } == true
            && name.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        guard ok else {
            throw StoreError(.refused, path: name, reason: "a database name is lower-case letters, digits and _")
        }
        return name
    }
}

extension PostgresStore {
    /// Fact tables and their distribution column (`accounts` is distributed by its own `id`).
    public static var distributedTables: [String: String] { PostgresSchema.distributed }
    /// Small tables every node holds whole.
    public static var referenceTables: [String] { PostgresSchema.reference }

    /// What the live catalog says about the store's tables: the facts the distribution rules are checked on.
    public struct Catalog: Sendable {
        public var tables: [String] = []
        public var notNull: [String: Set<String>] = [:]
        public var primaryKeys: [String: [String]] = [:]
        public var uniqueIndexes: [String: [String: [String]]] = [:]
        public var foreignKeys: [String] = []
    }

    /// Reads the catalog (information_schema, and pg_index for unique indexes that are not constraints).
    public func catalog() throws -> Catalog {
        try query { queries in
            let runner = queries.runner
            var catalog = Catalog()
            catalog.tables = try runner.rows(
                """
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1
                """
            ) { $0.string(0) }
            for (table, column) in try runner.rows(
                """
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND is_nullable = 'NO'
                """, [], { ($0.string(0), $0.string(1)) })
            {
                catalog.notNull[table, default: []].insert(column)
            }
            for (table, column) in try runner.rows(
                """
                SELECT c.table_name, k.column_name FROM information_schema.table_constraints c
                JOIN information_schema.key_column_usage k
                  ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema
                WHERE c.table_schema = current_schema() AND c.constraint_type = 'PRIMARY KEY'
                ORDER BY c.table_name, k.ordinal_position
                """, [], { ($0.string(0), $0.string(1)) })
            {
                catalog.primaryKeys[table, default: []].append(column)
            }
            for (table, index, column) in try runner.rows(
                """
                SELECT t.relname, i.relname, a.attname FROM pg_index x
                JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(x.indkey)
                WHERE x.indisunique AND n.nspname = current_schema()
                """, [], { ($0.string(0), $0.string(1), $0.string(2)) })
            {
                catalog.uniqueIndexes[table, default: [:]][index, default: []].append(column)
            }
            catalog.foreignKeys = try runner.rows(
                """
                SELECT table_name || '.' || constraint_name FROM information_schema.table_constraints
                WHERE table_schema = current_schema() AND constraint_type = 'FOREIGN KEY'
                """
            ) { $0.string(0) }
            return catalog
        }
    }
}
