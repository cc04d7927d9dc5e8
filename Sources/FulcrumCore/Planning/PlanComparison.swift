/// Seed 001's four answers side by side: today's allocation, marketing's local optimum (most
/// leads for the marketing budget), sales' local optimum (the marketing budget spent where
/// bookings per sales dollar are highest) and the global optimum of the chosen objective over
/// marketing and sales together.
public struct PlanComparison: Sendable, Codable, Equatable {
    public struct Scenario: Sendable, Codable, Equatable {
        public var id: String
        public var label: String
        public var allocation: PlanAllocation
    }

    public var objective: String
    public var objectiveLabel: String
    public var constraints: PlanConstraints
    public var scenarios: [Scenario]

    /// `constraints.totalBudget` defaults to today's total spend when no budget is given.
    public static func compute(
        units: [PlanUnit], objective: PlanObjective, constraints given: PlanConstraints
    ) throws -> PlanComparison {
        var constraints = given
        let today = units.map { $0.leadCost.leads(forSpend: $0.marketingSpend) }
        let todayOutcome = units.indices.reduce(PlanOutcome()) { $0 + units[$1].outcome(leads: today[$1]) }
        if constraints.totalBudget == nil && constraints.marketingBudget == nil {
            constraints.totalBudget = todayOutcome.totalSpend
        }
        let todayAllocation = allocation(units: units, leads: today)
        let marketingBudget = constraints.marketingBudget ?? todayOutcome.marketingSpend
        let local = PlanConstraints(
            marketingBudget: marketingBudget, minimum: constraints.minimum, maximum: constraints.maximum)
        let marketing = try BudgetOptimizer(units: units, constraints: local).maximize(
            valuePerLead: units.map { _ in 1 })
        let sales = try salesLocal(units: units, constraints: local, budget: marketingBudget)
        let optimizer = BudgetOptimizer(units: units, constraints: constraints)
        let global = try optimizer.maximize(valuePerLead: try values(units, objective, optimizer))
        return PlanComparison(
            objective: objective.description, objectiveLabel: objective.label, constraints: constraints,
            scenarios: [
                .init(id: "today", label: "today", allocation: todayAllocation),
                .init(id: "marketing_local", label: "marketing's optimum (most leads)", allocation: marketing),
                .init(id: "sales_local", label: "sales' optimum (bookings per sales $)", allocation: sales),
                .init(id: "global", label: "global optimum (\(objective))", allocation: global),
            ])
    }

    /// Objective value of one lead in each unit.
    public static func values(_ units: [PlanUnit], _ objective: PlanObjective, _ optimizer: BudgetOptimizer) throws
        -> [Double]
    {
        let bookings = units.map { $0.asp * $0.dealsPerLead }
        let ltv = units.map { $0.ltvPerDeal * $0.dealsPerLead }
        switch objective {
        case .bookings, .acvToCAC: return bookings
        case .ltv, .ltvToCAC: return ltv
        case .blend(let w):
            let bestBookings = try optimizer.maximize(valuePerLead: bookings).objective
            let bestLTV = try optimizer.maximize(valuePerLead: ltv).objective
            return units.indices.map { i in
                (bestBookings > 0 ? w * bookings[i] / bestBookings : 0)
                    + (bestLTV > 0 ? (1 - w) * ltv[i] / bestLTV : 0)
            }
        }
    }

    static func allocation(units: [PlanUnit], leads: [Double]) -> PlanAllocation {
        var a = PlanAllocation(
            units: [], total: PlanOutcome(), objective: 0, bindings: [], prices: PlanAllocation.Prices())
        for (u, l) in zip(units, leads) {
            let o = u.outcome(leads: l)
            let marginal = u.asp * u.dealsPerLead / (u.leadCost.marginalCost(atLeads: l) + u.salesCostPerLead)
            a.units.append(.init(name: u.name, segment: u.segment, outcome: o, marginalReturn: marginal))
            a.total = a.total + o
        }
        return a
    }

    /// Sales' view: every marketing dollar goes where a sales dollar books the most (ASP ÷ sales
    /// cost per deal), best first, within each unit's minimum and maximum.
    static func salesLocal(units: [PlanUnit], constraints: PlanConstraints, budget: Double) throws -> PlanAllocation {
        var leads = units.map { $0.leads(forTotal: constraints.minimum[$0.name] ?? 0) }
        var left = budget - zip(units, leads).reduce(0) { $0 + $1.0.leadCost.spend(forLeads: $1.1) }
        guard left >= -1e-6 else {
            throw BudgetOptimizer.Infeasible(
                description: "the minimums need more than the marketing budget of \(Format.dollars(budget))")
        }
        let order = units.indices.sorted {
            let a = units[$0].salesCostPerDeal > 0 ? units[$0].asp / units[$0].salesCostPerDeal : .infinity
            let b = units[$1].salesCostPerDeal > 0 ? units[$1].asp / units[$1].salesCostPerDeal : .infinity
            return a != b ? a > b : $0 < $1
        }
        for i in order where left > 0 {
            let u = units[i]
            let cap = constraints.maximum[u.name].map { u.leads(forTotal: $0) } ?? .infinity
            let spent = u.leadCost.spend(forLeads: leads[i])
            let target = min(cap, u.leadCost.leads(forSpend: spent + left))
            guard target > leads[i] else { continue }
            left -= u.leadCost.spend(forLeads: target) - spent
            leads[i] = target
        }
        return allocation(units: units, leads: leads)
    }
}
