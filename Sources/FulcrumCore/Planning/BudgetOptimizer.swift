/// Allocates a monthly budget across plan units to maximize a value that is linear in leads
/// (bookings, lifetime value, leads, or a blend), subject to a total budget (marketing + sales), an
/// optional marketing budget, an optional sales capacity (sales dollars) and a minimum and maximum
/// total spend per unit. Units are bought in leads: with linear response the problem is a linear
/// program solved exactly by the simplex method (`LinearProgram`); when some unit's leads get
/// dearer with volume it is a convex program solved through its Lagrangian, and the answer comes
/// with the certificate that proves it: the price of each constraint and, for every unit, its
/// marginal return per dollar — equal to the budget's price for every unit not held at a bound.
public struct BudgetOptimizer: Sendable {
    public var units: [PlanUnit]
    public var constraints: PlanConstraints

    public init(units: [PlanUnit], constraints: PlanConstraints) {
        self.units = units
        self.constraints = constraints
    }

    /// Why a plan cannot be made.
    public struct Infeasible: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Leads per unit that maximize `Σ value[i] × leads[i]`.
    public func maximize(valuePerLead value: [Double]) throws -> PlanAllocation {
        precondition(value.count == units.count)
        guard constraints.totalBudget != nil || constraints.marketingBudget != nil else {
            throw Infeasible(description: "no budget: give a total budget or a marketing budget")
        }
        let lower = units.map { $0.leads(forTotal: constraints.minimum[$0.name] ?? 0) }
        let upper = units.map { u in constraints.maximum[u.name].map { u.leads(forTotal: $0) } }
        for u in units {
            if let max = constraints.maximum[u.name], let min = constraints.minimum[u.name], min > max {
                throw Infeasible(
                    description:
                        "\(u.name): the minimum \(Format.dollars(min)) exceeds the maximum \(Format.dollars(max))")
            }
        }
        if units.allSatisfy({ $0.leadCost.elasticity == 1 }) {
            return try linear(value: value, lower: lower, upper: upper)
        }
        let shared = [constraints.totalBudget, constraints.marketingBudget, constraints.salesCapacity].compactMap { $0 }
        if shared.count == 1 { return try lagrangian(value: value, lower: lower, upper: upper) }
        return try cuttingPlanes(value: value, lower: lower, upper: upper)
    }

    // MARK: Linear response: the simplex method.

    private func linear(value: [Double], lower: [Double], upper: [Double?]) throws -> PlanAllocation {
        let n = units.count
        var rows: [[Double]] = []
        var bounds: [Double] = []
        var kinds: [PlanAllocation.Binding.Kind] = []
        var names: [String?] = []
        func add(_ kind: PlanAllocation.Binding.Kind, _ cost: (PlanUnit) -> Double, _ bound: Double) throws {
            let used = zip(units, lower).reduce(0) { $0 + cost($1.0) * $1.1 }
            guard bound - used >= -1e-9 * max(1, bound) else {
                throw Infeasible(
                    description:
                        "the minimums need \(Format.dollars(used)) of the \(kind.label) but it is \(Format.dollars(bound))"
                )
            }
            rows.append(units.map(cost))
            bounds.append(max(0, bound - used))
            kinds.append(kind)
            names.append(nil)
        }
        if let b = constraints.totalBudget {
            try add(.totalBudget, { $0.leadCost.costPerLead + $0.salesCostPerLead }, b)
        }
        if let b = constraints.marketingBudget { try add(.marketingBudget, { $0.leadCost.costPerLead }, b) }
        if let b = constraints.salesCapacity { try add(.salesCapacity, { $0.salesCostPerLead }, b) }
        for i in 0..<n {
            guard let up = upper[i] else { continue }
            var row = [Double](repeating: 0, count: n)
            row[i] = 1
            rows.append(row)
            bounds.append(max(0, up - lower[i]))
            kinds.append(.maximum)
            names.append(units[i].name)
        }
        let solution: LinearProgram.Solution
        do {
            solution = try LinearProgram(objective: value, rows: rows, bounds: bounds).solve()
        } catch LinearProgram.Failure.unbounded(let v) {
            throw Infeasible(
                description: "\(units[v].name): leads cost nothing and no maximum is set, so the plan is unbounded")
        }
        let leads = (0..<n).map { lower[$0] + solution.x[$0] }
        var bindings: [PlanAllocation.Binding] = []
        for (r, kind) in kinds.enumerated() where solution.duals[r] > 1e-12 {
            if kind == .maximum, let name = names[r], let i = units.firstIndex(where: { $0.name == name }) {
                // Per lead → per dollar of the unit's total spend.
                let perDollar = solution.duals[r] / (units[i].leadCost.costPerLead + units[i].salesCostPerLead)
                bindings.append(.init(kind: .maximum, unit: name, marginalValue: perDollar))
            } else {
                bindings.append(.init(kind: kind, unit: nil, marginalValue: solution.duals[r]))
            }
        }
        for i in 0..<n where lower[i] > 0 && solution.x[i] <= 1e-9 && solution.reducedCosts[i] < -1e-12 {
            let perDollar = solution.reducedCosts[i] / (units[i].leadCost.costPerLead + units[i].salesCostPerLead)
            bindings.append(.init(kind: .minimum, unit: units[i].name, marginalValue: perDollar))
        }
        return allocation(leads: leads, value: value, bindings: bindings, prices: prices(kinds, solution.duals))
    }

