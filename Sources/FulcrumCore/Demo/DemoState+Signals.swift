/// The customer-success chapter: support tickets, daily product usage and
/// NPS answers. All three worsen before churn — the planted signals a health
/// score must find (docs/demo-company.md).
extension DemoState {
    static let usageWindowDays = 120
    /// Before the daily window, one sampled day a week (Wednesdays) back to this day: enough history for a
    /// churn model to learn usage from, at a seventh of the rows.
    static let usageHistoryStart = Day(2024, 1, 3)
    static let ticketCategories = ["bug", "billing", "how-to", "feature request", "outage"]

    mutating func generateSignals(
        _ ctx: inout AccountContext, spells: [(start: Day, end: Day?)], seats: Int, into batch: inout DemoBatch
    ) {
        let asOf = DemoCalendar.asOf
        let ends = spells.compactMap(\.end)
        func daysToChurn(_ day: Day) -> Int? {
            ends.first { $0 >= day }.map { $0 - day }
        }
        let engagement = min(0.95, max(0.2, 0.75 / ctx.risk.squareRoot()))
        let windowStart = asOf - (DemoState.usageWindowDays - 1)
        for spell in spells {
            let last = min(spell.end.map { $0 - 1 } ?? asOf, asOf)
            // Tickets: a Poisson count per month of service.
            var month = spell.start.month
            while month.firstDay <= last {
                let from = max(month.firstDay, spell.start)
                let to = min(month.lastDay, last)
                if from <= to {
                    let nearChurn = daysToChurn(to).map { $0 <= 90 } ?? false
                    let n = ctx.rng.poisson(
                        0.25 * Double(to - from + 1) / 30 * (nearChurn ? DemoPlanted.preChurnTicketFactor : 1))
                    for _ in 0..<n {
                        var t = Ticket()
                        t.id = id("tickets")
                        t.accountId = ctx.account.id
                        t.personId =
                            ctx.contacts.isEmpty
                            ? ctx.primary?.id : ctx.contacts[ctx.rng.int(0...(ctx.contacts.count - 1))]
                        let day = from + ctx.rng.int(0...(to - from))
                        t.openedAt = Timestamp(day: day, hour: ctx.rng.int(0...23), minute: ctx.rng.int(0...59))
                        let urgent = ctx.rng.chance(nearChurn ? 0.4 : 0.1)
                        t.priority =
                            urgent
                            ? (ctx.rng.chance(0.4) ? "urgent" : "high") : (ctx.rng.chance(0.3) ? "low" : "normal")
                        t.category = nearChurn && ctx.rng.chance(0.4) ? "bug" : ctx.rng.pick(DemoState.ticketCategories)
                        let closed = t.openedAt + Int64(ctx.rng.exponential(mean: (urgent ? 1.5 : 3) * 86_400))
                        // Support's first reply, from the ticket's own stream (the account's draws stay as they were).
                        var reply = SeededRandom(seed: seed, stream: UInt64(t.id), salt: 4)
                        let firstResponse = min(
                            closed, t.openedAt + Int64(reply.exponential(mean: (urgent ? 1.5 : 6) * 3_600)))
                        if firstResponse.day <= asOf { t.firstResponseAt = firstResponse }
                        if closed.day <= asOf {
                            t.closedAt = closed
                            t.status = "closed"
                        } else {
                            t.status = "open"
                        }
                        batch.tickets.append(t)
                    }
                }
                month = month.adding(1)
            }
            // NPS every six months of service, answered four times in ten.
            var k = 6
            while spell.start.adding(months: k) <= last {
                let day = spell.start.adding(months: k)
                if ctx.rng.chance(0.4) {
                    var r = SurveyResponse()
                    r.id = id("survey_responses")
                    r.accountId = ctx.account.id
                    r.personId = ctx.primary?.id
                    r.kind = .nps
                    r.respondedOn = day
                    let atRisk = daysToChurn(day).map { $0 <= 120 } ?? false
                    let detractor = ctx.rng.chance(
                        atRisk ? DemoPlanted.preChurnDetractorShare : DemoPlanted.baseDetractorShare)
                    r.score =
                        detractor
                        ? ctx.rng.int(0...6) : (ctx.rng.chance(0.45) ? ctx.rng.int(7...8) : ctx.rng.int(9...10))
                    batch.surveys.append(r)
                }
                k += 6
            }
            // Daily usage in the final window: active users fall before churn.
            var day = max(spell.start, windowStart)
            while day <= last {
                var level = engagement
                if let left = daysToChurn(day), left <= 60 {
                    level *= DemoPlanted.preChurnUsageFloor + (1 - DemoPlanted.preChurnUsageFloor) * Double(left) / 60
                }
                if day.weekday >= 5 { level *= 0.3 }
                let active = max(0, Int((Double(seats) * level * ctx.rng.uniform(0.85, 1.15)).rounded()))
                var u = UsageDay()
                u.accountId = ctx.account.id
                u.day = day
                u.activeUsers = active
                u.events = active * (10 + ctx.rng.int(0...8))
                batch.usage.append(u)
                day = day + 1
            }
        }
        generateSignalHistory(&ctx, spells: spells, seats: seats, engagement: engagement, into: &batch)
    }

