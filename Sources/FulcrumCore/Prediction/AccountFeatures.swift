import Foundation

/// Per account and month-end, what every stovepipe knew about a paying customer at that moment:
/// billing, usage, support, surveys, engagement, tenure, segment and size. Every feature reads
/// only records dated on or before the month's last day (the leakage test rebuilds them from data cut
/// at that day and compares). The label — churn in the next `horizonMonths` — is the only look ahead.
/// docs/prediction.md lists each feature.
public enum AccountFeatures {
    /// Months after the prediction month in which a churn counts (≈ 90 days).
    public static let horizonMonths = 3

    /// The numeric features, in matrix order (segment dummies follow).
    public static let numericNames = [
        "mrr_log", "tenure_months", "annual_plan", "seats", "months_to_renewal", "discount_active",
        "cancel_scheduled", "contractions_6m", "expansions_6m", "failed_payments_90d", "active_users",
        "active_users_trend", "seat_utilization", "events_per_day", "tickets_90d", "urgent_tickets_90d",
        "hours_to_resolve_90d", "nps_last", "detractors_120d", "csat_180d", "touches_90d", "conversations_90d",
        "referred", "employees_log",
    ]

    /// What a row's label records in the months after its prediction date.
    public enum Outcome: String, Sendable, CaseIterable {
        /// A churn movement in the MRR ledger.
        case churn
        /// An expansion movement (more MRR from the same customer).
        case expansion
    }

    public struct Panel: Sendable {
        public var names: [String]
        /// Row-major, NaN = not known at the prediction date.
        public var x: [Double]
        /// 1 = churned within the horizon, 0 = did not; NaN = the horizon is not over yet.
        public var y: [Double]
        public var accounts: [Int64]
        public var months: [Month]
        public var rowCount: Int { accounts.count }
    }

    /// Rows for each surviving account paying (MRR > 0) at the end of each month in `months`.
    /// `segments`: the segment dummies to emit (a trained model's); default: every segment but the most common.
    public static func build(
        _ context: MetricContext, months: [Month], segments: [String]? = nil, outcome: Outcome = .churn
    ) -> Panel {
        let index = Index(context)
        let segmentLevels = segments ?? index.defaultSegments
        let names = numericNames + segmentLevels.map { "segment=\($0)" }
        let k = names.count
        var panel = Panel(names: names, x: [], y: [], accounts: [], months: [])
        let wanted = Set(months.map(\.index))
        let lastLabelled = context.lastCompleteMonth(atOrBefore: context.dataMonth).index - horizonMonths
        var row = [Double](repeating: 0, count: k)
        for account in index.accounts {
            guard let mrrByMonth = index.mrr[account] else { continue }
            for (monthIndex, mrr) in mrrByMonth.sorted(by: { $0.key < $1.key })
            where mrr > 0 && wanted.contains(monthIndex) {
                index.features(account: account, month: monthIndex, mrr: mrr, segments: segmentLevels, into: &row)
                panel.x += row
                panel.accounts.append(account)
                panel.months.append(Month(index: monthIndex))
                if monthIndex <= lastLabelled {
                    let events = outcome == .churn ? index.churnMonths[account] : index.expansionMonths[account]
                    let happened = events?.contains { $0 > monthIndex && $0 <= monthIndex + horizonMonths }
                    panel.y.append(happened == true ? 1 : 0)
                } else {
                    panel.y.append(.nan)
                }
            }
        }
        return panel
    }

    /// Everything the features look up, grouped by surviving account once.
    struct Index {
        let context: MetricContext
        var accounts: [Int64] = []
        var mrr: [Int64: [Int: Int64]] = [:]
        var firstPaid: [Int64: Int] = [:]
        var churnMonths: [Int64: [Int]] = [:]
        var contractionMonths: [Int64: [Int]] = [:]
        var expansionMonths: [Int64: [Int]] = [:]
        var subscriptions: [Int64: [Subscription]] = [:]
        var changes: [Int64: [SubscriptionChange]] = [:]
        var tallies: [Key: (count: Int, sum: Double)] = [:]
        var tickets: [Int64: [Ticket]] = [:]
        var surveys: [Int64: [SurveyResponse]] = [:]
        var referredOn: [Int64: Day] = [:]
        var defaultSegments: [String] = []