    private func prices(_ kinds: [PlanAllocation.Binding.Kind], _ duals: [Double]) -> PlanAllocation.Prices {
        var p = PlanAllocation.Prices()
        for (k, d) in zip(kinds, duals) {
            switch k {
            case .totalBudget: p.totalBudget = d
            case .marketingBudget: p.marketingBudget = d
            case .salesCapacity: p.salesCapacity = d
            default: break
            }
        }
        return p
    }

    // MARK: Diminishing returns under several shared limits: Kelley's cutting planes.

    /// Each curved unit's marketing cost `c ≥ k·L^γ` is replaced by tangent lines, added where the
    /// linear program's answer undercuts the curve, until it no longer does (to 1e-9 of the
    /// budget). The last program's duals are the prices; the certificate is checked with the true
    /// marginal costs like the single-limit case.
    private func cuttingPlanes(value: [Double], lower: [Double], upper: [Double?]) throws -> PlanAllocation {
        let n = units.count
        let curved = units.indices.filter { units[$0].leadCost.elasticity != 1 }
        let m = curved.count
        let width = n + m
        var rows: [[Double]] = []
        var bounds: [Double] = []
        var kinds: [PlanAllocation.Binding.Kind] = []
        var maxRow: [Int: Int] = [:]
        let budgetScale =
            [constraints.totalBudget, constraints.marketingBudget, constraints.salesCapacity]
            .compactMap { $0 }.max() ?? 1
        func add(_ kind: PlanAllocation.Binding.Kind, _ bound: Double, _ used: Double, _ row: [Double]) throws {
            guard bound - used >= -1e-9 * max(1, bound) else {
                throw Infeasible(
                    description:
                        "the minimums need \(Format.dollars(used)) of the \(kind.label) but it is \(Format.dollars(bound))"
                )
            }
            rows.append(row)
            bounds.append(max(0, bound - used))
            kinds.append(kind)
        }
        func row(marketing: Bool, sales: Bool) -> [Double] {
            var r = [Double](repeating: 0, count: width)
            for i in 0..<n {
                let u = units[i]
                if sales { r[i] += u.salesCostPerLead }
                if marketing {
                    if let c = curved.firstIndex(of: i) { r[n + c] = 1 } else { r[i] += u.leadCost.costPerLead }
                }
            }
            return r
        }
        if let b = constraints.totalBudget {
            try add(.totalBudget, b, usage(.totalBudget, leads: lower), row(marketing: true, sales: true))
        }
        if let b = constraints.marketingBudget {
            try add(.marketingBudget, b, usage(.marketingBudget, leads: lower), row(marketing: true, sales: false))
        }
        if let b = constraints.salesCapacity {
            try add(.salesCapacity, b, usage(.salesCapacity, leads: lower), row(marketing: false, sales: true))
        }
        for i in 0..<n {
            guard let up = upper[i] else { continue }
            var r = [Double](repeating: 0, count: width)
            r[i] = 1
            maxRow[i] = rows.count
            rows.append(r)
            bounds.append(max(0, up - lower[i]))
            kinds.append(.maximum)
        }
        func tangent(_ c: Int, at l: Double) {
            let i = curved[c]
            let cost = units[i].leadCost
            let slope = cost.marginalCost(atLeads: l)
            let at = { (x: Double) in cost.spend(forLeads: l) + slope * (x - l) }
            var r = [Double](repeating: 0, count: width)
            r[i] = slope
            r[n + c] = -1
            rows.append(r)
            bounds.append(max(0, cost.spend(forLeads: lower[i]) - at(lower[i])))
            kinds.append(.minimum)  // not a user constraint; its dual is never reported
        }
        for (c, i) in curved.enumerated() {
            for f in [1e-4, 1e-3, 1e-2, 0.05, 0.2, 0.5, 1.0] {
                let l = units[i].leadCost.leads(forSpend: budgetScale * f)
                if l > lower[i] { tangent(c, at: l) }
            }
        }
        let objective = value + [Double](repeating: 0, count: m)
        var solution = try LinearProgram(objective: objective, rows: rows, bounds: bounds).solve()
        for _ in 0..<500 {
            var cut = false
            for (c, i) in curved.enumerated() {
                let l = lower[i] + solution.x[i]
                let cost = units[i].leadCost
                let modelled = cost.spend(forLeads: lower[i]) + solution.x[n + c]
                if cost.spend(forLeads: l) - modelled > 1e-9 * budgetScale {
                    tangent(c, at: l)
                    cut = true
                }
            }
            guard cut else { break }
            solution = try LinearProgram(objective: objective, rows: rows, bounds: bounds).solve()
        }
        let leads = (0..<n).map { lower[$0] + solution.x[$0] }
        var prices = PlanAllocation.Prices()
        var bindings: [PlanAllocation.Binding] = []
        for (r, kind) in kinds.enumerated() where [.totalBudget, .marketingBudget, .salesCapacity].contains(kind) {
            switch kind {
            case .totalBudget: prices.totalBudget = solution.duals[r]
            case .marketingBudget: prices.marketingBudget = solution.duals[r]
            default: prices.salesCapacity = solution.duals[r]
            }
            if solution.duals[r] > 1e-12 {
                bindings.append(.init(kind: kind, unit: nil, marginalValue: solution.duals[r]))
            }
        }
        for (i, r) in maxRow.sorted(by: { $0.key < $1.key }) where solution.duals[r] > 1e-12 {
            bindings.append(
                .init(
                    kind: .maximum, unit: units[i].name,
                    marginalValue: solution.duals[r] / marginalTotalCost(i, leads[i])))
        }
        for i in 0..<n where lower[i] > 0 && solution.x[i] <= 1e-9 && solution.reducedCosts[i] < -1e-12 {
            bindings.append(
                .init(
                    kind: .minimum, unit: units[i].name,
                    marginalValue: solution.reducedCosts[i] / marginalTotalCost(i, leads[i])))
        }
        return allocation(leads: leads, value: value, bindings: bindings, prices: prices)
    }

