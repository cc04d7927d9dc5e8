/// Every report `fulcrum report ID` can print: what it needs from the store, how it can be
/// sliced, and the function that computes it. The CLI, tests and (later) the API all run
/// reports through `ReportCatalog.run`, so a report is defined in exactly one place.
public enum ReportCatalog {
    public struct Entry: Sendable {
        public var id: String
        public var title: String
        public var needs: Set<MetricInputs.Need>
        /// Dimension families accepted by `--by` ("custom:NAME" = any account custom field).
        public var dimensions: [String]
        /// Whether `--compare` applies (series and windowed reports; not cohort matrices or rankings).
        public var comparable: Bool
        /// Whether the report has one row per period (`--period` applies).
        public var periodic: Bool
        let build: @Sendable (MetricContext, ReportQuery, Bool) throws -> ReportTable
    }

    static let accountDimensions = ["segment", "plan", "channel", "rep", "cohort", "custom:NAME"]
    /// `campaign` is an acquisition dimension: it slices who was acquired, what that cost and the
    /// funnel, not revenue movements or retention of the whole base.
    static let acquisitionDimensions = accountDimensions + ["campaign"]
    static var campaignReports: [String] { all.filter { $0.dimensions.contains("campaign") }.map(\.id) }
    /// What every report needs before slicing; `needs(for:)` adds what the slice needs.
    static let revenueNeeds: Set<MetricInputs.Need> = [.billing]
    static let velocityNeeds: Set<MetricInputs.Need> = [.billing, .opportunities, .firstTouches, .firstPayments]

    public static let entries: [Entry] = [
        Entry(
            id: "mrr-movements", title: "MRR movements: new, expansion, contraction, churn, reactivation, closing MRR",
            needs: revenueNeeds, dimensions: accountDimensions, comparable: true, periodic: true,
            build: RevenueReports.movements),
        Entry(
            id: "mrr", title: "MRR and ARR series with customers, ARPA, FX adjustment and MRR growth",
            needs: revenueNeeds, dimensions: accountDimensions, comparable: true, periodic: true,
            build: RevenueReports.series),
        Entry(
            id: "customers", title: "Customer counts: opening, new, reactivated, churned, closing",
            needs: revenueNeeds, dimensions: acquisitionDimensions, comparable: true, periodic: true,
            build: RevenueReports.customers),
        Entry(
            id: "churn", title: "Logo churn, gross and net MRR churn, quick ratio",
            needs: revenueNeeds, dimensions: accountDimensions, comparable: true, periodic: true,
            build: RevenueReports.churn),
        Entry(
            id: "retention", title: "GRR and NRR over trailing twelve months (cohort based)",
            needs: revenueNeeds, dimensions: accountDimensions, comparable: true, periodic: true,
            build: RetentionReports.trailingTwelveMonths),
        Entry(
            id: "cohorts-logo", title: "Logo retention matrix by start period",
            needs: revenueNeeds, dimensions: accountDimensions, comparable: false, periodic: true,
            build: { try RetentionReports.cohorts($0, $1, revenue: false, explain: $2) }),
        Entry(
            id: "cohorts-revenue", title: "Revenue retention matrix by start period",
            needs: revenueNeeds, dimensions: accountDimensions, comparable: false, periodic: true,
            build: { try RetentionReports.cohorts($0, $1, revenue: true, explain: $2) }),
        Entry(
            id: "cac", title: "CAC simple and fully loaded, by segment or channel",
            needs: [.billing, .spend], dimensions: ["segment", "channel", "campaign"], comparable: true, periodic: true,
            build: UnitEconomicsReports.cac),
        Entry(
            id: "unit-economics",
            title: "ARPA, churn, LTV (simple and sBG), CAC, ACV, ACV/CAC, LTV/CAC, payback, magic number",
            needs: [.billing, .spend], dimensions: ["segment", "channel", "campaign"], comparable: true,
            periodic: false,
            build: UnitEconomicsReports.unitEconomics),
        Entry(
            id: "segment-economics",
            title: "Seed 001's segment table: spend, leads, conversion, ASP, bookings, churn, ACV/CAC, LTV/CAC",
            needs: [.billing, .spend, .opportunities, .people], dimensions: ["segment", "campaign"], comparable: true,
            periodic: false,
            build: UnitEconomicsReports.segmentEconomics),
        Entry(
            id: "growth", title: "MRR and bookings growth (period over period, year over year), magic number",
            needs: [.billing, .spend, .opportunities], dimensions: [], comparable: true, periodic: true,
            build: GrowthReports.growth),
        Entry(
            id: "velocity", title: "Revenue velocity and acceleration (seed 004), first touch to first payment",
            needs: velocityNeeds, dimensions: acquisitionDimensions, comparable: true,
            periodic: true, build: GrowthReports.velocity),
        Entry(
            id: "trials", title: "Trial MRR, trial-to-paid conversion, self-serve customers",
            needs: revenueNeeds, dimensions: accountDimensions, comparable: true, periodic: true,
            build: GrowthReports.trials),
        Entry(
            id: "accounts-ltv",
            title: "Accounts ranked by LTV potential, with revenue to date, expected residual value, CAC and LTV/CAC",
            needs: [.billing, .spend, .reps, .collected], dimensions: [], comparable: false, periodic: false,
            build: AccountLTVReport.report),
        Entry(
            id: "attribution",
            title: "Multi-touch attribution of pipeline, bookings or new MRR to channels or campaigns, every model",
            needs: [.opportunities, .fx, .attributionTouches, .campaigns, .firstPaidDays, .billing, .spend],
            dimensions: ["channel", "campaign"], comparable: false, periodic: false,
            build: AttributionReport.report),
    ]

