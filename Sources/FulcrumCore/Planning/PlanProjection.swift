/// Where each segment starts a projection: its paying customers and MRR today (zero for a plan
/// typed into a table, which then projects only what the plan itself adds).
public struct PlanBaseline: Sendable, Codable, Equatable {
    public var customers: Int
    public var mrr: Double
    public init(customers: Int, mrr: Double) {
        self.customers = customers
        self.mrr = mrr
    }
}

/// A what-if change to a plan: move marketing dollars between units, or change one input of a unit.
public enum PlanChange: Sendable, Equatable, CustomStringConvertible {
    case move(from: String, to: String, amount: Double)
    case set(unit: String, field: Field, adjustment: Adjustment)

    public enum Field: String, Sendable, CaseIterable {
        case churn
        case winRate = "win-rate"
        case leadToOpportunity = "lead-to-opportunity"
        case asp
        case costPerLead = "cost-per-lead"
        case salesCostPerDeal = "sales-cost-per-deal"
        case marketing

        var isRate: Bool { [.churn, .winRate, .leadToOpportunity].contains(self) }
    }

    public enum Adjustment: Sendable, Equatable {
        /// Percentage points added to a rate (`-2pt`).
        case points(Double)
        /// A relative change (`+10%`).
        case percent(Double)
        /// An amount added (`+5000`; a fraction for a rate).
        case add(Double)
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var parameter: String
        public var reason: String
        public var description: String { "\(parameter): \(reason)" }
    }

    /// `--move FROM:TO=AMOUNT`.
    public static func parseMove(_ text: String) throws -> PlanChange {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        let names = parts.first?.split(separator: ":", maxSplits: 1).map(String.init) ?? []
        guard parts.count == 2, names.count == 2, let amount = Double(parts[1]), amount > 0 else {
            throw Invalid(parameter: "--move", reason: "'\(text)' is not FROM:TO=AMOUNT (e.g. Tech:Consulting=20000)")
        }
        return .move(from: names[0], to: names[1], amount: amount)
    }

    /// `--change UNIT.FIELD=VALUE`, VALUE `-2pt`, `+10%` or `+5000`.
    public static func parseChange(_ text: String) throws -> PlanChange {
        let fields = Field.allCases.map(\.rawValue).joined(separator: ", ")
        let usage = "'\(text)' is not UNIT.FIELD=VALUE (e.g. Consulting.churn=-2pt, Tech.win-rate=+5pt, Tech.asp=+10%)"
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let dot = parts[0].lastIndex(of: ".") else {
            throw Invalid(parameter: "--change", reason: usage)
        }
        let unit = String(parts[0][..<dot])
        let name = String(parts[0][parts[0].index(after: dot)...])
        guard let field = Field(rawValue: name) else {
            throw Invalid(parameter: "--change", reason: "'\(name)' is not one of \(fields)")
        }
        var value = parts[1]
        let adjustment: Adjustment
        if value.hasSuffix("pt") {
            value.removeLast(2)
            guard field.isRate, let v = Double(value) else {
                throw Invalid(
                    parameter: "--change",
                    reason: "points (pt) apply to rates (churn, win-rate, lead-to-opportunity): \(usage)")
            }
            adjustment = .points(v)
        } else if value.hasSuffix("%") {
            value.removeLast()
            guard let v = Double(value) else { throw Invalid(parameter: "--change", reason: usage) }
            adjustment = .percent(v)
        } else {
            guard let v = Double(value) else { throw Invalid(parameter: "--change", reason: usage) }
            adjustment = .add(v)
        }
        guard !unit.isEmpty else { throw Invalid(parameter: "--change", reason: usage) }
        return .set(unit: unit, field: field, adjustment: adjustment)
    }

    public var description: String {
        switch self {
        case .move(let from, let to, let amount):
            "move \(Format.dollars(amount)) a month of marketing from \(from) to \(to)"
        case .set(let unit, let field, let adjustment):
            switch adjustment {
            case .points(let v): "\(unit) \(field.rawValue) \(v >= 0 ? "+" : "")\(v) points"
            case .percent(let v): "\(unit) \(field.rawValue) \(v >= 0 ? "+" : "")\(v)%"
            case .add(let v): "\(unit) \(field.rawValue) \(v >= 0 ? "+" : "")\(v)"
            }
        }
    }

