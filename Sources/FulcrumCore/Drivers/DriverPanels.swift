/// Builds the driver panels from the store's records: one per objective, each row an account at
/// the moment it could reach the objective, with the activities measured in a window before.
///
/// - `opportunity`: each sales-led account's first lead; outcome: a new-business opportunity within
///   90 days of the lead's arrival; drivers from the lead's first 14 days.
/// - `win`: each closed new-business deal; outcome: won; drivers from the deal's life before its close.
/// - `churn`: each paying customer in each quarter; outcome: churned in the quarter; drivers from the
///   quarter before (the lag).
public enum DriverPanels {
    public static let objectiveIds = ["opportunity", "win", "churn"]

    /// Days after a lead's arrival in which its drivers are counted, and days in which an opportunity counts.
    public static let leadWindowDays = 14
    public static let opportunityWindowDays = 90

    /// Touch kinds the drivers read (what `MetricInputs.driverTouches` must hold).
    public static let touchKinds: [Touch.Kind] = [.webinar, .event, .contentDownload, .emailClick, .emailOpen]

    public static func build(_ context: MetricContext, objectives: [String] = objectiveIds) -> [DriverPanel] {
        var out: [DriverPanel] = []
        let facts = Facts(context)
        for id in objectives {
            switch id {
            case "opportunity": out.append(opportunity(context, facts))
            case "win": out.append(win(context, facts))
            case "churn": out.append(churn(context, facts))
            default: break
            }
        }
        return out
    }

    /// Lookups every panel shares, keyed by surviving account.
    struct Facts {
        var touchesByAccount: [Int64: [(kind: Touch.Kind, at: Timestamp)]] = [:]
        var referredOn: [Int64: Day] = [:]
        var newDealsByAccount: [Int64: [Day]] = [:]
        var anyDeal: Set<Int64> = []
        var subscribed: Set<Int64> = []

        init(_ context: MetricContext) {
            let resolve = context.resolver.resolve
            for t in context.inputs.driverTouches {
                touchesByAccount[resolve(t.accountId), default: []].append((t.kind, t.at))
            }
            for r in context.inputs.referrals {
                let a = resolve(r.accountId)
                referredOn[a] = min(referredOn[a] ?? r.referredOn, r.referredOn)
            }
            for o in context.inputs.opportunities {
                guard let raw = o.accountId else { continue }
                let a = resolve(raw)
                anyDeal.insert(a)
                if o.type == .new { newDealsByAccount[a, default: []].append(o.createdOn) }
            }
            for s in context.inputs.subscriptions { subscribed.insert(resolve(s.accountId)) }
        }
    }

    // MARK: Objectives

