import Foundation
import Testing

@testable import FulcrumCore

/// The budget planner: seed 001's story from its own numbers, the optimizer against brute force and
/// a known analytic optimum, its constraints and certificate, the lead-cost fit, what-if and targets.
@Suite("Budget planning")
struct PlanningTests {
    /// docs/examples/seed-001-economics.csv.
    static let seed: [PlanUnit] = [
        unit("Tech", 50_000, cpl: 25, lo: 0.10, ow: 0.30, asp: 900, sales: 1_500, churn: 0.08),
        unit("Telecom", 50_000, cpl: 100, lo: 0.12, ow: 0.20, asp: 3_525, sales: 1_000, churn: 0.15),
        unit("Consulting", 50_000, cpl: 50, lo: 0.08, ow: 0.25, asp: 2_400, sales: 875, churn: 0.20),
    ]

    static func unit(
        _ name: String, _ marketing: Double, cpl: Double, elasticity: Double = 1, lo: Double, ow: Double, asp: Double,
        sales: Double, churn: Double
    ) -> PlanUnit {
        PlanUnit(
            name: name, marketingSpend: marketing, leadCost: LeadCost(costPerLead: cpl, elasticity: elasticity),
            leadToOpportunity: lo, opportunityToWon: ow, asp: asp, salesCostPerDeal: sales, annualChurn: churn,
            grossMargin: 0.8)
    }

    @Test("seed 001 with linear response: 3,500 → 6,000 leads, $144.3k → $162k, about $192k on Consulting")
    func seedStory() throws {
        let plan = try PlanComparison.compute(units: Self.seed, objective: .bookings, constraints: PlanConstraints())
        let today = plan.scenarios[0].allocation
        let marketing = plan.scenarios[1].allocation
        let sales = plan.scenarios[2].allocation
        let global = plan.scenarios[3].allocation
        #expect(abs(today.total.leads - 3_500) < 1e-9)
        #expect(abs(today.total.bookings - 144_300) < 1e-6)
        // Marketing: all $150k on Tech → 6,000 leads, $162k bookings (+12%).
        #expect(abs(marketing.total.leads - 6_000) < 1e-9)
        #expect(abs(marketing.units[0].outcome.marketingSpend - 150_000) < 1e-6)
        #expect(abs(marketing.total.bookings - 162_000) < 1e-6)
        // Sales: the marketing budget where a sales dollar books the most — Telecom.
        #expect(abs(sales.units[1].outcome.marketingSpend - 150_000) < 1e-6)
        // Global: the whole marketing + sales budget on Consulting, about $192k (+33%).
        #expect(abs(global.total.totalSpend - today.total.totalSpend) < 1e-6)
        #expect(global.units[2].outcome.totalSpend > today.total.totalSpend - 1e-6)
        #expect(abs(global.total.bookings - 192_000) < 1_000)
        // Tech 5× Telecom's deals and 3× Consulting's.
        let deals = today.units.map(\.outcome.deals)
        #expect(abs(deals[0] - 5 * deals[1]) < 1e-9 && abs(deals[0] - 3 * deals[2]) < 1e-9)
        // Consulting best on ACV/CAC; Tech best on LTV/CAC, Consulting last.
        let acvCAC = today.units.map { $0.outcome.acvToCAC! }
        let ltvCAC = today.units.map { $0.outcome.ltvToCAC! }
        #expect(acvCAC[2] > acvCAC[0] && acvCAC[2] > acvCAC[1])
        #expect(ltvCAC[0] > ltvCAC[1] && ltvCAC[1] > ltvCAC[2])
        // The LTV/CAC objective moves the budget to Tech.
        let ltv = try PlanComparison.compute(units: Self.seed, objective: .ltvToCAC, constraints: PlanConstraints())
        #expect(ltv.scenarios[3].allocation.units[0].outcome.totalSpend > today.total.totalSpend - 1e-6)
    }

