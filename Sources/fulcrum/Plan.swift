import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumImport
import FulcrumService

extension Fulcrum {
    /// `fulcrum plan`: seed 001's budget question answered from history or from a table.
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Budget planning: today's allocation, marketing's and sales' local optima and the global optimum.",
            discussion: """
                Economics per segment come from the store's history (segment-economics: a lead-cost curve fitted \
                on monthly windows, rates over the trailing twelve months) or from a table (--economics FILE.csv \
                with the header \(EconomicsFile.columns.joined(separator: ","))). Amounts are per month. Method \
                and worked example: docs/planning.md.
                """,
            subcommands: [Optimize.self, WhatIf.self, Targets.self], defaultSubcommand: Optimize.self)
    }
}

/// Where the economics come from: `--economics FILE.csv` or the store.
struct PlanSourceOptions: ParsableArguments {
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Economics table (CSV, one row per segment, linear response) instead of the store's history.")
    var economics: String?

    @Option(help: "Months of store history the lead-cost curves are fitted on.")
    var history = 24

    @Option(name: .customLong("gross-margin"), help: "Gross margin for LTV from the store (default 0.8).")
    var grossMargin: Double?

    @Option(help: "What the budget is allocated across, from the store: segment, or channel (within each segment).")
    var by = "segment"

    func validate() throws {
        if economics != nil && storeOptions.store != nil {
            throw ValidationError("give --store or --economics, not both")
        }
        guard let grain = PlanHistory.Grain(rawValue: by) else {
            throw ValidationError("--by: '\(by)' is not one of segment, channel")
        }
        if economics != nil && grain != .segment {
            throw ValidationError("--by channel needs the store's history; an economics table is per segment")
        }
        if let grossMargin, !(grossMargin > 0 && grossMargin <= 1) {
            throw ValidationError("--gross-margin: \(grossMargin) is not a fraction between 0 and 1")
        }
    }

    func load() throws -> PlanInputs {
        if let economics {
            do { return try PlanService.inputs(economics: economics) } catch let error as CSVError {
                throw fail(error.description)
            }
        }
        let store = try storeOptions.openStoreForReading()
        return try planErrors {
            try reportingMetricErrors {
                try PlanService.inputs(
                    store: store, months: history, grossMargin: grossMargin, by: PlanHistory.Grain(rawValue: by)!)
            }
        }
    }
}

/// Budget and limits shared by the optimizer and the targets.
struct PlanLimitOptions: ParsableArguments {
    @Option(help: "Monthly total budget, marketing + sales (default: today's total spend).")
    var budget: String?

    @Option(name: .customLong("marketing-budget"), help: "Monthly marketing budget (a cap on marketing spend).")
    var marketingBudget: String?

    @Option(name: .customLong("sales-capacity"), help: "Monthly sales capacity in dollars of sales cost.")
    var salesCapacity: String?

    @Option(help: "Objective of the global optimum: bookings, acv-cac, ltv, ltv-cac or blend:W.")
    var objective = "bookings"

    @Option(help: "Minimum monthly total spend of a segment, SEGMENT=AMOUNT (repeatable).")
    var min: [String] = []

    @Option(help: "Maximum monthly total spend of a segment, SEGMENT=AMOUNT (repeatable).")
    var max: [String] = []

    func validate() throws {
        _ = try parsedObjective()
        _ = try constraints()
    }

    func parsedObjective() throws -> PlanObjective {
        do { return try PlanObjective(parsing: objective) } catch let e as PlanObjective.Unknown {
            throw ValidationError(e.description)
        }
    }

    func constraints() throws -> PlanConstraints {
        func amount(_ text: String?, _ name: String) throws -> Double? {
            guard let text else { return nil }
            guard let v = PlanLimitOptions.amount(text), v >= 0 else {
                throw ValidationError("\(name): '\(text)' is not an amount of dollars (e.g. 250000)")
            }
            return v
        }
        func bounds(_ items: [String], _ name: String) throws -> [String: Double] {
            var out: [String: Double] = [:]
            for item in items {
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, let v = PlanLimitOptions.amount(parts[1]), v >= 0 else {
                    throw ValidationError("\(name): '\(item)' is not SEGMENT=AMOUNT (e.g. Tech=50000)")
                }
                guard out[parts[0]] == nil else {
                    throw ValidationError("\(name): segment '\(parts[0])' is given twice")
                }
                out[parts[0]] = v
            }
            return out
        }
        return PlanConstraints(
            totalBudget: try amount(budget, "--budget"),
            marketingBudget: try amount(marketingBudget, "--marketing-budget"),
            salesCapacity: try amount(salesCapacity, "--sales-capacity"), minimum: try bounds(min, "--min"),
            maximum: try bounds(max, "--max"))
    }

