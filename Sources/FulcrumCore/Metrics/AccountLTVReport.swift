/// LTV and CAC per account — the seeds' central idea that each account's lifetime value
/// matters more than its first deal. Ranks accounts by LTV potential.
enum AccountLTVReport {
    static func report(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let asOf = query.to ?? context.lastCompleteMonth(atOrBefore: context.dataMonth)
        let margin = context.settings.grossMargin
        let d = context.settings.monthlyDiscountRate
        var table = ReportTable(
            report: "accounts-ltv", title: "Accounts by LTV potential, as of \(asOf.iso)", currency: context.currency,
            columns: [
                .init("account", .text, key: true), .init("name", .text), .init("segment", .text),
                .init("owner", .text),
                .init("status", .text), .init("paid_months", .count), .init("revenue_to_date", .money),
                .init("mrr", .money),
                .init("expected_residual", .money), .init("ltv", .money),
                .init("cac_fully_loaded", .money), .init("ltv_cac_fully_loaded", .multiple),
            ],
            settings: RevenueReports.settings(context) + [
                .init(
                    "revenue to date",
                    "revenue collected up to \(asOf.iso): succeeded payments less refunds (amount − refunded; failed attempts count 0), merged duplicates included, each month's payments converted at that month's FX rate"
                ),
                .init(
                    "expected residual",
                    "current MRR × DERL(d | n) of the sBG model fitted to the account's segment (n = paid months − 1, discount \(DecimalText.text(context.settings.annualDiscountRate * 100, places: 1, trim: true))% a year); 0 once churned"
                ),
                .init(
                    "LTV",
                    "gross margin (\(DecimalText.text(margin * 100, places: 1, trim: true))%) × (revenue to date + expected residual)"
                ),
                .init("CAC", "the account's segment's fully loaded CAC in the calendar year of its first paid month"),
            ])
        // Revenue actually collected up to asOf, and paid months (MRR > 0) for the renewal count.
        let toDate = try context.revenueCollected(through: asOf)
        var months: [Int64: Int] = [:]
        for e in context.ledger.accountMRR where e.mrrMinor > 0 && e.month <= asOf {
            months[e.accountId, default: 0] += 1
        }
        let window = asOf.adding(-11)...asOf
        let retention = UnitEconomicsReports.retention(context, window: window, by: .segment)
        let overall = RetentionCurve.fitRenewals(
            RetentionCurve.survivors(
                accounts: Array(context.firstPaidMonth.keys), firstPaid: context.firstPaidMonth,
                firstChurn: RetentionCurve.firstChurn(context.ledger), through: asOf))
        var cacCache: [String: Int64?] = [:]
        func cac(segment: String, year: Int) throws -> Int64? {
            let key = segment + "|" + String(year)
            if let c = cacCache[key] { return c }
            let a = try Acquisition(
                context: context, months: Month(year, 1)...Month(year, 12), by: .segment, explain: false)
            for k in a.keys { cacCache[k + "|" + String(year)] = a.cac(k, fullyLoaded: true) }
            if cacCache[key] == nil { cacCache[key] = .some(nil) }
            return cacCache[key]!
        }
        // Every account's figures are worked out to rank them, but a row is built only for the accounts shown
        // (a large company has 500,000 accounts and the table shows `--limit` of them).
        struct Figures {
            var segment: String
            var mrr: Int64
            var paidMonths: Int
            var revenue: Int64
            var residual: Double?
            var ltv: Double?
            var cac: Int64?
        }
        func figures(_ a: Int64, _ first: Month) throws -> Figures {
            let segment = context.value(of: .segment, account: a)
            let mrr = context.ledger.mrr(account: a, month: asOf)
            let fitted =
                retention[segment]?.model.map { ($0, retention[segment]!.periodMonths) }
                ?? overall.map { ($0.model, $0.periodMonths) }
            // Renewals so far, in the model's period; payments per period = MRR × period months.
            let residual: Double? =
                mrr <= 0
                ? 0
                : fitted.map { model, period in
                    let n = max(0, (months[a] ?? 1) / period - 1)
                    let periodDiscount = Math.pow(1 + d, Double(period)) - 1
                    return Double(mrr) * Double(period)
                        * model.discountedExpectedResidualLifetime(discountRate: periodDiscount, renewals: n)
                }
            let revenue = toDate[a] ?? 0
            return Figures(
                segment: segment, mrr: mrr, paidMonths: months[a] ?? 0, revenue: revenue, residual: residual,
                ltv: residual.map { margin * (Double(revenue) + $0) }, cac: try cac(segment: segment, year: first.year))
        }
        func row(_ a: Int64, _ f: Figures) -> ReportTable.Row {
            let cells: [ReportTable.Cell] = [
                .text(String(a)), .text(context.account(a)?.name ?? ""), .text(f.segment),
                .text(context.value(of: .rep, account: a)),
                .text(f.mrr > 0 ? "active" : "churned"), .count(f.paidMonths), .money(f.revenue), .money(f.mrr),
                f.residual.map { .money(roundMinor($0)) } ?? .blank, f.ltv.map { .money(roundMinor($0)) } ?? .blank,
                f.cac.map { .money($0) } ?? .blank,
                (f.ltv != nil && f.cac != nil && f.cac! > 0) ? .number(f.ltv! / Double(f.cac!)) : .blank,
            ]
            var ex: [Explanation] = []
            if explain {
                ex = Array(repeating: .none, count: cells.count)
                // Payments of merged duplicates count under the survivor: they are listed beside it.
                let merged = context.inputs.accounts.filter {
                    $0.mergedInto != nil && context.resolver.resolve($0.id) == a
                }.map { Explanation.Item("account:" + String($0.id)) }
                ex[6] = .sum([.init("account:" + String(a), Double(f.revenue))] + merged)
                ex[7] = .sum([.init("account:" + String(a), Double(f.mrr))])
            }
            return .init(cells, explain: ex)
        }
        var unmodelled = Set<String>()
        var unmodelledCount = 0
        var lines: [(id: Int64, first: Month, ltv: Double)] = []
        lines.reserveCapacity(context.firstPaidMonth.count)
        for (a, first) in context.firstPaidMonth where first <= asOf {
            let f = try figures(a, first)
            if f.residual == nil {
                unmodelled.insert(f.segment)
                unmodelledCount += 1
            }
            lines.append((a, first, f.ltv ?? margin * Double(f.revenue)))
        }
        lines.sort { ($0.ltv, $1.id) > ($1.ltv, $0.id) }
        table.rows = try lines.prefix(query.limit).map { row($0.id, try figures($0.id, $0.first)) }
        if lines.count > query.limit {
            table.notes.append("top \(query.limit) of \(lines.count) accounts; --limit to see more")
        }
        if unmodelledCount > 0 {
            table.notes.append(
                """
                expected residual and LTV are blank for \(unmodelledCount) active account\(unmodelledCount == 1 ? "" : "s") \
                (segment\(unmodelled.count == 1 ? "" : "s") \(unmodelled.sorted().joined(separator: ", "))): no retention model fits their segment \
                or the whole book yet (it needs survivors over at least 3 periods with some churn, and not everyone gone); they rank by revenue to date
                """)
        }
        return table
    }
}