    static func opportunity(_ context: MetricContext, _ facts: Facts) -> DriverPanel {
        let sla = context.settings.lifecycle.responseSLAMinutes
        let objective = DriverObjective(
            id: "opportunity", name: "opportunity rate", unit: "lead",
            outcome: "a new-business opportunity within \(opportunityWindowDays) days of the account's first lead",
            window: "the lead's first \(leadWindowDays) days")
        let drivers = [
            DriverSpec(
                id: "fast_response", label: "answered within \(sla) min", kind: .action, measure: "with vs without"),
            DriverSpec(id: "webinar", label: "attended a webinar", kind: .action, measure: "with vs without"),
            DriverSpec(id: "referral", label: "referred by a customer", kind: .action, measure: "with vs without"),
            DriverSpec(id: "events", label: "event touches", kind: .action, measure: "per touch"),
            DriverSpec(id: "content", label: "content downloads", kind: .action, measure: "per touch"),
            DriverSpec(id: "email_clicks", label: "e-mail clicks", kind: .action, measure: "per touch"),
            DriverSpec(id: "email_opens", label: "e-mail opens", kind: .action, measure: "per touch"),
        ]
        var panel = DriverPanel(
            objective: objective, drivers: drivers, controlNames: ["segment", "size", "month of year", "year"])
        let firstResponse = firstResponses(context)
        // Each account's first person is its lead.
        var lead: [Int64: Person] = [:]
        for p in context.inputs.people {
            guard let raw = p.accountId else { continue }
            let a = context.resolver.resolve(raw)
            if let current = lead[a], (current.createdAt, current.id) <= (p.createdAt, p.id) { continue }
            lead[a] = p
        }
        let through = context.inputs.dataThrough
        var controls = ControlColumns(context)
        var selfServe = 0
        for a in lead.keys.sorted() {
            let person = lead[a]!
            let arrived = person.createdAt
            guard arrived.day + opportunityWindowDays <= through, context.account(a) != nil else { continue }
            if facts.subscribed.contains(a), !facts.anyDeal.contains(a) {
                selfServe += 1
                continue
            }
            let deals = facts.newDealsByAccount[a] ?? []
            // Already in sales before this lead: not a lead-to-opportunity case.
            if deals.contains(where: { $0 < arrived.day }) { continue }
            let converted = deals.contains { $0 <= arrived.day + opportunityWindowDays }
            let windowEnd = arrived + Int64(leadWindowDays) * 86_400
            var counts: [Touch.Kind: Int] = [:]
            for t in facts.touchesByAccount[a] ?? [] where t.at >= arrived && t.at < windowEnd {
                counts[t.kind, default: 0] += 1
            }
            var values: [Double] = []
            let fast = firstResponse[person.id].map { $0.seconds - arrived.seconds <= Int64(sla) * 60 } ?? false
            values.append(fast ? 1 : 0)
            values.append((counts[.webinar] ?? 0) > 0 ? 1 : 0)
            values.append(facts.referredOn[a].map { $0 <= windowEnd.day } == true ? 1 : 0)
            values.append(Double(counts[.event] ?? 0))
            values.append(Double(counts[.contentDownload] ?? 0))
            values.append(Double(counts[.emailClick] ?? 0))
            values.append(Double(counts[.emailOpen] ?? 0))
            panel.append(outcome: converted, cluster: a, drivers: values)
            controls.row(account: a, season: arrived.day.month.month, year: arrived.day.year)
        }
        controls.finish(&panel, seasonCount: 12)
        if selfServe > 0 {
            panel.notes.append(
                "\(selfServe) accounts that bought or trialled on their own (no opportunity ever) are left out: they "
                    + "never enter the sales process.")
        }
        return panel
    }

    /// Each person's first human answer: the store's roll-up, or else worked out from the activities
    /// (the lifecycle reports' rule: a non-automated activity of the response kinds at or after creation).
    static func firstResponses(_ context: MetricContext) -> [Int64: Timestamp] {
        if let rolledUp = context.inputs.firstResponses {
            return Dictionary(rolledUp.map { ($0.personId, $0.at) }, uniquingKeysWith: min)
        }
        let kinds = Set(context.settings.lifecycle.responseKinds)
        var created: [Int64: Timestamp] = [:]
        for p in context.inputs.people { created[p.id] = p.createdAt }
        var first: [Int64: Timestamp] = [:]
        for a in context.inputs.activities where !a.automated && kinds.contains(a.kind) {
            guard let person = a.personId, let c = created[person], a.occurredAt >= c else { continue }
            first[person] = min(first[person] ?? a.occurredAt, a.occurredAt)
        }
        return first
    }

