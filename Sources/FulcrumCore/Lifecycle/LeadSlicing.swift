/// The slice value of a lead (a person) for the dimensions the lead reports take: the lead's own
/// channel, source, campaign and owner, and its account's segment, plan, rep and custom fields.
extension MetricContext {
    func value(of dimension: Dimension, lead j: LeadJourneys.Journey, in leads: LeadJourneys, reps: [Int64: String])
        -> String
    {
        switch dimension {
        case .channel: leads.channel(j) ?? leads.leadSource(j) ?? "(none)"
        case .source: leads.leadSource(j) ?? "(none)"
        case .campaign: campaignName(j.campaignId)
        case .owner: j.ownerRepId.map { reps[$0] ?? "rep \($0)" } ?? "(no owner)"
        default: j.account.map { value(of: dimension, account: $0) } ?? "(none)"
        }
    }

    /// Rep names by id ("rep ID" when nameless).
    var repNames: [Int64: String] {
        var out: [Int64: String] = [:]
        for r in inputs.reps { out[r.id] = r.name.isEmpty ? "rep \(r.id)" : r.name }
        return out
    }

    static let leadDimensions = ["segment", "channel", "source", "campaign", "owner", "rep", "custom:NAME"]
}
