/// Gross and net revenue retention over trailing twelve months, and cohort retention
/// matrices (logo and revenue). Both follow accounts, not totals, so a new customer
/// can never lift retention.
enum RetentionReports {
    /// `retention`: for each period, the cohort of customers at the end of the month twelve months
    /// before the period's last month, and what they pay at that last month.
    /// GRR = Σ min(MRR now, MRR then) ÷ Σ MRR then (≤ 100% by construction); NRR = Σ MRR now ÷ Σ MRR then.
    static func trailingTwelveMonths(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws
        -> ReportTable
    {
        let periods = try context.periods(query)
        var table = ReportTable(
            report: "retention", title: "Gross and net revenue retention, trailing twelve months",
            currency: context.currency,
            columns: RevenueReports.keyColumns(query) + [
                .init("cohort_customers", .count), .init("retained_customers", .count),
                .init("logo_retention", .percent),
                .init("cohort_mrr_then", .money), .init("cohort_mrr_now", .money), .init("grr", .percent),
                .init("nrr", .percent),
            ],
            settings: RevenueReports.settings(context),
            notes: [
                "cohort = customers at the end of the month twelve months before the period's last month; each month valued at its own FX rate",
                "GRR caps every account at its starting MRR (expansion excluded); NRR includes expansion, contraction and churn",
                "logo_retention is a cohort figure: of the customers twelve months before, those still paying. The headline's logo churn TTM and the churn report count churn events ÷ customers at the start instead, so they differ from 1 − logo_retention: a customer who left and came back is a churn event but retained here, and one acquired and lost within the twelve months is an event but in no cohort",
            ])
        struct Acc {
            var size = 0, kept = 0
            var then: Int64 = 0, now: Int64 = 0, capped: Int64 = 0
            /// With explain: each cohort account's MRR then and now.
            var ids: [(account: Int64, then: Int64, now: Int64)] = []
        }
        var rows: [String: [Acc]] = [:]
        let empty = [Acc](repeating: Acc(), count: periods.count)
        if query.by == nil { rows[""] = empty }
        var startMonths: Set<Month> = []
        for p in periods { startMonths.insert(p.last.adding(-12)) }
        var byMonth: [Month: [(Int64, Int64)]] = [:]
        for e in context.ledger.accountMRR where e.mrrMinor > 0 && startMonths.contains(e.month) {
            byMonth[e.month, default: []].append((e.accountId, e.mrrMinor))
        }
        for (i, p) in periods.enumerated() {
            let end = p.last
            let start = p.last.adding(-12)
            for (account, then) in byMonth[start] ?? [] {
                let key = query.by.map { context.value(of: $0, account: account) } ?? ""
                let now = context.ledger.mrr(account: account, month: end)
                if rows[key] == nil { rows[key] = empty }
                rows[key]![i].size += 1
                rows[key]![i].then += then
                rows[key]![i].now += now
                rows[key]![i].capped += min(now, then)
                if now > 0 { rows[key]![i].kept += 1 }
                if explain { rows[key]![i].ids.append((account, then, now)) }
            }
        }
        for key in rows.keys.sorted() {
            for (i, p) in periods.enumerated() {
                let a = rows[key]![i]
                var ex: [Explanation] = []
                if explain {
                    let cohort = Explanation.count(RevenueRollup.ids(a.ids.map(\.account)))
                    let kept = Explanation.count(RevenueRollup.ids(a.ids.filter { $0.now > 0 }.map(\.account)))
                    let then = RevenueRollup.summed(a.ids.map { ($0.account, $0.then) })
                    let now = RevenueRollup.summed(a.ids.filter { $0.now != 0 }.map { ($0.account, $0.now) })
                    let capped = RevenueRollup.summed(
                        a.ids.filter { $0.now != 0 }.map { ($0.account, min($0.now, $0.then)) })
                    ex =
                        RevenueReports.keyCells(p, key, query).map { _ in .none } + [
                            cohort, kept, .ratio(kept, over: cohort), then, now, .ratio(capped, over: then),
                            .ratio(now, over: then),
                        ]
                }
                table.rows.append(
                    .init(
                        RevenueReports.keyCells(p, key, query) + [
                            .count(a.size), .count(a.kept), .ratio(Double(a.kept), Double(a.size)), .money(a.then),
                            .money(a.now),
                            .ratio(Double(a.capped), Double(a.then)), .ratio(Double(a.now), Double(a.then)),
                        ], partial: p.partial, explain: ex))
            }
        }
        return table
    }

    /// `cohorts-logo` and `cohorts-revenue`: one row per start period (and slice), one column per
    /// period since start. Logo cell = accounts with MRR > 0 at the end of that period ÷ cohort size;
    /// revenue cell = their MRR ÷ the cohort's MRR at the end of its first paid month. Cells not yet
    /// observable are blank; the "all" rows average the cohorts observed in each column, weighted by
    /// cohort size (logo) or starting MRR (revenue).
    static func cohorts(_ context: MetricContext, _ query: ReportQuery, revenue: Bool, explain: Bool) throws
        -> ReportTable
    {
        // The whole history by default (as ChartMogul and Baremetrics show it): from the first cohort.
        var query = query
        if query.from == nil, let first = context.firstPaidMonth.values.min(), first <= (query.to ?? context.dataMonth)
        {
            query.from = first
        }
        let periods = try context.periods(query)
        let grain = query.grain
        let dataEnd = context.dataMonth
        let lastStart = grain.start(of: dataEnd)
        let width = periods.isEmpty ? 0 : periods[0].first.distance(to: lastStart) / grain.length + 1
        let id = revenue ? "cohorts-revenue" : "cohorts-logo"
        var columns: [ReportTable.Column] = [.init("cohort", .text, key: true)]
        if let by = query.by { columns.append(.init(by.description, .text, key: true)) }
        columns += [.init("customers", .count), .init("start_mrr", .money)]
        columns += (0..<width).map { .init(String($0), .percent) }
        var table = ReportTable(
            report: id, title: revenue ? "Revenue retention by cohort" : "Logo retention by cohort",
            currency: context.currency,
            columns: columns,
            settings: RevenueReports.settings(context) + [
                .init(
                    "cohort",
                    "the \(grain.rawValue) of an account's first month with MRR > 0; column k = end of the k-th \(grain.rawValue) after it"
                ),
                .init("blank cells", "too young to observe (not zero)"),
                .init(
                    "column 0",
                    "the end of the start \(grain.rawValue): 100% for monthly cohorts by definition; a quarterly or yearly cohort's is below 100% when customers who started in the period left before its end"
                ),
                .init("default range", "every cohort from the first paid month (--from narrows it)"),
            ],
            notes: [
                "\"all\" rows are averages weighted by cohort \(revenue ? "starting MRR" : "size") over the cohorts observed in each column"
            ])
        struct Cohort {
            var accounts: [Int64] = []
            var startMRR: Int64 = 0
            /// With explain: each account's MRR at the end of its first paid month.
            var starts: [(Int64, Int64)] = []
        }
        var cohorts: [String: [String: Cohort]] = [:]
        var periodIndex: [String: Int] = [:]
        for (i, p) in periods.enumerated() { periodIndex[p.label] = i }
        for (account, first) in context.firstPaidMonth {
            let label = grain.label(first)
            guard periodIndex[label] != nil, first <= periods.last!.last else { continue }
            let key = query.by.map { context.value(of: $0, account: account) } ?? ""
            cohorts[key, default: [:]][label, default: Cohort()].accounts.append(account)
            let start = context.ledger.mrr(account: account, month: first)
            cohorts[key]![label]!.startMRR += start
            if explain { cohorts[key]![label]!.starts.append((account, start)) }
        }
        if query.by == nil, cohorts[""] == nil { cohorts[""] = [:] }
        for key in cohorts.keys.sorted() {
            var weightedNum = [Double](repeating: 0, count: width)
            var weightedDen = [Double](repeating: 0, count: width)
            var totalSize = 0
            var totalStart: Int64 = 0
            var allStarts: [(Int64, Int64)] = []
            for (i, p) in periods.enumerated() {
                let c = cohorts[key]![p.label] ?? Cohort()
                totalSize += c.accounts.count
                totalStart += c.startMRR
                var cells: [ReportTable.Cell] = [.text(p.label)] + (query.by == nil ? [] : [.text(key)])
                cells += [.count(c.accounts.count), .money(c.startMRR)]
                var partial = false
                var ex: [Explanation] = explain ? Array(repeating: .none, count: cells.count) : []
                // Built only with --explain: the plain report sorts no id lists.
                let cohort = explain ? Explanation.count(RevenueRollup.ids(c.accounts)) : .none
                let start = explain ? RevenueRollup.summed(c.starts) : .none
                if explain {
                    ex[cells.count - 2] = cohort
                    ex[cells.count - 1] = start
                    allStarts += c.starts
                }
                for k in 0..<width {
                    let periodStart = p.first.adding(k * grain.length)
                    let end = min(periodStart.adding(grain.length - 1), dataEnd)
                    guard periodStart <= dataEnd, !c.accounts.isEmpty else {
                        cells.append(.blank)
                        if explain { ex.append(.none) }
                        continue
                    }
                    if end == dataEnd && (!context.dataMonthComplete || periodStart.adding(grain.length - 1) > dataEnd)
                    {
                        partial = true
                    }
                    var active: [(Int64, Int64)] = []
                    var mrr: Int64 = 0
                    for a in c.accounts {
                        let v = context.ledger.mrr(account: a, month: end)
                        if v > 0 {
                            active.append((a, v))
                            mrr += v
                        }
                    }
                    let num = revenue ? Double(mrr) : Double(active.count)
                    let den = revenue ? Double(c.startMRR) : Double(c.accounts.count)
                    cells.append(.ratio(num, den))
                    weightedNum[k] += num
                    weightedDen[k] += den
                    if explain {
                        ex.append(
                            revenue
                                ? .ratio(RevenueRollup.summed(active), over: start)
                                : .ratio(RevenueRollup.counted(active), over: cohort))
                    }
                }
                _ = i
                table.rows.append(.init(cells, partial: partial, explain: ex))
            }
            var all: [ReportTable.Cell] = [.text("all")] + (query.by == nil ? [] : [.text(key)])
            all += [.count(totalSize), .money(totalStart)]
            all += (0..<width).map { weightedDen[$0] > 0 ? .ratio(weightedNum[$0], weightedDen[$0]) : .blank }
            var allExplained: [Explanation] = []
            if explain {
                allExplained = Array(repeating: .none, count: all.count - 2 - width)
                allExplained += [RevenueRollup.counted(allStarts), RevenueRollup.summed(allStarts)]
            }
            table.rows.append(.init(all, explain: allExplained))
        }
        return table
    }
}