    /// What the lead reports read: people (as leads' journeys) with their scores and qualifying touches, and
    /// each account's first paid day (a lead's customer instant falls back on it).
    static let leadNeeds: Set<MetricInputs.Need> = [
        .leads, .personFields, .qualifyingTouches, .campaigns, .reps, .firstPaidDays,
    ]
    static let dealNeeds: Set<MetricInputs.Need> = [.fx, .opportunities, .reps, .teams]

    static let lifecycleEntries: [Entry] = [
        Entry(
            id: "lifecycle", title: "Accounts by lifecycle stage at period end, and the flow between stages",
            needs: leadNeeds.union([.billing, .opportunities, .urgentTickets, .surveys]),
            dimensions: acquisitionDimensions,
            comparable: true, periodic: true, build: LifecycleReport.report),
        Entry(
            id: "funnel", title: "Lead funnel: conversion and time in stage, cohort and period views, leads-to-close",
            needs: leadNeeds.union([.opportunities, .teams]), dimensions: MetricContext.leadDimensions,
            comparable: true, periodic: true, build: FunnelReport.report),
        Entry(
            id: "leads", title: "Leads: new leads, MQLs, SALs, SQLs, lead score, marketing cycle, lead aging",
            needs: leadNeeds, dimensions: MetricContext.leadDimensions, comparable: true, periodic: true,
            build: LeadReports.leads),
        Entry(
            id: "lead-response", title: "Lead response time, SLA compliance, conversion by response speed",
            needs: leadNeeds.union([.firstResponses]), dimensions: MetricContext.leadDimensions, comparable: true,
            periodic: true, build: LeadReports.response),
        Entry(
            id: "marketing",
            title:
                "Marketing KPIs: email response, content, social, pipeline contribution, spend per customer, ROMI, lead value",
            needs: leadNeeds.union([.billing, .touchCounts, .spend, .opportunities, .teams]),
            dimensions: MarketingReport.dimensions, comparable: true, periodic: true, build: MarketingReport.report),
        Entry(
            id: "sales",
            title: "Sales: pipeline created, win rate, ASP, cycle, bookings by type, open and slipping deals",
            needs: dealNeeds, dimensions: DealFacts.dimensions, comparable: true, periodic: true,
            build: SalesReports.sales),
        Entry(
            id: "pipeline", title: "Open pipeline by stage at each period's end: count, value, age, slipping",
            needs: dealNeeds.union([.stageChanges]), dimensions: DealFacts.dimensions, comparable: true,
            periodic: true, build: SalesReports.pipeline),
        Entry(
            id: "targets", title: "Targets against actuals: attainment and gap per company, team, segment and rep",
            needs: leadNeeds.union([.billing, .demos, .opportunities, .targets, .teams]), dimensions: [],
            comparable: true, periodic: true, build: TargetsReport.report),
        Entry(
            id: "rep-scorecard",
            title: "Rep scorecard: activities, leads, response SLA, pipeline, bookings, win rate, quota attainment",
            needs: [.fx, .leads, .activitiesInRange, .opportunities, .targets, .reps, .teams], dimensions: [],
            comparable: true, periodic: true, build: RepScorecard.report),
        Entry(
            id: "am-scorecard",
            title: "Account manager scorecard: the book's MRR movements, renewals, upsell, NRR and GRR",
            needs: [.billing, .opportunities, .reps], dimensions: [], comparable: true, periodic: true,
            build: BookScorecards.accountManagers),
        Entry(
            id: "cs-scorecard",
            title:
                "Customer success scorecard: tickets, first response, resolution, NPS, detractor follow-up, retention",
            // Activities only from the first period on: a detractor's follow-up is a contact on or after the
            // survey, and surveys outside the periods are not counted.
            needs: [.billing, .customFields, .tickets, .surveys, .activitiesInRange], dimensions: [], comparable: true,
            periodic: true, build: BookScorecards.customerSuccess),
    ]

