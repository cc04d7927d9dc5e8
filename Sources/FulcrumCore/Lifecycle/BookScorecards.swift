/// Scorecards for the people who keep customers: `am-scorecard` per account manager (the account's
/// owner) and `cs-scorecard` per customer-success manager (an account custom field, `csm` by
/// default). Each row is one person's book of accounts in one period.
enum BookScorecards {
    /// Trailing-twelve-month retention of a book at `month`: accounts paying twelve months before.
    struct Retention {
        var then: Int64 = 0, now: Int64 = 0, capped: Int64 = 0
        var nrr: ReportTable.Cell { .ratio(Double(now), Double(then)) }
        var grr: ReportTable.Cell { .ratio(Double(capped), Double(then)) }
    }

    static func retention(_ context: MetricContext, _ account: Int64, at month: Month, into r: inout Retention) {
        let then = context.ledger.mrr(account: account, month: month.adding(-12))
        guard then > 0 else { return }
        let now = context.ledger.mrr(account: account, month: month)
        r.then += then
        r.now += now
        r.capped += min(now, then)
    }

    static let retentionSetting = ReportTable.Setting(
        "NRR, GRR",
        "trailing twelve months at the period's last month over the book's accounts paying twelve months before (as the `retention` report): NRR = MRR now ÷ MRR then, GRR caps each account at its MRR then"
    )

