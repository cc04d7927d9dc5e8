/// Company-wide rows derived from what the accounts did: what marketing, sales
/// and success spent each month, and the targets each team was given.
extension DemoState {
    /// Relative cost of a lead by channel within a segment (the segment's average is its cost per lead).
    static let channelCostFactor: [String: Double] = [
        "Paid Search": 1.3, "Organic Search": 0.3, "Paid Social": 1.1, "Events": 1.8, "Webinar": 0.9,
        "Content": 0.7, "Email": 0.4, "Referral": 0.1, "Outbound": 0.1, "Partner": 0.8,
    ]

    mutating func emitCompanyLedger(into batch: inout DemoBatch) {
        var rng = SeededRandom(seed: seed, stream: 0, salt: 2)
        // The lifecycle targets draw from their own stream, so spend and the older targets stay as they were.
        var goals = SeededRandom(seed: seed, stream: 0, salt: 3)
        let aeCount = DemoSegment.all.reduce(0) { $0 + salesReps[$1.name]!.count }
        func spend(
            _ month: Month, _ team: Team.Function, _ category: SpendEntry.Category, _ dollars: Double,
            segment: String? = nil, channel: String? = nil
        ) {
            guard dollars > 0 else { return }
            var s = SpendEntry()
            s.id = id("spend")
            s.month = month
            s.team = team
            s.category = category
            s.segment = segment
            s.channel = channel
            s.amountMinor = Int64((dollars * 100).rounded())
            batch.spend.append(s)
        }
        func target(
            _ month: Month, _ scope: Target.Scope, _ key: String, _ metric: String, _ value: Double, rate: Bool = false
        ) {
            var t = Target()
            t.id = id("targets")
            t.month = month
            t.scope = scope
            t.scopeKey = key
            t.metric = metric
            t.value = rate ? (value * 10_000).rounded() / 10_000 : value.rounded()
            batch.targets.append(t)
        }
        for (i, month) in DemoCalendar.months.enumerated() {
            let tally = tallies[i]
            var media = 0.0
            var salesWages = 0.0
            for segment in DemoSegment.all {
                let byChannel = tally.leads[segment.name] ?? [:]
                let leads = byChannel.values.reduce(0, +)
                let total = Double(leads) * segment.costPerLead * rng.uniform(0.92, 1.08)
                let weight = DemoState.channels.reduce(0.0) {
                    $0 + Double(byChannel[$1] ?? 0) * DemoState.channelCostFactor[$1]!
                }
                for channel in DemoState.channels {
                    guard let n = byChannel[channel], weight > 0 else { continue }
                    spend(
                        month, .marketing, .media, total * Double(n) * DemoState.channelCostFactor[channel]! / weight,
                        segment: segment.name, channel: channel)
                }
                media += total
                let won = Double(tally.wonDeals[segment.name] ?? 0)
                let lost = Double(tally.lostDeals[segment.name] ?? 0)
                let wages = (won + 0.35 * lost) * segment.salesCostPerDeal * rng.uniform(0.9, 1.1)
                spend(month, .sales, .wages, wages, segment: segment.name)
                salesWages += wages
                target(
                    month, .team, "Sales — \(segment.name)", "bookings",
                    Double(tally.segmentBookingsMinor[segment.name] ?? 0) / 100 * rng.uniform(0.9, 1.25))
                target(month, .segment, segment.name, "leads", Double(leads) * rng.uniform(0.95, 1.2))
            }
            spend(month, .marketing, .wages, media * 0.35)
            spend(month, .marketing, .tools, media * 0.10)
            spend(month, .marketing, .services, media * 0.06)
            spend(month, .marketing, .overhead, media * 0.10)
            spend(month, .sales, .wages, Double(sdrIds.count) * 9_000)
            spend(month, .sales, .tools, Double(aeCount + sdrIds.count) * 300)
            spend(month, .sales, .overhead, salesWages * 0.08)
            spend(month, .cs, .wages, Double(csmIds.count) * 7_000 + Double(tally.customers) * 20)
            spend(month, .cs, .tools, Double(csmIds.count) * 120)

            target(month, .company, "company", "leads", Double(tally.newLeads) * rng.uniform(0.95, 1.2))
            target(month, .company, "company", "bookings", Double(tally.bookingsMinor) / 100 * rng.uniform(0.9, 1.25))
            target(month, .company, "company", "mrr", Double(tally.mrrMinor) / 100 * rng.uniform(0.97, 1.1))
            target(month, .team, "Marketing", "leads", Double(tally.newLeads) * rng.uniform(0.95, 1.2))
            target(month, .team, "Customer Success", "mrr", Double(tally.mrrMinor) / 100 * rng.uniform(0.97, 1.1))
            for segment in DemoSegment.all {
                for rep in salesReps[segment.name]! {
                    target(month, .rep, String(rep.id), "bookings", Double(rep.quotaMinor) / 100)
                }
            }
            // Funnel, sales and retention goals around what happened (most met, some missed).
            func goal(_ scope: Target.Scope, _ key: String, _ metric: String, _ actual: Double, rate: Bool = false) {
                let value = actual * goals.uniform(0.85, 1.1)
                guard value > 0 else { return }
                target(month, scope, key, metric, value, rate: rate)
            }
            goal(.company, "company", "mqls", Double(tally.mqls))
            goal(.company, "company", "sqls", Double(tally.sqls))
            goal(.company, "company", "demos", Double(tally.demos))
            goal(.company, "company", "opportunities", Double(tally.newOpportunities))
            if tally.wonNew > 0 {
                goal(.company, "company", "net_new_asp", Double(tally.newBookingsMinor) / 100 / Double(tally.wonNew))
            }
            if tally.bookingsMinor > 0 {
                goal(
                    .company, "company", "upsell_share",
                    Double(tally.bookingsMinor - tally.newBookingsMinor) / Double(tally.bookingsMinor), rate: true)
            }
            // Monthly logo churn goal: the segment mix's planted churn at average health.
            goal(.company, "company", "churn_rate", 0.011, rate: true)
            goal(.team, "Customer Success", "churn_rate", 0.011, rate: true)
            goal(.team, "Marketing", "mqls", Double(tally.mqls))
            goal(.team, "Sales Development", "sqls", Double(tally.sqls))
            for segment in DemoSegment.all {
                goal(
                    .team, "Sales — \(segment.name)", "opportunities",
                    Double(tally.segmentOpportunities[segment.name] ?? 0))
            }
        }
    }
}
