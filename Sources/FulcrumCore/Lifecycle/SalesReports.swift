/// Sales KPIs beside marketing's: `sales` (win rate, ASP, sales cycle, bookings by type, pipeline
/// created, open pipeline and slipping deals per period) and `pipeline` (open deals by stage at
/// each period's end with count, value and age). Every opportunity counts, open ones included.
enum SalesReports {
    static let settings: [ReportTable.Setting] = [
        .init(
            "win rate, ASP, cycle",
            "over new-business deals closed in the period: won ÷ (won + lost); ASP = new bookings ÷ won; cycle = median days created → closed of won deals (a deal closed before it was created has no cycle)"
        ),
        .init(
            "bookings",
            "won amounts (annual contract value as the CRM records it) by close date, per type: new, upsell, renewal; converted at the close month's FX rate"
        ),
        .init("pipeline created", "amounts of new-business deals created in the period, at the creation month's rate"),
        .init(
            "open",
            "at the period's last day: created by then and not closed by then (every type), valued at that month's rate"
        ),
        .init(
            "slipping",
            "open deals whose expected close date (closed_on of a deal still open, Salesforce CloseDate) is before the period's last day"
        ),
        .init("slices", DealFacts.note),
    ]

    /// Whether the deal is open at the end of `day` (created by then, not closed by then).
    static func isOpen(_ o: Opportunity, at day: Day) -> Bool {
        guard o.createdOn <= day else { return false }
        if !o.isClosed { return true }
        guard let closed = o.closedOn else { return false }
        return closed > day
    }

    /// Slipping at `day`: open, and its expected close date (closed_on of an open deal) is before `day`.
    static func isSlipping(_ o: Opportunity, at day: Day) -> Bool {
        guard isOpen(o, at: day), !o.isClosed, let expected = o.closedOn else { return false }
        return expected < day
    }