    /// `am-scorecard`: per account owner, the book's MRR movements, renewals, upsell and retention.
    static func accountManagers(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let periods = try context.periods(query)
        let deals = DealFacts(context)
        var table = ReportTable(
            report: "am-scorecard",
            title: "Account manager scorecard: the book's MRR movements, renewals, upsell, NRR and GRR",
            currency: context.currency,
            columns: LifecycleColumns.keys(ReportQuery(report: "", grain: query.grain), extra: ["owner"]) + [
                .init("customers", .count), .init("opening_mrr", .money), .init("expansion", .money),
                .init("contraction", .money), .init("churn", .money), .init("reactivation", .money),
                .init("closing_mrr", .money), .init("renewals_won", .count), .init("renewals_lost", .count),
                .init("renewal_rate", .percent), .init("upsell_bookings", .money), .init("nrr_ttm", .percent),
                .init("grr_ttm", .percent),
            ],
            settings: RevenueReports.settings(context) + [
                .init(
                    "book",
                    "the accounts a rep owns today (accounts.owner_rep_id; merged duplicates under the survivor); new MRR is the acquiring seller's and is left out"
                ),
                .init(
                    "renewals",
                    "renewal opportunities of the book closed in the period: won, lost, won ÷ closed; upsell bookings = won upsell amounts by close date"
                ),
                retentionSetting,
            ])
        struct Acc {
            var customers: [Int64] = [], opening: Int64 = 0, closing: Int64 = 0
            var movements: [MovementKind: Int64] = [:]
            var renewalsWon: [Int64] = [], renewalsLost: [Int64] = [], upsell: Int64 = 0
            var retention = Retention()
            /// With explain: the accounts' and deals' amounts behind each money cell.
            var openingItems: [Explanation.Item] = [], closingItems: [Explanation.Item] = []
            var movementItems: [MovementKind: [Explanation.Item]] = [:], upsellItems: [Explanation.Item] = []
            var thenItems: [Explanation.Item] = [], nowItems: [Explanation.Item] = []
            var cappedItems: [Explanation.Item] = []
        }
        var grid = PeriodGrid(periods: periods, sliced: true, empty: Acc())
        func owner(_ account: Int64) -> String { deals.owner(context.account(account)?.ownerRepId) }
        for m in context.ledger.movements where m.kind != .new {
            guard let i = grid.period(of: m.month) else { continue }
            grid.update(owner(m.accountId), i) {
                $0.movements[m.kind, default: 0] += m.amountMinor
                if explain {
                    $0.movementItems[m.kind, default: []].append(.init("account:\(m.accountId)", Double(m.amountMinor)))
                }
            }
        }
        let accounts = context.inputs.accounts.filter { context.account($0.id) != nil }.map(\.id)
        for a in accounts {
            let key = owner(a)
            for (i, p) in periods.enumerated() {
                let opening = context.ledger.mrr(account: a, month: p.first.adding(-1))
                let closing = context.ledger.mrr(account: a, month: p.last)
                var r = Retention()
                retention(context, a, at: p.last, into: &r)
                guard opening > 0 || closing > 0 || r.then > 0 else { continue }
                grid.update(key, i) {
                    $0.opening += opening
                    $0.closing += closing
                    if closing > 0 { $0.customers.append(a) }
                    $0.retention.then += r.then
                    $0.retention.now += r.now
                    $0.retention.capped += r.capped
                    if explain {
                        let record = "account:\(a)"
                        if opening != 0 { $0.openingItems.append(.init(record, Double(opening))) }
                        if closing != 0 { $0.closingItems.append(.init(record, Double(closing))) }
                        if r.then != 0 { $0.thenItems.append(.init(record, Double(r.then))) }
                        if r.now != 0 { $0.nowItems.append(.init(record, Double(r.now))) }
                        if r.capped != 0 { $0.cappedItems.append(.init(record, Double(r.capped))) }
                    }
                }
            }
        }
        for o in context.inputs.opportunities where o.type != .new && o.isClosed {
            guard let a = o.accountId, let closed = o.closedOn, let i = grid.period(of: closed.month) else { continue }
            let account = context.resolver.resolve(a)
            let amount = o.isWon && o.type == .upsell ? try deals.amount(o, closed.month) : 0
            grid.update(owner(account), i) {
                switch (o.type, o.isWon) {
                case (.renewal, true): $0.renewalsWon.append(o.id)
                case (.renewal, false): $0.renewalsLost.append(o.id)
                default:
                    $0.upsell += amount
                    if explain && amount != 0 { $0.upsellItems.append(.init("opportunity:\(o.id)", Double(amount))) }
                }
            }
        }
        func explained(_ a: Acc) -> [Explanation] {
            let won = Explanation.count(LifecycleColumns.ids("opportunity", a.renewalsWon))
            let closed = Explanation.count(LifecycleColumns.ids("opportunity", a.renewalsWon + a.renewalsLost))
            let then = Explanation.sum(a.thenItems)
            return [.none, .none, .count(RevenueRollup.ids(a.customers)), .sum(a.openingItems)]
                + [MovementKind.expansion, .contraction, .churn, .reactivation].map { .sum(a.movementItems[$0] ?? []) }
                + [
                    .sum(a.closingItems), won, .count(LifecycleColumns.ids("opportunity", a.renewalsLost)),
                    .ratio(won, over: closed), .sum(a.upsellItems), .ratio(.sum(a.nowItems), over: then),
                    .ratio(.sum(a.cappedItems), over: then),
                ]
        }
        for key in grid.keys {
            for (i, period) in periods.enumerated() {
                let a = grid.values(key)![i]
                let keyCells: [ReportTable.Cell] = [.text(period.label), .text(key)]
                let renewals = a.renewalsWon.count + a.renewalsLost.count
                table.rows.append(
                    .init(
                        keyCells + [
                            .count(a.customers.count), .money(a.opening), .money(a.movements[.expansion] ?? 0),
                            .money(a.movements[.contraction] ?? 0), .money(a.movements[.churn] ?? 0),
                            .money(a.movements[.reactivation] ?? 0), .money(a.closing), .count(a.renewalsWon.count),
                            .count(a.renewalsLost.count), .ratio(Double(a.renewalsWon.count), Double(renewals)),
                            .money(a.upsell), a.retention.nrr, a.retention.grr,
                        ], partial: period.partial,
                        explain: explain ? explained(a) : []))
            }
        }
        return table
    }

