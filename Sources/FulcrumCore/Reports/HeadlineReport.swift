/// The first report a new store prints: customers, MRR, ARR, logo churn, new
/// customers and CAC per segment, at the last complete month.
///
/// Conventions (docs/metrics.md, "Headline report"):
/// - As-of month: the month of the store's "data through" day if that day is
///   the month's last, else the month before (a partial month is never shown).
/// - Customers, MRR: accounts with MRR > 0 at the end of the as-of month, by the
///   MRR ledger's rules; ARR = 12 × MRR.
/// - Trailing twelve months (TTM) = the as-of month and the eleven before it.
/// - Logo churn (TTM) = customers churned in the TTM ÷ customers at the start of the TTM.
/// - New customers (TTM) = accounts whose first ever MRR falls in the TTM.
/// - CAC (simple, seed 002) = marketing spend in the TTM ÷ new customers in the TTM.
///   Spend tagged with a segment goes to that segment; untagged marketing spend
///   is allocated to segments in proportion to their tagged spend, so the
///   segments' spend adds up to the total.
/// - Accounts are counted after merges: a merged duplicate counts once.
public struct HeadlineReport: Sendable, Codable {
    public struct Row: Sendable, Codable, Hashable {
        public var segment: String
        public var customers: Int
        public var mrrMinor: Int64
        public var arrMinor: Int64
        public var openingCustomers: Int
        public var churnedCustomers: Int
        public var logoChurn: Double?
        public var newCustomers: Int
        public var marketingSpendMinor: Int64
        public var cacMinor: Int64?
    }

    public var asOf: Month
    public var dataThrough: Day
    public var currency: String
    public var rows: [Row]
    public var total: Row
    /// False when the store holds no spend at all: spend and CAC are unknown (blank), not $0.
    public var spendKnown = true
    /// With explain: the records behind each row's cells (segment, or "Total" → one per table column).
    public var explained: [String: [Explanation]] = [:]

    enum CodingKeys: String, CodingKey { case asOf, dataThrough, currency, rows, total, spendKnown }

    /// Segment of every account after merges; accounts with none are "(none)".
    public static func compute(
        accounts: [Account], billing subscriptions: [Subscription], changes: [SubscriptionChange],
        statusPeriods: [SubscriptionStatusPeriod], fxRates: [FXRate], spend: [SpendEntry], dataThrough: Day,
        settings: RevenueSettings = RevenueSettings(), explain: Bool = false
    ) throws -> HeadlineReport {
        let asOf = dataThrough == dataThrough.month.lastDay ? dataThrough.month : dataThrough.month.adding(-1)
        let window = asOf.adding(-11)...asOf
        let resolver = AccountResolver(accounts: accounts)
        var segmentOf: [Int64: String] = [:]
        for a in accounts { segmentOf[a.id] = a.segment ?? "(none)" }
        let revenue = RevenueSubscription.from(
            subscriptions, changes: changes, statusPeriods: statusPeriods, accountFor: resolver.resolve)
        let first = subscriptions.map(\.startedOn.month).min() ?? window.lowerBound
        let ledger = try computeLedger(
            subscriptions: revenue, settings: settings, fx: FXTable(rates: fxRates),
            from: min(first, window.lowerBound.adding(-1)), to: asOf)

        var rows: [String: Row] = [:]
        func row(_ segment: String) -> Row {
            rows[segment]
                ?? Row(
                    segment: segment, customers: 0, mrrMinor: 0, arrMinor: 0, openingCustomers: 0, churnedCustomers: 0,
                    logoChurn: nil, newCustomers: 0, marketingSpendMinor: 0, cacMinor: nil)
        }
        let opening = window.lowerBound.adding(-1)
        // With explain: per segment, the customers' MRR now, the customers at the start, churn and new events.
        var mrrItems: [String: [(Int64, Int64)]] = [:]
        var openingIds: [String: [Int64]] = [:]
        var churnIds: [String: [Int64]] = [:]
        var newIds: [String: [Int64]] = [:]
        for entry in ledger.accountMRR where entry.mrrMinor > 0 && (entry.month == asOf || entry.month == opening) {
            let segment = segmentOf[entry.accountId] ?? "(none)"
            var r = row(segment)
            if entry.month == asOf {
                r.customers += 1
                r.mrrMinor += entry.mrrMinor
                if explain { mrrItems[segment, default: []].append((entry.accountId, entry.mrrMinor)) }
            } else {
                r.openingCustomers += 1
                if explain { openingIds[segment, default: []].append(entry.accountId) }
            }
            rows[segment] = r
        }
        for movement in ledger.movements where window.contains(movement.month) {
            let segment = segmentOf[movement.accountId] ?? "(none)"
            var r = row(segment)
            switch movement.kind {
            case .churn:
                r.churnedCustomers += 1
                if explain { churnIds[segment, default: []].append(movement.accountId) }
            case .new:
                r.newCustomers += 1
                if explain { newIds[segment, default: []].append(movement.accountId) }
            default: break
            }
            rows[segment] = r
        }
        // The shared attribution rule (SpendAllocation): tagged spend belongs to its segment, untagged
        // marketing spend is shared by tagged spend, largest remainder, so the parts add up exactly.
        // Each entry is converted to the reporting currency at its month's rate, as the MRR ledger converts.
        let marketing = spend.filter { $0.team == .marketing && window.contains($0.month) }
        let fx = FXTable(rates: fxRates)
        let allocation = SpendAllocation(
            items: try marketing.map { e in
                var amount = e.amountMinor
                if e.currency.uppercased() != settings.reportingCurrency.uppercased() {
                    guard let rate = fx.rate(month: e.month, currency: e.currency) else {
                        throw RevenueError.missingFXRate(month: e.month, currency: e.currency)
                    }
                    amount = Int64(
                        (Double(e.amountMinor)
                            * Currency.minorScale(rate: rate, from: e.currency, to: settings.reportingCurrency))
                            .rounded())
                }
                return SpendAllocation.Item(
                    id: e.id, team: e.team, amount: amount, parts: e.segment.map { [$0: amount] })
            }, explain: explain)
        let segments = Set(rows.keys).union(allocation.tagged.keys).sorted()
        let allocated = allocation.amounts
        var result: [Row] = []
        var total = row("Total")
        for segment in segments {
            var r = row(segment)
            r.marketingSpendMinor = allocated[segment] ?? 0
            r.arrMinor = r.mrrMinor * 12
            r.logoChurn = r.openingCustomers > 0 ? Double(r.churnedCustomers) / Double(r.openingCustomers) : nil
            r.cacMinor =
                r.newCustomers > 0 && r.marketingSpendMinor > 0
                ? Int64((Double(r.marketingSpendMinor) / Double(r.newCustomers)).rounded()) : nil
            result.append(r)
            total.customers += r.customers
            total.mrrMinor += r.mrrMinor
            total.openingCustomers += r.openingCustomers
            total.churnedCustomers += r.churnedCustomers
            total.newCustomers += r.newCustomers
        }
        total.marketingSpendMinor = allocation.total
        total.arrMinor = total.mrrMinor * 12
        total.logoChurn =
            total.openingCustomers > 0 ? Double(total.churnedCustomers) / Double(total.openingCustomers) : nil
        total.cacMinor =
            total.newCustomers > 0 && total.marketingSpendMinor > 0
            ? Int64((Double(total.marketingSpendMinor) / Double(total.newCustomers)).rounded()) : nil
        var report = HeadlineReport(
            asOf: asOf, dataThrough: dataThrough, currency: settings.reportingCurrency, rows: result, total: total,
            spendKnown: !spend.isEmpty)
        if explain {
            func explained(_ keys: [String], spend: [Explanation.Item]) -> [Explanation] {
                let mrr = keys.flatMap { mrrItems[$0] ?? [] }
                let customers = Explanation.count(Explanation.accounts(mrr.map(\.0)))
                let start = Explanation.count(Explanation.accounts(keys.flatMap { openingIds[$0] ?? [] }))
                let churned = Explanation.count(Explanation.accounts(keys.flatMap { churnIds[$0] ?? [] }))
                let new = Explanation.count(Explanation.accounts(keys.flatMap { newIds[$0] ?? [] }))
                let spent = Explanation.sum(spend)
                return [
                    .none, customers, .sum(Explanation.accountAmounts(mrr)),
                    .sum(Explanation.accountAmounts(mrr.map { ($0.0, $0.1 * 12) })), .ratio(churned, over: start), new,
                    spent, .ratio(spent, over: new),
                ]
            }
            for segment in segments {
                report.explained[segment] = explained([segment], spend: allocation.items[segment] ?? [])
            }
            report.explained["Total"] = explained(
                Array(Set(rows.keys).subtracting(["Total"])), spend: allocation.items.values.flatMap { $0 })
        }
        return report
    }
}

