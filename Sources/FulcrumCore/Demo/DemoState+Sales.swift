/// The sales chapter: lead response, new-business opportunities with their
/// stage history and rep activities, and the self-serve trial path.
extension DemoState {
    static let stages = ["Qualification", "Discovery", "Demo", "Proposal", "Negotiation"]

    mutating func generateSales(_ ctx: inout AccountContext, into batch: inout DemoBatch) {
        guard var primary = ctx.primary else { return }
        let created = primary.createdAt
        let sdr = sdrIds[ctx.rng.int(0...(sdrIds.count - 1))]
        primary.ownerRepId = sdr
        // An automated acknowledgement (never counts as a response), then a person.
        appendActivity(
            .email, at: created + 120, rep: sdr, ctx: ctx, person: primary.id, opportunity: nil, automated: true,
            into: &batch)
        let fast = ctx.rng.chance(0.35)
        let delay: Int64 =
            fast ? Int64(ctx.rng.int(180...3_540)) : Int64(max(3_660, ctx.rng.logNormal(median: 6 * 3_600, sigma: 1.2)))
        appendActivity(
            ctx.rng.chance(0.6) ? .call : .email, at: created + delay, rep: sdr, ctx: ctx, person: primary.id,
            opportunity: nil, automated: false, into: &batch)

        let mql = created + Int64(ctx.rng.int(600...172_800))
        primary.mqlAt = mql
        defer {
            for stamp in [\Person.mqlAt, \Person.salAt, \Person.sqlAt, \Person.opportunityAt, \Person.customerAt] {
                if let t = primary[keyPath: stamp], t.day > DemoCalendar.asOf { primary[keyPath: stamp] = nil }
            }
            if let t = primary.mqlAt, let m = monthIndex(t.day) { tallies[m].mqls += 1 }
            if let t = primary.sqlAt, let m = monthIndex(t.day) { tallies[m].sqls += 1 }
            batch.people.append(primary)
        }

        if ctx.segment.selfServeShare > 0, (ctx.account.employees ?? 0) < 100,
            ctx.rng.chance(ctx.segment.selfServeShare)
        {
            primary.status = "trial"
            if let paid = generateSelfServe(&ctx, primary: primary, into: &batch) {
                primary.customerAt = Timestamp(day: paid)
                primary.status = "customer"
            }
            return
        }

        var p = ctx.segment.opportunityRate
        p *= fast ? DemoPlanted.fastResponseFactor : DemoPlanted.slowResponseFactor
        if ctx.primaryWebinar { p *= DemoPlanted.webinarFactor }
        if ctx.referred { p *= DemoPlanted.referralOpportunityFactor }
        guard ctx.rng.chance(min(0.95, p)) else {
            primary.status = ctx.rng.chance(0.5) ? "nurture" : "disqualified"
            return
        }
        primary.salAt = mql + Int64(ctx.rng.int(3_600...259_200))
        primary.sqlAt = primary.salAt! + Int64(ctx.rng.int(3_600...604_800))
        var start = primary.sqlAt!.day + Int(ctx.rng.exponential(mean: 12))
        primary.status = "opportunity"
        for attempt in 0..<4 {
            guard start <= DemoCalendar.asOf else { return }
            if attempt > 0, !ctx.rng.chance(0.5) { return }
            let deal = drawDeal(&ctx, on: start)
            let owners = salesReps[ctx.segment.name]!
            let rep =
                attempt == 0
                ? owners.first(where: { $0.id == ctx.account.ownerRepId })!
                : owners[ctx.rng.int(0...(owners.count - 1))]
            let outcome = appendOpportunity(
                &ctx, type: .new, product: "Core", created: start, amountUSD: deal.mrrUSD * 12, rep: rep,
                person: primary.id, source: primary.leadSource, channel: primary.channel, into: &batch)
            if primary.opportunityAt == nil { primary.opportunityAt = Timestamp(day: start, hour: 10) }
            guard let closed = outcome.closedOn else { return }
            if outcome.won {
                primary.customerAt = Timestamp(day: closed, hour: 17)
                primary.status = "customer"
                generateRevenue(
                    &ctx, deal: deal, paidStart: closed + ctx.rng.int(0...7), trialStart: nil,
                    opportunityId: outcome.id, rep: rep, into: &batch)
                return
            }
            primary.status = "lost"
            start = closed + ctx.rng.int(60...240)
        }
    }