    /// `cs-scorecard`: per customer-success manager, ticket response and resolution, NPS and
    /// detractor follow-up, churn and retention of the book.
    static func customerSuccess(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let periods = try context.periods(query)
        let settings = context.settings.lifecycle
        let field = settings.csOwnerField
        var csmOf: [Int64: String] = [:]
        for f in context.inputs.customFields where f.entity == "accounts" && f.name == field {
            let a = context.resolver.resolve(f.accountId ?? f.recordId)
            if csmOf[a] == nil || f.recordId == a { csmOf[a] = f.value }
        }
        func csm(_ account: Int64) -> String { csmOf[account] ?? "(unassigned)" }
        var table = ReportTable(
            report: "cs-scorecard",
            title:
                "Customer success scorecard: tickets, first response, resolution, NPS, detractor follow-up, retention",
            currency: context.currency,
            columns: LifecycleColumns.keys(ReportQuery(report: "", grain: query.grain), extra: ["csm"]) + [
                .init("customers", .count), .init("tickets", .count), .init("first_response_median_hours", .number),
                .init("first_response_p90_hours", .number), .init("resolution_median_hours", .number),
                .init("resolution_p90_hours", .number), .init("nps_responses", .count), .init("nps", .number),
                .init("detractors", .count), .init("detractors_followed_up", .count),
                .init("follow_up_rate", .percent), .init("churned_customers", .count), .init("churned_mrr", .money),
                .init("nrr_ttm", .percent), .init("grr_ttm", .percent),
            ],
            settings: RevenueReports.settings(context) + [
                .init(
                    "book",
                    "accounts by the account custom field `\(field)` (lifecycle setting cs_owner_field); accounts without one are (unassigned)"
                ),
                .init(
                    "tickets",
                    "opened in the period; first response = first_response_at − opened_at, resolution = closed_at − opened_at, in hours, over tickets that have them (blank when the help desk exports none)"
                ),
                .init(
                    "NPS",
                    "over NPS answers in the period: % promoters (9–10) − % detractors (0–6); a detractor is followed up when a rep logs a human activity with the account within \(settings.detractorFollowUpDays) days after the answer"
                ),
                .init("churn", "customers that stopped paying in the period and the MRR they paid the month before"),
                retentionSetting,
            ])
        struct Acc {
            var customers = 0, tickets: [Int64] = []
            var firstResponse: [Double] = [], resolution: [Double] = []
            var promoters = 0, detractors: [Int64] = [], responses = 0, followed: [Int64] = []
            var churned: [Int64] = [], churnedMRR: Int64 = 0
            var retention = Retention()
            /// With explain: the records behind the cells.
            var customerIds: [Int64] = [], responseIds: [Int64] = [], churnedItems: [Explanation.Item] = []
            var thenItems: [Explanation.Item] = [], nowItems: [Explanation.Item] = []
            var cappedItems: [Explanation.Item] = []
        }
        var grid = PeriodGrid(periods: periods, sliced: true, empty: Acc())
        for t in context.inputs.tickets {
            guard let i = grid.period(of: t.openedAt.day.month) else { continue }
            let a = context.resolver.resolve(t.accountId)
            grid.update(csm(a), i) {
                $0.tickets.append(t.id)
                if let r = t.firstResponseAt, r >= t.openedAt {
                    $0.firstResponse.append(Double(r.seconds - t.openedAt.seconds) / 3_600)
                }
                if let c = t.closedAt, c >= t.openedAt {
                    $0.resolution.append(Double(c.seconds - t.openedAt.seconds) / 3_600)
                }
            }
        }
        var humanContact: [Int64: [Day]] = [:]
        for a in context.inputs.activities where !a.automated {
            guard let account = a.accountId else { continue }
            humanContact[context.resolver.resolve(account), default: []].append(a.occurredAt.day)
        }
        for s in context.inputs.surveys where s.kind == .nps {
            guard let i = grid.period(of: s.respondedOn.month) else { continue }
            let a = context.resolver.resolve(s.accountId)
            let followed =
                s.score <= 6
                && (humanContact[a]?.contains {
                    $0 >= s.respondedOn && $0 - s.respondedOn <= settings.detractorFollowUpDays
                }
                    ?? false)
            grid.update(csm(a), i) {
                $0.responses += 1
                if explain { $0.responseIds.append(s.id) }
                if s.score >= 9 { $0.promoters += 1 }
                if s.score <= 6 { $0.detractors.append(s.id) }
                if followed { $0.followed.append(s.id) }
            }
        }
        for m in context.ledger.movements where m.kind == .churn {
            guard let i = grid.period(of: m.month) else { continue }
            grid.update(csm(m.accountId), i) {
                $0.churned.append(m.accountId)
                $0.churnedMRR -= m.amountMinor  // churn movements are negative; the MRR lost is shown positive
                if explain { $0.churnedItems.append(.init("account:\(m.accountId)", Double(-m.amountMinor))) }
            }
        }
        for account in context.inputs.accounts where context.account(account.id) != nil {
            let a = account.id
            for (i, p) in periods.enumerated() {
                var r = Retention()
                retention(context, a, at: p.last, into: &r)
                let paying = context.ledger.mrr(account: a, month: p.last) > 0
                guard paying || r.then > 0 else { continue }
                grid.update(csm(a), i) {
                    if paying { $0.customers += 1 }
                    $0.retention.then += r.then
                    $0.retention.now += r.now
                    $0.retention.capped += r.capped
                    if explain {
                        let record = "account:\(a)"
                        if paying { $0.customerIds.append(a) }
                        if r.then != 0 { $0.thenItems.append(.init(record, Double(r.then))) }
                        if r.now != 0 { $0.nowItems.append(.init(record, Double(r.now))) }
                        if r.capped != 0 { $0.cappedItems.append(.init(record, Double(r.capped))) }
                    }
                }
            }
        }
        func explained(_ a: Acc) -> [Explanation] {
            let tickets = LifecycleColumns.ids("ticket", a.tickets)
            let detractors = Explanation.count(LifecycleColumns.ids("survey", a.detractors))
            let followed = Explanation.count(LifecycleColumns.ids("survey", a.followed))
            let responses = LifecycleColumns.ids("survey", a.responseIds)
            let then = Explanation.sum(a.thenItems)
            return [
                .none, .none, .count(RevenueRollup.ids(a.customerIds)), .count(tickets), .from(tickets), .from(tickets),
                .from(tickets), .from(tickets), .count(responses), .from(responses), detractors, followed,
                .ratio(followed, over: detractors), .count(RevenueRollup.ids(a.churned)), .sum(a.churnedItems),
                .ratio(.sum(a.nowItems), over: then), .ratio(.sum(a.cappedItems), over: then),
            ]
        }
        for key in grid.keys {
            for (i, period) in periods.enumerated() {
                let a = grid.values(key)![i]
                let nps: ReportTable.Cell =
                    a.responses == 0
                    ? .blank : .number(Double(a.promoters - a.detractors.count) / Double(a.responses) * 100)
                table.rows.append(
                    .init(
                        [
                            .text(period.label), .text(key), .count(a.customers), .count(a.tickets.count),
                            .quantile(a.firstResponse, 0.5), .quantile(a.firstResponse, 0.9),
                            .quantile(a.resolution, 0.5), .quantile(a.resolution, 0.9), .count(a.responses), nps,
                            .count(a.detractors.count), .count(a.followed.count),
                            .ratio(Double(a.followed.count), Double(a.detractors.count)), .count(a.churned.count),
                            .money(a.churnedMRR), a.retention.nrr, a.retention.grr,
                        ], partial: period.partial,
                        explain: explain ? explained(a) : []))
            }
        }
        return table
    }
}