    /// Whether the report (or the report of this metric id) reads the lifecycle definitions: only those
    /// read `lifecycle.yaml`, so a broken file never stops a finance report.
    public static func usesLifecycleSettings(_ id: String) -> Bool {
        guard let e = try? entry(id) else { return false }
        return lifecycleEntries.contains { $0.id == e.id }
    }

    /// Every report: the revenue and unit-economics ones, then the lifecycle ones.
    public static var all: [Entry] { entries + lifecycleEntries }
    public static var ids: [String] { all.map(\.id) }

    /// The store data a query needs: the report's own, plus what its slice is computed from
    /// (a channel needs opportunities and leads, a rep the reps, a custom field the custom fields).
    public static func needs(for query: ReportQuery) throws -> Set<MetricInputs.Need> {
        var needs = try entry(query.report).needs
        // Attribution of pipeline or bookings reads deals and touches: the MRR ledger (billing) and first paid
        // days only for new MRR. On the large company the ledger is a gigabyte the report would not use.
        if try entry(query.report).id == "attribution",
            query.settings.attributionMetric != AttributionReport.Metric.newMRR.rawValue
        {
            needs.subtract([.billing, .firstPaidDays])
        }
        switch query.by {
        case .channel?:
            // Deal reports slice by the deal's own channel; the account's acquisition channel needs leads.
            needs.insert(.opportunities)
            if try entry(query.report).dimensions != DealFacts.dimensions { needs.insert(.people) }
        case .rep?: needs.insert(.reps)
        case .customField?:
            needs.insert(.customFields)
            // Deal reports slice by the deal's or its owner's custom fields too.
            if try entry(query.report).dimensions == DealFacts.dimensions {
                needs.formUnion([.dealFields, .repFields])
            }
        case .owner?, .team?: needs.formUnion([.reps, .teams])
        case .demo?: needs.insert(.demos)
        case .campaign?: needs.formUnion([.people, .campaigns, .firstCampaignTouches])
        default: break
        }
        return needs
    }

    /// The report with this id, or the report that prints the metric with this id.
    public static func entry(_ id: String) throws -> Entry {
        if let e = all.first(where: { $0.id == id }) { return e }
        if let metric = MetricRegistry.metric(id), let e = all.first(where: { $0.id == metric.report }) { return e }
        throw MetricError(
            parameter: "report",
            reason:
                "unknown report or metric '\(id)'; reports: \(ids.joined(separator: ", ")) (metric ids from `fulcrum metrics` also work)"
        )
    }