extension HeadlineReport {
    /// The headline as a report table, so its JSON and CSV have the shape of every other report's:
    /// `report`, `settings`, `columns`, rows keyed by column name (money in major units).
    public func table(settings: RevenueSettings) -> ReportTable {
        let ttm = asOf.adding(-11).iso + "…" + asOf.iso
        var table = ReportTable(
            report: "headline", title: "Headline, \(asOf.iso) (data through \(dataThrough.iso))", currency: currency,
            columns: [
                .init("segment", .text, key: true), .init("customers", .count), .init("mrr", .money),
                .init("arr", .money), .init("logo_churn_ttm", .percent), .init("new_customers_ttm", .count),
                .init("marketing_spend_ttm", .money), .init("cac_simple", .money),
            ],
            settings: [
                .init("as of", "the end of \(asOf.iso), the last complete month; TTM = \(ttm)"),
                .init("trials", settings.includeTrials ? "counted in MRR (--include-trials)" : "excluded from MRR"),
                .init(
                    "churn recognition",
                    settings.churnRecognition == .cancelDate
                        ? "at the cancel date (--churn-recognition cancel-date)" : "at the end of the paid period"),
                .init("statuses", "past_due counted, paused and unpaid excluded; FX at each month's rate"),
                .init(
                    "logo churn TTM",
                    "churn events in the TTM ÷ customers at its start (events, not a cohort: the retention report's logo_retention follows the customers of twelve months ago instead)"
                ),
                .init(
                    "CAC (simple)",
                    "marketing spend in the TTM ÷ new customers in the TTM (seed 002's simple CAC; LTV/CAC and ACV/CAC in unit-economics use CAC fully loaded), untagged marketing spend allocated by segment share"
                ),
                .init("data through", dataThrough.iso),
            ])
        for row in rows + [total] {
            table.rows.append(
                .init(
                    [
                        .text(row.segment), .count(row.customers), .money(row.mrrMinor), .money(row.arrMinor),
                        .optional(row.logoChurn), .count(row.newCustomers),
                        spendKnown ? .money(row.marketingSpendMinor) : .blank,
                        row.cacMinor.map { .money($0) } ?? .blank,
                    ], explain: explained[row.segment] ?? []))
        }
        return table
    }
}
