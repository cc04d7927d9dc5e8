/// Everything the reports share, computed once per run: the merge resolver, the MRR
/// ledger over the whole history (so new vs reactivation and cohorts see every month),
/// each surviving account's dimension values, and currency conversion.
///
/// Accounts merged into another count once, under the survivor: every account id from
/// any record goes through `resolve` before it is counted.
public struct MetricContext: Sendable {
    public private(set) var inputs: MetricInputs
    /// Work several reports of one run share (every lead's journey), computed on first use.
    let shared = SharedWork()
    public let settings: MetricSettings
    public let resolver: AccountResolver
    public let ledger: RevenueLedger
    public let fx: FXTable
    /// Last month with data, and whether it is complete.
    public let dataMonth: Month
    public let dataMonthComplete: Bool
    /// Surviving accounts by id: their position in `inputs.accounts`.
    let accountById: [Int64: Int]
    /// First month with MRR > 0 (the `new` movement) per surviving account.
    public let firstPaidMonth: [Int64: Month]
    let repName: [Int64: String]
    let planOf: [Int64: String]
    let channelOf: [Int64: String]
    /// Acquisition campaign per surviving account (see `campaignRule`).
    let campaignOf: [Int64: String]
    /// Campaign names by id ("campaign ID" when the store has no name).
    let campaignNames: [Int64: String]
    let customOf: [Int64: [String: String]]
    /// Surviving accounts whose subscriptions never came from an opportunity (bought with no salesperson).
    public let selfServe: Set<Int64>

    public init(inputs: MetricInputs, settings: MetricSettings = MetricSettings()) throws {
        self.inputs = inputs
        self.settings = settings
        let resolver = AccountResolver(accounts: inputs.accounts)
        self.resolver = resolver
        dataMonth = inputs.dataThrough.month
        dataMonthComplete = inputs.dataThrough == inputs.dataThrough.month.lastDay
        let fx = FXTable(rates: inputs.fxRates)
        self.fx = fx
        let first = inputs.subscriptions.lazy.map(\.startedOn).min()?.month ?? dataMonth
        ledger = try computeLedger(
            stored: inputs.subscriptions, changes: inputs.changes, statusPeriods: inputs.statusPeriods,
            accountFor: resolver.resolve, settings: settings.revenue, fx: fx,
            from: min(first, dataMonth), to: dataMonth)

        var byId: [Int64: Int] = [:]
        byId.reserveCapacity(inputs.accounts.count)
        let accounts = inputs.accounts
        for i in accounts.indices {
            let id = accounts[i].id
            if accounts[i].mergedInto == nil || resolver.resolve(id) == id { byId[id] = i }
        }
        accountById = byId
        var firstPaid: [Int64: Month] = [:]
        firstPaid.reserveCapacity(byId.count)
        for m in ledger.movements where m.kind == .new { firstPaid[m.accountId] = m.month }
        firstPaidMonth = firstPaid
        var reps: [Int64: String] = [:]
        for r in inputs.reps { reps[r.id] = r.name }
        repName = reps

        var plan: [Int64: (Day, Int64, String)] = [:]
        var hasOpportunity: Set<Int64> = []
        var subscribed: Set<Int64> = []
        plan.reserveCapacity(byId.count)
        subscribed.reserveCapacity(byId.count)
        // Fields read in place (copying a whole Subscription retains its strings); a run of one account's
        // subscriptions is folded locally and written once: its earliest (start, id) plan, whether any
        // came from an opportunity.
        let subscriptions = inputs.subscriptions
        var runAccount: Int64?
        var runPlan = (Day(ordinal: 0), Int64(0), "")
        var runOpportunity = false
        func flush() {
            guard let a = runAccount else { return }
            subscribed.insert(a)
            if runOpportunity { hasOpportunity.insert(a) }
            if let current = plan[a], (current.0, current.1) <= (runPlan.0, runPlan.1) { return }
            plan[a] = runPlan
        }
        for i in subscriptions.indices {
            let a = resolver.resolve(subscriptions[i].accountId)
            let startedOn = subscriptions[i].startedOn
            let id = subscriptions[i].id
            if a != runAccount {
                flush()
                runAccount = a
                runPlan = (startedOn, id, subscriptions[i].plan)
                runOpportunity = subscriptions[i].opportunityId != nil
                continue
            }
            if subscriptions[i].opportunityId != nil { runOpportunity = true }
            if (runPlan.0, runPlan.1) <= (startedOn, id) { continue }
            runPlan = (startedOn, id, subscriptions[i].plan)
        }
        flush()
        planOf = plan.mapValues(\.2)
        selfServe = subscribed.subtracting(hasOpportunity)

        var names: [Int64: String] = [:]
        for c in inputs.campaigns { names[c.id] = c.name.isEmpty ? "campaign \(c.id)" : c.name }
        campaignNames = names
        // The acquisition channel and campaign of every account are worked out only for a query that slices
        // by them (a pass over every lead and deal): `MetricInputs.acquisitionDimensions`.
        guard inputs.acquisitionDimensions else {
            channelOf = [:]
            campaignOf = [:]
            customOf = MetricContext.customFields(inputs, resolver)
            return
        }
        // Acquisition channel: the channel of the account's first won new-business opportunity;
        // without one (self-serve), the channel of its earliest lead; else "(none)".
        var won: [Int64: (Day, Int64, String)] = [:]
        for o in inputs.opportunities where o.type == .new && o.isWon {
            guard let channel = o.channel ?? o.leadSource, let accountId = o.accountId else { continue }
            let a = resolver.resolve(accountId)
            let when = o.closedOn ?? o.createdOn
            if let current = won[a], (current.0, current.1) <= (when, o.id) { continue }
            won[a] = (when, o.id, channel)
        }
        var lead: [Int64: (Timestamp, Int64, String)] = [:]
        for p in inputs.people {
            guard let accountId = p.accountId, let channel = p.channel ?? p.leadSource else { continue }
            let a = resolver.resolve(accountId)
            if let current = lead[a], (current.0, current.1) <= (p.createdAt, p.id) { continue }
            lead[a] = (p.createdAt, p.id, channel)
        }
        var channel = lead.mapValues(\.2)
        for (a, w) in won { channel[a] = w.2 }
        channelOf = channel

        // Acquisition campaign: the campaign of the account's first touch (merged duplicates pooled);
        // when that touch has none, the campaign of its earliest lead that has one; else "(none)".
        func nameOf(_ id: Int64) -> String { names[id] ?? "campaign \(id)" }
        var firstTouch: [Int64: (Timestamp, Int64, Int64?)] = [:]
        for t in inputs.firstCampaignTouches {
            let a = resolver.resolve(t.accountId)
            if let current = firstTouch[a], (current.0, current.1) <= (t.at, t.accountId) { continue }
            firstTouch[a] = (t.at, t.accountId, t.campaignId)
        }
        var leadCampaign: [Int64: (Timestamp, Int64, Int64)] = [:]
        for p in inputs.people {
            guard let accountId = p.accountId, let campaign = p.campaignId else { continue }
            let a = resolver.resolve(accountId)
            if let current = leadCampaign[a], (current.0, current.1) <= (p.createdAt, p.id) { continue }
            leadCampaign[a] = (p.createdAt, p.id, campaign)
        }
        var campaign: [Int64: String] = [:]
        for (a, l) in leadCampaign { campaign[a] = nameOf(l.2) }
        for (a, t) in firstTouch { if let id = t.2 { campaign[a] = nameOf(id) } }
        campaignOf = campaign

        customOf = MetricContext.customFields(inputs, resolver)
    }

