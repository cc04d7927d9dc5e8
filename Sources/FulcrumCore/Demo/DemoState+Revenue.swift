/// The revenue chapter: a customer's subscriptions month by month — seat
/// expansion and contraction, add-on products, annual renewals, churn at the
/// end of a paid period, win-backs — then the invoices and payments that bill it.
extension DemoState {
    /// A subscription being simulated, with its price history.
    struct SubscriptionDraft {
        var row: Subscription
        var phases: [(from: Day, amount: Int64, quantity: Int)]
        var salesLed: Bool
    }

    mutating func generateRevenue(
        _ ctx: inout AccountContext, deal: Deal, paidStart: Day, trialStart: Day?, opportunityId: Int64?,
        rep: RepInfo?, into batch: inout DemoBatch
    ) {
        let salesLed = rep != nil
        if !salesLed { truth.selfServeCustomers += 1 }
        var drafts: [SubscriptionDraft] = []
        var spells: [(start: Day, end: Day?)] = []
        var start = paidStart
        var deal = deal
        var firstSpell = true
        let hazard = ctx.segment.monthlyChurn * ctx.risk
        // A second account record for the same company, opened by another rep (planted duplicate).
        // It holds the Analytics add-on, sold by that other rep.
        var duplicateExtras: [SubscriptionDraft] = []
        if let rep, paidStart + 60 <= DemoCalendar.asOf, ctx.rng.chance(DemoPlanted.duplicateShare) {
            var dup = makeDuplicate(of: ctx, rep: rep, on: paidStart, into: &batch)
            let addOn = Deal(
                mrrUSD: (deal.mrrUSD * dup.rng.uniform(0.15, 0.35) / 10).rounded() * 10 + 10, annual: false, seats: 1)
            var draft = newDraft(
                &dup, product: "Analytics", deal: addOn, start: dup.account.createdOn, trialEnd: nil,
                opportunityId: nil, salesLed: true)
            let seller = salesReps[ctx.segment.name]!.first { $0.id == dup.account.ownerRepId } ?? rep
            draft.row.opportunityId =
                appendOpportunity(
                    &dup, type: .upsell, product: "Analytics", created: dup.account.createdOn - dup.rng.int(10...40),
                    amountUSD: addOn.mrrUSD * 12, rep: seller, person: nil, source: "Expansion", channel: nil,
                    winProbability: 1, cycleMedian: 20, into: &batch
                ).id
            ctx.rng = dup.rng
            duplicateExtras.append(draft)
        }

        while start <= DemoCalendar.asOf {
            if !firstSpell { truth.reactivations += 1 }
            customers.append((ctx.account.id, start))
            var core = newDraft(
                &ctx, product: "Core", deal: deal, start: firstSpell ? (trialStart ?? start) : start,
                trialEnd: firstSpell ? (trialStart == nil ? nil : paidStart) : nil,
                opportunityId: firstSpell ? opportunityId : nil, salesLed: salesLed)
            var extras = firstSpell ? duplicateExtras : []
            var hasAddOn = !extras.isEmpty
            var churnDay: Day?
            var k = 1
            while true {
                let day = start.adding(months: k)
                guard day <= DemoCalendar.asOf else { break }
                let renewal = deal.annual ? k % 12 == 0 : true
                if renewal {
                    let pChurn = deal.annual ? 1 - Math.pow(1 - hazard, 12) : hazard
                    let churns = ctx.rng.chance(min(0.9, pChurn))
                    if k % 12 == 0, let rep {
                        // Each contract year gets a renewal opportunity, won unless the customer leaves.
                        let current = core.phases.last!.amount * (deal.annual ? 1 : 12)
                        _ = appendOpportunity(
                            &ctx, type: .renewal, product: "Core", created: max(start, day - 60),
                            amountUSD: usd(fromLocalMinor: current, ctx: ctx, on: day),
                            rep: rep, person: nil, source: "Renewal", channel: nil, winProbability: churns ? 0 : 1,
                            cycleMedian: 30, into: &batch)
                    }
                    if churns {
                        churnDay = day
                        break
                    }
                }
                let mid = day + ctx.rng.int(0...27)
                guard mid <= DemoCalendar.asOf else {
                    k += 1
                    continue
                }
                let last = core.phases.last!
                if ctx.rng.chance(ctx.segment.name == "Tech" ? 0.04 : 0.03) {
                    let added = max(1, Int(Double(last.quantity) * ctx.rng.uniform(0.1, 0.5)))
                    let unit = last.amount / Int64(max(1, last.quantity))
                    core.phases.append((mid, unit * Int64(last.quantity + added), last.quantity + added))
                    if let rep {
                        let usd = usd(fromLocalMinor: unit * Int64(added), ctx: ctx, on: mid)
                        _ = appendOpportunity(
                            &ctx, type: .upsell, product: "Core", created: mid - ctx.rng.int(5...30),
                            amountUSD: usd * (deal.annual ? 1 : 12), rep: rep, person: nil, source: "Expansion",
                            channel: nil, winProbability: 1, cycleMedian: 10, into: &batch)
                    }
                } else if last.quantity > 1, ctx.rng.chance(0.012 * ctx.risk) {
                    let removed = max(1, Int(Double(last.quantity) * ctx.rng.uniform(0.1, 0.3)))
                    let unit = last.amount / Int64(max(1, last.quantity))
                    let q = max(1, last.quantity - removed)
                    core.phases.append((mid, unit * Int64(q), q))
                }
                if let rep, ctx.rng.chance(0.075) {
                    // An upsell pitch that goes nowhere.
                    _ = appendOpportunity(
                        &ctx, type: .upsell, product: ctx.rng.chance(0.5) ? "Analytics" : "Core",
                        created: mid, amountUSD: deal.mrrUSD * 12 * ctx.rng.uniform(0.1, 0.4), rep: rep,
                        person: nil, source: "Expansion", channel: nil, winProbability: 0, cycleMedian: 25, into: &batch
                    )
                }
                // Land and expand: the analytics add-on (once) and more departments.
                let addOnNow = !hasAddOn && k >= 3 && ctx.rng.chance(0.012)
                let departmentNow = ctx.rng.chance(salesLed ? 0.035 : 0.015)
                if addOnNow || departmentNow {
                    var target = ctx
                    let extraDeal =
                        addOnNow
                        ? Deal(
                            mrrUSD: (deal.mrrUSD * ctx.rng.uniform(0.15, 0.35) / 10).rounded() * 10 + 10, annual: false,
                            seats: 1)
                        : Deal(
                            mrrUSD: Double(max(1, deal.seats / 3)) * ctx.segment.seatPrice, annual: false,
                            seats: max(1, deal.seats / 3))
                    let product = addOnNow ? "Analytics" : "Core"
                    var draft = newDraft(
                        &target, product: product, deal: extraDeal, start: mid, trialEnd: nil, opportunityId: nil,
                        salesLed: salesLed)
                    if let rep {
                        draft.row.opportunityId =
                            appendOpportunity(
                                &target, type: .upsell, product: product, created: mid - ctx.rng.int(10...40),
                                amountUSD: extraDeal.mrrUSD * 12, rep: rep, person: nil, source: "Expansion",
                                channel: nil,
                                winProbability: 1, cycleMedian: 20, into: &batch
                            ).id
                    }
                    ctx.rng = target.rng
                    hasAddOn = hasAddOn || addOnNow
                    extras.append(draft)
                }
                for i in extras.indices
                where extras[i].row.endedOn == nil && extras[i].row.startedOn < day && ctx.rng.chance(0.015) {
                    // Cancelling one of several subscriptions: contraction, not churn.
                    let end = nextAnniversary(of: extras[i].row.startedOn, after: day)
                    if end <= DemoCalendar.asOf {
                        extras[i].row.endedOn = end
                        extras[i].row.cancelAt = end
                        extras[i].row.canceledOn = day
                        extras[i].row.status = .canceled
                    }
                }
                k += 1
            }
            if let churn = churnDay {
                close(&core, on: churn, cancelLead: deal.annual ? ctx.rng.int(10...60) : ctx.rng.int(1...25))
                for i in extras.indices where extras[i].row.endedOn.map({ $0 > churn }) ?? true {
                    // An add-on drawn to start after the churn day never runs: it ends the day it starts.
                    close(&extras[i], on: max(churn, extras[i].row.startedOn), cancelLead: ctx.rng.int(1...25))
                }
            }
            drafts.append(core)
            drafts.append(contentsOf: extras)
            spells.append((start, churnDay))
            guard let churn = churnDay, ctx.rng.chance(DemoPlanted.reactivationShare) else { break }
            start = churn + ctx.rng.int(60...420)
            deal = drawDeal(&ctx, on: start)
            deal.annual = false
            firstSpell = false
        }
        for draft in drafts { appendBilling(draft, ctx: &ctx, into: &batch) }
        generateSignals(&ctx, spells: spells, seats: deal.seats, into: &batch)
    }