    /// Random linear economics for the property tests.
    static func randomUnits(_ rng: inout SeededRandom, count: Int, elasticity: Bool = false) -> [PlanUnit] {
        (0..<count).map { i in
            unit(
                "S\(i)", rng.uniform(1_000, 20_000), cpl: rng.uniform(10, 200),
                elasticity: elasticity ? rng.uniform(1.1, 2.5) : 1, lo: rng.uniform(0.02, 0.3),
                ow: rng.uniform(0.1, 0.6), asp: rng.uniform(500, 50_000), sales: rng.uniform(0, 20_000),
                churn: rng.uniform(0.05, 0.4))
        }
    }

    static func feasible(_ a: PlanAllocation, _ c: PlanConstraints, tolerance: Double = 1e-6) -> Bool {
        let slack = { (b: Double) in tolerance * Swift.max(1, b) }
        if let b = c.totalBudget, a.total.totalSpend > b + slack(b) { return false }
        if let b = c.marketingBudget, a.total.marketingSpend > b + slack(b) { return false }
        if let b = c.salesCapacity, a.total.salesSpend > b + slack(b) { return false }
        for u in a.units {
            let spend = u.outcome.totalSpend
            if let m = c.minimum[u.name], spend < m - slack(m) { return false }
            if let m = c.maximum[u.name], spend > m + slack(m) { return false }
        }
        return true
    }

    @Test("linear optimum equals brute force over a grid, and every constraint holds")
    func linearAgainstBruteForce() throws {
        var rng = SeededRandom(seed: 11, stream: 1, salt: 0)
        for trial in 0..<30 {
            let units = Self.randomUnits(&rng, count: 3)
            let budget = rng.uniform(50_000, 200_000)
            var c = PlanConstraints(totalBudget: budget)
            if trial % 3 == 0 { c.salesCapacity = budget * rng.uniform(0.1, 0.6) }
            if trial % 4 == 0 { c.marketingBudget = budget * rng.uniform(0.2, 0.7) }
            if trial % 2 == 0 { c.maximum["S0"] = budget * rng.uniform(0.1, 0.5) }
            if trial % 5 == 0 { c.minimum["S1"] = budget * rng.uniform(0.05, 0.2) }
            let value = units.map { $0.asp * $0.dealsPerLead }
            let best = try BudgetOptimizer(units: units, constraints: c).maximize(valuePerLead: value)
            #expect(Self.feasible(best, c), "trial \(trial)")
            // Brute force: each unit's total spend on its own grid from its minimum to its maximum (or the budget).
            let steps = 40
            let grids = units.map { u -> [Double] in
                let low = c.minimum[u.name] ?? 0
                let high = Swift.min(c.maximum[u.name] ?? budget, budget)
                return (0...steps).map { low + (high - low) * Double($0) / Double(steps) }
            }
            var gridBest = -1.0
            for s0 in grids[0] {
                for s1 in grids[1] {
                    for s2 in grids[2] {
                        let leads = zip(units, [s0, s1, s2]).map { $0.leads(forTotal: $1) }
                        let a2 = PlanComparison.allocation(units: units, leads: leads)
                        guard Self.feasible(a2, c) else { continue }
                        gridBest = Swift.max(gridBest, zip(value, leads).reduce(0) { $0 + $1.0 * $1.1 })
                    }
                }
            }
            guard gridBest >= 0 else { continue }
            #expect(best.objective >= gridBest - 1e-6 * gridBest, "trial \(trial): LP below a grid point")
            // Rounding the optimum down onto the grid loses at most one step per unit, at that unit's value per dollar.
            let loss = units.indices.reduce(0.0) { sum, i in
                let step = (grids[i].last! - grids[i].first!) / Double(steps)
                return sum + step * value[i] / (units[i].leadCost.costPerLead + units[i].salesCostPerLead)
            }
            #expect(best.objective <= gridBest + loss + 1e-6, "trial \(trial): LP above the grid")
        }
    }

