/// The funnel stages a lead passes through, in order.
public enum FunnelStage: Int, Sendable, CaseIterable, Comparable {
    case lead, mql, sal, sql, opportunity, customer

    public var name: String {
        switch self {
        case .lead: "lead"
        case .mql: "MQL"
        case .sal: "SAL"
        case .sql: "SQL"
        case .opportunity: "opportunity"
        case .customer: "customer"
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A person's instant at the time it reached the `count`-th touch of the MQL-qualifying kinds, rolled up in the store.
public struct PersonInstant: Sendable, Hashable {
    public var personId: Int64
    public var at: Timestamp
    public init(personId: Int64, at: Timestamp) {
        self.personId = personId
        self.at = at
    }
}

/// Every lead's journey under the lifecycle settings: when it reached each funnel stage (an
/// instant the source gives, else the rule RevOps configured, and a later stage counts every
/// earlier one as reached), and when sales first answered it.
struct LeadJourneys {
    struct Journey {
        var person: Int
        /// The surviving account (after merges), nil for a lead without one.
        var account: Int64?
        /// Reached instant per `FunnelStage` (index = raw value); nil = not reached.
        var reached: [Timestamp?]
        /// The first human sales activity with the person at or after its creation.
        var firstResponse: Timestamp?
        var score: Double?

        func at(_ stage: FunnelStage) -> Timestamp? { reached[stage.rawValue] }
    }

    let journeys: [Journey]

    init(_ context: MetricContext) {
        let inputs = context.inputs
        let settings = context.settings.lifecycle
        var scores: [Int64: Double] = [:]
        for f in inputs.personFields where f.name == settings.scoreField {
            if let v = Double(f.value.trimmed) { scores[f.recordId] = v }
        }
        var touchMQL: [Int64: Timestamp] = [:]
        for t in inputs.qualifyingTouches { touchMQL[t.personId] = t.at }
        let countedKinds = Set(settings.responseKinds)
        var response: [Int64: [Timestamp]] = [:]
        for a in inputs.activities where !a.automated && countedKinds.contains(a.kind) {
            guard let p = a.personId else { continue }
            response[p, default: []].append(a.occurredAt)
        }
        let sal = Set(settings.salStatuses)
        let sql = Set(settings.sqlStatuses)
        // The account's first succeeded payment (merged duplicates pooled), a store roll-up.
        var firstPaidDay: [Int64: Day] = [:]
        for t in inputs.firstPayments {
            let a = context.resolver.resolve(t.accountId)
            if let d = firstPaidDay[a], d <= t.at.day { continue }
            firstPaidDay[a] = t.at.day
        }
        var out: [Journey] = []
        out.reserveCapacity(inputs.people.count)
        for (i, p) in inputs.people.enumerated() {
            let account = p.accountId.map(context.resolver.resolve)
            var own: [Timestamp?] = [p.createdAt, p.mqlAt, p.salAt, p.sqlAt, p.opportunityAt, p.customerAt]
            let score = scores[p.id]
            if own[1] == nil {
                var candidates: [Timestamp] = []
                if let threshold = settings.mqlScoreAtLeast, let score, score >= threshold {
                    candidates.append(p.createdAt)
                }
                if let t = touchMQL[p.id] { candidates.append(max(t, p.createdAt)) }
                own[1] = candidates.min()
            }
            let status = p.status.lowercased()
            // A status without an instant: the stage was reached at the latest instant known before it.
            if own[3] == nil, sql.contains(status) { own[3] = own[2] ?? own[1] ?? p.createdAt }
            if own[2] == nil, sal.contains(status) { own[2] = own[1] ?? p.createdAt }
            // Customer without customer_at: the account's first payment, when it reached opportunity before.
            if own[5] == nil, let opp = own[4], let account, let paid = firstPaidDay[account], paid >= opp.day {
                own[5] = Timestamp(day: paid)
            }
            // Reached = own instant, else the earliest later stage's (skipped stages count as reached).
            var reached = own
            for k in stride(from: reached.count - 2, through: 0, by: -1) {
                if let later = reached[k + 1], reached[k].map({ $0 > later }) ?? true { reached[k] = later }
            }
            let first = response[p.id]?.filter { $0 >= p.createdAt }.min()
            out.append(Journey(person: i, account: account, reached: reached, firstResponse: first, score: score))
        }
        journeys = out
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