    /// Dollars for an amount in the account's currency (minor units).
    func usd(fromLocalMinor amount: Int64, ctx: AccountContext, on day: Day) -> Double {
        let major = ctx.currency == "JPY" ? Double(amount) : Double(amount) / 100
        return major * rate(ctx.currency, on: day)
    }

    func nextAnniversary(of start: Day, after day: Day) -> Day {
        var k = 1
        while start.adding(months: k) <= day { k += 1 }
        return start.adding(months: k)
    }

    mutating func newDraft(
        _ ctx: inout AccountContext, product: String, deal: Deal, start: Day, trialEnd: Day?, opportunityId: Int64?,
        salesLed: Bool
    ) -> SubscriptionDraft {
        var s = Subscription()
        s.id = id("subscriptions")
        s.accountId = ctx.account.id
        s.opportunityId = opportunityId
        s.product = product
        s.plan =
            product == "Analytics"
            ? "Analytics Add-on" : deal.mrrUSD < 500 ? "Starter" : deal.mrrUSD < 2_500 ? "Growth" : "Enterprise"
        s.interval = deal.annual ? .year : .month
        s.quantity = deal.seats
        s.currency = ctx.currency
        s.amountMinor = localMinor(deal.mrrUSD * (deal.annual ? 12 : 1), ctx: ctx, on: start)
        s.startedOn = start
        s.trialEndOn = trialEnd
        s.status = trialEnd.map { $0 > DemoCalendar.asOf } == true ? .trialing : .active
        if salesLed, product == "Core", ctx.rng.chance(0.15) {
            switch ctx.rng.int(0...9) {
            case 0...4:
                s.discountDuration = .repeating
                s.discountMonths = ctx.rng.int(3...6)
                s.discountPercent = [10, 15, 20][ctx.rng.int(0...2)]
            case 5...7:
                s.discountDuration = .forever
                s.discountPercent = 10
            default:
                s.discountDuration = .once
                s.discountPercent = 50
            }
            s.discountStartOn = start
        }
        return SubscriptionDraft(row: s, phases: [(start, s.amountMinor, s.quantity)], salesLed: salesLed)
    }