    struct Deal {
        var mrrUSD: Double
        var annual: Bool
        var seats: Int
    }

    /// Heavy-tailed deal sizes that grow with the company's head count.
    func drawDeal(_ ctx: inout AccountContext, on day: Day) -> Deal {
        let sizeFactor = Math.pow(Double(ctx.account.employees ?? 50) / ctx.segment.employeesMedian, 0.25)
        let mrr = max(
            ctx.segment.seatPrice,
            (ctx.rng.logNormal(median: ctx.segment.medianMRR * min(3, sizeFactor), sigma: 0.6) / 10).rounded() * 10)
        return Deal(
            mrrUSD: mrr, annual: ctx.rng.chance(ctx.segment.annualShare),
            seats: max(1, Int(mrr / ctx.segment.seatPrice)))
    }

    /// Converts dollars to the account's currency in minor units, rounded as a price list would be.
    func localMinor(_ usd: Double, ctx: AccountContext, on day: Day) -> Int64 {
        let local = usd / rate(ctx.currency, on: day)
        return ctx.currency == "JPY" ? Int64((local / 100).rounded() * 100) : Int64(local.rounded()) * 100
    }

    struct OpportunityOutcome {
        var id: Int64
        var won: Bool
        var closedOn: Day?
    }

    /// One opportunity with its stage history and the rep's activities on it.
    /// Win odds follow the rep's skill and whether a demo was given (planted).
    mutating func appendOpportunity(
        _ ctx: inout AccountContext, type: Opportunity.Kind, product: String, created: Day, amountUSD: Double,
        rep: RepInfo, person: Int64?, source: String?, channel: String?, winProbability: Double? = nil,
        cycleMedian: Double? = nil, into batch: inout DemoBatch
    ) -> OpportunityOutcome {
        var o = Opportunity()
        o.id = id("opportunities")
        o.accountId = ctx.account.id
        o.personId = person
        o.type = type
        o.product = product
        o.ownerRepId = rep.id
        o.leadSource = source
        o.channel = channel
        o.currency = ctx.currency
        o.amountMinor = localMinor(amountUSD, ctx: ctx, on: created)
        o.createdOn = created
        let demo = ctx.rng.chance(DemoPlanted.demoShare)
        let pWin =
            winProbability
            ?? min(
                0.92, ctx.segment.winRate * rep.skill * (demo ? DemoPlanted.demoWinFactor : DemoPlanted.noDemoWinFactor)
            )
        let won = ctx.rng.chance(pWin)
        let cycle = max(3, Int(ctx.rng.logNormal(median: cycleMedian ?? ctx.segment.cycleDays, sigma: 0.5)))
        let closed = created + cycle
        let reached = won ? DemoState.stages.count : ctx.rng.int(1...DemoState.stages.count)
        let skipDemoStage = !demo && ctx.rng.chance(0.5)
        var stageNames = Array(DemoState.stages.prefix(reached))
        if skipDemoStage { stageNames.removeAll { $0 == "Demo" } }
        for (i, name) in stageNames.enumerated() {
            let at = created + (cycle * i) / max(1, stageNames.count)
            guard at <= DemoCalendar.asOf else { break }
            appendStage(o, name, at: Timestamp(day: at, hour: 9 + i, minute: ctx.rng.int(0...59)), into: &batch)
            o.stage = name
        }
        if closed <= DemoCalendar.asOf {
            o.closedOn = closed
            o.isClosed = true
            o.isWon = won
            o.stage = won ? "Closed Won" : "Closed Lost"
            appendStage(o, o.stage, at: Timestamp(day: closed, hour: 17), into: &batch)
            if let m = monthIndex(closed), type == .new {
                if won {
                    tallies[m].wonDeals[ctx.segment.name, default: 0] += 1
                } else {
                    tallies[m].lostDeals[ctx.segment.name, default: 0] += 1
                }
            }
            if won, let m = monthIndex(closed), type != .renewal {
                let usdMinor = Int64(amountUSD * 100)
                tallies[m].bookingsMinor += usdMinor
                tallies[m].segmentBookingsMinor[ctx.segment.name, default: 0] += usdMinor
                if type == .new {
                    tallies[m].wonNew += 1
                    tallies[m].newBookingsMinor += usdMinor
                }
                repBookings[rep.id, default: [:]][m, default: 0] += usdMinor
            }
        }
        batch.opportunities.append(o)
        truth.counts.opportunities += 1
        if type == .new, let m = monthIndex(created) {
            tallies[m].newOpportunities += 1
            tallies[m].segmentOpportunities[ctx.segment.name, default: 0] += 1
        }

        let end = min(closed, DemoCalendar.asOf)
        let touches = 2 + min(38, ctx.rng.poisson(Double(cycle) / 8))
        for _ in 0..<touches {
            let day = created + ctx.rng.int(0...max(0, end - created))
            let kind: Activity.Kind = [.call, .email, .email, .meeting][ctx.rng.int(0...3)]
            appendActivity(
                kind, at: Timestamp(day: day, hour: ctx.rng.int(8...18), minute: ctx.rng.int(0...59)),
                rep: rep.id, ctx: ctx, person: person, opportunity: o.id, automated: false, into: &batch)
        }
        if demo {
            let day = created + cycle * 3 / 10
            if day <= DemoCalendar.asOf {
                if let m = monthIndex(day) { tallies[m].demos += 1 }
                appendActivity(
                    .demo, at: Timestamp(day: day, hour: 14), rep: rep.id, ctx: ctx, person: person, opportunity: o.id,
                    automated: false, into: &batch)
            }
        }
        if ctx.rng.chance(0.2) {
            var cf = CustomField()
            cf.entity = "opportunities"
            cf.recordId = o.id
            cf.accountId = o.accountId
            cf.name = "competitor"
            cf.value = ["Clari", "Gong", "Tableau", "Looker", "Spreadsheet"][ctx.rng.int(0...4)]
            batch.customFields.append(cf)
        }
        return OpportunityOutcome(id: o.id, won: o.isWon, closedOn: o.closedOn)
    }