    /// Quarterly NPS between the half-yearly answers (at 3, 9, 15… months of service) and the weekly usage
    /// history before the daily window, with the same pre-churn rules. Drawn from the account's own streams,
    /// so every other row of the company is what it was before they were added.
    mutating func generateSignalHistory(
        _ ctx: inout AccountContext, spells: [(start: Day, end: Day?)], seats: Int, engagement: Double,
        into batch: inout DemoBatch
    ) {
        let asOf = DemoCalendar.asOf
        let ends = spells.compactMap(\.end)
        func daysToChurn(_ day: Day) -> Int? { ends.first { $0 >= day }.map { $0 - day } }
        var survey = SeededRandom(seed: seed, stream: UInt64(ctx.account.id), salt: 5)
        var usage = SeededRandom(seed: seed, stream: UInt64(ctx.account.id), salt: 6)
        let windowStart = asOf - (DemoState.usageWindowDays - 1)
        for spell in spells {
            let last = min(spell.end.map { $0 - 1 } ?? asOf, asOf)
            var k = 3
            while spell.start.adding(months: k) <= last {
                let day = spell.start.adding(months: k)
                if survey.chance(0.4) {
                    var r = SurveyResponse()
                    r.id = id("survey_responses")
                    r.accountId = ctx.account.id
                    r.personId = ctx.primary?.id
                    r.kind = .nps
                    r.respondedOn = day
                    let atRisk = daysToChurn(day).map { $0 <= 120 } ?? false
                    let detractor = survey.chance(
                        atRisk ? DemoPlanted.preChurnDetractorShare : DemoPlanted.baseDetractorShare)
                    r.score =
                        detractor ? survey.int(0...6) : (survey.chance(0.45) ? survey.int(7...8) : survey.int(9...10))
                    batch.surveys.append(r)
                }
                k += 6
            }
            var day = max(spell.start, DemoState.usageHistoryStart)
            while day.weekday != 2 { day = day + 1 }
            while day <= min(last, windowStart - 1) {
                var level = engagement
                if let left = daysToChurn(day), left <= 60 {
                    level *= DemoPlanted.preChurnUsageFloor + (1 - DemoPlanted.preChurnUsageFloor) * Double(left) / 60
                }
                let active = max(0, Int((Double(seats) * level * usage.uniform(0.85, 1.15)).rounded()))
                var u = UsageDay()
                u.accountId = ctx.account.id
                u.day = day
                u.activeUsers = active
                u.events = active * (10 + usage.int(0...8))
                batch.usage.append(u)
                day = day + 7
            }
        }
    }
}