    /// Builds the report; a campaign slice also prints how accounts, leads and spend meet campaigns.
    static func build(_ entry: Entry, _ context: MetricContext, _ query: ReportQuery, _ explain: Bool) throws
        -> ReportTable
    {
        var table = try entry.build(context, query, explain)
        if query.by == .campaign, entry.id != "attribution" {
            table.settings.append(.init("campaign", MetricContext.campaignRule))
            if entry.needs.contains(.spend) {
                table.settings.append(.init("campaign spend", SpendAllocation.campaignRule))
            }
        }
        return table
    }

    /// A mistake in the request alone — a dimension the report cannot be sliced by, a comparison it cannot
    /// make — whatever the data: the CLI reports it as a usage error (exit 64) before reading the store.
    public static func usageProblem(_ query: ReportQuery) -> MetricError? {
        guard let entry = try? entry(query.report) else { return nil }
        if let by = query.by {
            guard entry.dimensions.contains(by.family) else {
                var reason =
                    entry.dimensions.isEmpty
                    ? "report '\(entry.id)' cannot be sliced"
                    : "report '\(entry.id)' cannot be sliced by '\(by)'; it can by: \(entry.dimensions.joined(separator: ", "))"
                if by == .campaign {
                    reason +=
                        ". campaign is an acquisition dimension (who was acquired, at what cost, through which funnel); reports that take it: \(campaignReports.joined(separator: ", "))"
                }
                return MetricError(parameter: "--by", reason: reason)
            }
        }
        let defaults = MetricSettings()
        if entry.id != "attribution" {
            let given: [(String, Bool)] = [
                ("--metric", query.settings.attributionMetric != defaults.attributionMetric),
                ("--model", query.settings.attributionModel != nil),
                ("--half-life", query.settings.halfLifeDays != defaults.halfLifeDays),
            ]
            if let name = given.first(where: { $0.1 })?.0 {
                return MetricError(parameter: name, reason: "only the attribution report takes \(name)")
            }
        }
        if query.compare != nil, !entry.comparable {
            let why =
                entry.periodic
                ? "its rows are start cohorts and its columns ages, so no row has an earlier period to stand beside; use --from/--to to choose the cohorts"
                : "it ranks accounts as of one month; run it again with an earlier --to to see that month"
            return MetricError(parameter: "--compare", reason: "report '\(entry.id)' cannot be compared: \(why)")
        }
        return nil
    }

    /// Validates `query` against the report, then computes it (with the comparison when asked).
    public static func run(_ query: ReportQuery, context: MetricContext, explain: Bool = false) throws -> ReportTable {
        let entry = try entry(query.report)
        var query = query
        query.report = entry.id
        if let problem = usageProblem(query) { throw problem }
        if let by = query.by {
            // Deal reports also slice by the deal's or its owner's custom fields (loaded only for them).
            let known = Set(context.customFieldNames).union(context.inputs.dealFields.map(\.name))
                .union(context.inputs.repFields.map(\.name))
            if case .customField(let name) = by, !known.contains(name) {
                let what = entry.dimensions == DealFacts.dimensions ? "account, deal or rep" : "account"
                throw MetricError(
                    parameter: "--by",
                    reason: "no \(what) custom field named '\(name)'; known: \(known.sorted().joined(separator: ", "))")
            }
        }
        guard let comparison = query.compare else { return try build(entry, context, query, explain) }
        // Fix the current range, then shift it back by one period (or window) or by a year.
        var current = query
        let shift: Int
        if entry.periodic {
            let periods = try context.periods(query)
            current.from = periods.first!.first
            current.to = periods.last!.last
            shift = comparison == .year ? 12 : query.grain.length
        } else {
            let window = try UnitEconomicsReports.window(context, query)
            current.from = window.lowerBound
            current.to = window.upperBound
            shift = comparison == .year ? 12 : window.lowerBound.distance(to: window.upperBound) + 1
        }
        var earlier = current
        earlier.from = current.from!.adding(-shift)
        earlier.to = current.to!.adding(-shift)
        let now = try build(entry, context, current, explain)
        let then = try build(entry, context, earlier, explain)
        return ReportComparison.join(
            now, then, shiftMonths: shift, grain: entry.periodic ? query.grain : nil,
            label: comparison == .year ? "year" : "previous")
    }
}