    @Test("diminishing returns: the analytic optimum of quadratic lead costs, equal marginal returns")
    func concaveAnalytic() throws {
        // spend = k·L², no sales cost: maximize Σ v·L with Σ k·L² = B → L = v/(2λk), optimum √(B·Σ v²/k).
        let v = [30.0, 50.0, 20.0]
        let k = [2.0, 5.0, 1.0]
        let units = (0..<3).map { i in
            PlanUnit(
                name: "U\(i)", marketingSpend: 0, leadCost: LeadCost(costPerLead: k[i], elasticity: 2),
                leadToOpportunity: 1, opportunityToWon: 1, asp: v[i], salesCostPerDeal: 0, annualChurn: 0.1,
                grossMargin: 1)
        }
        let budget = 10_000.0
        let a = try BudgetOptimizer(units: units, constraints: PlanConstraints(totalBudget: budget))
            .maximize(valuePerLead: v)
        let sum = zip(v, k).reduce(0) { $0 + $1.0 * $1.0 / $1.1 }
        #expect(abs(a.objective - (budget * sum).squareRoot()) < 1e-6 * a.objective)
        let lambda = (sum / (4 * budget)).squareRoot()
        for i in 0..<3 {
            #expect(abs(a.units[i].outcome.leads - v[i] / (2 * lambda * k[i])) < 1e-6)
            // Equal marginal returns, equal to the budget's price.
            #expect(abs(a.units[i].marginalReturn - a.prices.totalBudget) < 1e-6 * a.prices.totalBudget)
        }
        #expect(abs(a.prices.totalBudget - lambda) < 1e-9)
    }