    /// `250000`, `250,000`, `$250,000` or `250k`.
    static func amount(_ text: String) -> Double? {
        var t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        if t.hasPrefix("$") { t.removeFirst() }
        var factor = 1.0
        if t.lowercased().hasSuffix("k") {
            factor = 1000
            t.removeLast()
        } else if t.lowercased().hasSuffix("m") {
            factor = 1_000_000
            t.removeLast()
        }
        guard let v = Double(t), v.isFinite else { return nil }
        return v * factor
    }
}

/// Plan problems (a bad constraint, an infeasible budget, an unknown segment) as one line, exit 1.
func planErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as PlanService.Problem {
        throw fail(e.description)
    } catch let e as BudgetOptimizer.Infeasible {
        throw fail("the plan is infeasible: \(e.description)")
    } catch let e as PlanChange.Invalid {
        throw fail(e.description)
    }
}

extension Fulcrum.Plan {
    struct Optimize: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "optimize",
            abstract: "Today, marketing's optimum, sales' optimum and the global optimum side by side (the default).")

        @OptionGroup var source: PlanSourceOptions
        @OptionGroup var limits: PlanLimitOptions

        @Option(help: "Output format: table or json.")
        var format: OutputFormat = .table

        func run() throws {
            let inputs = try source.load()
            let report = try planErrors {
                try PlanReport.build(
                    inputs, objective: try limits.parsedObjective(), constraints: try limits.constraints())
            }
            if format == .json {
                print(try ServiceJSON.encode(report, snakeCase: true))
            } else {
                print(PlanText.render(report), terminator: "")
            }
        }
    }
}

/// The table form of a plan.
enum PlanText {
    static func money(_ v: Double) -> String { Format.dollars(v) }
    static func count(_ v: Double) -> String { Format.grouped(Int64(v.rounded())) }
    static func multiple(_ v: Double?) -> String { v.map { DecimalText.text($0, places: 2) + "x" } ?? "—" }
    static func change(_ v: Double?) -> String {
        guard let v else { return "—" }
        let p = (v * 1000).rounded() / 10
        return (p > 0 ? "+" : "") + DecimalText.text(p, places: 1) + "%"
    }

