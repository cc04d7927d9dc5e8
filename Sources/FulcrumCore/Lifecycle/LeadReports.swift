/// Seed 002's lead-management KPIs: `leads` (new leads, MQLs, SALs, SQLs, lead score, marketing
/// cycle, lead aging) and `lead-response` (how fast sales answers the leads marketing hands over,
/// SLA compliance, and how response speed relates to conversion).
enum LeadReports {
    static let agingBuckets: [(String, ClosedRange<Int>)] = [
        ("0-7d", 0...7), ("8-30d", 8...30), ("31-90d", 31...90), ("91-180d", 91...180), (">180d", 181...Int.max),
    ]

    /// `leads`: per period, leads created and stage events, the average lead score of new leads, the
    /// marketing cycle (lead → opportunity), and open leads at the period's end by age.
    static func leads(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let periods = try context.periods(query)
        let settings = context.settings.lifecycle
        let leads = context.leadJourneys
        let reps = context.repNames
        var table = ReportTable(
            report: "leads", title: "Leads: new leads, MQLs, SALs, SQLs, lead score, marketing cycle, lead aging",
            currency: context.currency,
            columns: LifecycleColumns.keys(query) + [
                .init("new_leads", .count), .init("mqls", .count), .init("sals", .count), .init("sqls", .count),
                .init("opportunities", .count), .init("avg_lead_score", .number),
                .init("marketing_cycle_days", .number), .init("open_leads", .count),
            ] + agingBuckets.map { .init("open_" + $0.0, .count) },
            settings: settings.described + [
                .init("new leads", "people created in the period (free-mail leads without an account included)"),
                .init("MQLs, SALs, SQLs, opportunities", "people reaching the stage in the period"),
                .init(
                    "avg lead score",
                    "mean of the people custom field `\(settings.scoreField)` over new leads that have one; blank when none does"
                ),
                .init(
                    "marketing cycle",
                    "median days from lead creation to opportunity, over leads reaching opportunity in the period"),
                .init(
                    "open leads",
                    "at the period's last day: created by then, not yet an opportunity or customer, and with a current status in [\(settings.openStatuses.joined(separator: ", "))]; aged from creation"
                ),
                .init("data through", context.inputs.dataThrough.iso),
            ])
        struct Acc {
            var created: [Int64] = [], mql: [Int64] = [], sal: [Int64] = [], sql: [Int64] = [], opp: [Int64] = []
            var scores: [Double] = [], scoredIds: [Int64] = []
            var cycle: [Double] = []
            var open = 0
            var aging = [Int](repeating: 0, count: LeadReports.agingBuckets.count)
            var openIds: [Int64] = []
            var agingIds = [[Int64]](repeating: [], count: LeadReports.agingBuckets.count)
        }
        var grid = PeriodGrid(periods: periods, sliced: query.by != nil, empty: Acc())
        let openStatuses = Set(settings.openStatuses)
        let lastDays = periods.map { min($0.last.lastDay, context.inputs.dataThrough) }
        for j in leads.journeys {
            let key = query.by.map { context.value(of: $0, lead: j, in: leads, reps: reps) } ?? ""
            if let i = grid.period(of: j.lead.day.month) {
                grid.update(key, i) {
                    $0.created.append(j.id)
                    if let s = j.score {
                        $0.scores.append(s)
                        if explain { $0.scoredIds.append(j.id) }
                    }
                }
            }
            for (stage, path) in [
                (FunnelStage.mql, \Acc.mql), (.sal, \Acc.sal), (.sql, \Acc.sql), (.opportunity, \Acc.opp),
            ] {
                guard let at = j.at(stage), let i = grid.period(of: at.day.month) else { continue }
                grid.update(key, i) { $0[keyPath: path].append(j.id) }
                if stage == .opportunity {
                    grid.update(key, i) { $0.cycle.append(Double(at.seconds - j.lead.seconds) / 86_400) }
                }
            }
            guard openStatuses.contains(leads.status(j).lowercased()) else { continue }
            for (i, last) in lastDays.enumerated() {
                let created = j.lead.day
                guard created <= last else { continue }
                if let o = j.at(.opportunity), o.day <= last { continue }
                if let c = j.at(.customer), c.day <= last { continue }
                let age = last - created
                let bucket = agingBuckets.firstIndex { $0.1.contains(age) } ?? 0
                grid.update(key, i) {
                    $0.open += 1
                    $0.aging[bucket] += 1
                    if explain {
                        $0.openIds.append(j.id)
                        $0.agingIds[bucket].append(j.id)
                    }
                }
            }
        }
        for key in grid.keys {
            for (i, period) in periods.enumerated() {
                let a = grid.values(key)![i]
                let keyCells = LifecycleColumns.cells(period, key, query)
                let cells: [ReportTable.Cell] =
                    [
                        .count(a.created.count), .count(a.mql.count), .count(a.sal.count), .count(a.sql.count),
                        .count(a.opp.count),
                        a.scores.isEmpty ? .blank : .number(a.scores.reduce(0, +) / Double(a.scores.count)),
                        .quantile(a.cycle, 0.5), .count(a.open),
                    ] + a.aging.map { .count($0) }
                var ex: [Explanation] = []
                if explain {
                    let ids = { Explanation.count(LifecycleColumns.ids("person", $0)) }
                    let scores = zip(a.scoredIds, a.scores).map { Explanation.Item("person:\($0.0)", $0.1) }
                    ex =
                        keyCells.map { _ in .none } + [
                            ids(a.created), ids(a.mql), ids(a.sal), ids(a.sql), ids(a.opp), .mean(scores),
                            .from(LifecycleColumns.ids("person", a.opp)), ids(a.openIds),
                        ] + a.agingIds.map(ids)
                }
                table.rows.append(.init(keyCells + cells, partial: period.partial, explain: ex))
            }
        }
        return table
    }