    static func win(_ context: MetricContext, _ facts: Facts) -> DriverPanel {
        let objective = DriverObjective(
            id: "win", name: "win rate", unit: "deal", outcome: "a closed new-business opportunity won",
            window: "the deal's life, from its creation to its close")
        let drivers = [
            DriverSpec(id: "demo", label: "had a demo", kind: .action, measure: "with vs without"),
            DriverSpec(id: "calls", label: "calls", kind: .action, measure: "per call"),
            DriverSpec(id: "emails", label: "e-mails", kind: .action, measure: "per e-mail"),
            DriverSpec(id: "meetings", label: "meetings", kind: .action, measure: "per meeting"),
        ]
        var panel = DriverPanel(
            objective: objective, drivers: drivers, controlNames: ["segment", "size", "month of year", "year"])
        var perDeal: [Int64: (demo: Bool, calls: Int, emails: Int, meetings: Int)] = [:]
        var closedOn: [Int64: Day] = [:]
        for o in context.inputs.opportunities where o.type == .new && o.isClosed {
            if let c = o.closedOn { closedOn[o.id] = c }
        }
        for act in context.inputs.activities where !act.automated {
            guard let deal = act.opportunityId, let close = closedOn[deal], act.occurredAt.day <= close else {
                continue
            }
            var v = perDeal[deal] ?? (false, 0, 0, 0)
            switch act.kind {
            case .demo: v.demo = true
            case .call: v.calls += 1
            case .email: v.emails += 1
            case .meeting: v.meetings += 1
            }
            perDeal[deal] = v
        }
        var controls = ControlColumns(context)
        let deals = context.inputs.opportunities.filter { $0.type == .new && $0.isClosed && $0.closedOn != nil }
            .sorted { $0.id < $1.id }
        for o in deals {
            guard let raw = o.accountId else { continue }
            let a = context.resolver.resolve(raw)
            guard context.account(a) != nil else { continue }
            let v = perDeal[o.id] ?? (false, 0, 0, 0)
            panel.append(
                outcome: o.isWon, cluster: a,
                drivers: [v.demo ? 1 : 0, Double(v.calls), Double(v.emails), Double(v.meetings)])
            controls.row(account: a, season: o.createdOn.month.month, year: o.createdOn.year)
        }
        controls.finish(&panel, seasonCount: 12)
        return panel
    }

    static func churn(_ context: MetricContext, _ facts: Facts) -> DriverPanel {
        let objective = DriverObjective(
            id: "churn", name: "quarterly churn", unit: "customer-quarter",
            outcome: "a paying customer at the start of a quarter churns in it (the MRR ledger's churn movement)",
            window: "the quarter before")
        let drivers = [
            DriverSpec(id: "referral", label: "referred by a customer", kind: .action, measure: "with vs without"),
            DriverSpec(id: "meetings", label: "meetings", kind: .action, measure: "per meeting"),
            DriverSpec(id: "webinar", label: "webinar touches", kind: .action, measure: "per touch"),
            DriverSpec(id: "tickets", label: "support tickets", kind: .signal, measure: "per ticket"),
            DriverSpec(id: "urgent_tickets", label: "high/urgent tickets", kind: .signal, measure: "per ticket"),
        ]
        var panel = DriverPanel(
            objective: objective, drivers: drivers,
            controlNames: ["segment", "size", "tenure", "quarter of year", "year"])
        let ledger = context.ledger
        // Quarter index = month index / 3; a complete quarter ends on or before the last complete month.
        let lastMonth = context.dataMonthComplete ? context.dataMonth : context.dataMonth.adding(-1)
        let lastQuarter = (lastMonth.index + 1) / 3 - 1
        func quarter(_ m: Month) -> Int { m.index >= 0 ? m.index / 3 : (m.index - 2) / 3 }
        func quarter(_ t: Timestamp) -> Int { quarter(t.day.month) }
        // Per account and quarter: meetings, webinar touches, tickets (all, and high or urgent).
        struct Counts { var meetings = 0, webinars = 0, tickets = 0, urgent = 0 }
        var counts: [Int64: [Int: Counts]] = [:]
        let resolve = context.resolver.resolve
        for act in context.inputs.activities where !act.automated && act.kind == .meeting {
            guard let raw = act.accountId else { continue }
            counts[resolve(raw), default: [:]][quarter(act.occurredAt), default: Counts()].meetings += 1
        }
        for (a, touches) in facts.touchesByAccount {
            for t in touches where t.kind == .webinar {
                counts[a, default: [:]][quarter(t.at), default: Counts()].webinars += 1
            }
        }
        for t in context.inputs.tickets {
            let a = resolve(t.accountId)
            var c = counts[a, default: [:]][quarter(t.openedAt), default: Counts()]
            c.tickets += 1
            if t.priority == "high" || t.priority == "urgent" { c.urgent += 1 }
            counts[a, default: [:]][quarter(t.openedAt)] = c
        }
        var controls = ControlColumns(context)
        // Walk each account's months once: paying at the end of the quarter before, and a churn in the quarter.
        var i = 0
        let mrr = ledger.accountMRR
        var churnQuarters: [Int64: Set<Int>] = [:]
        for m in ledger.movements where m.kind == .churn {
            churnQuarters[m.accountId, default: []].insert(quarter(m.month))
        }
        while i < mrr.count {
            let a = mrr[i].accountId
            var payingAtEnd: Set<Int> = []  // quarters at whose last month the account paid
            var firstPaid = Int.max
            while i < mrr.count, mrr[i].accountId == a {
                let m = mrr[i].month
                if mrr[i].mrrMinor > 0 {
                    firstPaid = min(firstPaid, m.index)
                    if (m.index + 1) % 3 == 0 { payingAtEnd.insert(quarter(m)) }
                }
                i += 1
            }
            guard context.account(a) != nil else { continue }
            let referred = facts.referredOn[a] != nil
            for q in payingAtEnd.sorted() where q + 1 <= lastQuarter {
                let next = q + 1
                let c = counts[a]?[q] ?? Counts()
                let tenureYears = Double(next * 3 - firstPaid) / 12
                panel.append(
                    outcome: churnQuarters[a]?.contains(next) == true, cluster: a,
                    drivers: [
                        referred ? 1 : 0, Double(c.meetings), Double(c.webinars), Double(c.tickets), Double(c.urgent),
                    ])
                controls.row(
                    account: a, season: (next % 4 + 4) % 4 + 1, year: Month(index: next * 3).year, extra: [tenureYears])
            }
        }
        controls.finish(&panel, seasonCount: 4, extraNames: ["tenure (years)"])
        return panel
    }
}

