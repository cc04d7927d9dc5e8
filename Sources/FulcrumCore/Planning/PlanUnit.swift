/// One place a budget can go (a segment, or a channel within a segment) and the economics that
/// turn its spend into leads, deals, bookings and lifetime value. Everything is per month; rates
/// are fractions. The response is linear in leads once the leads are bought, so the only curve is
/// the cost of leads (`LeadCost`): seed 001's table is this struct with a linear cost.
public struct PlanUnit: Sendable, Codable, Equatable {
    public var name: String
    /// The segment the unit belongs to (equal to `name` for a segment-level plan).
    public var segment: String
    /// Today's monthly marketing spend.
    public var marketingSpend: Double
    public var leadCost: LeadCost
    public var leadToOpportunity: Double
    public var opportunityToWon: Double
    /// Won deals per lead: lead→opportunity × opportunity→won for a table; from history, deals won ÷
    /// leads created over the same twelve months (the two rates are measured on different leads and
    /// deals, so their product would not reproduce today's deals).
    public var dealsPerLead: Double
    /// Average selling price of a won new deal: its annual contract value.
    public var asp: Double
    public var salesCostPerDeal: Double
    public var annualChurn: Double
    public var grossMargin: Double

    public init(
        name: String, segment: String? = nil, marketingSpend: Double, leadCost: LeadCost, leadToOpportunity: Double,
        opportunityToWon: Double, asp: Double, salesCostPerDeal: Double, annualChurn: Double, grossMargin: Double,
        dealsPerLead: Double? = nil
    ) {
        self.name = name
        self.segment = segment ?? name
        self.marketingSpend = marketingSpend
        self.leadCost = leadCost
        self.leadToOpportunity = leadToOpportunity
        self.opportunityToWon = opportunityToWon
        self.dealsPerLead = dealsPerLead ?? leadToOpportunity * opportunityToWon
        self.asp = asp
        self.salesCostPerDeal = salesCostPerDeal
        self.annualChurn = annualChurn
        self.grossMargin = grossMargin
    }

    /// Lifetime gross profit of a new deal: ASP × gross margin ÷ annual churn (seed 001's LTV).
    public var ltvPerDeal: Double { annualChurn > 0 ? asp * grossMargin / annualChurn : .infinity }
    /// Sales dollars spent per lead bought (its deals' sales cost).
    public var salesCostPerLead: Double { salesCostPerDeal * dealsPerLead }

    /// What the unit yields when it buys `leads` leads a month.
    public func outcome(leads: Double) -> PlanOutcome {
        let deals = leads * dealsPerLead
        return PlanOutcome(
            marketingSpend: leadCost.spend(forLeads: leads), salesSpend: deals * salesCostPerDeal, leads: leads,
            opportunities: leads * leadToOpportunity, deals: deals, bookings: deals * asp,
            lifetimeValue: deals * ltvPerDeal)
    }

    /// What the unit yields with `marketing` dollars of marketing a month.
    public func outcome(marketing: Double) -> PlanOutcome { outcome(leads: leadCost.leads(forSpend: marketing)) }

    /// Total (marketing + sales) spend at `leads` leads.
    public func totalSpend(leads: Double) -> Double { leadCost.spend(forLeads: leads) + leads * salesCostPerLead }

    /// Leads bought with `total` dollars of marketing and sales together (the inverse of `totalSpend`).
    public func leads(forTotal total: Double) -> Double {
        guard total > 0 else { return 0 }
        if leadCost.elasticity == 1 { return total / (leadCost.costPerLead + salesCostPerLead) }
        var low = 0.0
        var high = max(1.0, leadCost.leads(forSpend: total))
        while totalSpend(leads: high) < total { high *= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if totalSpend(leads: mid) < total { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }
}

/// The marketing cost of buying leads: `spend = costPerLead × leads^elasticity`. Elasticity 1 is
/// linear response (every lead costs the same); above 1 each further lead costs more, i.e. leads
/// as a function of spend, `(spend ÷ costPerLead)^(1/elasticity)`, show diminishing returns.
public struct LeadCost: Sendable, Codable, Equatable {
    public var costPerLead: Double
    public var elasticity: Double

    public init(costPerLead: Double, elasticity: Double = 1) {
        self.costPerLead = costPerLead
        self.elasticity = elasticity
    }

    public func spend(forLeads leads: Double) -> Double {
        guard leads > 0 else { return 0 }
        return elasticity == 1 ? costPerLead * leads : costPerLead * Math.pow(leads, elasticity)
    }

    public func leads(forSpend spend: Double) -> Double {
        guard spend > 0 else { return 0 }
        return elasticity == 1 ? spend / costPerLead : Math.pow(spend / costPerLead, 1 / elasticity)
    }

    /// The cost of one more lead at `leads` leads.
    public func marginalCost(atLeads leads: Double) -> Double {
        elasticity == 1 ? costPerLead : costPerLead * elasticity * Math.pow(max(leads, 0), elasticity - 1)
    }
}

/// A month of a plan: spend, funnel and value, for one unit or summed over many.
public struct PlanOutcome: Sendable, Codable, Equatable {
    public var marketingSpend = 0.0
    public var salesSpend = 0.0
    public var leads = 0.0
    public var opportunities = 0.0
    public var deals = 0.0
    public var bookings = 0.0
    public var lifetimeValue = 0.0

    public init(
        marketingSpend: Double = 0, salesSpend: Double = 0, leads: Double = 0, opportunities: Double = 0,
        deals: Double = 0, bookings: Double = 0, lifetimeValue: Double = 0
    ) {
        self.marketingSpend = marketingSpend
        self.salesSpend = salesSpend
        self.leads = leads
        self.opportunities = opportunities
        self.deals = deals
        self.bookings = bookings
        self.lifetimeValue = lifetimeValue
    }

    public var totalSpend: Double { marketingSpend + salesSpend }
    /// Fully loaded CAC per won deal.
    public var cac: Double? { deals > 0 ? totalSpend / deals : nil }
    public var acvToCAC: Double? { totalSpend > 0 ? bookings / totalSpend : nil }
    public var ltvToCAC: Double? { totalSpend > 0 ? lifetimeValue / totalSpend : nil }
    /// Bookings per sales dollar: the sales team's own efficiency measure.
    public var bookingsPerSalesDollar: Double? { salesSpend > 0 ? bookings / salesSpend : nil }

    public static func + (a: PlanOutcome, b: PlanOutcome) -> PlanOutcome {
        PlanOutcome(
            marketingSpend: a.marketingSpend + b.marketingSpend, salesSpend: a.salesSpend + b.salesSpend,
            leads: a.leads + b.leads, opportunities: a.opportunities + b.opportunities, deals: a.deals + b.deals,
            bookings: a.bookings + b.bookings, lifetimeValue: a.lifetimeValue + b.lifetimeValue)
    }
}