    @Test("concave plans: constraints hold, interior units share one marginal return, more budget never hurts")
    func concaveProperties() throws {
        var rng = SeededRandom(seed: 5, stream: 2, salt: 0)
        for trial in 0..<40 {
            let units = Self.randomUnits(&rng, count: 4, elasticity: true)
            let value = units.map { $0.asp * $0.dealsPerLead }
            let budget = rng.uniform(20_000, 300_000)
            var c = PlanConstraints(totalBudget: budget)
            if trial % 2 == 0 { c.maximum["S1"] = budget * 0.1 }
            if trial % 3 == 0 {
                c.minimum["S2"] = budget * 0.3
            } else if trial % 4 == 0 {
                c.salesCapacity = budget * 0.2
            }
            let a = try BudgetOptimizer(units: units, constraints: c).maximize(valuePerLead: value)
            #expect(Self.feasible(a, c, tolerance: 1e-6), "trial \(trial)")
            if c.salesCapacity == nil {
                // KKT: every unit not held at a bound returns the budget's price per dollar.
                let held = Set(a.bindings.compactMap(\.unit))
                for u in a.units where !held.contains(u.name) && u.outcome.leads > 1e-9 {
                    #expect(
                        abs(u.marginalReturn - a.prices.totalBudget) <= 1e-4 * a.prices.totalBudget,
                        "trial \(trial) \(u.name) \(a.units.map { ($0.outcome.totalSpend, $0.marginalReturn) }) \(a.bindings) \(c)"
                    )
                }
            }
            // Perturbation: moving $100 between two units never beats the optimum.
            for i in 0..<4 {
                for j in 0..<4 where i != j {
                    var spends = a.units.map(\.outcome.totalSpend)
                    spends[i] -= 100
                    spends[j] += 100
                    guard spends[i] >= 0 else { continue }
                    let leads = zip(units, spends).map { $0.leads(forTotal: $1) }
                    let b = PlanComparison.allocation(units: units, leads: leads)
                    guard Self.feasible(b, c) else { continue }
                    let obj = zip(value, leads).reduce(0) { $0 + $1.0 * $1.1 }
                    #expect(
                        obj <= a.objective * (1 + 1e-7),
                        "trial \(trial) move \(i)→\(j) \(a.units.map { ($0.outcome.totalSpend, $0.outcome.salesSpend, $0.marginalReturn) }) \(a.prices) \(a.bindings) \(c) \(b.total.salesSpend)"
                    )
                }
            }
            // Monotone in the budget.
            c.totalBudget = budget * 1.2
            let more = try BudgetOptimizer(units: units, constraints: c).maximize(valuePerLead: value)
            #expect(more.objective >= a.objective * (1 - 1e-9), "trial \(trial)")
        }
    }

    @Test("more budget never lowers the linear optimum; a binding budget's price is the slope")
    func linearMonotone() throws {
        var rng = SeededRandom(seed: 9, stream: 3, salt: 0)
        for _ in 0..<30 {
            let units = Self.randomUnits(&rng, count: 4)
            let value = units.map { $0.ltvPerDeal * $0.dealsPerLead }
            var c = PlanConstraints(totalBudget: rng.uniform(10_000, 100_000), maximum: ["S0": 20_000, "S3": 15_000])
            let a = try BudgetOptimizer(units: units, constraints: c).maximize(valuePerLead: value)
            c.totalBudget! += 1_000
            let b = try BudgetOptimizer(units: units, constraints: c).maximize(valuePerLead: value)
            #expect(b.objective >= a.objective - 1e-9)
            // The dual is the exact slope while the basis stays (within a small step).
            c.totalBudget! -= 999
            let step = try BudgetOptimizer(units: units, constraints: c).maximize(valuePerLead: value)
            #expect(abs((step.objective - a.objective) - a.prices.totalBudget) < 1e-6 * Swift.max(1, a.objective))
        }
    }

    @Test("minimums that need more than the budget are refused with the amounts")
    func infeasibleMinimums() {
        let c = PlanConstraints(totalBudget: 100_000, minimum: ["Tech": 80_000, "Telecom": 40_000])
        #expect(throws: BudgetOptimizer.Infeasible.self) {
            try BudgetOptimizer(units: Self.seed, constraints: c).maximize(valuePerLead: [1, 1, 1])
        }
        do {
            _ = try BudgetOptimizer(units: Self.seed, constraints: c).maximize(valuePerLead: [1, 1, 1])
        } catch {
            #expect("\(error)".contains("$120,000") && "\(error)".contains("$100,000"))
        }
    }

    @Test("lead-cost fit: linear history gives the pooled cost per lead; a planted curve is recovered")
    func leadCostFit() throws {
        var rng = SeededRandom(seed: 3, stream: 4, salt: 0)
        // Linear: spend = 40 × leads × noise, leads growing and seasonal.
        var spend: [Double] = []
        var leads: [Double] = []
        for t in 0..<24 {
            let l = 1_000 * Foundation.exp(0.02 * Double(t)) * (1 + 0.15 * Foundation.sin(Double(t)))
            leads.append(l.rounded())
            spend.append(40 * l.rounded() * rng.uniform(0.92, 1.08))
        }
        let linear = try #require(LeadCostFit.fit(spend: spend, leads: leads))
        #expect(linear.method == .linear)
        #expect(linear.costPerLeadLow < 40 && 40 < linear.costPerLeadHigh)
        #expect(linear.elasticityLow! < 1 && 1 < linear.elasticityHigh!)
        // Curve: spend = 2 × leads^1.4.
        spend = leads.map { 2 * Foundation.pow($0, 1.4) * rng.uniform(0.97, 1.03) }
        let curve = try #require(LeadCostFit.fit(spend: spend, leads: leads))
        #expect(curve.method == .curve)
        #expect(curve.elasticityLow! < 1.4 && 1.4 < curve.elasticityHigh!)
        #expect(curve.costPerLeadLow < 2 && 2 < curve.costPerLeadHigh)
        // Too short for a curve.
        let short = try #require(LeadCostFit.fit(spend: Array(spend.prefix(6)), leads: Array(leads.prefix(6))))
        #expect(short.method == .linear && short.reason.contains("too short"))
    }

    @Test("Student t quantiles by Cornish–Fisher match tables")
    func studentT() {
        #expect(abs(StudentT.quantile975(degreesOfFreedom: 22) - 2.073873) < 2e-4)
        #expect(abs(StudentT.quantile975(degreesOfFreedom: 10) - 2.228139) < 2e-4)
        #expect(abs(StudentT.quantile975(degreesOfFreedom: 5) - 2.570582) < 2e-3)
    }

    @Test("what-if by hand: moving $10k from Tech to Consulting, and churn −2 points")
    func whatIfByHand() throws {
        let moved = try PlanChange.parseMove("Tech:Consulting=10000").apply(to: Self.seed)
        #expect(moved[0].marketingSpend == 40_000 && moved[2].marketingSpend == 60_000)
        // Consulting now 1,200 leads → 24 deals a month; Tech 1,600 → 48.
        let p = PlanProjection.project(units: moved, baseline: [:], months: 12)
        #expect(abs(p.points[0].deals - 84) < 1e-9)
        let monthlyBookings: Double = 48 * 900 + 12 * 3_525 + 24 * 2_400
        #expect(abs(p.points[11].bookings - 12 * monthlyBookings) < 1e-6)
        // Month 1 MRR is the new deals' ASP ÷ 12.
        let m1 = monthlyBookings / 12
        #expect(abs(p.points[0].mrr - m1) < 1e-6)
        let churn = try PlanChange.parseChange("Consulting.churn=-2pt").apply(to: Self.seed)
        #expect(abs(churn[2].annualChurn - 0.18) < 1e-12)
        let win = try PlanChange.parseChange("Tech.win-rate=+5pt").apply(to: Self.seed)
        #expect(abs(win[0].opportunityToWon - 0.35) < 1e-12)
        let asp = try PlanChange.parseChange("Telecom.asp=+10%").apply(to: Self.seed)
        #expect(abs(asp[1].asp - 3_877.5) < 1e-9)
        // A baseline decays by the monthly churn.
        let base = PlanProjection.project(
            units: [Self.seed[0]], baseline: ["Tech": PlanBaseline(customers: 100, mrr: 10_000)], months: 12)
        let monthly = 1 - Foundation.pow(0.92, 1.0 / 12)
        #expect(abs(base.points[0].mrr - (10_000 * (1 - monthly) + 60 * 900 / 12)) < 1e-6)
        #expect(throws: PlanChange.Invalid.self) { try PlanChange.parseChange("Tech.churn=-9pt").apply(to: Self.seed) }
        #expect(throws: PlanChange.Invalid.self) { try PlanChange.parseMove("Tech:Nowhere=10").apply(to: Self.seed) }
        #expect(throws: PlanChange.Invalid.self) { try PlanChange.parseMove("Tech:Telecom=60000").apply(to: Self.seed) }
    }

    @Test("targets: per segment and company rows that add up, teams by function")
    func targets() {
        var marketing = Team()
        marketing.name = "Marketing"
        marketing.function = .marketing
        var sales = Team()
        sales.name = "Sales — Tech"
        sales.function = .sales
        sales.segment = "Tech"
        let rows = PlanTargets.rows(
            units: Self.seed, baseline: ["Tech": PlanBaseline(customers: 200, mrr: 50_000)],
            start: Month(iso: "2027-01")!, months: 3, teams: [marketing, sales])
        let jan = rows.filter { $0.month == Month(iso: "2027-01")! }
        func value(_ scope: Target.Scope, _ key: String, _ metric: String) -> Double? {
            jan.first { $0.scope == scope && $0.scopeKey == key && $0.metric == metric }?.value
        }
        #expect(value(.segment, "Tech", "leads") == 2_000)
        #expect(value(.segment, "Consulting", "new_bookings") == 48_000)
        #expect(value(.company, "company", "leads") == 3_500)
        #expect(value(.company, "company", "new_bookings") == 144_300)
        #expect(value(.team, "Marketing", "leads") == 3_500)
        #expect(value(.team, "Sales — Tech", "new_bookings") == 54_000)
        #expect(abs(value(.segment, "Tech", "churn_rate")! - (1 - Foundation.pow(0.92, 1.0 / 12))) < 1e-6)
        #expect(rows.filter { $0.metric == "leads" && $0.scope == .segment }.count == 9)
    }
}
