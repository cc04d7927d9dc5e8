/// One account on one page — the terminal twin of the Account Control Center and the answer to "my
/// number doesn't match Stripe": who it is, its MRR month by month with each movement and the
/// subscription amounts behind it, its deals and its tickets. Built from the same MRR ledger as every
/// report, so each month's MRR here is the account's share of the `mrr` report's figure.
public struct AccountProfile: Sendable, Encodable {
    public struct Month: Sendable, Encodable {
        init(month: String, mrrMinor: Int64) {
            self.month = month
            self.mrrMinor = mrrMinor
        }

        public var month: String
        public var mrrMinor: Int64
        /// The month's movement (new, expansion, contraction, churn, reactivation) and its amount, if any.
        public var movement: String?
        public var changeMinor: Int64?
        /// The change of the opening MRR caused only by the month's exchange rates (not a movement).
        public var fxChangeMinor: Int64?
        /// With a movement: the subscription events of the month behind it (start, amount change, trial end,
        /// status period, cancellation, end), so a number that differs from the billing system can be traced.
        public var behind: [String]?
    }

    /// LTV and CAC of the account, as the `accounts-ltv` report computes them (its settings hold the rules).
    public struct Economics: Sendable, Encodable {
        public var revenueToDateMinor: Int64
        public var expectedResidualMinor: Int64?
        public var ltvMinor: Int64?
        public var cacFullyLoadedMinor: Int64?
        public var ltvCacFullyLoaded: Double?
    }

    public struct SubscriptionLine: Sendable, Encodable {
        public var id: Int64
        public var plan: String
        public var product: String
        public var interval: String
        public var amountMinor: Int64
        public var currency: String
        public var status: String
        public var startedOn: String
        public var endedOn: String?
        /// Store id of the account record it belongs to (a merged duplicate's show here too).
        public var accountId: Int64
    }

    public struct Deal: Sendable, Encodable {
        public var id: Int64
        public var type: String
        public var stage: String
        public var amountMinor: Int64
        public var currency: String
        public var createdOn: String
        public var closedOn: String?
        public var owner: String
    }

    public var id: Int64
    public var name: String
    public var domain: String?
    public var segment: String?
    public var industry: String?
    public var country: String?
    public var owner: String?
    public var createdOn: String
    public var currency: String
    public var mrrMinor: Int64
    public var history: [Month]
    public var subscriptions: [SubscriptionLine]
    public var deals: [Deal]
    public var ticketsOpened: Int
    public var ticketsOpen: Int
    /// Nil when the account never paid (no LTV to speak of).
    public var economics: Economics?

    /// The profile of surviving account `id` (merged duplicates pooled under it). `ltv`: the `accounts-ltv`
    /// table when the caller holds it already (the server keeps one), else it is computed here.
    public static func build(_ context: MetricContext, account id: Int64, ltv: ReportTable? = nil) -> AccountProfile? {
        guard let a = context.account(id) else { return nil }
        let resolve = context.resolver.resolve
        var reps: [Int64: String] = [:]
        for r in context.inputs.reps { reps[r.id] = r.name }
        var byMonth: [FulcrumCore.Month: Month] = [:]
        for e in context.ledger.accountMRR where e.accountId == id {
            byMonth[e.month] = Month(month: e.month.iso, mrrMinor: e.mrrMinor)
        }
        for m in context.ledger.movements(account: id) {
            var line =
                byMonth[m.month]
                ?? Month(month: m.month.iso, mrrMinor: context.ledger.mrr(account: id, month: m.month))
            // A month can carry an exchange-rate change and a movement: both are kept, apart (FX is not a movement).
            if m.kind == .fxAdjustment {
                line.fxChangeMinor = (line.fxChangeMinor ?? 0) + m.amountMinor
            } else {
                line.movement = m.kind.rawValue
                line.changeMinor = m.amountMinor
            }
            byMonth[m.month] = line
        }
        let events = subscriptionEvents(context, account: id)
        for (month, line) in byMonth where line.movement != nil { byMonth[month]!.behind = events[month] ?? [] }
        let history = byMonth.keys.sorted().map { byMonth[$0]! }
        let subscriptions = context.inputs.subscriptions.filter { resolve($0.accountId) == id }.map {
            SubscriptionLine(
                id: $0.id, plan: $0.plan, product: $0.product, interval: $0.interval.rawValue,
                amountMinor: $0.amountMinor,
                currency: $0.currency, status: $0.status.rawValue, startedOn: $0.startedOn.iso,
                endedOn: $0.endedOn?.iso,
                accountId: $0.accountId)
        }
        let deals = context.inputs.opportunities.filter { $0.accountId.map(resolve) == id }.map {
            Deal(
                id: $0.id, type: $0.type.rawValue, stage: $0.stage, amountMinor: $0.amountMinor, currency: $0.currency,
                createdOn: $0.createdOn.iso, closedOn: $0.closedOn?.iso,
                owner: $0.ownerRepId.map { reps[$0] ?? "rep \($0)" } ?? "(no owner)")
        }
        let tickets = context.inputs.tickets.filter { resolve($0.accountId) == id }
        return AccountProfile(
            id: id, name: a.name, domain: a.domain, segment: a.segment, industry: a.industry, country: a.country,
            owner: a.ownerRepId.map { reps[$0] ?? "rep \($0)" }, createdOn: a.createdOn.iso, currency: context.currency,
            mrrMinor: context.ledger.mrr(account: id, month: context.dataMonth), history: history,
            subscriptions: subscriptions, deals: deals, ticketsOpened: tickets.count,
            ticketsOpen: tickets.filter { $0.closedAt == nil }.count,
            economics: economics(context, account: id, table: ltv))
    }

