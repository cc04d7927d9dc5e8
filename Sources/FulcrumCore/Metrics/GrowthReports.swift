/// Growth, revenue velocity (seed 004) and trials, per period.
enum GrowthReports {
    /// Won opportunity amounts (all types) per close month, in the reporting currency.
    static func bookingsByMonth(_ context: MetricContext) throws -> [Month: (Int64, [Explanation.Item])] {
        var out: [Month: (Int64, [Explanation.Item])] = [:]
        for o in context.inputs.opportunities where o.isWon {
            guard let closed = o.closedOn else { continue }
            let amount = try context.convert(o.amountMinor, currency: o.currency, month: closed.month)
            out[closed.month, default: (0, [])].0 += amount
            out[closed.month]!.1.append(.init("opportunity:" + String(o.id), Double(amount)))
        }
        return out
    }

    /// The total and the items of `months`.
    static func sum(_ byMonth: [Month: (Int64, [Explanation.Item])], _ months: ClosedRange<Month>) -> (
        Int64, [Explanation.Item]
    ) {
        var total: Int64 = 0
        var items: [Explanation.Item] = []
        for m in months {
            if let v = byMonth[m] {
                total += v.0
                items += v.1
            }
        }
        return (total, items)
    }

    /// `growth`: MRR growth, bookings growth period over period and year over year, and the magic number.
    static func growth(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        try UnitEconomicsReports.checkDimension(query, allowed: [])
        let periods = try context.periods(query)
        let bookings = try bookingsByMonth(context)
        var spendByMonth: [Month: (Int64, [Explanation.Item])] = [:]
        for s in context.inputs.spend where s.team != .cs {
            let amount = try context.convert(s.amountMinor, currency: s.currency, month: s.month)
            spendByMonth[s.month, default: (0, [])].0 += amount
            spendByMonth[s.month]!.1.append(.init("spend:" + String(s.id), Double(amount)))
        }
        func spend(_ months: ClosedRange<Month>) -> Int64 { sum(spendByMonth, months).0 }
        // With explain: each customer's MRR at the end of a month, and each month's movements (FX excluded).
        var customersAt: [Month: [Explanation.Item]] = [:]
        var movementsIn: [Month: [Explanation.Item]] = [:]
        if explain {
            var wanted = Set<Month>()
            for p in periods {
                let len = p.first.distance(to: p.last) + 1
                wanted.formUnion([p.last, p.last.adding(-len), p.last.adding(-12)])
            }
            for e in context.ledger.accountMRR where e.mrrMinor != 0 && wanted.contains(e.month) {
                customersAt[e.month, default: []].append(.init("account:" + String(e.accountId), Double(e.mrrMinor)))
            }
            for m in context.ledger.movements where m.kind != .fxAdjustment {
                movementsIn[m.month, default: []].append(
                    .init("account:" + String(m.accountId), Double(m.amountMinor * 12)))
            }
        }
        func change(_ now: [Explanation.Item], _ then: [Explanation.Item]) -> Explanation {
            .ratio(.sum(now + Explanation.negated(then)), over: .sum(then))
        }
        var table = ReportTable(
            report: "growth", title: "Growth", currency: context.currency,
            columns: [
                .init(query.grain == .month ? "month" : query.grain.rawValue, .text, key: true), .init("mrr", .money),
                .init("mrr_growth", .percent), .init("mrr_growth_yoy", .percent),
                .init("bookings", .money), .init("bookings_growth", .percent), .init("bookings_growth_yoy", .percent),
                .init("sales_marketing_spend", .money), .init("magic_number", .number),
            ],
            settings: RevenueReports.settings(context) + [
                .init(
                    "bookings",
                    "won opportunities of every type (new, upsell, renewal) by close month, at the close month's FX rate"
                ),
                .init(
                    "growth",
                    "period over period: value ÷ previous period's − 1; year over year: ÷ the same period a year before − 1"
                ),
                .init("magic number", MagicNumber.definition),
            ])
        for p in periods {
            let len = p.first.distance(to: p.last) + 1
            let prev = p.first.adding(-len)...p.last.adding(-len)
            let yoy = p.first.adding(-12)...p.last.adding(-12)
            let mrr = context.monthRow(p.last).mrr
            let mrrPrev = context.monthRow(prev.upperBound).mrr
            let mrrYear = context.monthRow(yoy.upperBound).mrr
            let b = sum(bookings, p.months)
            let bPrev = sum(bookings, prev)
            let bYear = sum(bookings, yoy)
            let s = spend(p.months)
            let sPrev = spend(prev)
            var ex: [Explanation] = []
            if explain {
                let now = customersAt[p.last] ?? []
                let netNew = p.months.flatMap { movementsIn[$0] ?? [] }
                ex = [
                    .none, .sum(now), change(now, customersAt[prev.upperBound] ?? []),
                    change(now, customersAt[yoy.upperBound] ?? []), .sum(b.1), change(b.1, bPrev.1),
                    change(b.1, bYear.1), .sum(sum(spendByMonth, p.months).1),
                    .ratio(.sum(netNew), over: .sum(sum(spendByMonth, prev).1)),
                ]
            }
            table.rows.append(
                .init(
                    [
                        .text(p.label), .money(mrr), .ratio(Double(mrr - mrrPrev), Double(mrrPrev)),
                        .ratio(Double(mrr - mrrYear), Double(mrrYear)),
                        .money(b.0), .ratio(Double(b.0 - bPrev.0), Double(bPrev.0)),
                        .ratio(Double(b.0 - bYear.0), Double(bYear.0)),
                        context.spendCell(s),
                        MagicNumber.cell(
                            netNewMRR: MagicNumber.netNewMRR(context, months: p.months), priorSpend: sPrev),
                    ], partial: p.partial, explain: ex))
        }
        return table
    }

