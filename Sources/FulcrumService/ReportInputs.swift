import Foundation
import FulcrumCore
import FulcrumStore

/// Loads from the store only what a report needs (ReportCatalog says what), then builds
/// the shared metric context. Store, metric and revenue errors are thrown as they are; each front end
/// words them its own way (the CLI as one line and exit 1, the server as a problem document).
public enum ReportInputs {
    /// `allDimensions` computes the acquisition dimensions (channel, campaign) whatever the query slices by,
    /// for a context shared by many queries (the server's).
    public static func context(
        store: any Store, needs: Set<MetricInputs.Need>, query: ReportQuery, allDimensions: Bool = false
    ) throws -> MetricContext {
        let settings = query.settings
        return
            try {
                guard let through = try store.metaValue("data_through").flatMap({ Day(iso: $0) }) else {
                    throw StoreError(
                        .notFound, path: store.location, reason: "store has no data-through date; import data first")
                }
                var inputs = MetricInputs(dataThrough: through)
                inputs.acquisitionDimensions = allDimensions || query.by == .channel || query.by == .campaign
                let acquisition = inputs.acquisitionDimensions
                // First what the context is built from (MetricContext.init: the MRR ledger) and what lead
                // journeys are made from. The two largest reads run side by side (the store reads concurrently;
                // each is its own read transaction, as before); errors are reported in the order of reading in turn.
                let billingRead = BackgroundRead<BillingData>()
                if needs.contains(.billing) { billingRead.start { try store.billing() } }
                let peopleRead = BackgroundRead<[Person]>()
                if needs.contains(.people) { peopleRead.start { try store.people() } }
                defer { _ = (billingRead.wait(), peopleRead.wait()) }
                let accounts = Result { try store.accounts() }
                let billingResult = billingRead.wait()
                inputs.accounts = try accounts.get()
                if let billingResult {
                    let billing = try billingResult.get()
                    inputs.subscriptions = billing.subscriptions
                    inputs.changes = billing.changes
                    inputs.statusPeriods = billing.statusPeriods
                    inputs.fxRates = billing.fxRates
                }
                if needs.contains(.fx), !needs.contains(.billing) { inputs.fxRates = try store.fxRates() }
                if needs.contains(.reps) { inputs.reps = try store.reps() }
                if needs.contains(.customFields) { inputs.customFields = try store.customFields(entity: "accounts") }
                if needs.contains(.campaigns) { inputs.campaigns = try store.campaigns() }
                if acquisition {
                    if needs.contains(.opportunities) { inputs.opportunities = try store.opportunities() }
                    if needs.contains(.firstCampaignTouches) {
                        inputs.firstCampaignTouches = try store.firstCampaignTouches()
                    }
                }
                if let people = peopleRead.wait() { inputs.people = try people.get() }
                if needs.contains(.personFields) { inputs.personFields = try store.customFields(entity: "people") }
                if needs.contains(.firstPaidDays) { inputs.firstPaidDays = try store.firstPaidDays() }
                if needs.contains(.qualifyingTouches) {
                    inputs.qualifyingTouches = try store.qualifyingTouches(
                        kinds: settings.lifecycle.mqlTouchKinds, count: settings.lifecycle.mqlTouchCount)
                }
                var context = try MetricContext(inputs: inputs, settings: settings)

                // Then, with the ledger's working memory freed, everything else. Leads' journeys are made on
                // another thread from people read one at a time (five million people are never all held, issue
                // 17), beside the other reads; their first responses are set once the activities are in.
                let activitiesRead = BackgroundRead<[Activity]>()
                if needs.contains(.activities) {
                    activitiesRead.start { try store.activities() }
                } else if needs.contains(.activitiesInRange) {
                    var first = try MetricContext.periods(
                        query, dataMonth: through.month, dataMonthComplete: through == through.month.lastDay
                    ).first?.first
                    // A comparison builds the report again one period (or a year) earlier: read those months too.
                    if let compare = query.compare {
                        first = first?.adding(-(compare == .year ? 12 : max(12, query.grain.length)))
                    }
                    let from = first?.firstDay
                    activitiesRead.start { try store.activities(kinds: nil, from: from) }
                } else if needs.contains(.demos) {
                    activitiesRead.start { try store.activities(kinds: [.demo], from: nil) }
                }
                let responsesRead = BackgroundRead<[PersonInstant]>()
                if needs.contains(.firstResponses) {
                    let kinds = settings.lifecycle.responseKinds
                    responsesRead.start { try store.firstResponses(kinds: kinds) }
                }
                // Started after the reads it waits for (a read not started yet would look like none).
                let journeysRead = BackgroundRead<Void>()
                if needs.contains(.leads), !needs.contains(.people) {
                    journeysRead.start { [context] in
                        try context.loadLeadJourneys(expected: try store.peopleCount()) { add in
                            try store.forEachPerson(add)
                        } responses: {
                            (try responsesRead.wait()?.get(), try activitiesRead.wait()?.get() ?? [])
                        }
                    }
                }
                defer { _ = (journeysRead.wait(), activitiesRead.wait(), responsesRead.wait()) }
                try context.addInputs { inputs in
                    if needs.contains(.spend) { inputs.spend = try store.spend() }
                    if !acquisition {
                        if needs.contains(.opportunities) { inputs.opportunities = try store.opportunities() }
                        if needs.contains(.firstCampaignTouches) {
                            inputs.firstCampaignTouches = try store.firstCampaignTouches()
                        }
                    }
                    if needs.contains(.firstTouches) { inputs.firstTouches = try store.firstTouches() }
                    if needs.contains(.firstPayments) { inputs.firstPayments = try store.firstPayments() }
                    if needs.contains(.collected) { inputs.collected = try store.collectedRevenue() }
                    if needs.contains(.stageChanges) { inputs.stageChanges = try store.stageChanges() }
                    if needs.contains(.targets) { inputs.targets = try store.targets() }
                    if needs.contains(.teams) { inputs.teams = try store.teams() }
                    if needs.contains(.touchCounts) { inputs.touchCounts = try store.touchCounts() }
                    if needs.contains(.tickets) { inputs.tickets = try store.tickets() }
                    if needs.contains(.urgentTickets), !needs.contains(.tickets) {
                        inputs.tickets = try store.tickets(priorities: LifecycleSettings.urgentPriorities)
                    }
                    if needs.contains(.surveys) { inputs.surveys = try store.surveys() }
                    if needs.contains(.dealFields) {
                        inputs.dealFields = try store.customFields(entity: "opportunities")
                    }
                    if needs.contains(.repFields) { inputs.repFields = try store.customFields(entity: "reps") }
                    if needs.contains(.attributionTouches) {
                        inputs.attributionTouches = try store.attributionTouches()
                    }
                    if needs.contains(.driverTouches) {
                        inputs.driverTouches = try store.accountTouches(kinds: DriverPanels.touchKinds)
                    }
                    if needs.contains(.referrals) { inputs.referrals = try store.referrals() }
                    if needs.contains(.accountMonthTallies) {
                        inputs.accountMonthTallies = try store.accountMonthTallies()
                    }
                    if let activities = activitiesRead.wait() { inputs.activities = try activities.get() }
                    if let responses = responsesRead.wait() { inputs.firstResponses = try responses.get() }
                }
                try journeysRead.wait()?.get()
                return context
            }()
    }
}

/// One read run on another thread; `wait` returns its result (nil when never started).
public final class BackgroundRead<T>: @unchecked Sendable {
    public init() {}

    private var result: Result<T, any Error>?
    private let group = DispatchGroup()

    public func start(_ read: @escaping @Sendable () throws -> T) {
        DispatchQueue.global(qos: .userInitiated).async(group: group) { self.result = Result { try read() } }
    }

    public func wait() -> Result<T, any Error>? {
        group.wait()
        return result
    }

}