    // MARK: Diminishing returns: the Lagrangian, one price per shared constraint.

    private func lagrangian(value: [Double], lower: [Double], upper: [Double?]) throws -> PlanAllocation {
        // Shared constraints, innermost (solved for every guess of the outer prices) last.
        var shared: [(kind: PlanAllocation.Binding.Kind, bound: Double)] = []
        if let b = constraints.salesCapacity { shared.append((.salesCapacity, b)) }
        if let b = constraints.marketingBudget { shared.append((.marketingBudget, b)) }
        if let b = constraints.totalBudget { shared.append((.totalBudget, b)) }
        // A unit without a maximum is unbounded: at a positive price its best response is finite
        // (or, for a linear unit, infinite and then over budget, which raises the price).
        let ceiling: [Double] = units.indices.map { upper[$0] ?? .infinity }
        for (c, bound) in shared {
            let used = usage(c, leads: lower)
            if used > bound * (1 + 1e-9) + 1e-9 {
                throw Infeasible(
                    description:
                        "the minimums need \(Format.dollars(used)) of the \(c.label) but it is \(Format.dollars(bound))"
                )
            }
        }
        var price: [Double] = Array(repeating: 0, count: shared.count)
        func respond() -> [Double] {
            var p = PlanAllocation.Prices()
            for (j, c) in shared.enumerated() {
                switch c.kind {
                case .totalBudget: p.totalBudget = price[j]
                case .marketingBudget: p.marketingBudget = price[j]
                default: p.salesCapacity = price[j]
                }
            }
            return units.indices.map { best(i: $0, value: value[$0], prices: p, lower: lower[$0], upper: ceiling[$0]) }
        }
        // Finds price[level] (and, inside, the prices after it) so its constraint holds with complementary slackness.
        func settle(_ level: Int) -> [Double] {
            guard level < shared.count else { return respond() }
            let (kind, bound) = shared[level]
            price[level] = 0
            var leads = settle(level + 1)
            if usage(kind, leads: leads) <= bound * (1 + 1e-12) { return leads }
            var low = 0.0
            var high = 1.0
            while true {
                price[level] = high
                leads = settle(level + 1)
                if usage(kind, leads: leads) <= bound || high > 1e12 { break }
                low = high
                high *= 4
            }
            for _ in 0..<80 {
                price[level] = (low + high) / 2
                if usage(kind, leads: settle(level + 1)) > bound { low = price[level] } else { high = price[level] }
            }
            price[level] = low
            let below = settle(level + 1)
            price[level] = high
            leads = settle(level + 1)
            // A linear unit exactly at the price (all in just below it, all out just above) takes what
            // the curve-following units leave unspent.
            var left = bound - usage(kind, leads: leads)
            if left > 1e-9 * max(1, bound) {
                for i in units.indices where units[i].leadCost.elasticity == 1 && left > 0 && below[i] > leads[i] {
                    let perLead = usage(kind, leads: units.indices.map { $0 == i ? 1 : 0 })
                    guard perLead > 0 else { continue }
                    let room = (below[i] - leads[i]) * perLead
                    let take = min(room, left)
                    leads[i] += take / perLead
                    left -= take
                }
            }
            return leads
        }
        let leads = settle(0)
        var prices = PlanAllocation.Prices()
        var bindings: [PlanAllocation.Binding] = []
        for (j, c) in shared.enumerated() {
            switch c.kind {
            case .totalBudget: prices.totalBudget = price[j]
            case .marketingBudget: prices.marketingBudget = price[j]
            default: prices.salesCapacity = price[j]
            }
            if price[j] > 0 { bindings.append(.init(kind: c.kind, unit: nil, marginalValue: price[j])) }
        }
        for i in units.indices {
            let gradient =
                value[i] - prices.marketingDollar * units[i].leadCost.marginalCost(atLeads: leads[i])
                - prices.salesDollar * units[i].salesCostPerLead
            let perDollar = gradient / marginalTotalCost(i, leads[i])
            if let up = upper[i], leads[i] >= up * (1 - 1e-9), gradient > 1e-12 {
                bindings.append(.init(kind: .maximum, unit: units[i].name, marginalValue: perDollar))
            } else if lower[i] > 0, leads[i] <= lower[i] * (1 + 1e-9), gradient < -1e-12 {
                bindings.append(.init(kind: .minimum, unit: units[i].name, marginalValue: perDollar))
            }
        }
        return allocation(leads: leads, value: value, bindings: bindings, prices: prices)
    }

