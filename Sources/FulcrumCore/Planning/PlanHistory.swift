/// Where a plan's economics come from: a spreadsheet (`fulcrum plan --economics FILE.csv`, linear
/// response as typed) or the store's history, fitted per segment from the same `segment-economics`
/// report the analysts read: monthly windows for the lead-cost curve, the trailing twelve months
/// for the rates, ASP, sales cost per deal and churn.
public struct PlanInputs: Sendable, Encodable {
    /// How each unit's numbers were obtained: the fit of its cost curve and the counts behind its rates.
    public struct Evidence: Sendable, Encodable {
        public var unit: String
        public var leadCost: LeadCostFit
        public var leads: Int
        public var leadToOpportunity: Interval
        public var opportunityToWon: Interval
        /// Deals won ÷ leads created over the twelve months (what the plan multiplies leads by).
        public var dealsPerLead: Interval
        public var deals: Int
        public var closedDeals: Int
        /// Sales spend over the twelve months ÷ deals won in them.
        public var salesCostPerDeal: Double
        public var churned: Int
        public var customersAtStart: Int
        public var annualChurn: Interval
    }

    /// A rate with its 95% Wilson interval.
    public struct Interval: Sendable, Encodable, Equatable {
        public var value: Double
        public var low: Double
        public var high: Double

        public static func wilson(_ successes: Int, _ n: Int) -> Interval {
            guard n > 0 else { return Interval(value: 0, low: 0, high: 1) }
            let z = 1.959963984540054
            let p = Double(successes) / Double(n)
            let nn = Double(n)
            let centre = (p + z * z / (2 * nn)) / (1 + z * z / nn)
            let half = z / (1 + z * z / nn) * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()
            return Interval(value: p, low: max(0, centre - half), high: min(1, centre + half))
        }
    }

    public var source: String
    public var units: [PlanUnit]
    public var evidence: [Evidence]
    /// Months the history covers ("2024-11…2026-10"), empty for a table.
    public var window: String
    /// The last month of the history (nil for a table): plans start the month after.
    public var through: Month?
    /// Current customers and MRR per segment, for projections (empty for a table).
    public var baseline: [String: PlanBaseline]
    public var notes: [String]

    public init(
        source: String, units: [PlanUnit], evidence: [Evidence] = [], window: String = "", through: Month? = nil,
        baseline: [String: PlanBaseline] = [:], notes: [String] = []
    ) {
        self.source = source
        self.units = units
        self.evidence = evidence
        self.window = window
        self.through = through
        self.baseline = baseline
        self.notes = notes
    }
}

/// Fits plan units from a store's history through the catalog reports.
public enum PlanHistory {
    public struct TooLittle: Error, CustomStringConvertible {
        public var description: String
    }

    /// What a plan allocates across.
    public enum Grain: String, Sendable, CaseIterable {
        /// One unit per segment.
        case segment
        /// One unit per channel within each segment ("Tech / Paid Search").
        case channel
    }

