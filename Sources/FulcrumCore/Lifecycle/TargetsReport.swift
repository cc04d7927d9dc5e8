/// `targets`: every target row against its actual, so a team can see that it beat its lead goal
/// while bookings missed. Targets are monthly rows (company, team, segment or rep); a period adds
/// up its months for flows (leads, bookings), takes its last month for levels (MRR) and the mean
/// for rates (churn, ASP, upsell share).
enum TargetsReport {
    enum Kind { case flow, level, rate }

    /// The target metrics Fulcrum can measure, how a period aggregates them, whether money (targets hold
    /// major units), and whether lower is better.
    static let metrics: [String: (kind: Kind, money: Bool, lowerIsBetter: Bool, meaning: String)] = [
        "leads": (.flow, false, false, "people created"),
        "mqls": (.flow, false, false, "people reaching MQL"),
        "sqls": (.flow, false, false, "people reaching SQL"),
        "demos": (.flow, false, false, "demo activities held (not automated)"),
        "opportunities": (.flow, false, false, "new-business opportunities created"),
        "bookings": (.flow, true, false, "won new-business and upsell amounts by close date"),
        "new_bookings": (.flow, true, false, "won new-business amounts by close date (what `fulcrum plan` targets)"),
        "new_customers": (.flow, false, false, "accounts paying for the first time"),
        "net_new_asp": (.rate, true, false, "new-business bookings ÷ won new-business deals"),
        "upsell_share": (.rate, false, false, "upsell bookings ÷ (new + upsell) bookings"),
        "churn_rate": (
            .rate, false, true,
            "monthly logo churn (accounts that stopped paying ÷ paying accounts at the month's start), averaged over the period's months"
        ),
        "mrr": (.level, true, false, "MRR at the period's end"),
    ]

    /// The tally rows a record adds to besides the company's (row indexes; -1 for none).
    struct Scopes {
        var segment = -1, rep = -1, team = -1
    }

    struct Tally {
        var leads = 0, mqls = 0, sqls = 0, demos = 0, opportunities = 0, newCustomers = 0
        var newBookings: Int64 = 0, wonNew = 0, upsellBookings: Int64 = 0
        var churned = 0, openingCustomers = 0
        var mrr: Int64 = 0
    }

