import Foundation
import FulcrumCore
import FulcrumStore
import Synchronization

/// What computing one or more reports takes: each report's query, the store reads all of them need
/// (read once, shared), and the query the shared context is built for. The CLI and the server both
/// plan, load and run reports through this, so a report is computed one way whoever asks.
public struct ReportPlan: Sendable {
    public var queries: [ReportQuery]
    public var needs: Set<MetricInputs.Need>
    /// The query the shared `MetricContext` is built from (settings, slicing, range of activities).
    public var contextQuery: ReportQuery

    /// `lifecycle` is asked for only when a lifecycle report is among `ids` (it may read a file).
    /// Throws `ParameterError` for a malformed parameter (spelled by `spell`), `MetricError` for
    /// a request the report cannot answer, `LifecycleConfig.Problem` for a bad configuration file.
    public init(
        ids: [String], parameters: ReportParameters, spell: (String) -> String = { $0 },
        lifecycle: () throws -> LifecycleSettings
    ) throws {
        var settings: LifecycleSettings?
        queries = []
        needs = []
        for id in ids {
            var query = try parameters.query(report: id, spell: spell)
            if ReportCatalog.usesLifecycleSettings(id) {
                if settings == nil { settings = try lifecycle() }
                query.settings.lifecycle = settings!
            }
            needs.formUnion(try ReportCatalog.needs(for: query))
            queries.append(query)
        }
        contextQuery = queries.first ?? ReportQuery(report: "mrr")
        contextQuery.settings.lifecycle = settings ?? LifecycleSettings()
    }

    /// Reads what the plan needs from `store` and builds the shared context.
    public func context(store: any Store) throws -> MetricContext {
        try ReportInputs.context(store: store, needs: needs, query: contextQuery)
    }

    /// Every query's table from one shared context, computed side by side (the reports only read the
    /// context): on two cores three lifecycle reports of a large company take the time of the longest two,
    /// not of all three. Results in the queries' order, so errors are reported as computing in turn would.
    public func tables(context: MetricContext, explain: Bool) -> [Result<ReportTable, any Error>] {
        let results = Mutex<[Result<ReportTable, any Error>?]>(Array(repeating: nil, count: queries.count))
        DispatchQueue.concurrentPerform(iterations: queries.count) { i in
            let table = Result { try ReportCatalog.run(queries[i], context: context, explain: explain) }
            results.withLock { $0[i] = table }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// Lifecycle settings: the file given, else `lifecycle.yaml` beside the store when it exists, else the documented defaults.
    public static func lifecycleSettings(config: String?, storePath: String) throws -> LifecycleSettings {
        let path = config ?? LifecycleConfig.defaultPath(forStore: storePath)
        guard config != nil || FileManager.default.fileExists(atPath: path) else { return LifecycleSettings() }
        return try LifecycleConfig.load(path)
    }
}

/// The headline snapshot from a store (every report's shape through `HeadlineReport.table`).
public enum HeadlineService {
    public static func compute(store: any Store, settings: RevenueSettings = RevenueSettings(), explain: Bool = false)
        throws -> HeadlineReport
    {
        guard let through = try store.metaValue("data_through").flatMap({ Day(iso: $0) }) else {
            throw StoreError(
                .notFound, path: store.location, reason: "store has no data-through date; import data first")
        }
        let billing = try store.billing()
        return try HeadlineReport.compute(
            accounts: try store.accounts(), billing: billing.subscriptions, changes: billing.changes,
            statusPeriods: billing.statusPeriods, fxRates: billing.fxRates, spend: try store.spend(),
            dataThrough: through, settings: settings, explain: explain)
    }
}
