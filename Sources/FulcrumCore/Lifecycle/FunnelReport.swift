/// `funnel`: conversion between adjacent lead stages and from the first, with time in stage, in
/// two labelled views. The cohort view follows the people created in a period to today (young
/// cohorts are marked: their later stages are still filling); the period view counts the stage
/// events that happened in the period. Seed 002's leads-to-close ratio (closed sales ÷ leads in
/// the same period × 100) closes the period view.
enum FunnelReport {
    static let views = ["cohort", "period"]

    static func report(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let periods = try context.periods(query)
        let settings = context.settings.lifecycle
        let leads = context.leadJourneys
        let reps = context.repNames
        let stages = FunnelStage.allCases
        var table = ReportTable(
            report: "funnel", title: "Lead funnel: conversion and time in stage, cohort and period views",
            currency: context.currency,
            columns: LifecycleColumns.keys(query, extra: ["view", "stage"]) + [
                .init("reached", .count), .init("pct_previous", .percent), .init("pct_first", .percent),
                .init("median_days", .number), .init("p90_days", .number), .init("young", .text),
            ],
            settings: settings.described + [
                .init(
                    "cohort view",
                    "people created in the period, followed to \(context.inputs.dataThrough.iso): reached = those that reached the stage or beyond by then; a cohort whose last day is within \(settings.youngCohortDays) days of the data's end is marked young"
                ),
                .init(
                    "period view",
                    "stage events in the period: reached = people that reached the stage in the period (pct_previous compares the two stages' counts in the same period, not the same people)"
                ),
                .init("time in stage", "days from reaching the previous stage to reaching this one (median, p90)"),
                .init(
                    "leads-to-close ratio",
                    "seed 002: won new-business deals closed in the period ÷ leads created in the period × 100 (row `closed sales` of the period view, in pct_first); the cohort view's own name for its end-to-end rate is `lead-to-customer (cohort)`, the customer row's pct_first"
                ),
                .init("data through", context.inputs.dataThrough.iso),
            ],
            notes: [
                "customer = the lead's customer_at, else its account's first paid day (earliest start or trial end of a priced subscription that ran past it) when the lead reached opportunity by then"
            ])
        struct Acc {
            var reached = [Int](repeating: 0, count: FunnelStage.allCases.count)
            var days = [[Double]](repeating: [], count: FunnelStage.allCases.count)
            var ids = [[Int64]](repeating: [], count: FunnelStage.allCases.count)
        }
        let sliced = query.by != nil
        var cohort = PeriodGrid(periods: periods, sliced: sliced, empty: Acc())
        var events = PeriodGrid(periods: periods, sliced: sliced, empty: Acc())
        for j in leads.journeys {
            let key = query.by.map { context.value(of: $0, lead: j, in: leads, reps: reps) } ?? ""
            if let i = cohort.period(of: j.lead.day.month) {
                cohort.update(key, i) { acc in
                    for s in stages {
                        guard let at = j.at(s) else { continue }
                        acc.reached[s.rawValue] += 1
                        if explain { acc.ids[s.rawValue].append(j.id) }
                        if s != .lead, let before = j.at(index: s.rawValue - 1) {
                            acc.days[s.rawValue].append(Double(at.seconds - before.seconds) / 86_400)
                        }
                    }
                }
            }
            for s in stages {
                guard let at = j.at(s), let i = events.period(of: at.day.month) else { continue }
                events.update(key, i) { acc in
                    acc.reached[s.rawValue] += 1
                    if explain { acc.ids[s.rawValue].append(j.id) }
                    if s != .lead, let before = j.at(index: s.rawValue - 1) {
                        acc.days[s.rawValue].append(Double(at.seconds - before.seconds) / 86_400)
                    }
                }
            }
        }
        // Seed 002's closed sales: won new-business deals closed in the period.
        let deals = DealFacts(context)
        var closed = PeriodGrid(periods: periods, sliced: sliced, empty: [Int64]())
        for o in context.inputs.opportunities where o.type == .new && o.isWon {
            guard let day = o.closedOn, let i = closed.period(of: day.month) else { continue }
            closed.update(query.by.map { deals.value($0, o) } ?? "", i) { $0.append(o.id) }
        }
        let keys = Set(cohort.keys).union(events.keys).union(closed.keys).sorted()
        let dataEnd = context.inputs.dataThrough
        for key in keys {
            for (i, period) in periods.enumerated() {
                for view in views {
                    let acc = (view == "cohort" ? cohort.values(key)?[i] : events.values(key)?[i]) ?? Acc()
                    let young =
                        view == "cohort" && dataEnd - period.last.endDay < settings.youngCohortDays - 1 ? "young" : ""
                    for s in stages {
                        let n = acc.reached[s.rawValue]
                        let previous = s == .lead ? n : acc.reached[s.rawValue - 1]
                        let days = acc.days[s.rawValue]
                        let cells: [ReportTable.Cell] = [
                            .count(n), s == .lead ? .blank : .ratio(Double(n), Double(previous)),
                            .ratio(Double(n), Double(acc.reached[0])),
                            s == .lead ? .blank : .quantile(days, 0.5), s == .lead ? .blank : .quantile(days, 0.9),
                            .text(young),
                        ]
                        let keyCells = LifecycleColumns.cells(period, key, query, extra: [view, s.name])
                        var ex: [Explanation] = []
                        if explain {
                            let reached = Explanation.count(LifecycleColumns.ids("person", acc.ids[s.rawValue]))
                            let before = Explanation.count(
                                LifecycleColumns.ids("person", acc.ids[s == .lead ? 0 : s.rawValue - 1]))
                            let leads = Explanation.count(LifecycleColumns.ids("person", acc.ids[0]))
                            ex =
                                keyCells.map { _ in .none } + [
                                    reached, s == .lead ? .none : .ratio(reached, over: before),
                                    .ratio(reached, over: leads), .from(reached.records), .from(reached.records), .none,
                                ]
                        }
                        table.rows.append(.init(keyCells + cells, partial: period.partial, explain: ex))
                    }
                    if view == "period" {
                        let won = closed.values(key)?[i] ?? []
                        let keyCells = LifecycleColumns.cells(period, key, query, extra: [view, "closed sales"])
                        let ids = Explanation.count(LifecycleColumns.ids("opportunity", won))
                        let leads = Explanation.count(LifecycleColumns.ids("person", acc.ids[0]))
                        table.rows.append(
                            .init(
                                keyCells + [
                                    .count(won.count), .blank, .ratio(Double(won.count), Double(acc.reached[0])),
                                    .blank, .blank, .text(""),
                                ], partial: period.partial,
                                explain: explain
                                    ? keyCells.map { _ in .none } + [
                                        ids, .none, .ratio(ids, over: leads), .none, .none, .none,
                                    ] : []))
                    }
                }
            }
        }
        return table
    }
}