    /// One unit per segment (or channel within a segment) with marketing spend, leads, won deals and
    /// churn; `months` monthly windows (ending at the last complete month) for the lead-cost fit.
    public static func inputs(context: MetricContext, months: Int, source: String, by grain: Grain = .segment) throws
        -> PlanInputs
    {
        let end = context.lastCompleteMonth(atOrBefore: context.dataMonth)
        let margin = context.settings.grossMargin
        func table(_ report: String, _ from: Month, _ to: Month, by: Dimension? = nil) throws -> ReportTable {
            try ReportCatalog.run(
                ReportQuery(report: report, by: by, grain: .month, from: from, to: to, settings: context.settings),
                context: context)
        }
        func rows(_ t: ReportTable) -> [String: ReportTable.Row] {
            var out: [String: ReportTable.Row] = [:]
            for r in t.rows {
                guard case .text(let k) = r.cells[0], k != "Total", k != "(none)" else { continue }
                out[k] = r
            }
            return out
        }
        func value(_ t: ReportTable, _ row: ReportTable.Row?, _ column: String) -> Double? {
            guard let row, let i = t.columnIndex(column) else { return nil }
            if case .money(let m) = row.cells[i] {
                return Double(m) / Math.pow(10, Double(Currency.exponent(of: t.currency)))
            }
            return row.cells[i].doubleValue
        }
        let first = end.adding(-(months - 1))
        var spendSeries: [String: [Double]] = [:]
        var leadSeries: [String: [Double]] = [:]
        for m in 0..<months {
            let t = try table("segment-economics", first.adding(m), first.adding(m))
            for (k, r) in rows(t) {
                spendSeries[k, default: Array(repeating: 0, count: months)][m] = value(t, r, "marketing_spend") ?? 0
                leadSeries[k, default: Array(repeating: 0, count: months)][m] = value(t, r, "leads") ?? 0
            }
        }
        let year = end.adding(-11)...end
        let ttm = try table("segment-economics", year.lowerBound, end)
        let ttmRows = rows(ttm)
        let churnCounts = UnitEconomicsReports.churnCounts(context, window: year, by: .segment)
        var baseline: [String: PlanBaseline] = [:]
        let mrr = try table("mrr", end, end, by: .segment)
        for (k, r) in rows(mrr) {
            baseline[k] = PlanBaseline(customers: Int(value(mrr, r, "customers") ?? 0), mrr: value(mrr, r, "mrr") ?? 0)
        }
        var units: [PlanUnit] = []
        var evidence: [PlanInputs.Evidence] = []
        var notes: [String] = []
        for segment in spendSeries.keys.sorted() {
            guard let fit = LeadCostFit.fit(spend: spendSeries[segment]!, leads: leadSeries[segment] ?? []),
                let row = ttmRows[segment]
            else {
                notes.append("\(segment): no month with both marketing spend and leads; left out of the plan")
                continue
            }
            let leads = Int(value(ttm, row, "leads") ?? 0)
            let toOpp = value(ttm, row, "lead_to_opportunity") ?? 0
            let deals = Int(value(ttm, row, "deals") ?? 0)
            let won = value(ttm, row, "opportunity_to_won") ?? 0
            let closed = won > 0 ? Int((Double(deals) / won).rounded()) : 0
            let sales = value(ttm, row, "sales_spend") ?? 0
            let counts = churnCounts[segment] ?? (0, 0)
            guard deals > 0, leads > 0, counts.churned > 0 else {
                notes.append(
                    "\(segment): \(deals == 0 ? "no deal won" : "no churn") in \(year.lowerBound.iso)…\(end.iso); left out (its value per dollar is unknown)"
                )
                continue
            }
            let churn = Double(counts.churned) / Double(counts.customers)
            units.append(
                PlanUnit(
                    name: segment, marketingSpend: spendSeries[segment]!.suffix(12).reduce(0, +) / 12,
                    leadCost: fit.cost, leadToOpportunity: toOpp, opportunityToWon: won,
                    asp: value(ttm, row, "asp") ?? 0, salesCostPerDeal: sales / Double(deals), annualChurn: churn,
                    grossMargin: margin, dealsPerLead: Double(deals) / Double(leads)))
            evidence.append(
                .init(
                    unit: segment, leadCost: fit, leads: leads,
                    leadToOpportunity: .wilson(Int((toOpp * Double(leads)).rounded()), leads),
                    opportunityToWon: .wilson(deals, closed), dealsPerLead: .wilson(deals, leads), deals: deals,
                    closedDeals: closed, salesCostPerDeal: sales / Double(deals), churned: counts.churned,
                    customersAtStart: counts.customers, annualChurn: .wilson(counts.churned, counts.customers)))
            if fit.method == .linear { notes.append("\(segment): \(fit.reason)") }
        }
        if grain == .channel {
            let split = try channelUnits(
                context: context, segments: units, evidence: evidence, months: first...end, year: year,
                segmentSpend: spendSeries)
            units = split.units
            evidence = split.evidence
            notes += split.notes
        }
        guard !units.isEmpty else {
            throw TooLittle(
                description:
                    "no segment has marketing spend, leads, won deals and churn in \(first.iso)…\(end.iso); plan from a table with --economics"
            )
        }
        notes.append(
            "today = the average month of \(year.lowerBound.iso)…\(end.iso); deals per lead (deals won ÷ leads created), rates, ASP, sales cost per won deal and churn over those twelve months (segment-economics); lead cost fitted on \(months) monthly windows \(first.iso)…\(end.iso)"
        )
        return PlanInputs(
            source: source, units: units, evidence: evidence, window: "\(first.iso)…\(end.iso)", through: end,
            baseline: baseline, notes: notes)
    }

