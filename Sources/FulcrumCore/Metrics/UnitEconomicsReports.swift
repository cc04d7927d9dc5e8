/// Customer acquisition cost, lifetime value and the ratios between them (seed 002's
/// formulas), per period or per segment/channel over a trailing window.
public enum UnitEconomicsReports {
    static func settings(_ context: MetricContext, window: ClosedRange<Month>?) -> [ReportTable.Setting] {
        var s = RevenueReports.settings(context)
        s.append(.init("CAC (simple)", "marketing team spend (all categories) ÷ new customers (seed 002: TMC / CA)"))
        s.append(
            .init(
                "CAC (fully loaded)",
                "marketing + sales spend (media, wages, tools, services, overhead) ÷ new customers; customer-success spend excluded"
            ))
        s.append(.init("attribution", Acquisition.rule))
        s.append(.init("new customer", "an account in its first ever month with MRR > 0 (self-serve included)"))
        if let window { s.append(.init("window", "\(window.lowerBound.iso)…\(window.upperBound.iso)")) }
        return s
    }

    static func checkDimension(_ query: ReportQuery, allowed: [Dimension]) throws {
        if let by = query.by, !allowed.contains(by) {
            throw MetricError(
                parameter: "--by",
                reason:
                    "report '\(query.report)' cannot be sliced by '\(by)'; it can by: \(allowed.map(\.description).joined(separator: ", "))"
            )
        }
    }

    /// `cac`: CAC simple and fully loaded per period, optionally by segment or channel.
    static func cac(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        try checkDimension(query, allowed: [.segment, .channel, .campaign])
        let periods = try context.periods(query)
        var table = ReportTable(
            report: "cac", title: "Customer acquisition cost", currency: context.currency,
            columns: RevenueReports.keyColumns(query) + [
                .init("new_customers", .count), .init("marketing_spend", .money), .init("cac_simple", .money),
                .init("sales_spend", .money), .init("fully_loaded_spend", .money), .init("cac_fully_loaded", .money),
            ], settings: settings(context, window: nil))
        var perPeriod: [Acquisition] = []
        var keys: Set<String> = query.by == nil ? [""] : []
        for p in periods {
            let a = try Acquisition(context: context, months: p.months, by: query.by, explain: explain)
            perPeriod.append(a)
            keys.formUnion(a.keys)
        }
        for key in keys.sorted(by: { ($0 == "(none)" ? 1 : 0, $0) < ($1 == "(none)" ? 1 : 0, $1) }) {
            for (i, p) in periods.enumerated() {
                let a = perPeriod[i]
                let n = a.count(key)
                var ex: [Explanation] = []
                if explain {
                    let customers = Explanation.count(RevenueRollup.ids(a.newCustomers[key] ?? []))
                    let mk = Explanation.sum(a.marketing.items[key] ?? [])
                    let sl = Explanation.sum(a.sales.items[key] ?? [])
                    let both = Explanation.sum(mk.items + sl.items)
                    ex =
                        RevenueReports.keyCells(p, key, query).map { _ in .none } + [
                            customers, mk, .ratio(mk, over: customers), sl, both, .ratio(both, over: customers),
                        ]
                }
                table.rows.append(
                    .init(
                        RevenueReports.keyCells(p, key, query) + [
                            .count(n), context.spendCell(a.marketingSpend(key)),
                            a.cac(key, fullyLoaded: false).map { .money($0) } ?? .blank,
                            context.spendCell(a.salesSpend(key)), context.spendCell(a.fullyLoaded(key)),
                            a.cac(key, fullyLoaded: true).map { .money($0) } ?? .blank,
                        ], partial: p.partial, explain: ex))
            }
        }
        return table
    }