    static func report(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let periods = try context.periods(query)
        let inputs = context.inputs
        let deals = DealFacts(context)
        let leads = context.leadJourneys
        var teamFunction: [String: Team.Function] = [:]
        for t in inputs.teams { teamFunction[t.name] = t.function }
        var teamByKey: [String: String] = [:]
        for t in inputs.teams { teamByKey[t.name.lowercased()] = t.name }
        var segmentByKey: [String: String] = [:]
        for a in inputs.accounts { if let s = a.segment { segmentByKey[s.lowercased()] = s } }
        var unmatched: Set<String> = []
        var repByKey: [String: Int64] = [:]
        for r in inputs.reps {
            repByKey[String(r.id)] = r.id
            repByKey[r.name.lowercased()] = r.id
            if let e = r.email { repByKey[e.lowercased()] = r.id }
        }
        // Tallies per scope ("company", "segment:X", "team:X", "rep:ID") and month of the report's range,
        // in flat arrays: a medium company adds a few million facts.
        let firstMonth = periods[0].first
        let span = firstMonth.distance(to: periods[periods.count - 1].last) + 1
        var scopeIndex: [String: Int] = ["company": 0]
        var tallies: [[Tally]] = [Array(repeating: Tally(), count: span)]
        func scope(_ key: String) -> Int {
            if let i = scopeIndex[key] { return i }
            scopeIndex[key] = tallies.count
            tallies.append(Array(repeating: Tally(), count: span))
            return tallies.count - 1
        }
        // The rows a record adds to (besides the company's), worked out once per account and per rep: a
        // large company adds tens of millions of facts, and a segment's name is hashed once per account.
        var segmentScope: [String: Int] = [:]
        var accountSegment: [Int64: Int] = [:]
        var repScopes: [Int64: (rep: Int, team: Int)] = [:]
        func scopes(account: Int64?, rep: Int64?) -> Scopes {
            var s = Scopes()
            if let account {
                if let known = accountSegment[account] {
                    s.segment = known
                } else {
                    if let segment = context.account(account)?.segment {
                        s.segment =
                            segmentScope[segment]
                            ?? {
                                let i = scope("segment:" + segment)
                                segmentScope[segment] = i
                                return i
                            }()
                    }
                    accountSegment[account] = s.segment
                }
            }
            if let rep {
                let r =
                    repScopes[rep]
                    ?? {
                        let r = (scope("rep:\(rep)"), scope("team:" + deals.team(rep)))
                        repScopes[rep] = r
                        return r
                    }()
                s.rep = r.rep
                s.team = r.team
            }
            return s
        }
        func add(_ month: Month, _ s: Scopes, _ body: (inout Tally) -> Void) {
            let m = firstMonth.distance(to: month)
            guard m >= 0, m < span else { return }
            body(&tallies[0][m])
            if s.segment >= 0 { body(&tallies[s.segment][m]) }
            if s.rep >= 0 {
                body(&tallies[s.rep][m])
                body(&tallies[s.team][m])
            }
        }
        for j in leads.journeys {
            let s = scopes(account: j.account, rep: j.ownerRepId)
            add(j.lead.day.month, s) { $0.leads += 1 }
            if let m = j.mql { add(m.day.month, s) { $0.mqls += 1 } }
            if let q = j.sql { add(q.day.month, s) { $0.sqls += 1 } }
        }
        for a in inputs.activities where a.kind == .demo && !a.automated {
            let s = scopes(account: a.accountId.map(context.resolver.resolve), rep: a.repId)
            add(a.occurredAt.day.month, s) { $0.demos += 1 }
        }
        for o in inputs.opportunities {
            let s = scopes(account: o.accountId.map(context.resolver.resolve), rep: o.ownerRepId)
            if o.type == .new { add(o.createdOn.month, s) { $0.opportunities += 1 } }
            guard o.isWon, let closed = o.closedOn, o.type != .renewal else { continue }
            let amount = try deals.amount(o, closed.month)
            add(closed.month, s) {
                if o.type == .new {
                    $0.newBookings += amount
                    $0.wonNew += 1
                } else {
                    $0.upsellBookings += amount
                }
            }
        }
        // MRR and churn by account owner; an account's scopes are kept while its run of entries lasts.
        var lastAccount: Int64?
        var lastScopes = Scopes()
        func ownerScopes(_ a: Int64) -> Scopes {
            if a != lastAccount {
                lastAccount = a
                lastScopes = scopes(account: a, rep: context.account(a)?.ownerRepId)
            }
            return lastScopes
        }
        for m in context.ledger.movements {
            switch m.kind {
            case .new: add(m.month, ownerScopes(m.accountId)) { $0.newCustomers += 1 }
            case .churn: add(m.month, ownerScopes(m.accountId)) { $0.churned += 1 }
            default: break
            }
        }
        let firstNeeded = periods[0].first.adding(-1)
        let lastNeeded = periods[periods.count - 1].last
        for e in context.ledger.accountMRR where e.mrrMinor > 0 && e.month >= firstNeeded && e.month <= lastNeeded {
            let s = ownerScopes(e.accountId)
            add(e.month, s) { $0.mrr += e.mrrMinor }
            // A paying account at a month's end is an opening customer of the next month.
            add(e.month.adding(1), s) { $0.openingCustomers += 1 }
        }

        var table = ReportTable(
            report: "targets", title: "Targets against actuals: attainment and gap per company, team, segment and rep",
            currency: context.currency,
            columns: LifecycleColumns.keys(query, extra: ["scope", "scope_key", "metric"]) + [
                .init("scope_name", .text), .init("unit", .text), .init("target", .number), .init("actual", .number),
                .init("attainment", .percent),
                .init("gap", .number), .init("met", .text),
            ],
            settings: context.settings.lifecycle.described + [
                .init(
                    "metrics",
                    metrics.keys.sorted().map { "\($0) = \(metrics[$0]!.meaning)" }.joined(separator: "; ")),
                .init(
                    "period",
                    "flows add up the period's monthly targets and actuals; mrr takes the last month; rates take the mean of the monthly targets and the period's own rate"
                ),
                .init(
                    "scopes",
                    "company = everything; segment = the account's segment; rep = records the rep owns (leads by lead owner, deals by deal owner, demos by who held them, MRR and churn by account owner); team = its reps' records, except that a marketing team owns every lead and a customer-success team every account"
                ),
                .init(
                    "money",
                    "targets hold major units of \(context.currency) (dollars), as do target, actual and gap here; rates are stored as fractions and printed in percent (unit %)"
                ),
                .init("attainment", "actual ÷ target; met = actual ≥ target (≤ for churn_rate)"),
                .init("data through", context.inputs.dataThrough.iso),
            ])
        var unknown: Set<String> = []
        let scale = Double(Currency.power10(Currency.exponent(of: context.currency)))
        struct Key: Hashable {
            var period: Int
            var scope: Target.Scope
            var key: String
            var metric: String
        }
        var targets: [Key: (sum: Double, months: Int, last: (Month, Double))] = [:]
        var periodIndex: [Int: Int] = [:]
        for (i, p) in periods.enumerated() { for m in p.months { periodIndex[m.index] = i } }
        for t in inputs.targets {
            guard let i = periodIndex[t.month.index] else { continue }
            guard metrics[t.metric] != nil else {
                unknown.insert(t.metric)
                continue
            }
            let k = Key(period: i, scope: t.scope, key: t.scopeKey, metric: t.metric)
            var entry = targets[k] ?? (0, 0, (t.month, t.value))
            entry.sum += t.value
            entry.months += 1
            if t.month >= entry.last.0 { entry.last = (t.month, t.value) }
            targets[k] = entry
        }
        let sortedKeys = targets.keys.sorted {
            ($0.period, $0.scope.rawValue, $0.key, $0.metric) < ($1.period, $1.scope.rawValue, $1.key, $1.metric)
        }
        for k in sortedKeys {
            let period = periods[k.period]
            let (spec, entry) = (metrics[k.metric]!, targets[k]!)
            let target: Double =
                switch spec.kind {
                case .flow: entry.sum
                case .level: entry.last.1
                case .rate: entry.sum / Double(entry.months)
                }
            var scopeKey: String
            switch k.scope {
            case .company: scopeKey = "company"
            case .segment:
                // Matched case-insensitively; a segment no account has is no scope at all (blank, noted).
                scopeKey = segmentByKey[k.key.lowercased()].map { "segment:" + $0 } ?? ""
            case .rep: scopeKey = repByKey[k.key.lowercased()].map { "rep:\($0)" } ?? ""
            case .team:
                if let team = teamByKey[k.key.lowercased()] {
                    let function = teamFunction[team]
                    let leadMetric = ["leads", "mqls", "sqls"].contains(k.metric)
                    let accountMetric = ["mrr", "churn_rate", "new_customers"].contains(k.metric)
                    scopeKey =
                        (function == .marketing && leadMetric) || (function == .cs && accountMetric)
                        ? "company" : "team:" + team
                } else {
                    scopeKey = ""
                }
            }
            if scopeKey.isEmpty { unmatched.insert("\(k.scope.rawValue) '\(k.key)'") }
            let byMonth = scopeIndex[scopeKey].map { tallies[$0] } ?? []
            func tally(_ month: Month) -> Tally? {
                let m = firstMonth.distance(to: month)
                return m >= 0 && m < byMonth.count ? byMonth[m] : nil
            }
            var sum = Tally()
            var monthlyChurn: [Double] = []
            for m in period.months {
                guard let t = tally(m) else { continue }
                if t.openingCustomers > 0 { monthlyChurn.append(Double(t.churned) / Double(t.openingCustomers)) }
                sum.leads += t.leads
                sum.mqls += t.mqls
                sum.sqls += t.sqls
                sum.demos += t.demos
                sum.opportunities += t.opportunities
                sum.newCustomers += t.newCustomers
                sum.newBookings += t.newBookings
                sum.wonNew += t.wonNew
                sum.upsellBookings += t.upsellBookings
                sum.churned += t.churned
            }
            sum.openingCustomers = tally(period.first)?.openingCustomers ?? 0
            sum.mrr = tally(period.last)?.mrr ?? 0
            let measured: Double? =
                switch k.metric {
                case "leads": Double(sum.leads)
                case "mqls": Double(sum.mqls)
                case "sqls": Double(sum.sqls)
                case "demos": Double(sum.demos)
                case "opportunities": Double(sum.opportunities)
                case "new_customers": Double(sum.newCustomers)
                case "bookings": Double(sum.newBookings + sum.upsellBookings) / scale
                case "new_bookings": Double(sum.newBookings) / scale
                case "net_new_asp": sum.wonNew == 0 ? nil : Double(sum.newBookings) / Double(sum.wonNew) / scale
                case "upsell_share":
                    sum.newBookings + sum.upsellBookings == 0
                        ? nil : Double(sum.upsellBookings) / Double(sum.newBookings + sum.upsellBookings)
                case "churn_rate":
                    monthlyChurn.isEmpty ? nil : monthlyChurn.reduce(0, +) / Double(monthlyChurn.count)
                case "mrr": Double(sum.mrr) / scale
                default: nil
                }
            let actual = scopeKey.isEmpty ? nil : measured
            // Rates other than money (churn, upsell share) print as percentages.
            let shown = spec.kind == .rate && !spec.money ? 100.0 : 1.0
            let met: String =
                actual.map { spec.lowerIsBetter ? ($0 <= target ? "yes" : "no") : ($0 >= target ? "yes" : "no") }
                ?? ""
            let keyCells = LifecycleColumns.cells(
                period, "", ReportQuery(report: "targets", grain: query.grain),
                extra: [k.scope.rawValue, k.key, k.metric])
            table.rows.append(
                .init(
                    keyCells + [
                        .text(
                            k.scope == .rep
                                ? repByKey[k.key.lowercased()].map { deals.owner($0) } ?? "(unknown rep)" : k.key),
                        .text(spec.money ? context.currency : spec.kind == .rate ? "%" : "count"),
                        .number(target * shown), .optional(actual.map { $0 * shown }),
                        actual.map { .ratio($0, target) } ?? .blank, .optional(actual.map { ($0 - target) * shown }),
                        .text(met),
                    ], partial: period.partial,
                    explain: explain ? Array(repeating: .none, count: table.columns.count) : []
                ))
        }
        if !unknown.isEmpty {
            table.notes.append(
                "targets for metrics Fulcrum does not measure were left out: \(unknown.sorted().joined(separator: ", ")); it measures \(metrics.keys.sorted().joined(separator: ", "))"
            )
        }
        if !unmatched.isEmpty {
            table.notes.append(
                "targets whose scope_key names no team, segment or rep (by name, id or e-mail, any case) have no actual: \(unmatched.sorted().joined(separator: ", "))"
            )
        }
        return table
    }
}
