/// `marketing`: seed 002's marketing-operations KPIs beside the lead counts — email response,
/// content downloads, social visits and the leads they bring, pipeline created and each slice's
/// contribution, marketing spend per new customer, return on marketing investment, and what a
/// lead is worth.
enum MarketingReport {
    static let dimensions = ["channel", "source", "campaign", "segment"]

    static func report(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let periods = try context.periods(query)
        let settings = context.settings.lifecycle
        let leads = context.leadJourneys
        let reps = context.repNames
        let deals = DealFacts(context)
        let social = Set(settings.socialChannels.map { $0.lowercased() })
        let bySource = query.by == .source
        var table = ReportTable(
            report: "marketing",
            title:
                "Marketing KPIs: email response, content, social, pipeline contribution, spend per customer, ROMI, lead value",
            currency: context.currency,
            columns: LifecycleColumns.keys(query) + [
                .init("email_opens", .count), .init("email_clicks", .count), .init("email_response_rate", .percent),
                .init("content_downloads", .count), .init("webinars", .count), .init("events", .count),
                .init("social_visits", .count), .init("social_leads", .count),
                .init("new_leads", .count), .init("pipeline_created", .money), .init("pipeline_share", .percent),
                .init("marketing_spend", .money), .init("new_customers", .count),
                .init("spend_per_customer", .money), .init("first_year_value", .money), .init("romi", .multiple),
                .init("lead_to_customer", .percent), .init("lead_value", .money),
            ],
            settings: settings.described + [
                .init(
                    "email response rate",
                    "email clicks ÷ email opens (touches of kind email_click and email_open in the period); touches carry no lead source, so `--by source` leaves the touch columns blank"
                ),
                .init(
                    "webinars and events",
                    "touches of kind webinar and event in the period (attendances, not distinct people)"
                ),
                .init(
                    "social",
                    "visits (touches of kind visit) and leads (people created) whose channel is one of [\(settings.socialChannels.joined(separator: ", "))]"
                ),
                .init(
                    "pipeline",
                    "new-business opportunities created in the period, by the deal's own channel and lead source (a deal has no campaign: by campaign, its account's); share = of all pipeline created in the period"
                ),
                .init(
                    "marketing spend",
                    "all marketing spend (media, wages, tools, services, overhead) in the period; by channel, segment or campaign shared as the `cac` report does (untagged spend in proportion to tagged); blank by source (spend carries none)"
                ),
                .init(
                    "new customers",
                    "accounts first paying in the period (self-serve included), by their acquisition channel, segment or campaign; by source, the lead source of the account's earliest lead"
                ),
                .init(
                    "first-year value and ROMI",
                    "first-year value = 12 × the new customers' first MRR; ROMI = (first-year value − marketing spend) ÷ marketing spend"
                ),
                .init(
                    "lead value",
                    "lead → customer rate of the period's new leads (followed to today) × average first-year value of the period's new customers"
                ),
                .init("data through", context.inputs.dataThrough.iso),
            ])
        struct Acc {
            var opens = 0, clicks = 0, downloads = 0, webinars = 0, events = 0, socialVisits = 0
            var socialLeads: [Int64] = [], leads: [Int64] = [], becameCustomers: [Int64] = []
            var pipeline: Int64 = 0, pipelineItems: [Explanation.Item] = []
            var customers: [Int64] = [], firstYear: Int64 = 0, firstYearItems: [Explanation.Item] = []
        }
        let sliced = query.by != nil
        var grid = PeriodGrid(periods: periods, sliced: sliced, empty: Acc())
        if !bySource {
            for t in context.inputs.touchCounts {
                guard let i = grid.period(of: t.month) else { continue }
                let key: String =
                    switch query.by {
                    case .channel?: t.channel
                    case .campaign?: context.campaignName(t.campaignId)
                    case .segment?: t.segment ?? "(none)"
                    default: ""
                    }
                grid.update(key, i) {
                    switch t.kind {
                    case .emailOpen: $0.opens += t.count
                    case .emailClick: $0.clicks += t.count
                    case .contentDownload: $0.downloads += t.count
                    case .webinar: $0.webinars += t.count
                    case .event: $0.events += t.count
                    case .visit where social.contains(t.channel.lowercased()): $0.socialVisits += t.count
                    default: break
                    }
                }
            }
        }
        var sourceOf: [Int64: (Timestamp, Int64, String)] = [:]
        for j in leads.journeys {
            if let a = j.account {
                if let c = sourceOf[a], (c.0, c.1) <= (j.lead, j.id) {
                } else {
                    sourceOf[a] = (j.lead, j.id, leads.leadSource(j) ?? "(none)")
                }
            }
            guard let i = grid.period(of: j.lead.day.month) else { continue }
            let key = query.by.map { context.value(of: $0, lead: j, in: leads, reps: reps) } ?? ""
            let isSocial = social.contains((leads.channel(j) ?? leads.leadSource(j) ?? "").lowercased())
            grid.update(key, i) {
                $0.leads.append(j.id)
                if isSocial { $0.socialLeads.append(j.id) }
                if j.at(.customer) != nil { $0.becameCustomers.append(j.id) }
            }
        }
        for o in context.inputs.opportunities where o.type == .new {
            guard let i = grid.period(of: o.createdOn.month) else { continue }
            let amount = try deals.amount(o, o.createdOn.month)
            grid.update(query.by.map { deals.value($0, o) } ?? "", i) {
                $0.pipeline += amount
                if explain { $0.pipelineItems.append(.init("opportunity:\(o.id)", Double(amount))) }
            }
        }
        for m in context.ledger.movements where m.kind == .new {
            guard let i = grid.period(of: m.month) else { continue }
            let key: String =
                bySource
                ? sourceOf[m.accountId]?.2 ?? "(none)"
                : query.by.map { context.value(of: $0, account: m.accountId) } ?? ""
            grid.update(key, i) {
                $0.customers.append(m.accountId)
                $0.firstYear += m.amountMinor * 12
                if explain { $0.firstYearItems.append(.init("account:\(m.accountId)", Double(m.amountMinor * 12))) }
            }
        }
        var spend: [[String: Int64]] = []
        var spendItems: [[String: [Explanation.Item]]] = []
        for p in periods {
            let entries = context.inputs.spend.filter { $0.team == .marketing && p.months.contains($0.month) }
            if bySource {
                spend.append([:])
                spendItems.append([:])
            } else {
                let allocation = try SpendAllocation(entries, by: query.by, context: context, explain: explain)
                spend.append(allocation.amounts)
                spendItems.append(allocation.items)
            }
        }
        for (i, _) in periods.enumerated() { for key in spend[i].keys { grid.update(key, i) { _ in } } }
        var totalPipeline = [Int64](repeating: 0, count: periods.count)
        var allPipeline = [[Explanation.Item]](repeating: [], count: periods.count)
        for key in grid.keys {
            for i in periods.indices {
                totalPipeline[i] += grid.values(key)![i].pipeline
                allPipeline[i] += grid.values(key)![i].pipelineItems
            }
        }
        for key in grid.keys {
            for (i, period) in periods.enumerated() {
                let a = grid.values(key)![i]
                let keyCells = LifecycleColumns.cells(period, key, query)
                // Spend is unknown (blank) by source, and when the store holds no spend at all.
                let money = bySource || context.inputs.spend.isEmpty ? nil : spend[i][key] ?? 0
                let touch = { (n: Int) -> ReportTable.Cell in bySource ? .blank : .count(n) }
                let averageValue = a.customers.isEmpty ? nil : Double(a.firstYear) / Double(a.customers.count)
                let leadRate = a.leads.isEmpty ? nil : Double(a.becameCustomers.count) / Double(a.leads.count)
                let cells: [ReportTable.Cell] = [
                    touch(a.opens), touch(a.clicks), bySource ? .blank : .ratio(Double(a.clicks), Double(a.opens)),
                    touch(a.downloads), touch(a.webinars), touch(a.events), touch(a.socialVisits),
                    .count(a.socialLeads.count), .count(a.leads.count),
                    .money(a.pipeline), .ratio(Double(a.pipeline), Double(totalPipeline[i])),
                    money.map { .money($0) } ?? .blank, .count(a.customers.count),
                    money.map {
                        a.customers.isEmpty ? .blank : .money(roundMinor(Double($0) / Double(a.customers.count)))
                    }
                        ?? .blank,
                    .money(a.firstYear), money.map { .ratio(Double(a.firstYear - $0), Double($0)) } ?? .blank,
                    leadRate.map { .number($0) } ?? .blank,
                    leadRate.flatMap { r in averageValue.map { .money(roundMinor(r * $0)) } } ?? .blank,
                ]
                var ex: [Explanation] = []
                if explain {
                    let spend = Explanation.sum(spendItems[i][key] ?? [])
                    let persons = { Explanation.count(LifecycleColumns.ids("person", $0)) }
                    let customers = Explanation.count(RevenueRollup.ids(a.customers))
                    let pipeline = Explanation.sum(a.pipelineItems)
                    let firstYear = Explanation.sum(a.firstYearItems)
                    let leads = persons(a.leads)
                    let converted = persons(a.becameCustomers)
                    ex =
                        keyCells.map { _ in .none } + Array(repeating: .none, count: 7) + [
                            persons(a.socialLeads), leads, pipeline, .ratio(pipeline, over: .sum(allPipeline[i])),
                            money == nil ? .none : spend, customers,
                            money == nil ? .none : .ratio(spend, over: customers),
                            firstYear,
                            money == nil
                                ? .none : .ratio(.sum(firstYear.items + Explanation.negated(spend.items)), over: spend),
                            .ratio(converted, over: leads), .from(converted.records + customers.records),
                        ]
                }
                table.rows.append(.init(keyCells + cells, partial: period.partial, explain: ex))
            }
        }
        return table
    }
}
