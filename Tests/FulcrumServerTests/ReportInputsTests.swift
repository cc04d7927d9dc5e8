import FulcrumCore
import FulcrumService
import FulcrumStore
import Testing

/// What a report run reads from the store: the lead reports' journeys are made from people read one at a time
/// (issue 17: five million people are never all held) and must give what every person held gives.
@Suite("Report inputs: lead journeys from people read one at a time")
struct ReportInputsTests {
    @Test("every lead report is the same from streamed people as from every person held, explained too")
    func streamedPeopleGiveTheSameReports() throws {
        let store = try SQLiteStore.openForReading(path: DemoStore.path)
        for id in ["lifecycle", "funnel", "leads", "lead-response", "marketing", "targets", "rep-scorecard"] {
            let query = ReportQuery(report: id)
            let needs = try ReportCatalog.needs(for: query)
            #expect(needs.contains(.leads) && !needs.contains(.people), "\(id)")
            let streamed = try ReportInputs.context(store: store, needs: needs, query: query)
            #expect(streamed.inputs.people.isEmpty)
            // Every person held (and, for lifecycle, every ticket rather than the urgent ones).
            let held = try ReportInputs.context(store: store, needs: needs.union([.people, .tickets]), query: query)
            #expect(!held.inputs.people.isEmpty)
            for explain in [false, true] {
                let a = try ReportCatalog.run(query, context: streamed, explain: explain)
                let b = try ReportCatalog.run(query, context: held, explain: explain)
                #expect(!a.rows.isEmpty, "\(id)")
                #expect(a.renderJSON(explain: explain) == b.renderJSON(explain: explain), "\(id) explain \(explain)")
            }
        }
    }

    @Test("the lifecycle report reads only the urgent tickets; the at-risk stage still counts them")
    func lifecycleReadsUrgentTickets() throws {
        let store = try SQLiteStore.openForReading(path: DemoStore.path)
        let query = ReportQuery(report: "lifecycle")
        let needs = try ReportCatalog.needs(for: query)
        #expect(needs.contains(.urgentTickets) && !needs.contains(.tickets))
        let context = try ReportInputs.context(store: store, needs: needs, query: query)
        let all = try store.tickets()
        let urgent = all.filter { LifecycleSettings.urgentPriorities.contains($0.priority) }
        #expect(!urgent.isEmpty && urgent.count < all.count)
        #expect(context.inputs.tickets == urgent)
    }

    @Test("reports of one plan, computed side by side from one read, equal each report read and computed alone")
    func planTablesEqualReportsAlone() throws {
        let store = try SQLiteStore.openForReading(path: DemoStore.path)
        var parameters = ReportParameters()
        parameters.period = "quarter"
        let ids = ["funnel", "targets", "rep-scorecard", "mrr-movements", "churn", "lifecycle"]
        let plan = try ReportPlan(ids: ids, parameters: parameters) { LifecycleSettings() }
        // One context for all: the revenue reports' billing and the lead reports' journeys are both in it.
        #expect(plan.needs.isSuperset(of: [.billing, .leads, .activitiesInRange, .targets]))
        let tables = plan.tables(context: try plan.context(store: store), explain: false)
        #expect(tables.count == ids.count)
        for (id, table) in zip(ids, tables) {
            let alone = try ReportPlan(ids: [id], parameters: parameters) { LifecycleSettings() }
            let expected = try ReportCatalog.run(alone.queries[0], context: try alone.context(store: store))
            let got = try table.get()
            #expect(!got.rows.isEmpty, "\(id)")
            #expect(got.renderJSON(explain: false) == expected.renderJSON(explain: false), "\(id)")
        }
    }

    @Test("a plan's reports that cannot be answered each give their own error in their place, not a missing table")
    func planTablesKeepEachError() throws {
        let store = try SQLiteStore.openForReading(path: DemoStore.path)
        var parameters = ReportParameters()
        parameters.by = "custom:no_such_field"
        let plan = try ReportPlan(ids: ["mrr", "churn"], parameters: parameters) { LifecycleSettings() }
        let tables = plan.tables(context: try plan.context(store: store), explain: false)
        for table in tables {
            #expect {
                try table.get()
            } throws: { error in
                (error as? MetricError)?.description.contains("no account custom field named 'no_such_field'") == true
            }
        }
        parameters.by = nil
        let fine = try ReportPlan(ids: ["mrr", "churn"], parameters: parameters) { LifecycleSettings() }
        #expect(
            fine.tables(context: try fine.context(store: store), explain: false).allSatisfy { (try? $0.get()) != nil })
    }
}