    /// The trailing window a snapshot report covers: `--from`…`--to`, else the twelve months
    /// ending at `--to` or the last complete month.
    static func window(_ context: MetricContext, _ query: ReportQuery) throws -> ClosedRange<Month> {
        let end = query.to ?? context.lastCompleteMonth(atOrBefore: context.dataMonth)
        guard end <= context.dataMonth else {
            throw MetricError(
                parameter: "--to", reason: "\(end.iso) is after the last month with data (\(context.dataMonth.iso))")
        }
        let start = query.from ?? end.adding(-11)
        guard start <= end else {
            throw MetricError(parameter: "--from", reason: "\(start.iso) is after --to \(end.iso)")
        }
        return start...end
    }

    /// Per slice over a window: customers and MRR at its end, churn, and the sBG model.
    struct Retention {
        var customers = 0
        var mrr: Int64 = 0
        var churned = 0
        var openingSum = 0
        var startCustomers = 0
        var model: ShiftedBetaGeometric?
        /// Months per renewal period of `model` (1 monthly, 12 yearly).
        var periodMonths = 1
        var survivors: [Int] = []
        var accounts: [Int64] = []
        var arpa: Double? { customers > 0 ? Double(mrr) / Double(customers) : nil }
        /// Average monthly logo churn over the window: Σ churned ÷ Σ customers at each month's start.
        var monthlyChurn: Double? { openingSum > 0 ? Double(churned) / Double(openingSum) : nil }
    }

    /// Logo-churn counts per slice over a window (`logo_churn_ttm`'s numerator and denominator), for
    /// the planner's intervals.
    public static func churnCounts(_ context: MetricContext, window: ClosedRange<Month>, by dimension: Dimension)
        -> [String: (churned: Int, customers: Int)]
    {
        retention(context, window: window, by: dimension).mapValues { ($0.churned, $0.startCustomers) }
    }

    static func retention(_ context: MetricContext, window: ClosedRange<Month>, by dimension: Dimension?) -> [String:
        Retention]
    {
        var out: [String: Retention] = [:]
        func key(_ a: Int64) -> String { dimension.map { context.value(of: $0, account: a) } ?? "" }
        var keyOf: [Int64: String] = [:]
        var everyone: [String: [Int64]] = [:]
        for a in context.firstPaidMonth.keys {
            let k = key(a)
            keyOf[a] = k
            everyone[k, default: []].append(a)
        }
        let end = window.upperBound
        let opening = window.lowerBound.adding(-1)
        for e in context.ledger.accountMRR where e.mrrMinor > 0 && e.month >= opening && e.month <= end {
            let k = keyOf[e.accountId] ?? key(e.accountId)
            if e.month == end {
                out[k, default: Retention()].customers += 1
                out[k, default: Retention()].mrr += e.mrrMinor
            }
            if e.month < end { out[k, default: Retention()].openingSum += 1 }
            if e.month == opening { out[k, default: Retention()].startCustomers += 1 }
        }
        for m in context.ledger.movements where m.kind == .churn && window.contains(m.month) {
            out[keyOf[m.accountId] ?? key(m.accountId), default: Retention()].churned += 1
        }
        let firstChurn = RetentionCurve.firstChurn(context.ledger)
        for (k, accounts) in everyone {
            let counts = RetentionCurve.survivors(
                accounts: accounts, firstPaid: context.firstPaidMonth, firstChurn: firstChurn, through: end)
            out[k, default: Retention()].survivors = counts
            if let fitted = RetentionCurve.fitRenewals(counts) {
                out[k, default: Retention()].model = fitted.model
                out[k, default: Retention()].periodMonths = fitted.periodMonths
            }
            out[k, default: Retention()].accounts = accounts
        }
        return out
    }

    /// Says which sBG fit the LTV (sBG) column used, or why it is blank.
    static func sbgNote(_ label: String, _ r: Retention) -> String {
        guard let model = r.model else {
            return
                "sBG for \(label): no reliable fit on survivors \(r.survivors.prefix(8).map(String.init).joined(separator: ","))…"
        }
        let grain = r.periodMonths == 1 ? "monthly" : "yearly"
        if model.isConstantChurn {
            let theta = model.alpha / (model.alpha + model.beta)
            return
                "sBG for \(label): constant churn \(DecimalText.text(theta * 100, places: 2))% per \(r.periodMonths == 1 ? "month" : "year") (the sBG's homogeneous limit: churn does not fall with tenure, so no heterogeneity to fit), \(grain) renewals, fitted to survival of \(r.survivors.first ?? 0) accounts over \(r.survivors.count - 1) months"
        }
        return
            "sBG for \(label): α = \(DecimalText.text(model.alpha, places: 3)), β = \(DecimalText.text(model.beta, places: 3)) \(grain) renewals, fitted to survival of \(r.survivors.first ?? 0) accounts over \(r.survivors.count - 1) months"
    }