    /// `velocity`: seed 004's revenue velocity — how fast prospects turn into cash.
    static func velocity(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        var periods = try context.periods(query)
        let grain = query.grain
        let before = periods[0].first.adding(-grain.length)
        periods.insert(
            Period(label: grain.label(before), first: before, last: periods[0].first.adding(-1), partial: false), at: 0)
        var table = ReportTable(
            report: "velocity", title: "Revenue velocity", currency: context.currency,
            columns: RevenueReports.keyColumns(query) + [
                .init("opportunities", .count), .init("won", .count), .init("win_rate", .percent),
                .init("avg_deal", .money),
                .init("cycle_days", .number), .init("velocity_per_day", .money), .init("acceleration_per_day", .money),
                .init("acceleration", .percent), .init("customers_measured", .count),
                .init("touch_to_payment_days", .number),
            ],
            settings: RevenueReports.settings(context) + [
                .init(
                    "sales velocity",
                    "opportunities × win rate × average deal value ÷ sales cycle days (money per day), over new-business opportunities closed in the period; sliced by an account dimension, a deal without an account counts under (none)"
                ),
                .init(
                    "cycle",
                    "days from created to closed, averaged over won opportunities; a deal closed before it was created (a CRM that stamps CreatedDate at load time) cannot have a cycle and is left out of the average, counted in a note"
                ),
                .init(
                    "acceleration",
                    "velocity minus the previous period's velocity (and as a share of it); positive when faster"),
                .init(
                    "first touch → first payment",
                    "days from an account's earliest touch to its earliest succeeded payment, averaged over accounts whose first paid month is in the period (merged duplicates pooled)"
                ),
            ])
        struct Stat {
            var closed: [Int64] = [], won = 0, amount: Int64 = 0, cycleDays = 0, cycled = 0
            var touchDays: [Int] = []
            var touchIds: [Int64] = []
            /// With explain: each won deal's amount and each cycled deal's days.
            var wonItems: [Explanation.Item] = [], cycleItems: [Explanation.Item] = []
        }
        let n = periods.count
        var periodOf: [Int: Int] = [:]
        for (i, p) in periods.enumerated() { for m in p.months { periodOf[m.index] = i } }
        var stats: [String: [Stat]] = [:]
        let empty = [Stat](repeating: Stat(), count: n)
        if query.by == nil { stats[""] = empty }
        func key(_ account: Int64) -> String { query.by.map { context.value(of: $0, account: account) } ?? "" }
        var closedBeforeCreated: [Int64] = []
        for o in context.inputs.opportunities where o.type == .new && o.isClosed {
            guard let closed = o.closedOn, let i = periodOf[closed.month.index] else { continue }
            let k = query.by.map { context.value(of: $0, dealAccount: o.accountId) } ?? ""
            let amount = o.isWon ? try context.convert(o.amountMinor, currency: o.currency, month: closed.month) : 0
            stats[k, default: empty][i].closed.append(o.id)
            if o.isWon {
                stats[k, default: empty][i].won += 1
                stats[k, default: empty][i].amount += amount
                if explain { stats[k, default: empty][i].wonItems.append(.init("opportunity:\(o.id)", Double(amount))) }
                if closed >= o.createdOn {
                    stats[k, default: empty][i].cycleDays += closed - o.createdOn
                    stats[k, default: empty][i].cycled += 1
                    if explain {
                        stats[k, default: empty][i].cycleItems.append(
                            .init("opportunity:\(o.id)", Double(closed - o.createdOn)))
                    }
                } else {
                    closedBeforeCreated.append(o.id)
                }
            }
        }
        var firstTouch: [Int64: Timestamp] = [:]
        var firstPayment: [Int64: Timestamp] = [:]
        for t in context.inputs.firstTouches {
            let a = context.resolver.resolve(t.accountId)
            if let c = firstTouch[a], c <= t.at { continue }
            firstTouch[a] = t.at
        }
        for t in context.inputs.firstPayments {
            let a = context.resolver.resolve(t.accountId)
            if let c = firstPayment[a], c <= t.at { continue }
            firstPayment[a] = t.at
        }
        for (a, first) in context.firstPaidMonth {
            guard let i = periodOf[first.index], let touch = firstTouch[a], let pay = firstPayment[a], touch <= pay
            else { continue }
            let k = key(a)
            stats[k, default: empty][i].touchDays.append(Int((pay.seconds - touch.seconds) / 86_400))
            stats[k, default: empty][i].touchIds.append(a)
        }
        for k in stats.keys.sorted() {
            var previous: Double?
            for (i, p) in periods.enumerated() {
                let s = stats[k]![i]
                let winRate = s.closed.isEmpty ? nil : Double(s.won) / Double(s.closed.count)
                let avgDeal = s.won > 0 ? Double(s.amount) / Double(s.won) : nil
                let cycle = s.cycled > 0 ? Double(s.cycleDays) / Double(s.cycled) : nil
                var velocity: Double?
                if let winRate, let avgDeal, let cycle, cycle > 0 {
                    velocity = Double(s.closed.count) * winRate * avgDeal / cycle
                }
                defer { previous = velocity }
                guard i > 0 else { continue }
                var accel: ReportTable.Cell = .blank
                var accelShare: ReportTable.Cell = .blank
                if let velocity, let previous {
                    accel = .money(roundMinor(velocity - previous))
                    accelShare = .ratio(velocity - previous, previous)
                }
                let touch = s.touchDays.isEmpty ? nil : Double(s.touchDays.reduce(0, +)) / Double(s.touchDays.count)
                var ex: [Explanation] = []
                if explain {
                    let closed = Explanation.count(s.closed.sorted().map { "opportunity:" + String($0) })
                    let won = Explanation.count(s.wonItems.map(\.record))
                    let touches = zip(s.touchIds, s.touchDays).sorted { $0.0 < $1.0 }.map {
                        Explanation.Item("account:" + String($0.0), Double($0.1))
                    }
                    ex =
                        RevenueReports.keyCells(p, k, query).map { _ in .none } + [
                            closed, won, .ratio(won, over: closed), .ratio(.sum(s.wonItems), over: won),
                            .mean(s.cycleItems), .none, .none, .none, .count(touches.map(\.record)), .mean(touches),
                        ]
                }
                table.rows.append(
                    .init(
                        RevenueReports.keyCells(p, k, query) + [
                            .count(s.closed.count), .count(s.won), .optional(winRate),
                            avgDeal.map { .money(roundMinor($0)) } ?? .blank,
                            .optional(cycle), velocity.map { .money(roundMinor($0)) } ?? .blank, accel, accelShare,
                            .count(s.touchDays.count), .optional(touch),
                        ], partial: p.partial, explain: ex))
            }
        }
        if !closedBeforeCreated.isEmpty {
            let ids = closedBeforeCreated.sorted().prefix(10).map { "opportunity:\($0)" }.joined(separator: ", ")
            table.notes.append(
                "\(closedBeforeCreated.count) won deal\(closedBeforeCreated.count == 1 ? "" : "s") closed before "
                    + "\(closedBeforeCreated.count == 1 ? "it was" : "they were") created, left out of cycle_days "
                    + "(counted in win rate and average deal): \(ids)\(closedBeforeCreated.count > 10 ? ", …" : "")")
        }
        return table
    }

