import Foundation

/// The conversion panel: each sales-led account's first lead, scored seven days after it arrived from
/// what was known by then — who it is (segment, size, channel), how sales answered, what it did
/// (webinars, events, content, e-mails) — for the chance that a new-business opportunity opens in the
/// next 90 days. Leads that already have an opportunity, or bought or started a trial on their own, by
/// the scoring day are not rows: the score is about leads still open.
public enum LeadFeatures {
    public static let scoreAfterDays = 7
    public static let horizonDays = 90
    /// Channels beyond this many (by training frequency) count as `channel=(other)`.
    public static let maxChannels = 12

    public static let numericNames = [
        "fast_response", "responded", "hours_to_response", "webinars", "events", "content_downloads",
        "email_clicks", "email_opens", "people", "referred", "employees_log",
    ]

    public struct Panel: Sendable {
        public var names: [String]
        public var x: [Double]
        /// 1 = an opportunity opened within the horizon after the scoring day; NaN = the horizon is not over.
        public var y: [Double]
        public var accounts: [Int64]
        public var people: [Int64]
        /// The scoring day (arrival + 7 days).
        public var days: [Day]
        public var rowCount: Int { accounts.count }
    }

    /// Every open lead's row. `segments`/`channels`: the dummies to emit (a trained model's); default: from the data.
    /// What a lead's label records in the 90 days after its scoring day.
    public enum Outcome: String, Sendable, CaseIterable {
        /// A new-business opportunity opens.
        case opportunity
        /// A new-business opportunity is won (closed won within the 90 days).
        case win
    }

    public static func build(
        _ context: MetricContext, segments: [String]? = nil, channels: [String]? = nil,
        outcome: Outcome = .opportunity
    ) -> Panel {
        let resolve = context.resolver.resolve
        let through = context.inputs.dataThrough
        // Each account's first person is its lead.
        var lead: [Int64: Person] = [:]
        var peopleCreated: [Int64: [Timestamp]] = [:]
        for p in context.inputs.people {
            guard let raw = p.accountId else { continue }
            let a = resolve(raw)
            peopleCreated[a, default: []].append(p.createdAt)
            if let current = lead[a], (current.createdAt, current.id) <= (p.createdAt, p.id) { continue }
            lead[a] = p
        }
        var firstDeal: [Int64: Day] = [:]
        var firstWin: [Int64: Day] = [:]
        for o in context.inputs.opportunities where o.type == .new {
            guard let raw = o.accountId else { continue }
            let a = resolve(raw)
            firstDeal[a] = min(firstDeal[a] ?? o.createdOn, o.createdOn)
            if o.isWon, let closed = o.closedOn { firstWin[a] = min(firstWin[a] ?? closed, closed) }
        }
        var firstSubscription: [Int64: Day] = [:]
        for s in context.inputs.subscriptions {
            let a = resolve(s.accountId)
            firstSubscription[a] = min(firstSubscription[a] ?? s.startedOn, s.startedOn)
        }
        var touches: [Int64: [(Touch.Kind, Timestamp)]] = [:]
        for t in context.inputs.driverTouches { touches[resolve(t.accountId), default: []].append((t.kind, t.at)) }
        var referred: [Int64: Day] = [:]
        for r in context.inputs.referrals {
            let a = resolve(r.accountId)
            referred[a] = min(referred[a] ?? r.referredOn, r.referredOn)
        }
        let response = DriverPanels.firstResponses(context)
        let sla = Int64(context.settings.lifecycle.responseSLAMinutes) * 60

        // Rows first, dummies after (their levels come from the data when not given).
        struct Row {
            var account: Int64
            var person: Int64
            var day: Day
            var values: [Double]
            var segment: String
            var channel: String
            var label: Double
        }
        var rows: [Row] = []
        for a in lead.keys.sorted() {
            let p = lead[a]!
            let arrived = p.createdAt
            let scoreDay = arrived.day + scoreAfterDays
            let scoreInstant = Timestamp(day: scoreDay)
            guard scoreDay <= through, let account = context.account(a) else { continue }
            if let d = firstDeal[a], d < scoreDay { continue }
            if let s = firstSubscription[a], s < scoreDay { continue }
            var v: [Double] = []
            let answered = response[p.id].flatMap { $0 < scoreInstant ? $0 : nil }
            v.append(answered.map { $0.seconds - arrived.seconds <= sla ? 1 : 0 } ?? 0)
            v.append(answered == nil ? 0 : 1)
            v.append(answered.map { Double($0.seconds - arrived.seconds) / 3_600 } ?? .nan)
            var counts: [Touch.Kind: Int] = [:]
            for (kind, at) in touches[a] ?? [] where at >= arrived && at < scoreInstant {
                counts[kind, default: 0] += 1
            }
            for kind in [Touch.Kind.webinar, .event, .contentDownload, .emailClick, .emailOpen] {
                v.append(Double(counts[kind] ?? 0))
            }
            v.append(Double(peopleCreated[a]?.filter { $0 < scoreInstant }.count ?? 1))
            v.append(referred[a].map { $0 <= scoreDay } == true ? 1 : 0)
            v.append(account.employees.map { Foundation.log(Double(max(1, $0))) } ?? .nan)
            var label = Double.nan
            if scoreDay + horizonDays <= through {
                let event = outcome == .win ? firstWin[a] : firstDeal[a]
                label = event.map { $0 >= scoreDay && $0 < scoreDay + horizonDays } == true ? 1 : 0
            }
            rows.append(
                Row(
                    account: a, person: p.id, day: scoreDay, values: v, segment: account.segment ?? "(none)",
                    channel: p.channel ?? p.leadSource ?? "(none)", label: label))
        }
        let segmentLevels = segments ?? dummyLevels(rows.map(\.segment), limit: 50)
        let channelLevels = channels ?? dummyLevels(rows.map(\.channel), limit: maxChannels)
        let names = numericNames + segmentLevels.map { "segment=\($0)" } + channelLevels.map { "channel=\($0)" }
        var panel = Panel(names: names, x: [], y: [], accounts: [], people: [], days: [])
        panel.x.reserveCapacity(rows.count * names.count)
        for r in rows {
            panel.x += r.values
            for s in segmentLevels { panel.x.append(r.segment == s ? 1 : 0) }
            for c in channelLevels { panel.x.append(r.channel == c ? 1 : 0) }
            panel.y.append(r.label)
            panel.accounts.append(r.account)
            panel.people.append(r.person)
            panel.days.append(r.day)
        }
        return panel
    }