    static func ltvSimple(_ r: Retention, margin: Double) -> Double? {
        guard let arpa = r.arpa, let churn = r.monthlyChurn, churn > 0 else { return nil }
        return arpa * margin / churn
    }

    /// ARPA × margin × DEL per renewal period (payments per period = ARPA × period months,
    /// discount compounded to the period).
    static func ltvModel(_ r: Retention, margin: Double, monthlyDiscount d: Double) -> Double? {
        guard let arpa = r.arpa, let model = r.model else { return nil }
        let periodDiscount = Math.pow(1 + d, Double(r.periodMonths)) - 1
        return arpa * Double(r.periodMonths) * margin * model.discountedExpectedLifetime(discountRate: periodDiscount)
    }

    /// `unit-economics`: one row per slice (and Total) over the window.
    static func unitEconomics(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        try checkDimension(query, allowed: [.segment, .channel, .campaign])
        let window = try window(context, query)
        let margin = context.settings.grossMargin
        let d = context.settings.monthlyDiscountRate
        let keyName = query.by?.description ?? "scope"
        var table = ReportTable(
            report: "unit-economics", title: "Unit economics, \(window.lowerBound.iso)…\(window.upperBound.iso)",
            currency: context.currency,
            columns: [
                .init(keyName, .text, key: true), .init("customers", .count), .init("arpa", .money),
                .init("new_customers", .count),
                .init("monthly_logo_churn", .percent), .init("ltv_simple", .money), .init("ltv_sbg", .money),
                .init("cac_simple", .money), .init("cac_fully_loaded", .money), .init("acv", .money),
                .init("acv_cac_fully_loaded", .multiple),
                .init("ltv_cac_fully_loaded", .multiple), .init("payback_months", .number),
                .init("magic_number", .number),
            ],
            settings: settings(context, window: window) + [
                .init(
                    "gross margin",
                    "\(DecimalText.text(margin * 100, places: 1, trim: true))% (stand-in for seed 002's net profit; no cost-of-revenue data)"
                ),
                .init("LTV (simple)", "ARPA × gross margin ÷ average monthly logo churn over the window"),
                .init(
                    "LTV (sBG)",
                    "ARPA × gross margin × discounted expected lifetime of a shifted-beta-geometric model fitted to the slice's survival (monthly renewals, or yearly when monthly survival does not identify a model), discount \(DecimalText.text(context.settings.annualDiscountRate * 100, places: 1, trim: true))% a year"
                ),
                .init("LTV/CAC", "LTV (simple) ÷ CAC (fully loaded)"),
                .init(
                    "ACV", "12 × average first-month MRR of the window's new customers; ACV/CAC uses CAC (fully loaded)"
                ),
                .init(
                    "CAC payback",
                    "CAC (fully loaded) ÷ (average first-month MRR of new customers × gross margin), in months"),
                .init("magic number", MagicNumber.definition + "; here the period is the window's last quarter"),
            ])
        let acquisition = try Acquisition(context: context, months: window, by: query.by, explain: explain)
        let retention = retention(context, window: window, by: query.by)
        let lastQuarter = window.upperBound.adding(-2)...window.upperBound
        let priorQuarter = window.upperBound.adding(-5)...window.upperBound.adding(-3)
        let prior = try Acquisition(context: context, months: priorQuarter, by: query.by, explain: false)
        let added = MagicNumber.netNewMRR(context, months: lastQuarter) { account in
            query.by.map { context.value(of: $0, account: account) } ?? ""
        }
        var keys = Set(acquisition.keys).union(retention.keys).sorted {
            ($0 == "(none)" ? 1 : 0, $0) < ($1 == "(none)" ? 1 : 0, $1)
        }
        if query.by == nil { keys = [""] }
        func row(
            _ label: String, _ r: Retention, newIds: [Int64], firstMRR: Int64, cacSimple: Int64?, cacFull: Int64?,
            addedMRR: Int64, priorSpend: Int64, slice: String?
        ) -> ReportTable.Row {
            let n = newIds.count
            let ltv = ltvSimple(r, margin: margin)
            let avgFirst = n > 0 ? Double(firstMRR) / Double(n) : nil
            let acv = avgFirst.map { $0 * 12 }
            func ratio(_ a: Double?, _ b: Int64?) -> ReportTable.Cell {
                guard let a, let b, b > 0 else { return .blank }
                return .number(a / Double(b))
            }
            let payback: ReportTable.Cell =
                (cacFull != nil && avgFirst != nil && avgFirst! > 0)
                ? .number(Double(cacFull!) / (avgFirst! * margin)) : .blank
            let cells: [ReportTable.Cell] = [
                .text(label), .count(r.customers), r.arpa.map { .money(roundMinor($0)) } ?? .blank, .count(n),
                .optional(r.monthlyChurn),
                ltv.map { .money(roundMinor($0)) } ?? .blank,
                ltvModel(r, margin: margin, monthlyDiscount: d).map { .money(roundMinor($0)) } ?? .blank,
                cacSimple.map { .money($0) } ?? .blank, cacFull.map { .money($0) } ?? .blank,
                acv.map { .money(roundMinor($0)) } ?? .blank,
                ratio(acv, cacFull), ratio(ltv, cacFull), payback,
                MagicNumber.cell(netNewMRR: addedMRR, priorSpend: priorSpend),
            ]
            var ex: [Explanation] = []
            if explain {
                let a = acquisition.explained(slice)
                ex = Array(repeating: .none, count: cells.count)
                ex[3] = a.customers
                ex[7] = .ratio(a.marketing, over: a.customers)
                ex[8] = .ratio(a.fullyLoaded, over: a.customers)
                ex[9] = a.acv
            }
            return .init(cells, explain: ex)
        }
        var total = Retention()
        for k in keys {
            let r = retention[k] ?? Retention()
            total.customers += r.customers
            total.mrr += r.mrr
            total.churned += r.churned
            total.openingSum += r.openingSum
            total.accounts += r.accounts
            if query.by != nil {
                table.rows.append(
                    row(
                        k, r, newIds: acquisition.newCustomers[k] ?? [], firstMRR: acquisition.firstMRR[k] ?? 0,
                        cacSimple: acquisition.cac(k, fullyLoaded: false),
                        cacFull: acquisition.cac(k, fullyLoaded: true), addedMRR: added[k] ?? 0,
                        priorSpend: prior.fullyLoaded(k), slice: k))
            }
        }
        if query.by == nil {
            total = retention[""] ?? Retention()
        } else {
            let counts = RetentionCurve.survivors(
                accounts: total.accounts, firstPaid: context.firstPaidMonth,
                firstChurn: RetentionCurve.firstChurn(context.ledger), through: window.upperBound)
            total.survivors = counts
            if let fitted = RetentionCurve.fitRenewals(counts) {
                total.model = fitted.model
                total.periodMonths = fitted.periodMonths
            }
        }
        for k in keys where query.by != nil {
            table.notes.append(sbgNote(k, retention[k] ?? Retention()))
        }
        let allNew = keys.flatMap { acquisition.newCustomers[$0] ?? [] }
        table.rows.append(
            row(
                "Total", total, newIds: allNew, firstMRR: keys.reduce(0) { $0 + (acquisition.firstMRR[$1] ?? 0) },
                cacSimple: acquisition.totalCAC(fullyLoaded: false, customers: allNew.count),
                cacFull: acquisition.totalCAC(fullyLoaded: true, customers: allNew.count),
                addedMRR: added.values.reduce(0, +), priorSpend: prior.marketing.total + prior.sales.total,
                slice: query.by == nil ? "" : nil))
        return table
    }