    /// Response buckets: up to 5 minutes, over 5 up to 30, over 30 up to 60, up to a day, longer, none yet.
    static let responseBuckets = ["<=5m", "5-30m", "30-60m", "1-24h", ">24h", "no response"]
    static let responseBounds: [Double] = [5, 30, 60, 1440]

    /// The response bucket of a response time in minutes (nil = no response yet).
    static func bucket(_ minutes: Double?) -> Int {
        guard let minutes else { return responseBuckets.count - 1 }
        return responseBounds.firstIndex { minutes <= $0 } ?? responseBounds.count
    }

    /// `lead-response`: leads handed to sales in the period, by how fast a human first answered them.
    static func response(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let periods = try context.periods(query)
        let settings = context.settings.lifecycle
        let leads = context.leadJourneys
        let reps = context.repNames
        let sla = Double(settings.responseSLAMinutes)
        var table = ReportTable(
            report: "lead-response", title: "Lead response time, SLA compliance and conversion by response speed",
            currency: context.currency,
            columns: LifecycleColumns.keys(query, extra: ["response"]) + [
                .init("leads", .count), .init("share", .percent), .init("median_minutes", .number),
                .init("p90_minutes", .number), .init("sla_due", .count), .init("within_sla", .count),
                .init("sla_compliance", .percent), .init("reached_opportunity", .count),
                .init("opportunity_rate", .percent),
            ],
            settings: settings.described + [
                .init(
                    "leads",
                    "people created in the period that sales owns (people.owner_rep_id set) or that a rep answered"),
                .init(
                    "response time",
                    "minutes from the lead's creation to the first activity with it that is not automated, of kind \(settings.responseKinds.map(\.rawValue).joined(separator: "/")); the earliest counts"
                ),
                .init(
                    "SLA compliance",
                    "answered within \(settings.responseSLAMinutes) min ÷ leads whose SLA has come due by \(context.inputs.dataThrough.iso) (an unanswered lead still inside its SLA is not yet a breach)"
                ),
                .init(
                    "buckets", "<=5m, 5-30m (over 5 up to 30), 30-60m, 1-24h, >24h, no response; `all` = every lead"),
                .init("opportunity rate", "leads that reached opportunity (by now) ÷ leads"),
                .init("data through", context.inputs.dataThrough.iso),
            ])
        struct Acc {
            var leads: [Int64] = []
            var minutes: [Double] = []
            var due = 0, within = 0
            var reached: [Int64] = []
            var dueIds: [Int64] = [], withinIds: [Int64] = []
        }
        let buckets = responseBuckets.count
        var grid = PeriodGrid(
            periods: periods, sliced: query.by != nil, empty: [Acc](repeating: Acc(), count: buckets + 1))
        let end = Timestamp(day: context.inputs.dataThrough + 1)
        for j in leads.journeys {
            guard j.ownerRepId != nil || j.firstResponse != nil, let i = grid.period(of: j.lead.day.month)
            else { continue }
            let key = query.by.map { context.value(of: $0, lead: j, in: leads, reps: reps) } ?? ""
            let minutes = j.firstResponse.map { Double($0.seconds - j.lead.seconds) / 60 }
            let b = bucket(minutes)
            let due = j.lead.seconds + Int64(sla * 60) <= end.seconds
            let within = minutes.map { $0 <= sla } ?? false
            for slot in [b, buckets] {
                grid.update(key, i) { accs in
                    accs[slot].leads.append(j.id)
                    if let minutes { accs[slot].minutes.append(minutes) }
                    if due || within {
                        accs[slot].due += 1
                        if explain { accs[slot].dueIds.append(j.id) }
                    }
                    if within {
                        accs[slot].within += 1
                        if explain { accs[slot].withinIds.append(j.id) }
                    }
                    if j.at(.opportunity) != nil { accs[slot].reached.append(j.id) }
                }
            }
        }
        let names = responseBuckets + ["all"]
        for key in grid.keys {
            for (i, period) in periods.enumerated() {
                let accs = grid.values(key)![i]
                let total = accs[buckets].leads.count
                for (slot, name) in names.enumerated() {
                    let a = accs[slot]
                    let keyCells = LifecycleColumns.cells(period, key, query, extra: [name])
                    let cells: [ReportTable.Cell] = [
                        .count(a.leads.count), .ratio(Double(a.leads.count), Double(total)),
                        .quantile(a.minutes, 0.5), .quantile(a.minutes, 0.9), .count(a.due), .count(a.within),
                        .ratio(Double(a.within), Double(a.due)), .count(a.reached.count),
                        .ratio(Double(a.reached.count), Double(a.leads.count)),
                    ]
                    var ex: [Explanation] = []
                    if explain {
                        let ids = { Explanation.count(LifecycleColumns.ids("person", $0)) }
                        let leads = ids(a.leads)
                        let all = ids(accs[buckets].leads)
                        let due = ids(a.dueIds)
                        let within = ids(a.withinIds)
                        let reached = ids(a.reached)
                        ex =
                            keyCells.map { _ in .none } + [
                                leads, .ratio(leads, over: all), .from(leads.records), .from(leads.records), due,
                                within,
                                .ratio(within, over: due), reached, .ratio(reached, over: leads),
                            ]
                    }
                    table.rows.append(.init(keyCells + cells, partial: period.partial, explain: ex))
                }
            }
        }
        return table
    }
}