    private func usage(_ kind: PlanAllocation.Binding.Kind, leads: [Double]) -> Double {
        var s = 0.0
        for (u, l) in zip(units, leads) {
            if l.isInfinite {
                let perLead =
                    switch kind {
                    case .totalBudget: u.leadCost.costPerLead + u.salesCostPerLead
                    case .marketingBudget: u.leadCost.costPerLead
                    default: u.salesCostPerLead
                    }
                if perLead > 0 { s = .infinity }
                continue
            }
            switch kind {
            case .totalBudget: s += u.totalSpend(leads: l)
            case .marketingBudget: s += u.leadCost.spend(forLeads: l)
            default: s += u.salesCostPerLead * l
            }
        }
        return s
    }

    private func marginalTotalCost(_ i: Int, _ leads: Double) -> Double {
        units[i].leadCost.marginalCost(atLeads: leads) + units[i].salesCostPerLead
    }

    /// The leads that maximize `value × L − (marketing price) × marketing(L) − (sales price) × sales(L)` on [lower, upper].
    private func best(i: Int, value: Double, prices: PlanAllocation.Prices, lower: Double, upper: Double) -> Double {
        let u = units[i]
        let p = prices.marketingDollar
        let net = value - prices.salesDollar * u.salesCostPerLead
        if u.leadCost.elasticity == 1 || p == 0 {
            let slope = net - p * u.leadCost.costPerLead
            return slope > 0 ? upper : lower
        }
        guard net > 0 else { return lower }
        let g = u.leadCost.elasticity
        let l = Math.pow(net / (p * u.leadCost.costPerLead * g), 1 / (g - 1))
        return min(max(l, lower), upper)
    }

