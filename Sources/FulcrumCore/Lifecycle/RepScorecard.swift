/// `rep-scorecard`: one fixed, documented scorecard per rep and team (USER_ASKS 24): activities by
/// kind, leads worked, response-SLA compliance, pipeline created, won and lost, bookings against
/// the period before, win rate, cycle, ASP, quota attainment and rank within the team.
enum RepScorecard {
    static let noOwner = "(no owner)"

    struct Acc {
        var activities = [Int](repeating: 0, count: Activity.Kind.allCases.count)
        var leadsWorked: Set<Int64> = []
        var leadsOwned = 0, slaDue = 0, slaMet = 0
        var created: [Int64] = [], pipeline: Int64 = 0
        var won: [Int64] = [], lost: [Int64] = [], newBookings: Int64 = 0, upsellBookings: Int64 = 0
        var cycle: [Double] = []
        var bookingIds: [Int64] = []
        /// With explain: deal amounts behind pipeline, new-business and all bookings.
        var pipelineItems: [Explanation.Item] = [], newItems: [Explanation.Item] = []
        var bookingItems: [Explanation.Item] = []
    }

    /// Whether an accumulator holds no record at all.
    static func isEmpty(_ a: Acc) -> Bool {
        a.activities.allSatisfy { $0 == 0 } && a.leadsWorked.isEmpty && a.leadsOwned == 0 && a.created.isEmpty
            && a.won.isEmpty && a.lost.isEmpty && a.bookingIds.isEmpty
    }