    func close(_ draft: inout SubscriptionDraft, on day: Day, cancelLead: Int) {
        draft.row.endedOn = day
        draft.row.cancelAt = day
        draft.row.canceledOn = max(draft.row.startedOn, day - cancelLead)
        draft.row.status = .canceled
    }

    /// Writes the subscription, its price changes, its invoices (one per billing
    /// period, proration lines for mid-period seat changes) and payments, some
    /// of which fail first and leave the subscription past due for a while.
    mutating func appendBilling(_ draft: SubscriptionDraft, ctx: inout AccountContext, into batch: inout DemoBatch) {
        var row = draft.row
        let phases = draft.phases.filter { row.endedOn == nil || $0.from < row.endedOn! }
        if let first = phases.first {
            row.amountMinor = first.amount
            row.quantity = first.quantity
        }
        let paidFrom = row.trialEndOn ?? row.startedOn
        let end = min(row.endedOn ?? DemoCalendar.asOf + 1, DemoCalendar.asOf + 1)
        let monthsPerPeriod = row.interval == .year ? 12 : 1
        var statusPeriods: [SubscriptionStatusPeriod] = []
        var k = 0
        var invoiceCount = 0
        while true {
            let periodStart = paidFrom.adding(months: k * monthsPerPeriod)
            guard periodStart < end else { break }
            let periodEnd = paidFrom.adding(months: (k + 1) * monthsPerPeriod)
            let phase = phases.last { $0.from <= periodStart } ?? phases[0]
            var amount = phase.amount
            if let percent = row.discountPercent, let duration = row.discountDuration, let dStart = row.discountStartOn
            {
                let applies =
                    switch duration {
                    case .once: invoiceCount == 0
                    case .forever: true
                    case .repeating: periodStart < dStart.adding(months: row.discountMonths ?? 0)
                    }
                if applies { amount -= Int64((Double(amount) * percent / 100).rounded()) }
            }
            var invoice = Invoice()
            invoice.id = id("invoices")
            invoice.accountId = row.accountId
            invoice.subscriptionId = row.id
            invoice.number = "INV-\(invoice.id)"
            invoice.issuedOn = periodStart
            invoice.dueOn = periodStart + 14
            invoice.currency = row.currency
            var line = InvoiceLine()
            line.id = id("invoice_lines")
            line.invoiceId = invoice.id
            line.accountId = row.accountId
            line.subscriptionId = row.id
            line.description = "\(row.plan) × \(phase.quantity)"
            line.periodStart = periodStart
            line.periodEnd = periodEnd
            line.amountMinor = amount
            line.quantity = phase.quantity
            batch.invoiceLines.append(line)
            var total = amount
            // A seat change inside this period is billed pro rata on the same invoice.
            for change in phases where change.from > periodStart && change.from < periodEnd && change.from < end {
                let previous = phases.last { $0.from < change.from }!
                let fraction = Double(periodEnd - change.from) / Double(periodEnd - periodStart)
                var pro = InvoiceLine()
                pro.id = id("invoice_lines")
                pro.invoiceId = invoice.id
                pro.accountId = row.accountId
                pro.subscriptionId = row.id
                pro.description = "Proration: \(previous.quantity) → \(change.quantity) seats"
                pro.periodStart = change.from
                pro.periodEnd = periodEnd
                pro.quantity = change.quantity - previous.quantity
                pro.amountMinor = Int64((Double(change.amount - previous.amount) * fraction).rounded())
                pro.proration = true
                total += pro.amountMinor
                batch.invoiceLines.append(pro)
            }
            invoice.totalMinor = total
            var payment = Payment()
            payment.accountId = row.accountId
            payment.invoiceId = invoice.id
            payment.currency = row.currency
            payment.amountMinor = total
            let fails = ctx.rng.chance(0.03)
            let paidDay = periodStart + (fails ? ctx.rng.int(5...14) : ctx.rng.int(0...2))
            if fails {
                var failed = payment
                failed.id = id("payments")
                failed.status = "failed"
                failed.paidAt = Timestamp(day: periodStart, hour: 6)
                batch.payments.append(failed)
                var period = SubscriptionStatusPeriod()
                period.id = id("subscription_status_periods")
                period.subscriptionId = row.id
                period.accountId = row.accountId
                period.status = .pastDue
                period.fromOn = periodStart
                period.toOn = paidDay <= DemoCalendar.asOf ? paidDay : nil
                statusPeriods.append(period)
                if paidDay > DemoCalendar.asOf, row.endedOn == nil { row.status = .pastDue }
            }
            if paidDay <= DemoCalendar.asOf {
                payment.id = id("payments")
                payment.paidAt = Timestamp(day: paidDay, hour: 6, minute: 30)
                if ctx.rng.chance(0.005) {
                    payment.refundedMinor = total
                    payment.status = "refunded"
                }
                batch.payments.append(payment)
                invoice.status = payment.status == "refunded" ? "refunded" : "paid"
            } else {
                invoice.status = "open"
            }
            batch.invoices.append(invoice)
            invoiceCount += 1
            k += 1
        }
        batch.subscriptions.append(row)
        for phase in phases.dropFirst() {
            var c = SubscriptionChange()
            c.id = id("subscription_changes")
            c.subscriptionId = row.id
            c.accountId = row.accountId
            c.effectiveOn = phase.from
            c.amountMinor = phase.amount
            c.quantity = phase.quantity
            batch.subscriptionChanges.append(c)
        }
        batch.statusPeriods.append(contentsOf: statusPeriods)
        // Paid month-ends in force, the size measure of the brief.
        var month = paidFrom.month
        while month <= DemoCalendar.lastMonth {
            let last = month.lastDay
            if last >= paidFrom, last >= row.startedOn, row.endedOn.map({ last < $0 }) ?? true {
                truth.counts.subscriptionMonths += 1
                if let i = monthIndex(last) {
                    if row.product == "Core" { tallies[i].customers += 1 }
                    let phase = phases.last { $0.from <= last } ?? phases[0]
                    tallies[i].mrrMinor +=
                        Int64(usd(fromLocalMinor: phase.amount, ctx: ctx, on: last) * 100) / Int64(monthsPerPeriod)
                }
            } else if let ended = row.endedOn, last >= ended {
                break
            }
            month = month.adding(1)
        }
    }

    /// Opens a second account record for the same company under another rep:
    /// the name spelled differently, usually the same web domain.
    mutating func makeDuplicate(of ctx: AccountContext, rep: RepInfo, on day: Day, into batch: inout DemoBatch)
        -> AccountContext
    {
        var copy = ctx
        var dup = ctx.account
        dup.id = id("accounts")
        dup.name = messyVariant(of: ctx.account.name, rng: &copy.rng).trimmingSpaces
        if copy.rng.chance(0.3) { dup.domain = nil }
        let others = salesReps[ctx.segment.name]!.filter { $0.id != rep.id && $0.id != ctx.account.ownerRepId }
        dup.ownerRepId = others.isEmpty ? rep.id : others[copy.rng.int(0...(others.count - 1))].id
        dup.createdOn = min(day + copy.rng.int(20...50), DemoCalendar.asOf)
        dup.parentAccountId = nil
        batch.accounts.append(dup)
        truth.duplicatePairs.append((ctx.account.id, dup.id))
        copy.account = dup
        return copy
    }
}

extension String {
    /// Leading and trailing spaces removed (the core has no Foundation).
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
