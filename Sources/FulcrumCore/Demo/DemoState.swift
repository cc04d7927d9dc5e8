/// Mutable state shared across accounts while a company is generated: id
/// counters, the organization, FX rates and the running tallies that the
/// company-wide spend and targets are derived from.
struct DemoState {
    struct RepInfo {
        var id: Int64
        var skill: Double
        var segment: String
        var quotaMinor: Int64
    }
    /// Tallies per month index (0 = first month of history).
    struct MonthTally {
        var leads: [String: [String: Int]] = [:]  // segment → channel → leads
        var wonDeals: [String: Int] = [:]
        var lostDeals: [String: Int] = [:]
        var bookingsMinor: Int64 = 0  // USD, new + upsell
        var customers = 0
        var mrrMinor: Int64 = 0  // USD, paid Core and add-on subscriptions at month end
        var newLeads = 0
        // For the lifecycle targets (docs/demo-company.md, Targets).
        var mqls = 0
        var sqls = 0
        var demos = 0
        var newOpportunities = 0
        var segmentOpportunities: [String: Int] = [:]
        var wonNew = 0
        var newBookingsMinor: Int64 = 0  // USD, new business
        var segmentBookingsMinor: [String: Int64] = [:]  // USD, new + upsell
    }

    let seed: UInt64
    let accountCount: Int
    var truth = DemoTruth()
    var nextId: [String: Int64] = [:]
    var salesReps: [String: [RepInfo]] = [:]
    var sdrIds: [Int64] = []
    var csmIds: [Int64] = []
    var csmNames: [String] = []
    var teamIds: [String: Int64] = [:]
    var campaignIds: [String: Int64] = [:]  // "segment|channel|quarterIndex"
    var fx: [String: [Double]] = [:]  // currency → rate per month index
    var tallies: [MonthTally]
    var repBookings: [Int64: [Int: Int64]] = [:]  // rep → month index → USD minor
    /// Customers so far (account id, first paid day), for drawing referrers.
    var customers: [(id: Int64, since: Day)] = []

    static let channels = [
        "Paid Search", "Organic Search", "Paid Social", "Events", "Webinar", "Content", "Email", "Referral", "Outbound",
        "Partner",
    ]
    static let currencies = ["USD", "EUR", "GBP", "JPY"]

    init(seed: UInt64, accountCount: Int) {
        self.seed = seed
        self.accountCount = accountCount
        self.tallies = Array(repeating: MonthTally(), count: DemoCalendar.months.count)
    }

    mutating func id(_ table: String) -> Int64 {
        let next = (nextId[table] ?? 0) + 1
        nextId[table] = next
        return next
    }

    func monthIndex(_ day: Day) -> Int? {
        let i = DemoCalendar.firstMonth.distance(to: day.month)
        return i >= 0 && i < tallies.count ? i : nil
    }

    /// Rate of `currency` in USD for the month containing `day`.
    func rate(_ currency: String, on day: Day) -> Double {
        guard currency != "USD", let rates = fx[currency] else { return 1 }
        let i = min(max(DemoCalendar.firstMonth.distance(to: day.month), 0), rates.count - 1)
        return rates[i]
    }

    /// Teams, reps, campaigns and FX rates: the rows every account refers to.
    mutating func emitOrganization(into batch: inout DemoBatch) {
        var rng = SeededRandom(seed: seed, stream: 0, salt: 1)
        let scale = Double(accountCount) / 1_000
        func team(_ name: String, _ function: Team.Function, _ segment: String?) -> Int64 {
            var t = Team()
            t.id = id("teams")
            t.name = name
            t.function = function
            t.segment = segment
            batch.teams.append(t)
            teamIds[name] = t.id
            return t.id
        }
        let marketing = team("Marketing", .marketing, nil)
        let sdr = team("Sales Development", .sales, nil)
        let cs = team("Customer Success", .cs, nil)
        _ = marketing
        var nameIndex = 0
        func rep(teamId: Int64, role: String, quota: Int64?) -> Rep {
            var r = Rep()
            r.id = id("reps")
            let given = DemoNames.givenNames[nameIndex % DemoNames.givenNames.count]
            let family = DemoNames.familyNames[
                (nameIndex / DemoNames.givenNames.count + nameIndex * 7) % DemoNames.familyNames.count]
            nameIndex += 1
            r.name = "\(given) \(family)"
            r.email = "\(given.lowercased()).\(family.lowercased()).\(r.id)@fulcrum-demo.example"
            r.teamId = teamId
            r.role = role
            r.monthlyQuotaMinor = quota
            r.hiredOn = DemoCalendar.start + (rng.chance(0.7) ? 0 : rng.int(0...1500))
            batch.reps.append(r)
            return r
        }
        for segment in DemoSegment.all {
            let teamId = team("Sales — \(segment.name)", .sales, segment.name)
            let count = max(2, Int((segment.repsPerThousandAccounts * scale).rounded()))
            // Quota: the segment's expected monthly bookings per rep, with a stretch.
            let quota = Int64(segment.medianMRR * 12 * 100 * 2.2)
            var reps: [RepInfo] = []
            for _ in 0..<count {
                let r = rep(teamId: teamId, role: "AE", quota: quota)
                let skill = min(1.6, max(0.5, rng.logNormal(median: 1, sigma: 0.3)))
                reps.append(RepInfo(id: r.id, skill: skill, segment: segment.name, quotaMinor: quota))
            }
            salesReps[segment.name] = reps
        }
        for _ in 0..<max(2, Int((2 * scale).rounded())) { sdrIds.append(rep(teamId: sdr, role: "SDR", quota: nil).id) }
        for _ in 0..<max(2, Int((2.5 * scale).rounded())) {
            let r = rep(teamId: cs, role: "CSM", quota: nil)
            csmIds.append(r.id)
            csmNames.append(r.name)
        }

        // Campaigns: one per segment, paid channel and quarter.
        let paid = ["Paid Search", "Paid Social", "Events", "Webinar", "Content", "Email", "Partner"]
        let quarters = (DemoCalendar.months.count + 2) / 3
        for q in 0..<quarters {
            let first = DemoCalendar.firstMonth.adding(q * 3)
            for segment in DemoSegment.all {
                for channel in paid {
                    var c = Campaign()
                    c.id = id("campaigns")
                    c.name = "\(first.year) Q\(first.quarter) \(segment.name) \(channel)"
                    c.channel = channel
                    c.segment = segment.name
                    c.kind =
                        channel == "Webinar"
                        ? "webinar" : channel == "Events" ? "event" : channel == "Email" ? "nurture" : "demand"
                    c.startedOn = first.firstDay
                    c.endedOn = first.adding(3).firstDay
                    batch.campaigns.append(c)
                    campaignIds["\(segment.name)|\(channel)|\(q)"] = c.id
                }
            }
        }

        // FX: a gentle random walk per currency, one rate per month.
        let base = ["EUR": 1.10, "GBP": 1.27, "JPY": 0.0091]
        for currency in ["EUR", "GBP", "JPY"] {
            var r = base[currency]!
            var rates: [Double] = []
            for month in DemoCalendar.months {
                r *= 1 + 0.015 * rng.normal()
                let rounded = (r * 1e6).rounded() / 1e6
                rates.append(rounded)
                var row = FXRate()
                row.month = month
                row.currency = currency
                row.rate = rounded
                batch.fxRates.append(row)
            }
            fx[currency] = rates
        }
    }

    func campaignId(segment: String, channel: String, day: Day) -> Int64? {
        guard let i = monthIndex(day) else { return nil }
        return campaignIds["\(segment)|\(channel)|\(i / 3)"]
    }
}