    /// Channel units within each fitted segment: a channel's monthly marketing spend is its tagged
    /// media that month times the segment's fully loaded marketing ÷ the segment's tagged media (so
    /// shared costs follow media, as the reports allocate them); its leads are the segment's people
    /// from that channel; deals are won new-business opportunities of that channel; sales cost per
    /// deal, churn and margin are the segment's.
    static func channelUnits(
        context: MetricContext, segments: [PlanUnit], evidence segmentEvidence: [PlanInputs.Evidence],
        months: ClosedRange<Month>, year: ClosedRange<Month>, segmentSpend: [String: [Double]]
    ) throws -> (units: [PlanUnit], evidence: [PlanInputs.Evidence], notes: [String]) {
        let count = months.upperBound.index - months.lowerBound.index + 1
        let scale = Math.pow(10, Double(Currency.exponent(of: context.currency)))
        struct Key: Hashable {
            var segment: String
            var channel: String
        }
        var media: [Key: [Double]] = [:]
        var segmentMedia: [String: [Double]] = [:]
        for e in context.inputs.spend where e.team == .marketing && e.category == .media && months.contains(e.month) {
            guard let segment = e.segment, let channel = e.channel else { continue }
            let m = e.month.index - months.lowerBound.index
            let amount = Double(try context.convert(e.amountMinor, currency: e.currency, month: e.month)) / scale
            media[Key(segment: segment, channel: channel), default: Array(repeating: 0, count: count)][m] += amount
            segmentMedia[segment, default: Array(repeating: 0, count: count)][m] += amount
        }
        var leads: [Key: [Double]] = [:]
        var yearLeads: [Key: (leads: Int, opportunities: Int)] = [:]
        for p in context.inputs.people {
            let month = p.createdAt.day.month
            guard months.contains(month), let a = p.accountId, let channel = p.channel else { continue }
            let key = Key(segment: context.value(of: .segment, account: context.resolver.resolve(a)), channel: channel)
            leads[key, default: Array(repeating: 0, count: count)][month.index - months.lowerBound.index] += 1
            if year.contains(month) {
                yearLeads[key, default: (0, 0)].leads += 1
                if p.opportunityAt != nil { yearLeads[key, default: (0, 0)].opportunities += 1 }
            }
        }
        var deals: [Key: (won: Int, closed: Int, bookings: Double)] = [:]
        for o in context.inputs.opportunities where o.type == .new && o.isClosed {
            guard let closed = o.closedOn, year.contains(closed.month), let channel = o.channel else { continue }
            let key = Key(segment: context.value(of: .segment, dealAccount: o.accountId), channel: channel)
            deals[key, default: (0, 0, 0)].closed += 1
            if o.isWon {
                deals[key]!.won += 1
                deals[key]!.bookings +=
                    Double(try context.convert(o.amountMinor, currency: o.currency, month: closed.month)) / scale
            }
        }
        var units: [PlanUnit] = []
        var evidence: [PlanInputs.Evidence] = []
        var notes: [String] = []
        for segment in segments {
            let keys = media.keys.filter { $0.segment == segment.segment }.sorted { $0.channel < $1.channel }
            for key in keys {
                let name = "\(key.segment) / \(key.channel)"
                let spend = (0..<count).map { m -> Double in
                    let total = segmentMedia[key.segment]?[m] ?? 0
                    guard total > 0 else { return 0 }
                    return media[key]![m] * (segmentSpend[key.segment]?[m] ?? 0) / total
                }
                let year = yearLeads[key] ?? (0, 0)
                let d = deals[key] ?? (0, 0, 0)
                guard let fit = LeadCostFit.fit(spend: spend, leads: leads[key] ?? []), year.leads > 0, d.won > 0
                else {
                    notes.append("\(name): no won deal or no lead in the twelve months; left out of the plan")
                    continue
                }
                let toOpp = Double(year.opportunities) / Double(year.leads)
                units.append(
                    PlanUnit(
                        name: name, segment: key.segment, marketingSpend: spend.suffix(12).reduce(0, +) / 12,
                        leadCost: fit.cost, leadToOpportunity: toOpp,
                        opportunityToWon: Double(d.won) / Double(d.closed), asp: d.bookings / Double(d.won),
                        salesCostPerDeal: segment.salesCostPerDeal, annualChurn: segment.annualChurn,
                        grossMargin: segment.grossMargin, dealsPerLead: Double(d.won) / Double(year.leads)))
                let base = segmentEvidence.first { $0.unit == segment.name }!
                evidence.append(
                    .init(
                        unit: name, leadCost: fit, leads: year.leads,
                        leadToOpportunity: .wilson(year.opportunities, year.leads),
                        opportunityToWon: .wilson(d.won, d.closed), dealsPerLead: .wilson(d.won, year.leads),
                        deals: d.won, closedDeals: d.closed, salesCostPerDeal: segment.salesCostPerDeal,
                        churned: base.churned, customersAtStart: base.customersAtStart, annualChurn: base.annualChurn))
            }
        }
        notes.append(
            "by channel: a channel's marketing is its media times its segment's fully loaded marketing ÷ media; its deals are won new-business opportunities of that channel; sales cost per deal and churn are the segment's"
        )
        return (units, evidence, notes)
    }
}