    static func render(_ r: PlanReport) -> String {
        var out = "Plan, per month — source: \(r.source)\(r.window.isEmpty ? "" : " (history \(r.window))")\n"
        var limits: [String] = []
        if let b = r.constraints.totalBudget { limits.append("total budget \(money(b)) (marketing + sales)") }
        if let b = r.constraints.marketingBudget { limits.append("marketing budget \(money(b))") }
        if let b = r.constraints.salesCapacity { limits.append("sales capacity \(money(b))") }
        for (k, v) in r.constraints.minimum.sorted(by: { $0.key < $1.key }) { limits.append("\(k) ≥ \(money(v))") }
        for (k, v) in r.constraints.maximum.sorted(by: { $0.key < $1.key }) { limits.append("\(k) ≤ \(money(v))") }
        out += "Global objective: \(r.objectiveLabel); limits: \(limits.joined(separator: ", "))\n\n"
        var table = TextTable(
            headers: [
                "scenario", "marketing", "sales", "total", "leads", "opps", "deals", "bookings", "vs today", "ACV/CAC",
                "LTV/CAC", "bookings/sales $",
            ],
            alignments: [.left] + Array(repeating: .right, count: 11))
        for s in r.scenarios {
            let t = s.totals
            table.append([
                s.label, money(t.marketingSpend), money(t.salesSpend), money(t.totalSpend), count(t.leads),
                count(t.opportunities), DecimalText.text(t.deals, places: 1), money(t.bookings),
                s.id == "today" ? "" : change(s.bookingsChange), multiple(t.acvCac), multiple(t.ltvCac),
                multiple(t.bookingsPerSalesDollar),
            ])
        }
        out += table.render() + "\n\n"
        let unitLabel = r.inputs.contains { $0.unit.contains(" / ") } ? "segment / channel" : "segment"
        out += "Total spend (marketing + sales) per \(unitLabel):\n"
        var alloc = TextTable(
            headers: [unitLabel] + r.scenarios.map(\.id), alignments: [.left] + r.scenarios.map { _ in .right })
        for (i, input) in r.inputs.enumerated() {
            alloc.append([input.unit] + r.scenarios.map { money($0.units[i].totals.totalSpend) })
        }
        out += alloc.render() + "\n\n"
        if let global = r.scenarios.last {
            out += "Why the global optimum is optimal (\(global.label)):\n"
            let prices = global.prices
            out += "  price of the total budget: \(DecimalText.text(prices.totalBudget, places: 4)) per dollar"
            if r.constraints.marketingBudget != nil {
                out += "; marketing budget: \(DecimalText.text(prices.marketingBudget, places: 4))"
            }
            if r.constraints.salesCapacity != nil {
                out += "; sales capacity: \(DecimalText.text(prices.salesCapacity, places: 4))"
            }
            out += "\n"
            for u in global.units {
                out += "  \(u.unit): \(DecimalText.text(u.marginalReturn, places: 4)) objective per extra dollar\n"
            }
            if global.binding.isEmpty {
                out += "  no constraint binds\n"
            }
            for b in global.binding {
                let who = b.unit.map { "\($0) " } ?? ""
                out +=
                    "  binding: \(who)\(b.kind.label) — one more dollar of it is worth \(DecimalText.text(b.marginalValue, places: 4))\n"
            }
            out += "\n"
        }
        out += "Inputs per \(unitLabel):\n"
        var inputs = TextTable(
            headers: [
                unitLabel, "marketing", "cost/lead", "elasticity", "lead→opp", "opp→won", "ASP", "sales/deal", "churn",
                "margin", "LTV/deal",
            ],
            alignments: [.left] + Array(repeating: .right, count: 10))
        for u in r.inputs {
            inputs.append([
                u.unit, money(u.marketingSpend), money(u.costPerLead), DecimalText.text(u.elasticity, places: 3),
                Format.percent(u.leadToOpportunity), Format.percent(u.opportunityToWon), money(u.asp),
                money(u.salesCostPerDeal), Format.percent(u.annualChurn), Format.percent(u.grossMargin),
                money(u.ltvPerDeal),
            ])
        }
        out += inputs.render() + "\n\n"
        out += "Per dollar today (bookings = ACV of the deals won; LTV of those deals):\n"
        var perDollar = TextTable(
            headers: [unitLabel, "bookings/marketing $", "bookings/sales $", "LTV/marketing $", "LTV/sales $"],
            alignments: [.left, .right, .right, .right, .right])
        for u in r.inputs {
            perDollar.append([
                u.unit, multiple(u.bookingsPerMarketingDollar), multiple(u.bookingsPerSalesDollar),
                multiple(u.ltvPerMarketingDollar), multiple(u.ltvPerSalesDollar),
            ])
        }
        out += perDollar.render() + "\n"
        if !r.evidence.isEmpty {
            out += "\nHow the inputs were fitted (95% intervals):\n"
            var ev = TextTable(
                headers: [unitLabel, "response", "cost/lead", "elasticity", "months", "lead→opp", "opp→won", "churn"],
                alignments: [.left, .left, .left, .left, .right, .left, .left, .left])
            func interval(_ i: PlanInputs.Interval) -> String {
                "\(Format.percent(i.value)) [\(Format.percent(i.low)), \(Format.percent(i.high))]"
            }
            for e in r.evidence {
                let f = e.leadCost
                ev.append([
                    e.unit, f.method.rawValue,
                    "\(money(f.cost.costPerLead)) [\(money(f.costPerLeadLow)), \(money(f.costPerLeadHigh))]",
                    f.elasticity.map { g in
                        "\(DecimalText.text(g, places: 3)) [\(DecimalText.text(f.elasticityLow ?? g, places: 3)), \(DecimalText.text(f.elasticityHigh ?? g, places: 3))]"
                    } ?? "—", "\(f.months)", interval(e.leadToOpportunity), interval(e.opportunityToWon),
                    interval(e.annualChurn),
                ])
            }
            out += ev.render() + "\n"
        }
        out += "\n"
        out += "Definitions: deals = leads × lead→opp × opp→won; bookings = deals × ASP (annual contract value); "
        out += "sales spend = deals × sales cost per deal; ACV/CAC = bookings ÷ total spend; "
        out += "LTV per deal = ASP × gross margin ÷ annual churn; LTV/CAC = LTV of the deals ÷ total spend. "
        out += "Marketing's optimum: the marketing budget where leads are cheapest; sales' optimum: the marketing "
        out += "budget where ASP ÷ sales cost per deal is highest. docs/planning.md\n"
        for note in r.notes { out += "note: \(note)\n" }
        return out
    }
}
