import FulcrumCore
import FulcrumImport
import FulcrumStore

/// Loads a plan's economics for the command line: from a table (`--economics`) or from a store's
/// history (`PlanHistory` over the shared report context).
public enum PlanService {
    /// A problem with a plan request, named by the parameter it concerns.
    public struct Problem: Error, CustomStringConvertible {
        public var parameter: String
        public var reason: String
        public var description: String { "\(parameter): \(reason)" }
    }

    /// The units of an economics table (linear response).
    public static func inputs(economics path: String) throws -> PlanInputs {
        let file = try EconomicsFile.read(path: path)
        let units = file.rows.map { r in
            PlanUnit(
                name: r.segment, marketingSpend: r.marketingSpend, leadCost: LeadCost(costPerLead: r.costPerLead),
                leadToOpportunity: r.leadToOpportunity, opportunityToWon: r.opportunityToWon, asp: r.asp,
                salesCostPerDeal: r.salesCostPerDeal, annualChurn: r.annualChurn, grossMargin: r.grossMargin)
        }
        return PlanInputs(
            source: path, units: units,
            notes: ["economics from \(path): linear response (each lead costs cost_per_lead), as typed"])
    }

    /// Units fitted from the store's history, `months` monthly windows for the lead-cost curves.
    public static func inputs(
        store: any Store, months: Int = 24, grossMargin: Double? = nil, by grain: PlanHistory.Grain = .segment
    ) throws -> PlanInputs {
        guard months >= 3 else {
            throw Problem(parameter: "--history", reason: "needs at least 3 months, not \(months)")
        }
        var parameters = ReportParameters()
        if let grossMargin { parameters.grossMargin = grossMargin }
        let plan = try ReportPlan(ids: ["segment-economics", "mrr"], parameters: parameters) { LifecycleSettings() }
        var query = plan.contextQuery
        query.settings = plan.queries[0].settings
        let context = try ReportInputs.context(store: store, needs: plan.needs, query: query)
        do {
            return try PlanHistory.inputs(context: context, months: months, source: store.location, by: grain)
        } catch let e as PlanHistory.TooLittle {
            throw Problem(parameter: "--store", reason: e.description)
        }
    }
}