    private func allocation(
        leads: [Double], value: [Double], bindings: [PlanAllocation.Binding], prices: PlanAllocation.Prices
    ) -> PlanAllocation {
        var result = PlanAllocation(units: [], total: PlanOutcome(), objective: 0, bindings: bindings, prices: prices)
        for (i, u) in units.enumerated() {
            let o = u.outcome(leads: leads[i])
            let marginal = value[i] / marginalTotalCost(i, leads[i])
            result.units.append(.init(name: u.name, segment: u.segment, outcome: o, marginalReturn: marginal))
            result.total = result.total + o
            result.objective += value[i] * leads[i]
        }
        return result
    }
}

/// The limits a plan must respect; amounts are monthly dollars.
public struct PlanConstraints: Sendable, Codable, Equatable {
    public var totalBudget: Double?
    public var marketingBudget: Double?
    public var salesCapacity: Double?
    /// Minimum and maximum total (marketing + sales) spend per unit name.
    public var minimum: [String: Double] = [:]
    public var maximum: [String: Double] = [:]

    public init(
        totalBudget: Double? = nil, marketingBudget: Double? = nil, salesCapacity: Double? = nil,
        minimum: [String: Double] = [:], maximum: [String: Double] = [:]
    ) {
        self.totalBudget = totalBudget
        self.marketingBudget = marketingBudget
        self.salesCapacity = salesCapacity
        self.minimum = minimum
        self.maximum = maximum
    }
}

/// The optimizer's answer: leads and outcome per unit, totals, and the proof of optimality.
public struct PlanAllocation: Sendable, Codable, Equatable {
    public struct Unit: Sendable, Codable, Equatable {
        public var name: String
        public var segment: String
        public var outcome: PlanOutcome
        /// Objective gained per extra dollar of this unit's total spend, at its allocation.
        public var marginalReturn: Double
    }

    /// A constraint that holds the optimum back and what one more dollar of it is worth.
    public struct Binding: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable {
            case totalBudget = "total_budget"
            case marketingBudget = "marketing_budget"
            case salesCapacity = "sales_capacity"
            case minimum, maximum

            public var label: String {
                switch self {
                case .totalBudget: "total budget"
                case .marketingBudget: "marketing budget"
                case .salesCapacity: "sales capacity"
                case .minimum: "minimum"
                case .maximum: "maximum"
                }
            }
        }
        public var kind: Kind
        public var unit: String?
        /// Objective per dollar: gained by raising the bound (a minimum's is negative: lowering it gains).
        public var marginalValue: Double
    }

    /// Prices of the shared constraints (objective per dollar; zero when slack).
    public struct Prices: Sendable, Codable, Equatable {
        public var totalBudget = 0.0
        public var marketingBudget = 0.0
        public var salesCapacity = 0.0
        public init() {}
        /// What a marketing dollar costs in objective: it uses the total and the marketing budget.
        var marketingDollar: Double { totalBudget + marketingBudget }
        var salesDollar: Double { totalBudget + salesCapacity }
    }

    public var units: [Unit]
    public var total: PlanOutcome
    public var objective: Double
    public var bindings: [Binding]
    public var prices: Prices
}
