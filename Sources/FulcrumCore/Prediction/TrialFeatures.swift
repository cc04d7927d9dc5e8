import Foundation

/// The trial panel: each free trial scored on its seventh day (or its last day before the end, if
/// shorter) from what was known by then — the plan (length, seats, price), whether the customer has
/// already asked to cancel, what its people did (webinars, events, content, e-mails), support tickets,
/// referral, people, size, segment and the channel its first person came by — for the chance that it converts. A trial and its conversion are the
/// `trials` report's (one definition): a subscription whose trial ends after its start; converted when
/// the subscription was still running on its first paid day.
public enum TrialFeatures {
    public static let scoreAfterDays = 7
    /// Channels beyond this many (by frequency) count as `channel=(other)`.
    public static let maxChannels = 12

    public static let numericNames = [
        "trial_days", "seats", "mrr_log", "cancel_requested", "webinars", "events", "content_downloads",
        "email_clicks", "email_opens", "tickets", "people", "referred", "employees_log",
    ]

    /// A subscription that starts with a trial.
    public static func isTrial(_ s: Subscription) -> Bool { s.trialEndOn.map { $0 > s.startedOn } ?? false }

    /// The trial converted: the subscription was still running on its first paid day (the trial's end).
    /// Only meaningful once the trial has ended.
    public static func converted(_ s: Subscription) -> Bool {
        guard let end = s.trialEndOn else { return false }
        return s.endedOn.map { $0 > end } ?? true
    }

    /// The day a trial is scored.
    public static func scoreDay(_ s: Subscription) -> Day {
        let end = s.trialEndOn ?? s.startedOn
        return min(s.startedOn + scoreAfterDays, max(s.startedOn, end + (-1)))
    }

    public struct Panel: Sendable {
        public var names: [String]
        public var x: [Double]
        /// 1 = converted, 0 = did not; NaN = the trial has not ended yet.
        public var y: [Double]
        public var accounts: [Int64]
        public var subscriptions: [Int64]
        public var days: [Day]
        public var rowCount: Int { accounts.count }
    }

    /// Every trial still running on its scoring day. `segments`/`channels`: the dummies to emit (a trained
    /// model's); default: from the data.
    public static func build(_ context: MetricContext, segments: [String]? = nil, channels: [String]? = nil) -> Panel {
        let resolve = context.resolver.resolve
        let through = context.inputs.dataThrough
        var touches: [Int64: [(Touch.Kind, Timestamp)]] = [:]
        for t in context.inputs.driverTouches { touches[resolve(t.accountId), default: []].append((t.kind, t.at)) }
        var tickets: [Int64: [Timestamp]] = [:]
        for t in context.inputs.tickets { tickets[resolve(t.accountId), default: []].append(t.openedAt) }
        var people: [Int64: [Timestamp]] = [:]
        // Each account's earliest person (its lead) and that person's channel: known from the lead's arrival.
        var lead: [Int64: (at: Timestamp, id: Int64, channel: String)] = [:]
        for p in context.inputs.people {
            guard let raw = p.accountId else { continue }
            let a = resolve(raw)
            people[a, default: []].append(p.createdAt)
            if let current = lead[a], (current.at, current.id) <= (p.createdAt, p.id) { continue }
            lead[a] = (p.createdAt, p.id, p.channel ?? p.leadSource ?? "(none)")
        }
        var referred: [Int64: Day] = [:]
        for r in context.inputs.referrals {
            let a = resolve(r.accountId)
            referred[a] = min(referred[a] ?? r.referredOn, r.referredOn)
        }
        struct Row {
            var account: Int64
            var subscription: Int64
            var day: Day
            var values: [Double]
            var segment: String
            var channel: String
            var label: Double
        }
        var rows: [Row] = []
        let trials = context.inputs.subscriptions.filter(isTrial).sorted {
            ($0.startedOn, $0.id) < ($1.startedOn, $1.id)
        }
        for s in trials {
            let a = resolve(s.accountId)
            let day = scoreDay(s)
            let start = Timestamp(day: s.startedOn)
            let instant = Timestamp(day: day + 1)  // everything dated on or before the scoring day
            guard day <= through, s.endedOn.map({ $0 > day }) ?? true, let account = context.account(a) else {
                continue
            }
            let trialDays = Double(s.trialEndOn!.ordinal - s.startedOn.ordinal)
            var v: [Double] = [trialDays, Double(s.quantity)]
            let monthly = Double(s.amountMinor) / monthsPerPeriod(s)
            let reported = try? context.convert(
                Int64(monthly.rounded()), currency: s.currency, month: s.startedOn.month)
            v.append(reported.map { Foundation.log(Double(max(1, $0)) / 100) } ?? .nan)
            v.append(s.canceledOn.map { $0 <= day } == true ? 1 : 0)
            var counts: [Touch.Kind: Int] = [:]
            for (kind, at) in touches[a] ?? [] where at >= start && at < instant { counts[kind, default: 0] += 1 }
            for kind in [Touch.Kind.webinar, .event, .contentDownload, .emailClick, .emailOpen] {
                v.append(Double(counts[kind] ?? 0))
            }
            v.append(Double(tickets[a]?.filter { $0 >= start && $0 < instant }.count ?? 0))
            v.append(Double(people[a]?.filter { $0 < instant }.count ?? 0))
            v.append(referred[a].map { $0 <= day } == true ? 1 : 0)
            v.append(account.employees.map { Foundation.log(Double(max(1, $0))) } ?? .nan)
            let label: Double = s.trialEndOn! <= through ? (TrialFeatures.converted(s) ? 1 : 0) : .nan
            rows.append(
                Row(
                    account: a, subscription: s.id, day: day, values: v, segment: account.segment ?? "(none)",
                    channel: lead[a].flatMap { $0.at < instant ? $0.channel : nil } ?? "(none)", label: label))
        }
        let segmentLevels = segments ?? LeadFeatures.dummyLevels(rows.map(\.segment), limit: 50)
        let channelLevels = channels ?? LeadFeatures.dummyLevels(rows.map(\.channel), limit: maxChannels)
        let names = numericNames + segmentLevels.map { "segment=\($0)" } + channelLevels.map { "channel=\($0)" }
        var panel = Panel(names: names, x: [], y: [], accounts: [], subscriptions: [], days: [])
        panel.x.reserveCapacity(rows.count * names.count)
        for r in rows {
            panel.x += r.values
            for seg in segmentLevels { panel.x.append(r.segment == seg ? 1 : 0) }
            for c in channelLevels { panel.x.append(r.channel == c ? 1 : 0) }
            panel.y.append(r.label)
            panel.accounts.append(r.account)
            panel.subscriptions.append(r.subscription)
            panel.days.append(r.day)
        }
        return panel
    }