    static func report(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let periods = try context.periods(query)
        let inputs = context.inputs
        let settings = context.settings.lifecycle
        let deals = DealFacts(context)
        let leads = context.leadJourneys
        // The period before the first one, for "bookings_prev".
        let first = periods[0]
        let before = Period(
            label: "", first: first.first.adding(-query.grain.length), last: first.first.adding(-1), partial: false)
        let all = [before] + periods
        var grid = PeriodGrid(periods: all, sliced: true, empty: Acc())
        func repKey(_ rep: Int64?) -> String { rep.map(String.init) ?? noOwner }
        // A rep's grid row by id (millions of activities and leads: the key text is made once per rep).
        var rowOfRep: [Int64: Int] = [:]
        func row(_ rep: Int64) -> Int {
            if let r = rowOfRep[rep] { return r }
            let r = grid.row(for: String(rep))
            rowOfRep[rep] = r
            return r
        }
        let humanKinds = Activity.Kind.allCases
        for a in inputs.activities where !a.automated {
            guard let rep = a.repId, let i = grid.period(of: a.occurredAt.day.month) else { continue }
            grid.update(row: row(rep), i) {
                $0.activities[humanKinds.firstIndex(of: a.kind)!] += 1
                if let p = a.personId { $0.leadsWorked.insert(p) }
            }
        }
        let sla = Int64(settings.responseSLAMinutes) * 60
        let end = Timestamp(day: inputs.dataThrough + 1)
        for j in leads.journeys {
            guard let rep = j.ownerRepId, let i = grid.period(of: j.lead.day.month) else { continue }
            let within = j.firstResponse.map { $0.seconds - j.lead.seconds <= sla } ?? false
            let due = j.lead.seconds + sla <= end.seconds
            grid.update(row: row(rep), i) {
                $0.leadsOwned += 1
                if due || within { $0.slaDue += 1 }
                if within { $0.slaMet += 1 }
            }
        }
        for o in inputs.opportunities {
            let key = repKey(o.ownerRepId)
            if o.type == .new, let i = grid.period(of: o.createdOn.month) {
                let amount = try deals.amount(o, o.createdOn.month)
                grid.update(key, i) {
                    $0.created.append(o.id)
                    $0.pipeline += amount
                    if explain { $0.pipelineItems.append(.init("opportunity:\(o.id)", Double(amount))) }
                }
            }
            guard o.isClosed, let closed = o.closedOn, let i = grid.period(of: closed.month), o.type != .renewal
            else { continue }
            let amount = o.isWon ? try deals.amount(o, closed.month) : 0
            grid.update(key, i) { a in
                if explain && o.isWon && (o.type == .new || o.type == .upsell) {
                    let item = Explanation.Item("opportunity:\(o.id)", Double(amount))
                    a.bookingItems.append(item)
                    if o.type == .new { a.newItems.append(item) }
                }
                switch (o.type, o.isWon) {
                case (.new, true):
                    a.won.append(o.id)
                    a.newBookings += amount
                    a.bookingIds.append(o.id)
                    if let d = DealFacts.cycleDays(o) { a.cycle.append(d) }
                case (.new, false): a.lost.append(o.id)
                case (.upsell, true):
                    a.upsellBookings += amount
                    a.bookingIds.append(o.id)
                default: break
                }
            }
        }
        // Quotas: the rep's `bookings` targets over the period, else its monthly quota × months.
        var quotaTargets: [String: [Int: Double]] = [:]
        var repByKey: [String: Int64] = [:]
        for r in inputs.reps {
            repByKey[String(r.id)] = r.id
            repByKey[r.name.lowercased()] = r.id
            if let e = r.email { repByKey[e.lowercased()] = r.id }
        }
        for t in inputs.targets where t.scope == .rep && t.metric == "bookings" {
            guard let rep = repByKey[t.scopeKey.lowercased()] else { continue }
            quotaTargets[String(rep), default: [:]][t.month.index, default: 0] += t.value
        }
        let scale = Double(Currency.power10(Currency.exponent(of: context.currency)))
        func quota(_ rep: Rep, _ period: Period) -> Int64? {
            if let byMonth = quotaTargets[String(rep.id)] {
                let months = period.months.compactMap { byMonth[$0.index] }
                if !months.isEmpty { return roundMinor(months.reduce(0, +) * scale) }
            }
            return rep.monthlyQuotaMinor.map { $0 * Int64(period.first.distance(to: period.last) + 1) }
        }

        var table = ReportTable(
            report: "rep-scorecard",
            title: "Rep scorecard: activities, leads, response SLA, pipeline, bookings, win rate, quota attainment",
            currency: context.currency,
            columns: LifecycleColumns.keys(ReportQuery(report: "", grain: query.grain), extra: ["team", "rep"]) + [
                .init("calls", .count), .init("emails", .count), .init("meetings", .count), .init("demos", .count),
                .init("leads_worked", .count), .init("leads_owned", .count), .init("sla_compliance", .percent),
                .init("pipeline_created", .money), .init("won", .count), .init("lost", .count),
                .init("win_rate", .percent), .init("median_cycle_days", .number), .init("asp", .money),
                .init("bookings", .money), .init("bookings_prev", .money), .init("quota", .money),
                .init("attainment", .percent), .init("rank_in_team", .count),
            ],
            settings: settings.described + [
                .init(
                    "activities",
                    "calls, emails, meetings and demos the rep held in the period (automated sends excluded); leads worked = distinct people among them"
                ),
                .init(
                    "SLA compliance",
                    "of the leads the rep owns created in the period: answered by anyone within \(settings.responseSLAMinutes) min ÷ leads whose SLA has come due"
                ),
                .init(
                    "deals",
                    "by the deal's own owner: pipeline created = new-business amounts created; won, lost, win rate, cycle and ASP over new business closed in the period; bookings = won new-business + upsell amounts by close date (renewals are not bookings here)"
                ),
                .init("bookings_prev", "the same rep's bookings in the period before"),
                .init(
                    "quota",
                    "the rep's `bookings` targets over the period (major units), else reps.monthly_quota_minor × months; attainment = bookings ÷ quota"
                ),
                .init(
                    "rank_in_team",
                    "by bookings within the team (1 = most); team rows (rep `(team)`) add up their reps; `(no owner)` holds deals without an owner, so the rows add up to the company"
                ),
                .init("data through", inputs.dataThrough.iso),
            ])
        struct Line {
            var team: String
            var rep: String
            var acc: Acc
            var prev: Int64
            var quota: Int64?
        }
        for (pi, period) in periods.enumerated() {
            let i = pi + 1
            var lines: [Line] = []
            // A rep outside employment in the period still gets a row when records carry the rep's name,
            // so the rows add up to the company; ids no rep row has get a row of their own.
            var reps = inputs.reps
            let known = Set(inputs.reps.map { String($0.id) })
            for key in grid.keys where key != noOwner && !known.contains(key) {
                var r = Rep()
                r.id = Int64(key) ?? 0
                r.name = "rep \(key)"
                reps.append(r)
            }
            for r in reps {
                let key = String(r.id)
                let employed =
                    (r.hiredOn.map { $0 <= period.last.lastDay } ?? true)
                    && (r.leftOn.map { $0 >= period.first.firstDay } ?? true)
                let hasRecords = grid.values(key).map { !isEmpty($0[i]) || !isEmpty($0[i - 1]) } ?? false
                if !employed, !hasRecords { continue }
                let acc = grid.values(key)?[i] ?? Acc()
                let prevAcc = grid.values(key)?[i - 1] ?? Acc()
                lines.append(
                    Line(
                        team: deals.team(r.id), rep: deals.owner(r.id), acc: acc,
                        prev: prevAcc.newBookings + prevAcc.upsellBookings, quota: quota(r, period)))
            }
            if let acc = grid.values(noOwner)?[i] {
                let prev = grid.values(noOwner)?[i - 1] ?? Acc()
                lines.append(
                    Line(
                        team: noOwner, rep: noOwner, acc: acc, prev: prev.newBookings + prev.upsellBookings, quota: nil)
                )
            }
            var rank: [String: Int] = [:]
            for (_, members) in Dictionary(grouping: lines.indices, by: { lines[$0].team }) {
                let ordered = members.sorted {
                    let a = lines[$0].acc.newBookings + lines[$0].acc.upsellBookings
                    let b = lines[$1].acc.newBookings + lines[$1].acc.upsellBookings
                    return (a, lines[$1].rep) > (b, lines[$0].rep)
                }
                for (r, index) in ordered.enumerated() { rank["\(lines[index].team)\u{0}\(lines[index].rep)"] = r + 1 }
            }
            // Team rows add up their reps.
            // (Added up in place in the dictionary: a copy of a team's line would copy its set of leads worked.)
            var teams: [String: Line] = [:]
            func addUp(_ t: inout Line, _ l: Line) {
                for k in 0..<t.acc.activities.count { t.acc.activities[k] += l.acc.activities[k] }
                t.acc.leadsWorked.formUnion(l.acc.leadsWorked)
                t.acc.leadsOwned += l.acc.leadsOwned
                t.acc.slaDue += l.acc.slaDue
                t.acc.slaMet += l.acc.slaMet
                t.acc.created += l.acc.created
                t.acc.pipeline += l.acc.pipeline
                t.acc.won += l.acc.won
                t.acc.lost += l.acc.lost
                t.acc.newBookings += l.acc.newBookings
                t.acc.upsellBookings += l.acc.upsellBookings
                t.acc.cycle += l.acc.cycle
                t.acc.bookingIds += l.acc.bookingIds
                t.acc.pipelineItems += l.acc.pipelineItems
                t.acc.newItems += l.acc.newItems
                t.acc.bookingItems += l.acc.bookingItems
                t.prev += l.prev
                if let q = l.quota { t.quota = (t.quota ?? 0) + q }
            }
            for l in lines where l.team != noOwner {
                addUp(&teams[l.team, default: Line(team: l.team, rep: "(team)", acc: Acc(), prev: 0, quota: nil)], l)
            }
            let ordered =
                lines.sorted { ($0.team, $0.rep) < ($1.team, $1.rep) } + teams.keys.sorted().map { teams[$0]! }
            for l in ordered {
                let a = l.acc
                let bookings = a.newBookings + a.upsellBookings
                let keyCells: [ReportTable.Cell] = [.text(period.label), .text(l.team), .text(l.rep)]
                let cells: [ReportTable.Cell] =
                    keyCells + a.activities.map { .count($0) } + [
                        .count(a.leadsWorked.count), .count(a.leadsOwned),
                        .ratio(Double(a.slaMet), Double(a.slaDue)), .money(a.pipeline), .count(a.won.count),
                        .count(a.lost.count), .ratio(Double(a.won.count), Double(a.won.count + a.lost.count)),
                        .quantile(a.cycle, 0.5),
                        a.won.isEmpty ? .blank : .money(roundMinor(Double(a.newBookings) / Double(a.won.count))),
                        .money(bookings), .money(l.prev), l.quota.map { .money($0) } ?? .blank,
                        l.quota.map { .ratio(Double(bookings), Double($0)) } ?? .blank,
                        l.rep == "(team)" ? .blank : .count(rank["\(l.team)\u{0}\(l.rep)"] ?? 0),
                    ]
                var ex: [Explanation] = []
                if explain {
                    let ids = { Explanation.count(LifecycleColumns.ids("opportunity", $0)) }
                    let won = ids(a.won)
                    ex =
                        keyCells.map { _ in .none } + a.activities.map { _ in .none } + [
                            .count(LifecycleColumns.ids("person", Array(a.leadsWorked))), .none, .none,
                            .sum(a.pipelineItems), won, ids(a.lost), .ratio(won, over: ids(a.won + a.lost)),
                            .from(won.records), .ratio(.sum(a.newItems), over: won), .sum(a.bookingItems), .none, .none,
                            .none, .none,
                        ]
                }
                table.rows.append(.init(cells, partial: period.partial, explain: ex))
            }
        }
        return table
    }
}