    /// The units after the change; an unknown unit or a rate pushed out of 0…1 is an error.
    public func apply(to units: [PlanUnit]) throws -> [PlanUnit] {
        var out = units
        func index(_ name: String, _ parameter: String) throws -> Int {
            guard let i = out.firstIndex(where: { $0.name == name }) else {
                throw Invalid(
                    parameter: parameter,
                    reason: "no unit '\(name)'; the plan has \(out.map(\.name).joined(separator: ", "))")
            }
            return i
        }
        switch self {
        case .move(let from, let to, let amount):
            let i = try index(from, "--move")
            let j = try index(to, "--move")
            guard amount <= out[i].marketingSpend + 1e-9 else {
                throw Invalid(
                    parameter: "--move",
                    reason:
                        "\(from) spends \(Format.dollars(out[i].marketingSpend)) a month; cannot move \(Format.dollars(amount))"
                )
            }
            out[i].marketingSpend -= amount
            out[j].marketingSpend += amount
        case .set(let unit, let field, let adjustment):
            let i = try index(unit, "--change")
            func adjusted(_ v: Double) -> Double {
                switch adjustment {
                case .points(let p): v + p / 100
                case .percent(let p): v * (1 + p / 100)
                case .add(let a): v + a
                }
            }
            var u = out[i]
            switch field {
            case .churn: u.annualChurn = adjusted(u.annualChurn)
            case .winRate:
                let before = u.opportunityToWon
                u.opportunityToWon = adjusted(before)
                u.dealsPerLead =
                    before > 0 ? u.dealsPerLead * u.opportunityToWon / before : u.leadToOpportunity * u.opportunityToWon
            case .leadToOpportunity:
                let before = u.leadToOpportunity
                u.leadToOpportunity = adjusted(before)
                u.dealsPerLead =
                    before > 0
                    ? u.dealsPerLead * u.leadToOpportunity / before : u.leadToOpportunity * u.opportunityToWon
            case .asp: u.asp = adjusted(u.asp)
            case .costPerLead: u.leadCost.costPerLead = adjusted(u.leadCost.costPerLead)
            case .salesCostPerDeal: u.salesCostPerDeal = adjusted(u.salesCostPerDeal)
            case .marketing: u.marketingSpend = adjusted(u.marketingSpend)
            }
            let rates = [u.annualChurn, u.opportunityToWon, u.leadToOpportunity]
            guard rates.allSatisfy({ (0...1).contains($0) }), u.annualChurn > 0 else {
                throw Invalid(
                    parameter: "--change", reason: "\(self) takes a rate outside 0…1 (churn must stay above 0)")
            }
            guard u.asp >= 0, u.leadCost.costPerLead > 0, u.salesCostPerDeal >= 0, u.marketingSpend >= 0 else {
                throw Invalid(parameter: "--change", reason: "\(self) makes an amount negative")
            }
            out[i] = u
        }
        return out
    }
}

/// Month-by-month projection of a plan held steady: each month every unit buys its leads and wins
/// its deals; customers and MRR start from the baseline and lose the unit's monthly churn
/// (1 − (1 − annual)^(1/12)) each month before the new deals arrive. A deal adds ASP ÷ 12 of MRR.
public struct PlanProjection: Sendable, Codable, Equatable {
    public struct Point: Sendable, Codable, Equatable {
        public var month: Int
        /// Cumulative since the start of the projection.
        public var leads: Double
        public var deals: Double
        public var bookings: Double
        public var spend: Double
        /// At the end of the month.
        public var customers: Double
        public var mrr: Double
        public var arr: Double { mrr * 12 }
        /// Lifetime value of the deals won so far ÷ the spend that won them.
        public var ltvToCAC: Double?
    }

    public var points: [Point]

    public static func project(units: [PlanUnit], baseline: [String: PlanBaseline], months: Int) -> PlanProjection {
        var customers = units.map { Double(baseline[$0.segment]?.customers ?? 0) }
        var mrr = units.map { baseline[$0.segment]?.mrr ?? 0 }
        // A segment's baseline is shared by its units (channels) in proportion to their deals.
        var share = [Double](repeating: 1, count: units.count)
        var bySegment: [String: Double] = [:]
        let deals = units.map { $0.outcome(marketing: $0.marketingSpend).deals }
        for (u, d) in zip(units, deals) { bySegment[u.segment, default: 0] += d }
        for (i, u) in units.enumerated() {
            let n = units.filter { $0.segment == u.segment }.count
            share[i] = n == 1 ? 1 : (bySegment[u.segment]! > 0 ? deals[i] / bySegment[u.segment]! : 1 / Double(n))
            customers[i] *= share[i]
            mrr[i] *= share[i]
        }
        var points: [Point] = []
        var total = PlanOutcome()
        for m in 1...max(1, months) {
            var c = 0.0
            var r = 0.0
            for (i, u) in units.enumerated() {
                let o = u.outcome(marketing: u.marketingSpend)
                if m == 1 { total = total + o }
                let churn = 1 - Math.pow(1 - u.annualChurn, 1.0 / 12)
                customers[i] = customers[i] * (1 - churn) + o.deals
                mrr[i] = mrr[i] * (1 - churn) + o.deals * u.asp / 12
                c += customers[i]
                r += mrr[i]
            }
            let k = Double(m)
            points.append(
                Point(
                    month: m, leads: total.leads * k, deals: total.deals * k, bookings: total.bookings * k,
                    spend: total.totalSpend * k, customers: c, mrr: r, ltvToCAC: total.ltvToCAC))
        }
        return PlanProjection(points: points)
    }
}