    /// Months in one billing period, to state a trial's price per month.
    static func monthsPerPeriod(_ s: Subscription) -> Double {
        let count = Double(max(1, s.intervalCount))
        switch s.interval {
        case .day: return count * 12 / 365
        case .week: return count * 12 / 52
        case .month: return count
        case .quarter: return count * 3
        case .year: return count * 12
        }
    }
}

/// The trial-conversion model: trials on their scoring day, out-of-time split by scoring day.
public enum TrialModel {
    public static let kind = "trial"
    public static let testDays = 365

    public static func train(
        _ context: MetricContext, createdOn: String,
        algorithms: [TrainedModel.Algorithm] = TrainedModel.Algorithm.allCases
    ) throws -> ChurnModel.Outcome {
        let panel = TrialFeatures.build(context)
        let labelled = (0..<panel.rowCount).filter { !panel.y[$0].isNaN }
        guard let last = labelled.map({ panel.days[$0] }).max(), let first = labelled.map({ panel.days[$0] }).min()
        else { throw ChurnModel.Problem.tooLittleHistory(months: 0) }
        let testStart = last + (1 - testDays)
        guard first.adding(days: 2 * testDays) <= last else {
            throw ChurnModel.Problem.tooLittleHistory(months: first.month.distance(to: last.month) + 1)
        }
        // Training labels are known before the test period begins: the trial ended before it.
        let trialEnd = Dictionary(
            uniqueKeysWithValues: context.inputs.subscriptions.lazy.filter(TrialFeatures.isTrial).map {
                ($0.id, $0.trialEndOn!)
            })
        let train = labelled.filter { trialEnd[panel.subscriptions[$0]]! < testStart }
        let test = labelled.filter { panel.days[$0] >= testStart }
        for (rows, name) in [(train, "training"), (test, "test")] {
            let positives = rows.lazy.filter { panel.y[$0] == 1 }.count
            if positives == 0 || positives == rows.count { throw ChurnModel.Problem.oneClass(name, "conversion") }
        }
        let encoder = FeatureEncoder(columns: panel.names.map { .numeric(name: $0, missingIndicator: false) })
        let trainDays = train.map { panel.days[$0] }
        let window =
            "trials scored \(trainDays.min()!.iso)…\(trainDays.max()!.iso); tested on trials scored \(testStart.iso)…\(last.iso)"
        let result = ModelTrainer.train(
            kind: kind, target: "the trial converts to paid (still running on its first paid day)",
            encoder: encoder, x: panel.x, y: panel.y, train: train, test: test, algorithms: algorithms,
            trainingWindow: window,
            validation:
                "out of time: trials scored in the last \(testDays) days with a known outcome; training trials ended before them",
            createdOn: createdOn)
        let drivers = algorithms.isEmpty ? [] : ModelInsight.drivers(result.best, x: panel.x, y: panel.y, rows: test)
        let asPanel = AccountFeatures.Panel(
            names: panel.names, x: panel.x, y: panel.y, accounts: panel.accounts, months: panel.days.map(\.month))
        return ChurnModel.Outcome(
            models: result.models, best: result.best, panel: asPanel, train: train, test: test, step: 1,
            drivers: drivers)
    }
}