extension DriverPanel {
    /// One row; its controls are recorded beside it by `ControlColumns.row` and written by `finish`.
    mutating func append(outcome: Bool, cluster: Int64, drivers: [Double]) {
        outcomes.append(outcome ? 1 : 0)
        clusters.append(cluster)
        for d in drivers.indices { driverValues[d].append(drivers[d]) }
    }
}

/// The controls of every panel: segment dummies, log head count (with a flag where it is unknown),
/// season dummies and a linear year trend. Segments are collected as rows come, so `finish` names
/// the columns and pads earlier rows.
struct ControlColumns {
    let context: MetricContext
    var segments: [String] = []
    var segmentIndex: [String: Int] = [:]
    var rows: [(segment: Int, logSize: Double, sizeKnown: Bool, season: Int, year: Int, extra: [Double])] = []

    init(_ context: MetricContext) { self.context = context }

    /// Records one row's controls; the panel's values are filled in by `finish`.
    mutating func row(account: Int64, season: Int, year: Int, extra: [Double] = []) {
        let acc = context.account(account)
        let segment = acc?.segment ?? "(none)"
        let s: Int
        if let known = segmentIndex[segment] {
            s = known
        } else {
            s = segments.count
            segmentIndex[segment] = s
            segments.append(segment)
        }
        let employees = acc?.employees
        rows.append(
            (s, employees.map { Math.log(Double(max(1, $0))) } ?? 0, employees != nil, season, year, extra))
    }

    /// Writes the control columns: the most common segment and the first season are the baselines.
    func finish(_ panel: inout DriverPanel, seasonCount: Int, extraNames: [String] = []) {
        var segmentCounts = [Int](repeating: 0, count: segments.count)
        for r in rows { segmentCounts[r.segment] += 1 }
        let base = segmentCounts.indices.max { segmentCounts[$0] < segmentCounts[$1] } ?? 0
        var names: [String] = []
        var columns: [[Double]] = []
        for s in segments.indices where s != base {
            names.append("segment=\(segments[s])")
            columns.append(rows.map { $0.segment == s ? 1 : 0 })
        }
        names.append("log employees")
        columns.append(rows.map(\.logSize))
        names.append("employees unknown")
        columns.append(rows.map { $0.sizeKnown ? 0 : 1 })
        for season in 2...max(2, seasonCount) where season <= seasonCount {
            names.append(seasonCount == 4 ? "Q\(season)" : "month=\(season)")
            columns.append(rows.map { $0.season == season ? 1 : 0 })
        }
        let firstYear = rows.map(\.year).min() ?? 0
        names.append("year")
        columns.append(rows.map { Double($0.year - firstYear) })
        for (j, name) in extraNames.enumerated() {
            names.append(name)
            columns.append(rows.map { j < $0.extra.count ? $0.extra[j] : 0 })
        }
        panel.controls = names
        panel.controlValues = columns
    }
}
