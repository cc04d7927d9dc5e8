/// `lifecycle`: accounts by lifecycle stage at each period's end, and the flow between stages in
/// the period. Before an account first pays, its stage is the furthest funnel stage its people
/// reached (an account reaches a stage when its first person does); once it has paid, it is a
/// customer, expanding, at risk, reactivated or churned (docs/lifecycle.md).
enum LifecycleReport {
    static let stages = [
        "lead", "MQL", "SAL", "SQL", "opportunity", "customer", "expanding", "at risk", "churned", "reactivated",
    ]

    /// Each account's stage at the end of any day, from its funnel instants and its MRR history.
    struct Stager {
        let context: MetricContext
        /// Per surviving account, the first day it reached lead … opportunity.
        var funnel: [Int64: [Day?]] = [:]
        var reactivations: [Int64: [Month]] = [:]
        var detractors: [Int64: [Day]] = [:]
        var urgentTickets: [Int64: [Day]] = [:]

        init(_ context: MetricContext) {
            self.context = context
            let funnelCount = FunnelStage.opportunity.rawValue + 1
            let none = [Day?](repeating: nil, count: funnelCount)
            func reach(_ account: Int64, _ stage: Int, _ day: Day) {
                // Mutated in place (no copy of the account's list per call).
                if funnel[account, default: none][stage].map({ day < $0 }) ?? true {
                    funnel[account, default: none][stage] = day
                }
            }
            for a in context.inputs.accounts where context.account(a.id) != nil { reach(a.id, 0, a.createdOn) }
            for j in context.leadJourneys.journeys {
                guard let account = j.account else { continue }
                for s in 0..<funnelCount { if let at = j.at(index: s) { reach(account, s, at.day) } }
            }
            for o in context.inputs.opportunities where o.type == .new {
                guard let a = o.accountId else { continue }
                reach(context.resolver.resolve(a), FunnelStage.opportunity.rawValue, o.createdOn)
            }
            // A later stage reached means every earlier one was (skipped stages).
            for (a, list) in funnel {
                var fixed = list
                for k in stride(from: funnelCount - 2, through: 0, by: -1) {
                    if let later = fixed[k + 1], fixed[k].map({ $0 > later }) ?? true { fixed[k] = later }
                }
                funnel[a] = fixed
            }
            for m in context.ledger.movements where m.kind == .reactivation {
                reactivations[m.accountId, default: []].append(m.month)
            }
            for s in context.inputs.surveys where s.kind == .nps && s.score <= 6 {
                detractors[context.resolver.resolve(s.accountId), default: []].append(s.respondedOn)
            }
            for t in context.inputs.tickets where LifecycleSettings.urgentPriorities.contains(t.priority) {
                urgentTickets[context.resolver.resolve(t.accountId), default: []].append(t.openedAt.day)
            }
        }

        /// The stage of `account` at the end of `day`, nil before it exists.
        func stage(_ account: Int64, at day: Day) -> String? {
            let settings = context.settings.lifecycle
            let month = day.month
            if let first = context.firstPaidMonth[account], first <= month {
                let now = context.ledger.mrr(account: account, month: month)
                if now == 0 { return "churned" }
                let before = context.ledger.mrr(
                    account: account, month: month.adding(-settings.atRiskContractionMonths))
                let detractor =
                    detractors[account]?.contains { $0 <= day && day - $0 < settings.atRiskDetractorDays } ?? false
                let urgent =
                    urgentTickets[account]?.filter { $0 <= day && day - $0 < settings.atRiskTicketDays }.count ?? 0
                if detractor || urgent >= settings.atRiskUrgentTickets || (before > 0 && now < before) {
                    return "at risk"
                }
                if reactivations[account]?.contains(where: {
                    $0 <= month && $0.distance(to: month) < settings.reactivatedMonths
                }) ?? false {
                    return "reactivated"
                }
                let earlier = context.ledger.mrr(account: account, month: month.adding(-settings.expandingMonths))
                if earlier > 0 && now > earlier { return "expanding" }
                return "customer"
            }
            guard let list = funnel[account] else { return nil }
            var reached: String?
            for (k, d) in list.enumerated() where d.map({ $0 <= day }) ?? false { reached = stages[k] }
            return reached
        }
    }