        struct Key: Hashable {
            var account: Int64
            var measure: AccountMonthTally.Measure
            var month: Int
        }

        init(_ context: MetricContext) {
            self.context = context
            let resolve = context.resolver.resolve
            for e in context.ledger.accountMRR { mrr[e.accountId, default: [:]][e.month.index] = e.mrrMinor }
            accounts = mrr.keys.sorted()
            for (a, m) in context.firstPaidMonth { firstPaid[a] = m.index }
            for m in context.ledger.movements {
                switch m.kind {
                case .churn: churnMonths[m.accountId, default: []].append(m.month.index)
                case .contraction: contractionMonths[m.accountId, default: []].append(m.month.index)
                case .expansion: expansionMonths[m.accountId, default: []].append(m.month.index)
                default: break
                }
            }
            for s in context.inputs.subscriptions { subscriptions[resolve(s.accountId), default: []].append(s) }
            for c in context.inputs.changes { changes[c.subscriptionId, default: []].append(c) }
            for t in context.inputs.accountMonthTallies {
                let key = Key(account: resolve(t.accountId), measure: t.measure, month: t.month.index)
                let old = tallies[key] ?? (0, 0)
                tallies[key] = (old.count + t.count, old.sum + t.sum)
            }
            for t in context.inputs.tickets { tickets[resolve(t.accountId), default: []].append(t) }
            for s in context.inputs.surveys { surveys[resolve(s.accountId), default: []].append(s) }
            for key in surveys.keys { surveys[key]!.sort { ($0.respondedOn, $0.id) < ($1.respondedOn, $1.id) } }
            for r in context.inputs.referrals {
                let a = resolve(r.accountId)
                referredOn[a] = min(referredOn[a] ?? r.referredOn, r.referredOn)
            }
            var counts: [String: Int] = [:]
            for a in accounts { counts[context.account(a)?.segment ?? "(none)", default: 0] += 1 }
            let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            defaultSegments = ranked.dropFirst().map(\.key).sorted()
        }

        func tally(_ a: Int64, _ measure: AccountMonthTally.Measure, _ months: ClosedRange<Int>) -> (
            count: Int, sum: Double
        ) {
            var out = (count: 0, sum: 0.0)
            for m in months {
                if let t = tallies[Key(account: a, measure: measure, month: m)] {
                    out.count += t.count
                    out.sum += t.sum
                }
            }
            return out
        }

        /// Seats in force on `day`: the latest change on or before it, else the subscription's own.
        func seats(_ s: Subscription, on day: Day) -> Int {
            var quantity = s.quantity
            var latest = Day(ordinal: Int.min / 2)
            for c in changes[s.id] ?? [] where c.effectiveOn <= day && c.effectiveOn >= latest {
                latest = c.effectiveOn
                quantity = c.quantity
            }
            return quantity
        }