    /// Adds inputs `init` does not read, so the largest reads can come after the ledger is built and its
    /// working memory freed. `init` reads accounts, billing, FX rates, reps, campaigns and account custom
    /// fields, and with acquisition dimensions opportunities, people and first campaign touches too: changing
    /// any of those here would leave what was worked out from them stale, and stops the program.
    public mutating func addInputs(_ add: (inout MetricInputs) throws -> Void) rethrows {
        func readByInit(_ i: MetricInputs) -> [Int] {
            [
                i.accounts.count, i.subscriptions.count, i.changes.count, i.statusPeriods.count, i.fxRates.count,
                i.reps.count, i.campaigns.count, i.customFields.count,
            ] + (i.acquisitionDimensions ? [i.opportunities.count, i.people.count, i.firstCampaignTouches.count] : [])
        }
        let before = readByInit(inputs)
        try add(&inputs)
        precondition(readByInit(inputs) == before, "addInputs changed an input MetricContext.init had read")
    }

    /// Account custom fields by surviving account; the survivor's own value wins over a merged duplicate's.
    static func customFields(_ inputs: MetricInputs, _ resolver: AccountResolver) -> [Int64: [String: String]] {
        var custom: [Int64: [String: String]] = [:]
        for f in inputs.customFields where f.entity == "accounts" {
            let a = resolver.resolve(f.accountId ?? f.recordId)
            if custom[a]?[f.name] != nil, f.recordId != a { continue }
            custom[a, default: [:]][f.name] = f.value
        }
        return custom
    }