    static func report(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let periods = try context.periods(query)
        let s = context.settings.lifecycle
        let stager = Stager(context)
        var table = ReportTable(
            report: "lifecycle", title: "Accounts by lifecycle stage at period end, and the flow between stages",
            currency: context.currency,
            columns: LifecycleColumns.keys(query, extra: ["stage"]) + [
                .init("at_start", .count), .init("entered", .count), .init("left", .count), .init("at_end", .count),
            ],
            settings: s.described + [
                .init(
                    "before paying",
                    "the furthest of lead, MQL, SAL, SQL, opportunity reached by any of the account's people (a new-business opportunity also counts); lead from the account's creation"
                ),
                .init(
                    "after first paying",
                    "churned = no MRR at the period's end; at risk = an NPS detractor (0–6) in the last \(s.atRiskDetractorDays) days, ≥ \(s.atRiskUrgentTickets) high/urgent tickets in the last \(s.atRiskTicketDays) days, or less MRR than \(s.atRiskContractionMonths) months before; reactivated = came back within the last \(s.reactivatedMonths) months; expanding = more MRR than \(s.expandingMonths) months before; else customer (checked in that order)"
                ),
                .init(
                    "flow",
                    "at_start = stage at the previous period's end; entered/left compare the two ends (a stage passed through inside the period is not counted)"
                ),
                .init("accounts", "merged duplicates count once, under the surviving account"),
                .init("data through", context.inputs.dataThrough.iso),
            ])
        struct Acc {
            var start: [Int64] = [], entered: [Int64] = [], left: [Int64] = [], end: [Int64] = []
        }
        var grid = PeriodGrid(periods: periods, sliced: query.by != nil, empty: [String: Acc]())
        let ends = periods.map { min($0.last.lastDay, context.inputs.dataThrough) }
        let starts = periods.map { $0.first.firstDay - 1 }
        for a in context.inputs.accounts where context.account(a.id) != nil {
            let key = query.by.map { context.value(of: $0, account: a.id) } ?? ""
            for i in periods.indices {
                let before = stager.stage(a.id, at: starts[i])
                let after = stager.stage(a.id, at: ends[i])
                guard before != nil || after != nil else { continue }
                grid.update(key, i) { accs in
                    if let before { accs[before, default: Acc()].start.append(a.id) }
                    if let after { accs[after, default: Acc()].end.append(a.id) }
                    if before != after {
                        if let before { accs[before, default: Acc()].left.append(a.id) }
                        if let after { accs[after, default: Acc()].entered.append(a.id) }
                    }
                }
            }
        }
        for key in grid.keys {
            for (i, period) in periods.enumerated() {
                let accs = grid.values(key)![i]
                for stage in stages {
                    let a = accs[stage] ?? Acc()
                    let keyCells = LifecycleColumns.cells(period, key, query, extra: [stage])
                    table.rows.append(
                        .init(
                            keyCells + [
                                .count(a.start.count), .count(a.entered.count), .count(a.left.count),
                                .count(a.end.count),
                            ],
                            partial: period.partial,
                            explain: explain
                                ? keyCells.map { _ in .none }
                                    + [a.start, a.entered, a.left, a.end].map { .count(RevenueRollup.ids($0)) }
                                : []))
                }
            }
        }
        return table
    }
}

/// Each account's lifecycle stage today, for the one-account views (the Account Control Center).
public enum LifecycleStages {
    /// Every surviving account's stage at the end of the data, by the `lifecycle` report's rules
    /// (its context must hold what that report reads).
    public static func current(_ context: MetricContext) -> [Int64: String] {
        let stager = LifecycleReport.Stager(context)
        let day = context.inputs.dataThrough
        var stages: [Int64: String] = [:]
        for a in context.inputs.accounts where context.account(a.id) != nil {
            if let s = stager.stage(a.id, at: day) { stages[a.id] = s }
        }
        return stages
    }
}