    static func sales(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let periods = try context.periods(query)
        let deals = DealFacts(context)
        var table = ReportTable(
            report: "sales",
            title: "Sales: pipeline created, win rate, ASP, sales cycle, bookings by type, open pipeline",
            currency: context.currency,
            columns: LifecycleColumns.keys(query) + [
                .init("opportunities_created", .count), .init("pipeline_created", .money), .init("won", .count),
                .init("lost", .count), .init("win_rate", .percent), .init("asp", .money),
                .init("median_cycle_days", .number), .init("bookings_new", .money), .init("bookings_upsell", .money),
                .init("bookings_renewal", .money), .init("open_deals", .count), .init("open_value", .money),
                .init("slipping_deals", .count), .init("slipping_value", .money),
            ],
            settings: settings + [.init("data through", context.inputs.dataThrough.iso)])
        struct Acc {
            var created: [Int64] = [], pipeline: Int64 = 0
            var won: [Int64] = [], lost: [Int64] = [], newBookings: Int64 = 0, cycle: [Double] = []
            var upsell: [Int64] = [], upsellBookings: Int64 = 0, renewal: [Int64] = [], renewalBookings: Int64 = 0
            var open: [Int64] = [], openValue: Int64 = 0, slipping: [Int64] = [], slippingValue: Int64 = 0
            /// With explain: each deal's amount behind a money column, by column.
            var items: [String: [Explanation.Item]] = [:]
        }
        var grid = PeriodGrid(periods: periods, sliced: query.by != nil, empty: Acc())
        let ends = periods.map { min($0.last.lastDay, context.inputs.dataThrough) }
        for o in context.inputs.opportunities {
            let key = query.by.map { deals.value($0, o) } ?? ""
            if o.type == .new, let i = grid.period(of: o.createdOn.month) {
                let amount = try deals.amount(o, o.createdOn.month)
                grid.update(key, i) {
                    $0.created.append(o.id)
                    $0.pipeline += amount
                    if explain {
                        $0.items["pipeline_created", default: []].append(.init("opportunity:\(o.id)", Double(amount)))
                    }
                }
            }
            if o.isClosed, let closed = o.closedOn, let i = grid.period(of: closed.month) {
                let amount = o.isWon ? try deals.amount(o, closed.month) : 0
                grid.update(key, i) { a in
                    if explain && o.isWon {
                        a.items["bookings_" + o.type.rawValue, default: []].append(
                            .init("opportunity:\(o.id)", Double(amount)))
                    }
                    switch (o.type, o.isWon) {
                    case (.new, true):
                        a.won.append(o.id)
                        a.newBookings += amount
                        if let d = DealFacts.cycleDays(o) { a.cycle.append(d) }
                    case (.new, false): a.lost.append(o.id)
                    case (.upsell, true):
                        a.upsell.append(o.id)
                        a.upsellBookings += amount
                    case (.renewal, true):
                        a.renewal.append(o.id)
                        a.renewalBookings += amount
                    default: break
                    }
                }
            }
            for (i, end) in ends.enumerated() where isOpen(o, at: end) {
                let value = try deals.amount(o, end.month)
                let slipping = isSlipping(o, at: end)
                grid.update(key, i) {
                    $0.open.append(o.id)
                    $0.openValue += value
                    let item = Explanation.Item("opportunity:\(o.id)", Double(value))
                    if explain { $0.items["open_value", default: []].append(item) }
                    if slipping {
                        $0.slipping.append(o.id)
                        $0.slippingValue += value
                        if explain { $0.items["slipping_value", default: []].append(item) }
                    }
                }
            }
        }
        for key in grid.keys {
            for (i, period) in periods.enumerated() {
                let a = grid.values(key)![i]
                let keyCells = LifecycleColumns.cells(period, key, query)
                let closed = a.won.count + a.lost.count
                let cells: [ReportTable.Cell] = [
                    .count(a.created.count), .money(a.pipeline), .count(a.won.count), .count(a.lost.count),
                    .ratio(Double(a.won.count), Double(closed)),
                    a.won.isEmpty ? .blank : .money(roundMinor(Double(a.newBookings) / Double(a.won.count))),
                    .quantile(a.cycle, 0.5), .money(a.newBookings), .money(a.upsellBookings),
                    .money(a.renewalBookings), .count(a.open.count), .money(a.openValue), .count(a.slipping.count),
                    .money(a.slippingValue),
                ]
                var ex: [Explanation] = []
                if explain {
                    let ids = { Explanation.count(LifecycleColumns.ids("opportunity", $0)) }
                    let sum = { Explanation.sum(a.items[$0] ?? []) }
                    let won = ids(a.won)
                    ex =
                        keyCells.map { _ in .none } + [
                            ids(a.created), sum("pipeline_created"), won, ids(a.lost),
                            .ratio(won, over: ids(a.won + a.lost)), .ratio(sum("bookings_new"), over: won),
                            .from(won.records), sum("bookings_new"), sum("bookings_upsell"), sum("bookings_renewal"),
                            ids(a.open), sum("open_value"), ids(a.slipping), sum("slipping_value"),
                        ]
                }
                table.rows.append(.init(keyCells + cells, partial: period.partial, explain: ex))
            }
        }
        return table
    }

    /// The stage of each deal at the end of `day`: its last stage entered by then, else its current stage.
    struct StageTimeline {
        private var entries: [Int64: [(Timestamp, String)]] = [:]
        init(_ changes: [StageChange]) {
            for c in changes { entries[c.opportunityId, default: []].append((c.enteredAt, c.stage)) }
            for k in entries.keys { entries[k]!.sort { $0.0 < $1.0 } }
        }
        func stage(of o: Opportunity, at day: Day) -> String {
            let end = Timestamp(day: day + 1)
            // Without a history, today's stage stands in, unless the deal has closed since (then unknown).
            guard let list = entries[o.id] else { return o.isClosed ? "(no stage history)" : o.stage }
            var stage: String?
            for (at, s) in list where at < end { stage = s }
            return stage ?? list.first?.1 ?? o.stage
        }
    }

