import FulcrumCore

/// `fulcrum plan`'s answer in the shape both the table and the JSON print: the four allocations
/// with their totals and change against today, per-unit detail, the binding constraints with their
/// marginal values, the inputs and how they were obtained.
public struct PlanReport: Sendable, Encodable {
    public struct Totals: Sendable, Encodable {
        public var marketingSpend: Double
        public var salesSpend: Double
        public var totalSpend: Double
        public var leads: Double
        public var opportunities: Double
        public var deals: Double
        public var bookings: Double
        public var lifetimeValue: Double
        public var cac: Double?
        public var acvCac: Double?
        public var ltvCac: Double?
        public var bookingsPerSalesDollar: Double?

        init(_ o: PlanOutcome) {
            marketingSpend = o.marketingSpend
            salesSpend = o.salesSpend
            totalSpend = o.totalSpend
            leads = o.leads
            opportunities = o.opportunities
            deals = o.deals
            bookings = o.bookings
            lifetimeValue = o.lifetimeValue
            cac = o.cac
            acvCac = o.acvToCAC
            ltvCac = o.ltvToCAC
            bookingsPerSalesDollar = o.bookingsPerSalesDollar
        }
    }

    public struct UnitResult: Sendable, Encodable {
        public var unit: String
        public var totals: Totals
        /// Objective per extra dollar of this unit's total spend at the allocation.
        public var marginalReturn: Double
    }

    public struct Scenario: Sendable, Encodable {
        public var id: String
        public var label: String
        public var totals: Totals
        /// Against today: bookings, leads and deals as a relative change, ratios as a difference.
        public var bookingsChange: Double?
        public var leadsChange: Double?
        public var units: [UnitResult]
        public var binding: [PlanAllocation.Binding]
        public var prices: PlanAllocation.Prices
    }

    public struct UnitInput: Sendable, Encodable {
        public var unit: String
        public var marketingSpend: Double
        public var costPerLead: Double
        public var elasticity: Double
        public var leadToOpportunity: Double
        public var opportunityToWon: Double
        public var asp: Double
        public var salesCostPerDeal: Double
        public var annualChurn: Double
        public var grossMargin: Double
        public var ltvPerDeal: Double
        /// Today's bookings and lifetime value per dollar of marketing and per dollar of sales spend.
        public var bookingsPerMarketingDollar: Double?
        public var bookingsPerSalesDollar: Double?
        public var ltvPerMarketingDollar: Double?
        public var ltvPerSalesDollar: Double?
    }

    public var source: String
    public var window: String
    public var objective: String
    public var objectiveLabel: String
    public var constraints: PlanConstraints
    public var scenarios: [Scenario]
    public var inputs: [UnitInput]
    public var evidence: [PlanInputs.Evidence]
    public var notes: [String]

    public static func build(_ inputs: PlanInputs, objective: PlanObjective, constraints: PlanConstraints) throws
        -> PlanReport
    {
        for name in Array(constraints.minimum.keys) + Array(constraints.maximum.keys)
        where !inputs.units.contains(where: { $0.name == name }) {
            throw PlanService.Problem(
                parameter: constraints.minimum[name] != nil ? "--min" : "--max",
                reason: "no segment '\(name)'; the plan has \(inputs.units.map(\.name).joined(separator: ", "))")
        }
        let comparison = try PlanComparison.compute(units: inputs.units, objective: objective, constraints: constraints)
        let today = comparison.scenarios[0].allocation.total
        let scenarios = comparison.scenarios.map { s in
            Scenario(
                id: s.id, label: s.label, totals: Totals(s.allocation.total),
                bookingsChange: today.bookings > 0 ? s.allocation.total.bookings / today.bookings - 1 : nil,
                leadsChange: today.leads > 0 ? s.allocation.total.leads / today.leads - 1 : nil,
                units: s.allocation.units.map {
                    UnitResult(unit: $0.name, totals: Totals($0.outcome), marginalReturn: $0.marginalReturn)
                },
                binding: s.allocation.bindings, prices: s.allocation.prices)
        }
        return PlanReport(
            source: inputs.source, window: inputs.window, objective: comparison.objective,
            objectiveLabel: comparison.objectiveLabel, constraints: comparison.constraints, scenarios: scenarios,
            inputs: inputs.units.map { u in
                let o = u.outcome(marketing: u.marketingSpend)
                func per(_ a: Double, _ b: Double) -> Double? { b > 0 ? a / b : nil }
                return UnitInput(
                    unit: u.name, marketingSpend: u.marketingSpend, costPerLead: u.leadCost.costPerLead,
                    elasticity: u.leadCost.elasticity, leadToOpportunity: u.leadToOpportunity,
                    opportunityToWon: u.opportunityToWon, asp: u.asp, salesCostPerDeal: u.salesCostPerDeal,
                    annualChurn: u.annualChurn, grossMargin: u.grossMargin, ltvPerDeal: u.ltvPerDeal,
                    bookingsPerMarketingDollar: per(o.bookings, o.marketingSpend),
                    bookingsPerSalesDollar: per(o.bookings, o.salesSpend),
                    ltvPerMarketingDollar: per(o.lifetimeValue, o.marketingSpend),
                    ltvPerSalesDollar: per(o.lifetimeValue, o.salesSpend))
            }, evidence: inputs.evidence, notes: inputs.notes)
    }
}