    mutating func appendStage(_ o: Opportunity, _ stage: String, at: Timestamp, into batch: inout DemoBatch) {
        var s = StageChange()
        s.id = id("opportunity_stages")
        s.opportunityId = o.id
        s.accountId = o.accountId
        s.stage = stage
        s.enteredAt = at
        batch.stageChanges.append(s)
    }

    mutating func appendActivity(
        _ kind: Activity.Kind, at: Timestamp, rep: Int64, ctx: AccountContext, person: Int64?, opportunity: Int64?,
        automated: Bool, into batch: inout DemoBatch
    ) {
        guard at.day <= DemoCalendar.asOf else { return }
        var a = Activity()
        a.id = id("activities")
        a.accountId = ctx.account.id
        a.repId = rep
        a.personId = person
        a.opportunityId = opportunity
        a.kind = kind
        a.occurredAt = at
        a.automated = automated
        batch.activities.append(a)
    }

    /// The self-serve path: a 14-day trial that converts to a paid monthly plan
    /// with no salesperson, or ends. Returns the first paid day if it converted.
    mutating func generateSelfServe(_ ctx: inout AccountContext, primary: Person, into batch: inout DemoBatch) -> Day? {
        let trialStart = primary.createdAt.day + ctx.rng.int(0...3)
        guard trialStart <= DemoCalendar.asOf else { return nil }
        let trialEnd = trialStart + DemoPlanted.trialDays
        let seats = 1 + ctx.rng.poisson(3)
        let deal = Deal(mrrUSD: Double(seats) * ctx.segment.seatPrice, annual: false, seats: seats)
        if trialEnd <= DemoCalendar.asOf, ctx.rng.chance(DemoPlanted.trialConversion) {
            generateRevenue(
                &ctx, deal: deal, paidStart: trialEnd, trialStart: trialStart, opportunityId: nil, rep: nil,
                into: &batch)
            return trialEnd
        }
        var s = Subscription()
        s.id = id("subscriptions")
        s.accountId = ctx.account.id
        s.plan = "Starter"
        s.product = "Core"
        s.interval = .month
        s.quantity = seats
        s.currency = ctx.currency
        s.amountMinor = localMinor(deal.mrrUSD, ctx: ctx, on: trialStart)
        s.startedOn = trialStart
        s.trialEndOn = trialEnd
        if trialEnd <= DemoCalendar.asOf {
            s.endedOn = trialEnd
            s.canceledOn = trialEnd - ctx.rng.int(0...10)
            s.cancelAt = trialEnd
            s.status = .canceled
        } else {
            s.status = .trialing
        }
        batch.subscriptions.append(s)
        return nil
    }
}
