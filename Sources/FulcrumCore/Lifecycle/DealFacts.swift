/// What the deal reports need besides the opportunities: which deals had a demo, each rep's name
/// and team, deal and rep custom fields, and the slice value of a deal for every dimension a deal
/// report takes. A deal slices by its own owner, product, source and custom fields, not its account's.
struct DealFacts {
    let context: MetricContext
    let demoDeals: Set<Int64>
    let repName: [Int64: String]
    let teamOfRep: [Int64: String]
    let dealCustom: [Int64: [String: String]]
    let repCustom: [Int64: [String: String]]

    init(_ context: MetricContext) {
        self.context = context
        let inputs = context.inputs
        var demos: Set<Int64> = []
        for a in inputs.activities where a.kind == .demo && !a.automated {
            if let o = a.opportunityId { demos.insert(o) }
        }
        demoDeals = demos
        var names: [Int64: String] = [:]
        for r in inputs.reps { names[r.id] = r.name.isEmpty ? "rep \(r.id)" : r.name }
        repName = names
        var teamNames: [Int64: String] = [:]
        for t in inputs.teams { teamNames[t.id] = t.name }
        var team: [Int64: String] = [:]
        for r in inputs.reps { team[r.id] = r.teamId.map { teamNames[$0] ?? "team \($0)" } ?? "(no team)" }
        teamOfRep = team
        func index(_ fields: [CustomField]) -> [Int64: [String: String]] {
            var out: [Int64: [String: String]] = [:]
            for f in fields { out[f.recordId, default: [:]][f.name] = f.value }
            return out
        }
        dealCustom = index(inputs.dealFields)
        repCustom = index(inputs.repFields)
    }

    func owner(_ rep: Int64?) -> String { rep.map { repName[$0] ?? "rep \($0)" } ?? "(no owner)" }
    func team(_ rep: Int64?) -> String { rep.map { teamOfRep[$0] ?? "(no team)" } ?? "(no owner)" }

    /// The value of `dimension` for a deal.
    func value(_ dimension: Dimension, _ o: Opportunity) -> String {
        switch dimension {
        case .owner: owner(o.ownerRepId)
        case .team: team(o.ownerRepId)
        case .product: o.product.isEmpty ? "(none)" : o.product
        case .source: o.leadSource ?? "(none)"
        case .channel: o.channel ?? o.leadSource ?? "(none)"
        case .demo: demoDeals.contains(o.id) ? "with demo" : "without demo"
        case .customField(let name):
            dealCustom[o.id]?[name] ?? o.ownerRepId.flatMap { repCustom[$0]?[name] }
                ?? context.value(of: dimension, dealAccount: o.accountId)
        default: context.value(of: dimension, dealAccount: o.accountId)
        }
    }

    /// The deal's amount in the reporting currency at `month`'s rate.
    func amount(_ o: Opportunity, _ month: Month) throws -> Int64 {
        try context.convert(o.amountMinor, currency: o.currency, month: month)
    }

    /// Days from created to closed; nil for a deal closed before it was created (a CRM load artefact).
    static func cycleDays(_ o: Opportunity) -> Double? {
        guard let closed = o.closedOn, closed >= o.createdOn else { return nil }
        return Double(closed - o.createdOn)
    }

    static let dimensions = [
        "owner", "team", "product", "source", "channel", "demo", "segment", "campaign", "custom:NAME",
    ]
    static let note =
        "deals slice by their own owner, owner's team, product, lead source, channel and custom fields (a deal's, else its owner's, else its account's); segment and campaign are the account's"
}