    /// `trials`: trial MRR, trial-to-paid conversion and self-serve customers per period.
    static func trials(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let periods = try context.periods(query)
        var table = ReportTable(
            report: "trials", title: "Trials and self-serve", currency: context.currency,
            columns: RevenueReports.keyColumns(query) + [
                .init("trials_started", .count), .init("trials_ended", .count), .init("converted", .count),
                .init("trial_to_paid", .percent),
                .init("trial_mrr", .money), .init("trials_in_force", .count), .init("new_customers", .count),
                .init("self_serve_new", .count),
                .init("self_serve_customers", .count),
            ],
            settings: RevenueReports.settings(context) + [
                .init(
                    "trial",
                    "a subscription with a trial end after its start; it adds nothing to MRR before the trial ends"),
                .init(
                    "converted",
                    "a trial that ended in the period and whose subscription was still running on its first paid day"),
                .init(
                    "trial MRR",
                    "what subscriptions in trial at the period's end would add to MRR (unsliced reports only)"),
                .init(
                    "self-serve",
                    "an account none of whose subscriptions came from an opportunity (bought with no salesperson)"),
            ])
        var periodOf: [Int: Int] = [:]
        for (i, p) in periods.enumerated() { for m in p.months { periodOf[m.index] = i } }
        struct Stat {
            var started: [Int64] = [], ended: [Int64] = [], converted: [Int64] = [], newIds: [Int64] = [],
                selfNew: [Int64] = [], selfActive: [Int64] = []
        }
        let empty = [Stat](repeating: Stat(), count: periods.count)
        var stats: [String: [Stat]] = [:]
        if query.by == nil { stats[""] = empty }
        func key(_ account: Int64) -> String { query.by.map { context.value(of: $0, account: account) } ?? "" }
        for s in context.inputs.subscriptions {
            guard TrialFeatures.isTrial(s), let trialEnd = s.trialEndOn else { continue }
            let k = key(context.resolver.resolve(s.accountId))
            if stats[k] == nil { stats[k] = empty }
            if let i = periodOf[s.startedOn.month.index] { stats[k]![i].started.append(s.id) }
            if trialEnd <= context.inputs.dataThrough, let i = periodOf[trialEnd.month.index] {
                stats[k]![i].ended.append(s.id)
                if TrialFeatures.converted(s) { stats[k]![i].converted.append(s.id) }
            }
        }
        for (a, first) in context.firstPaidMonth {
            guard let i = periodOf[first.index] else { continue }
            let k = key(a)
            stats[k, default: empty][i].newIds.append(a)
            if context.selfServe.contains(a) { stats[k, default: empty][i].selfNew.append(a) }
        }
        var endOf: [Int: Int] = [:]
        for (i, p) in periods.enumerated() { endOf[p.last.index] = i }
        for e in context.ledger.accountMRR where e.mrrMinor > 0 && context.selfServe.contains(e.accountId) {
            guard let i = endOf[e.month.index] else { continue }
            stats[key(e.accountId), default: empty][i].selfActive.append(e.accountId)
        }
        for k in stats.keys.sorted() {
            for (i, p) in periods.enumerated() {
                let s = stats[k]![i]
                let month = context.monthRow(p.last)
                var ex: [Explanation] = []
                if explain {
                    func subs(_ ids: [Int64]) -> Explanation {
                        .count(ids.sorted().map { "subscription:" + String($0) })
                    }
                    ex =
                        RevenueReports.keyCells(p, k, query).map { _ in .none } + [
                            subs(s.started), subs(s.ended), subs(s.converted),
                            .ratio(subs(s.converted), over: subs(s.ended)),
                            .none, .none, .count(RevenueRollup.ids(s.newIds)), .count(RevenueRollup.ids(s.selfNew)),
                            .count(RevenueRollup.ids(s.selfActive)),
                        ]
                }
                table.rows.append(
                    .init(
                        RevenueReports.keyCells(p, k, query) + [
                            .count(s.started.count), .count(s.ended.count), .count(s.converted.count),
                            .ratio(Double(s.converted.count), Double(s.ended.count)),
                            query.by == nil ? .money(month.trialMRR) : .blank,
                            query.by == nil ? .count(month.trialSubscriptions) : .blank,
                            .count(s.newIds.count), .count(s.selfNew.count), .count(s.selfActive.count),
                        ], partial: p.partial, explain: ex))
            }
        }
        return table
    }
}