    /// `segment-economics`: seed 001's table, per segment over the window.
    static func segmentEconomics(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        try checkDimension(query, allowed: [.segment, .campaign])
        let window = try window(context, query)
        let margin = context.settings.grossMargin
        var table = ReportTable(
            report: "segment-economics", title: "Segment economics, \(window.lowerBound.iso)…\(window.upperBound.iso)",
            currency: context.currency,
            columns: [
                .init(query.by == .campaign ? "campaign" : "segment", .text, key: true),
                .init("marketing_spend", .money), .init("leads", .count), .init("cost_per_lead", .money),
                .init("lead_to_opportunity", .percent), .init("opportunity_to_won", .percent), .init("deals", .count),
                .init("asp", .money),
                .init("bookings", .money), .init("sales_spend", .money), .init("logo_churn_ttm", .percent),
                .init("acv", .money),
                .init("cac_fully_loaded", .money), .init("acv_cac_fully_loaded", .multiple), .init("ltv", .money),
                .init("ltv_cac_fully_loaded", .multiple),
            ],
            settings: settings(context, window: window) + [
                .init(
                    "leads",
                    query.by == .campaign
                        ? "people created in the window, in their own campaign (people.campaign_id; (none) without one)"
                        : "people created in the window, in their (merge-resolved) account's segment; leads with no account count in Total only"
                ),
                .init("lead → opportunity", "share of the window's leads that reached the opportunity stage (by now)"),
                .init("opportunity → won", "new-business opportunities closed in the window: won ÷ closed"),
                .init(
                    "deals, bookings, ASP",
                    "won new-business opportunities closed in the window; amounts at the close month's FX rate; ASP = bookings ÷ deals; a deal without an account counts under (none)"
                ),
                .init("CAC", "fully loaded (marketing + sales) ÷ new customers"),
                .init("logo churn", "churned in the window ÷ customers at its start"),
                .init(
                    "LTV",
                    "ARPA × gross margin (\(DecimalText.text(margin * 100, places: 1, trim: true))%) ÷ average monthly logo churn; LTV/CAC uses this LTV"
                ),
            ])
        let by = query.by ?? .segment
        let acquisition = try Acquisition(context: context, months: window, by: by, explain: explain)
        let retention = retention(context, window: window, by: by)
        struct Funnel {
            var leads: [Int64] = [], leadsToOpp = 0, closed = 0, won: [Int64] = [], bookings: Int64 = 0
            /// With explain: each won deal's amount.
            var wonItems: [Explanation.Item] = []
        }
        var funnel: [String: Funnel] = [:]
        var total = Funnel()
        for p in context.inputs.people where window.contains(p.createdAt.day.month) {
            let reachedOpp = p.opportunityAt != nil
            total.leads.append(p.id)
            if reachedOpp { total.leadsToOpp += 1 }
            // By campaign a lead belongs to its own campaign_id; by segment, to its account's segment.
            let k: String
            if by == .campaign {
                k = context.campaignName(p.campaignId)
            } else {
                guard let a = p.accountId else { continue }
                k = context.value(of: by, account: context.resolver.resolve(a))
            }
            funnel[k, default: Funnel()].leads.append(p.id)
            if reachedOpp { funnel[k, default: Funnel()].leadsToOpp += 1 }
        }
        for o in context.inputs.opportunities where o.type == .new && o.isClosed {
            guard let closed = o.closedOn, window.contains(closed.month) else { continue }
            let k = context.value(of: by, dealAccount: o.accountId)
            funnel[k, default: Funnel()].closed += 1
            total.closed += 1
            if o.isWon {
                let amount = try context.convert(o.amountMinor, currency: o.currency, month: closed.month)
                funnel[k, default: Funnel()].won.append(o.id)
                funnel[k]!.bookings += amount
                total.won.append(o.id)
                total.bookings += amount
                if explain {
                    funnel[k]!.wonItems.append(.init("opportunity:" + String(o.id), Double(amount)))
                    total.wonItems.append(.init("opportunity:" + String(o.id), Double(amount)))
                }
            }
        }
        let keys = Set(acquisition.keys).union(funnel.keys).union(retention.keys).sorted {
            ($0 == "(none)" ? 1 : 0, $0) < ($1 == "(none)" ? 1 : 0, $1)
        }
        func row(
            _ label: String, f: Funnel, mk: Int64, sales: Int64, hasMarketing: Bool, cac: Int64?, r: Retention,
            newIds: [Int64], firstMRR: Int64, slice: String?
        ) -> ReportTable.Row {
            let n = newIds.count
            let acv = n > 0 ? Double(firstMRR) * 12 / Double(n) : nil
            let ltv = ltvSimple(r, margin: margin)
            func per(_ a: Double?, _ b: Int64?) -> ReportTable.Cell {
                guard let a, let b, b > 0 else { return .blank }
                return .number(a / Double(b))
            }
            let cells: [ReportTable.Cell] = [
                .text(label), context.spendCell(mk), .count(f.leads.count),
                (hasMarketing ? Acquisition.perCustomer(mk, f.leads.count) : nil).map { .money($0) } ?? .blank,
                .ratio(Double(f.leadsToOpp), Double(f.leads.count)), .ratio(Double(f.won.count), Double(f.closed)),
                .count(f.won.count),
                Acquisition.perCustomer(f.bookings, f.won.count).map { .money($0) } ?? .blank, .money(f.bookings),
                context.spendCell(sales),
                .ratio(Double(r.churned), Double(r.startCustomers)), acv.map { .money(roundMinor($0)) } ?? .blank,
                cac.map { .money($0) } ?? .blank, per(acv, cac), ltv.map { .money(roundMinor($0)) } ?? .blank,
                per(ltv, cac),
            ]
            var ex: [Explanation] = []
            if explain {
                let a = acquisition.explained(slice)
                let leads = Explanation.count(f.leads.sorted().map { "person:" + String($0) })
                let won = Explanation.count(f.wonItems.map(\.record))
                let bookings = Explanation.sum(f.wonItems)
                ex = Array(repeating: .none, count: cells.count)
                ex[1] = a.marketing
                ex[2] = leads
                ex[3] = .ratio(a.marketing, over: leads)
                ex[6] = won
                ex[7] = .ratio(bookings, over: won)
                ex[8] = bookings
                ex[9] = a.sales
                ex[11] = a.acv
                ex[12] = .ratio(a.fullyLoaded, over: a.customers)
            }
            return .init(cells, explain: ex)
        }
        var totalRetention = Retention()
        for k in keys {
            let r = retention[k] ?? Retention()
            totalRetention.customers += r.customers
            totalRetention.mrr += r.mrr
            totalRetention.churned += r.churned
            totalRetention.openingSum += r.openingSum
            totalRetention.startCustomers += r.startCustomers
            table.rows.append(
                row(
                    k, f: funnel[k] ?? Funnel(), mk: acquisition.marketingSpend(k), sales: acquisition.salesSpend(k),
                    hasMarketing: k != "(none)" && acquisition.hasSpend(k, fullyLoaded: false),
                    cac: acquisition.cac(k, fullyLoaded: true), r: r,
                    newIds: acquisition.newCustomers[k] ?? [], firstMRR: acquisition.firstMRR[k] ?? 0, slice: k))
        }
        let allNew = keys.flatMap { acquisition.newCustomers[$0] ?? [] }
        table.rows.append(
            row(
                "Total", f: total, mk: acquisition.marketing.total, sales: acquisition.sales.total,
                hasMarketing: acquisition.marketing.entries > 0,
                cac: acquisition.totalCAC(fullyLoaded: true, customers: allNew.count),
                r: totalRetention, newIds: allNew, firstMRR: acquisition.firstMRR.values.reduce(0, +), slice: nil))
        return table
    }
}