        func features(account a: Int64, month m: Int, mrr: Int64, segments: [String], into row: inout [Double]) {
            let month = Month(index: m)
            let end = month.lastDay
            let endInstant = Timestamp(day: end + 1)
            let nan = Double.nan
            var f: [Double] = []
            f.reserveCapacity(row.count)
            f.append(Foundation.log1p(Double(mrr) / 100))
            f.append(Double(m - (firstPaid[a] ?? m)))
            // Subscriptions in force at the month's end, as known then (an end or cancellation after it is not).
            var annual = 0.0
            var seatCount = 0
            var toRenewal: Int?
            var discount = 0.0
            var cancel = 0.0
            for s in subscriptions[a] ?? [] where s.startedOn <= end && (s.endedOn.map { $0 > end } ?? true) {
                if s.interval == .year || (s.interval == .month && s.intervalCount == 12) {
                    annual = 1
                    let months = ((s.startedOn.month.index - m) % 12 + 12) % 12
                    toRenewal = min(toRenewal ?? 12, months)
                }
                seatCount += seats(s, on: end)
                if s.discountPercent != nil || s.discountAmountMinor != nil {
                    switch s.discountDuration {
                    case .forever?: discount = 1
                    case .repeating?:
                        if s.startedOn.month.index + (s.discountMonths ?? 0) > m { discount = 1 }
                    default: break
                    }
                }
                if let c = s.canceledOn, c <= end { cancel = 1 }
            }
            f.append(annual)
            f.append(Double(seatCount))
            f.append(Double(toRenewal ?? 0))
            f.append(discount)
            f.append(cancel)
            f.append(Double(contractionMonths[a]?.filter { $0 > m - 6 && $0 <= m }.count ?? 0))
            f.append(Double(expansionMonths[a]?.filter { $0 > m - 6 && $0 <= m }.count ?? 0))
            f.append(Double(tally(a, .failedPayments, (m - 2)...m).count))
            // Usage: average daily active users in the month, and against the two months before.
            let now = tally(a, .activeUsers, m...m)
            let before = tally(a, .activeUsers, (m - 2)...(m - 1))
            let users = now.count > 0 ? now.sum / Double(now.count) : nan
            let earlier = before.count > 0 ? before.sum / Double(before.count) : nan
            f.append(users)
            f.append(users.isNaN || earlier.isNaN || earlier == 0 ? nan : users / earlier)
            f.append(users.isNaN || seatCount == 0 ? nan : users / Double(seatCount))
            // Per day with data: a month of daily rows and a month of weekly samples read alike.
            let events = tally(a, .events, m...m)
            f.append(events.count > 0 ? events.sum / Double(events.count) : nan)
            // Support: tickets opened in the last three months; resolution of those closed by the month's end.
            let windowStart = Timestamp(day: month.adding(-2).firstDay)
            var ticketCount = 0
            var urgent = 0
            var hours = 0.0
            var resolved = 0
            for t in tickets[a] ?? [] where t.openedAt >= windowStart && t.openedAt < endInstant {
                ticketCount += 1
                if t.priority == "high" || t.priority == "urgent" { urgent += 1 }
                if let c = t.closedAt, c < endInstant {
                    hours += Double(c.seconds - t.openedAt.seconds) / 3_600
                    resolved += 1
                }
            }
            f.append(Double(ticketCount))
            f.append(Double(urgent))
            f.append(resolved > 0 ? hours / Double(resolved) : nan)
            // Surveys: the last NPS answer, detractors in the last four months, CSAT over six.
            var lastNPS = nan
            var detractors = 0
            var csat = 0.0
            var csatCount = 0
            let npsFrom = month.adding(-3).firstDay
            let csatFrom = month.adding(-5).firstDay
            for s in surveys[a] ?? [] where s.respondedOn <= end {
                switch s.kind {
                case .nps:
                    lastNPS = Double(s.score)
                    if s.respondedOn >= npsFrom, s.score <= 6 { detractors += 1 }
                case .csat:
                    if s.respondedOn >= csatFrom {
                        csat += Double(s.score)
                        csatCount += 1
                    }
                }
            }
            f.append(lastNPS)
            f.append(Double(detractors))
            f.append(csatCount > 0 ? csat / Double(csatCount) : nan)
            f.append(Double(tally(a, .touches, (m - 2)...m).count))
            f.append(Double(tally(a, .conversations, (m - 2)...m).count))
            f.append(referredOn[a].map { $0 <= end } == true ? 1 : 0)
            let account = context.account(a)
            f.append(account?.employees.map { Foundation.log(Double(max(1, $0))) } ?? nan)
            let segment = account?.segment ?? "(none)"
            for s in segments { f.append(segment == s ? 1 : 0) }
            row = f
        }
    }
}