    public var currency: String { settings.revenue.reportingCurrency }

    /// A spend amount as a cell: blank when the store holds no spend at all (unknown is not $0).
    public func spendCell(_ minor: Int64) -> ReportTable.Cell { inputs.spend.isEmpty ? .blank : .money(minor) }

    /// The value of `dimension` for a surviving account; "(none)" when it has none.
    public func value(of dimension: Dimension, account id: Int64) -> String {
        switch dimension {
        case .segment: account(id)?.segment ?? "(none)"
        case .plan: planOf[id] ?? "(none)"
        case .channel: channelOf[id] ?? "(none)"
        case .rep: account(id)?.ownerRepId.flatMap { repName[$0] } ?? "(none)"
        case .cohort: firstPaidMonth[id]?.iso ?? "(none)"
        case .customField(let name): customOf[id]?[name] ?? "(none)"
        case .campaign: campaignOf[id] ?? "(none)"
        case .period, .owner, .team, .product, .source, .demo: "(none)"
        }
    }

    /// The value of `dimension` for a deal's account (after merges); "(none)" for a
    /// deal without an account, which still counts in every total.
    public func value(of dimension: Dimension, dealAccount id: Int64?) -> String {
        guard let id else { return "(none)" }
        return value(of: dimension, account: resolver.resolve(id))
    }

    /// How an account is attributed to a campaign, printed with campaign-sliced reports.
    public static let campaignRule = """
        an account belongs to the campaign of its first touch (merged duplicates pooled); when that touch has no campaign, \
        to the campaign of its earliest lead that has one (people.campaign_id); else to (none). A lead belongs to its own campaign_id
        """

    /// The name of a campaign id, "(none)" for nil.
    public func campaignName(_ id: Int64?) -> String {
        guard let id else { return "(none)" }
        return campaignNames[id] ?? "campaign \(id)"
    }

    public func account(_ id: Int64) -> Account? { accountById[id].map { inputs.accounts[$0] } }

    /// Custom field names present on accounts, for error messages.
    public var customFieldNames: [String] { Array(Set(customOf.values.flatMap(\.keys))).sorted() }

    /// `minor` in `currency` converted to the reporting currency at `month`'s rate.
    public func convert(_ minor: Int64, currency code: String, month: Month) throws -> Int64 {
        if code.uppercased() == currency.uppercased() { return minor }
        guard let rate = fx.rate(month: month, currency: code) else {
            throw RevenueError.missingFXRate(month: month, currency: code)
        }
        return roundMinor(Double(minor) * Currency.minorScale(rate: rate, from: code, to: currency))
    }

    /// Calendar periods for `query`: `--from`/`--to` widened to whole periods, `to` defaulting to the
    /// data month and `from` to twelve periods (five years) before it; the last period is clipped
    /// to the data and marked partial when incomplete.
    public func periods(_ query: ReportQuery, defaultCount: Int = 12) throws -> [Period] {
        try Self.periods(query, dataMonth: dataMonth, dataMonthComplete: dataMonthComplete, defaultCount: defaultCount)
    }

    /// The same periods before any data is read (the store needs only its data-through day).
    public static func periods(
        _ query: ReportQuery, dataMonth: Month, dataMonthComplete: Bool, defaultCount: Int = 12
    ) throws -> [Period] {
        let grain = query.grain
        let to = query.to ?? dataMonth
        guard to <= dataMonth else {
            throw MetricError(
                parameter: "--to", reason: "\(to.iso) is after the last month with data (\(dataMonth.iso))")
        }
        let count = grain == .year ? min(defaultCount, 5) : defaultCount
        let from = query.from ?? grain.start(of: to).adding(-(count - 1) * grain.length)
        guard from <= to else { throw MetricError(parameter: "--from", reason: "\(from.iso) is after --to \(to.iso)") }
        var out: [Period] = []
        var start = grain.start(of: from)
        while start <= to {
            let end = start.adding(grain.length - 1)
            let last = min(end, to)
            let partial = end > dataMonth || (last == dataMonth && !dataMonthComplete)
            out.append(Period(label: grain.label(start), first: start, last: last, partial: partial))
            start = start.adding(grain.length)
        }
        return out
    }

    /// The ledger row for `month`, or an empty month outside the ledger's range.
    public func monthRow(_ month: Month) -> MonthlyMovements {
        ledger.row(for: month) ?? MonthlyMovements(month: month)
    }

    /// The latest complete month at or before `month`.
    public func lastCompleteMonth(atOrBefore month: Month) -> Month {
        (month == dataMonth && !dataMonthComplete) ? month.adding(-1) : month
    }
}