    /// `pipeline`: open deals at each period's end by the stage they were in then.
    static func pipeline(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let periods = try context.periods(query)
        let deals = DealFacts(context)
        let timeline = StageTimeline(context.inputs.stageChanges)
        var table = ReportTable(
            report: "pipeline", title: "Open pipeline by stage at each period's end: count, value, age, slipping",
            currency: context.currency,
            columns: LifecycleColumns.keys(query, extra: ["stage"]) + [
                .init("open_deals", .count), .init("open_value", .money), .init("avg_age_days", .number),
                .init("median_age_days", .number), .init("slipping_deals", .count), .init("slipping_value", .money),
            ],
            settings: settings + [
                .init(
                    "stage",
                    "the last stage the deal entered by the period's last day (opportunity_stages); a deal without history shows its current stage while open, `(no stage history)` once it has closed"
                ),
                .init("age", "days from creation to the period's last day"),
                .init("data through", context.inputs.dataThrough.iso),
            ])
        struct Acc {
            var ids: [Int64] = [], value: Int64 = 0, ages: [Double] = []
            var slipping: [Int64] = [], slippingValue: Int64 = 0
            /// With explain: each deal's value and age, and the slipping deals' values.
            var valueItems: [Explanation.Item] = [], ageItems: [Explanation.Item] = []
            var slippingItems: [Explanation.Item] = []
        }
        var grid = PeriodGrid(periods: periods, sliced: query.by != nil, empty: [String: Acc]())
        let ends = periods.map { min($0.last.lastDay, context.inputs.dataThrough) }
        for o in context.inputs.opportunities {
            for (i, end) in ends.enumerated() where isOpen(o, at: end) {
                let key = query.by.map { deals.value($0, o) } ?? ""
                let stage = timeline.stage(of: o, at: end)
                let value = try deals.amount(o, end.month)
                let slipping = isSlipping(o, at: end)
                grid.update(key, i) { stages in
                    stages[stage, default: Acc()].ids.append(o.id)
                    stages[stage]!.value += value
                    stages[stage]!.ages.append(Double(end - o.createdOn))
                    let record = "opportunity:\(o.id)"
                    if explain {
                        stages[stage]!.valueItems.append(.init(record, Double(value)))
                        stages[stage]!.ageItems.append(.init(record, Double(end - o.createdOn)))
                    }
                    if slipping {
                        stages[stage]!.slipping.append(o.id)
                        stages[stage]!.slippingValue += value
                        if explain { stages[stage]!.slippingItems.append(.init(record, Double(value))) }
                    }
                }
            }
        }
        let order = stageOrder(context.inputs.stageChanges)
        for key in grid.keys {
            for (i, period) in periods.enumerated() {
                let stages = grid.values(key)![i]
                for stage in stages.keys.sorted(by: { (order[$0] ?? Int.max, $0) < (order[$1] ?? Int.max, $1) }) {
                    let a = stages[stage]!
                    let keyCells = LifecycleColumns.cells(period, key, query, extra: [stage])
                    let ids = LifecycleColumns.ids("opportunity", a.ids)
                    table.rows.append(
                        .init(
                            keyCells + [
                                .count(a.ids.count), .money(a.value),
                                .ratio(a.ages.reduce(0, +), Double(a.ages.count)), .quantile(a.ages, 0.5),
                                .count(a.slipping.count), .money(a.slippingValue),
                            ], partial: period.partial,
                            explain: explain
                                ? keyCells.map { _ in .none } + [
                                    .count(ids), .sum(a.valueItems), .mean(a.ageItems), .from(ids),
                                    .count(LifecycleColumns.ids("opportunity", a.slipping)), .sum(a.slippingItems),
                                ] : []))
                }
            }
        }
        return table
    }

    /// Stages in the order deals pass through them: by the mean position at which they are entered.
    static func stageOrder(_ changes: [StageChange]) -> [String: Int] {
        var sum: [String: (Int, Int)] = [:]
        var position = 0
        var current: Int64?
        for c in changes {
            if c.opportunityId != current {
                current = c.opportunityId
                position = 0
            }
            sum[c.stage, default: (0, 0)].0 += position
            sum[c.stage]!.1 += 1
            position += 1
        }
        let ranked = sum.keys.sorted {
            (Double(sum[$0]!.0) / Double(sum[$0]!.1), $0) < (Double(sum[$1]!.0) / Double(sum[$1]!.1), $1)
        }
        var out: [String: Int] = [:]
        for (i, s) in ranked.enumerated() { out[s] = i }
        return out
    }
}