    /// Subscription events of the account's records by month: what can move MRR at a month's end.
    static func subscriptionEvents(_ context: MetricContext, account id: Int64) -> [FulcrumCore.Month: [String]] {
        var events: [FulcrumCore.Month: [String]] = [:]
        func add(_ day: Day, _ text: String) { events[day.month, default: []].append(day.iso + " " + text) }
        var subscriptionIds = Set<Int64>()
        var currencyOf: [Int64: String] = [:]
        for s in context.inputs.subscriptions where context.resolver.resolve(s.accountId) == id {
            subscriptionIds.insert(s.id)
            currencyOf[s.id] = s.currency
            let price = Format.money(s.amountMinor, currency: s.currency)
            add(
                s.startedOn,
                "subscription \(s.id) started: \(s.plan) \(price) per \(s.intervalCount > 1 ? "\(s.intervalCount) " : "")\(s.interval.rawValue)"
            )
            if let t = s.trialEndOn, t > s.startedOn { add(t, "subscription \(s.id) trial ended") }
            if let c = s.canceledOn { add(c, "subscription \(s.id) canceled") }
            if let e = s.endedOn { add(e, "subscription \(s.id) ended (\(s.status.rawValue))") }
            if s.discountDuration == .repeating, let months = s.discountMonths {
                let start = s.discountStartOn ?? s.startedOn
                add(start.adding(months: months), "subscription \(s.id) discount ended (after \(months) months)")
            }
        }
        for c in context.inputs.changes where subscriptionIds.contains(c.subscriptionId) {
            let price = Format.money(c.amountMinor, currency: currencyOf[c.subscriptionId] ?? context.currency)
            add(
                c.effectiveOn,
                "subscription \(c.subscriptionId) changed to \(price)\(c.quantity != 1 ? " × \(c.quantity)" : "")")
        }
        for p in context.inputs.statusPeriods where subscriptionIds.contains(p.subscriptionId) {
            add(p.fromOn, "subscription \(p.subscriptionId) \(p.status.rawValue)")
            if let to = p.toOn { add(to, "subscription \(p.subscriptionId) \(p.status.rawValue) ended") }
        }
        for k in events.keys { events[k]!.sort() }
        return events
    }

    /// The account's line of the `accounts-ltv` report (nil when it never paid, or the context lacks its inputs).
    static func economics(_ context: MetricContext, account id: Int64, table given: ReportTable?) -> Economics? {
        var query = ReportQuery(report: "accounts-ltv")
        query.limit = Int.max
        guard let table = given ?? (try? AccountLTVReport.report(context, query, explain: false)),
            let row = table.row(String(id))
        else { return nil }
        func money(_ column: String) -> Int64? {
            guard let i = table.columnIndex(column), case .money(let m) = row.cells[i] else { return nil }
            return m
        }
        let ratio = table.columnIndex("ltv_cac_fully_loaded").flatMap { row.cells[$0].doubleValue }
        return Economics(
            revenueToDateMinor: money("revenue_to_date") ?? 0, expectedResidualMinor: money("expected_residual"),
            ltvMinor: money("ltv"), cacFullyLoadedMinor: money("cac_fully_loaded"), ltvCacFullyLoaded: ratio)
    }
}