    /// One-hot levels for a text column: all but the most common value (the baseline), by frequency, at
    /// most `limit`, sorted by name. Shared by the lead and trial panels.
    static func dummyLevels(_ values: [String], limit: Int) -> [String] {
        var counts: [String: Int] = [:]
        for v in values { counts[v, default: 0] += 1 }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return ranked.dropFirst().prefix(limit).map(\.key).sorted()
    }
}

/// The conversion and win models: open leads at their seventh day, out-of-time split by scoring day.
public enum ConversionModel {
    public static let kind = "conversion"
    /// The same leads, labelled by a won new-business deal within the 90 days.
    public static let winKind = "win"
    public static let testDays = 365

    public static func train(
        _ context: MetricContext, createdOn: String,
        algorithms: [TrainedModel.Algorithm] = TrainedModel.Algorithm.allCases,
        outcome: LeadFeatures.Outcome = .opportunity
    ) throws -> ChurnModel.Outcome {
        let panel = LeadFeatures.build(context, outcome: outcome)
        let labelled = (0..<panel.rowCount).filter { !panel.y[$0].isNaN }
        guard let last = labelled.map({ panel.days[$0] }).max(), let first = labelled.map({ panel.days[$0] }).min()
        else { throw ChurnModel.Problem.tooLittleHistory(months: 0) }
        let testStart = last + (1 - testDays)
        // Training labels end before the test period: scoring day + horizon < test start.
        let train = labelled.filter { panel.days[$0] + LeadFeatures.horizonDays < testStart }
        let test = labelled.filter { panel.days[$0] >= testStart }
        guard first.adding(days: 2 * testDays) <= last else {
            throw ChurnModel.Problem.tooLittleHistory(months: first.month.distance(to: last.month) + 1)
        }
        for (rows, name) in [(train, "training"), (test, "test")] {
            let positives = rows.lazy.filter { panel.y[$0] == 1 }.count
            if positives == 0 || positives == rows.count {
                throw ChurnModel.Problem.oneClass(name, outcome == .win ? "won deal" : "opportunity")
            }
        }
        let encoder = FeatureEncoder(columns: panel.names.map { .numeric(name: $0, missingIndicator: false) })
        let trainDays = train.map { panel.days[$0] }
        let window =
            "leads scored \(trainDays.min()!.iso)…\(trainDays.max()!.iso); tested on leads scored \(testStart.iso)…\(last.iso)"
        let result = ModelTrainer.train(
            kind: outcome == .win ? winKind : kind,
            target:
                "a new-business \(outcome == .win ? "deal won" : "opportunity") within \(LeadFeatures.horizonDays) days of the lead's day \(LeadFeatures.scoreAfterDays)",
            encoder: encoder, x: panel.x, y: panel.y, train: train, test: test, algorithms: algorithms,
            trainingWindow: window,
            validation:
                "out of time: leads scored in the last \(testDays) days with a known outcome; training labels end before them",
            createdOn: createdOn)
        let drivers = algorithms.isEmpty ? [] : ModelInsight.drivers(result.best, x: panel.x, y: panel.y, rows: test)
        let customerPanel = AccountFeatures.Panel(
            names: panel.names, x: panel.x, y: panel.y, accounts: panel.accounts, months: panel.days.map(\.month))
        return ChurnModel.Outcome(
            models: result.models, best: result.best, panel: customerPanel, train: train, test: test, step: 1,
            drivers: drivers)
    }
}
