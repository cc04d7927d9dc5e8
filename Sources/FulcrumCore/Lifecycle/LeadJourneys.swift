import Synchronization

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
        @Packed var account: Int64?
        /// Reached instants, lead … customer (stored flat and packed: five million journeys on the large company).
        var lead: Timestamp
        @Packed var mql: Timestamp?
        @Packed var sal: Timestamp?
        @Packed var sql: Timestamp?
        @Packed var opportunity: Timestamp?
        @Packed var customer: Timestamp?
        /// The first human sales activity with the person at or after its creation.
        @Packed var firstResponse: Timestamp?
        var score: Double?

        func at(_ stage: FunnelStage) -> Timestamp? { at(index: stage.rawValue) }

        /// The reached instant of the stage with this raw value.
        func at(index: Int) -> Timestamp? {
            switch index {
            case 0: lead
            case 1: mql
            case 2: sal
            case 3: sql
            case 4: opportunity
            default: customer
            }
        }
    }

    let journeys: [Journey]

    init(_ context: MetricContext) {
        let inputs = context.inputs
        let people = inputs.people
        let settings = context.settings.lifecycle
        var scores: [Int64: Double] = [:]
        for f in inputs.personFields where f.name == settings.scoreField {
            if let v = Double(f.value.trimmed) { scores[f.recordId] = v }
        }
        var touchMQL: [Int64: Timestamp] = [:]
        for t in inputs.qualifyingTouches { touchMQL[t.personId] = t.at }
        // The earliest human answer at or after each person's creation, in one flat pass over the activities.
        var index: [Int64: Int] = [:]
        index.reserveCapacity(people.count)
        for i in people.indices { index[people[i].id] = i }
        var firstResponse = [Timestamp?](repeating: nil, count: people.count)
        if let rolledUp = inputs.firstResponses {
            for r in rolledUp { if let i = index[r.personId] { firstResponse[i] = r.at } }
        }
        var counted = [Bool](repeating: false, count: Activity.Kind.allCases.count)
        for kind in settings.responseKinds { counted[Activity.Kind.allCases.firstIndex(of: kind)!] = true }
        let kinds = Activity.Kind.allCases
        let activities = inputs.firstResponses == nil ? inputs.activities : []
        for a in activities.indices {
            guard !activities[a].automated, let p = activities[a].personId, let i = index[p],
                counted[kinds.firstIndex(of: activities[a].kind)!]
            else { continue }
            let at = activities[a].occurredAt
            guard at >= people[i].createdAt else { continue }
            if let current = firstResponse[i], current <= at { continue }
            firstResponse[i] = at
        }
        let sal = Set(settings.salStatuses)
        let sql = Set(settings.sqlStatuses)
        // The account's first day of paid service (merged duplicates pooled), a store roll-up.
        var firstPaidDay: [Int64: Day] = [:]
        for t in inputs.firstPaidDays {
            let a = context.resolver.resolve(t.accountId)
            if let d = firstPaidDay[a], d <= t.at.day { continue }
            firstPaidDay[a] = t.at.day
        }
        var statusRule: [String: (sal: Bool, sql: Bool)] = [:]
        var out: [Journey] = []
        out.reserveCapacity(people.count)
        for i in people.indices {
            let id = people[i].id
            let created = people[i].createdAt
            let account = people[i].accountId.map(context.resolver.resolve)
            var mql = people[i].mqlAt
            var salAt = people[i].salAt
            var sqlAt = people[i].sqlAt
            let opportunity = people[i].opportunityAt
            var customer = people[i].customerAt
            let score = scores.isEmpty ? nil : scores[id]
            if mql == nil {
                if let threshold = settings.mqlScoreAtLeast, let score, score >= threshold { mql = created }
                if let t = touchMQL[id] {
                    let at = max(t, created)
                    if mql.map({ at < $0 }) ?? true { mql = at }
                }
            }
            if salAt == nil || sqlAt == nil {
                let status = people[i].status
                let rule =
                    statusRule[status]
                    ?? {
                        let lower = status.lowercased()
                        let r = (sal: sal.contains(lower), sql: sql.contains(lower))
                        statusRule[status] = r
                        return r
                    }()
                // A status without an instant: the stage was reached at the latest instant known before it.
                if sqlAt == nil, rule.sql { sqlAt = salAt ?? mql ?? created }
                if salAt == nil, rule.sal { salAt = mql ?? created }
            }
            // Customer without customer_at: the account's first paid day, when it reached opportunity before.
            if customer == nil, let opp = opportunity, let account, let paid = firstPaidDay[account], paid >= opp.day {
                customer = Timestamp(day: paid)
            }
            // Reached = own instant, else the earliest later stage's (skipped stages count as reached).
            func earlier(_ own: Timestamp?, _ later: Timestamp?) -> Timestamp? {
                guard let later else { return own }
                guard let own else { return later }
                return min(own, later)
            }
            // A stage instant before the lead's creation (a CRM artefact) is taken as its creation.
            func clamp(_ t: Timestamp?) -> Timestamp? { t.map { max($0, created) } }
            let rOpportunity = clamp(earlier(opportunity, customer))
            let rSQL = clamp(earlier(sqlAt, rOpportunity))
            let rSAL = clamp(earlier(salAt, rSQL))
            let rMQL = clamp(earlier(mql, rSAL))
            out.append(
                Journey(
                    person: i, account: account, lead: created, mql: rMQL, sal: rSAL, sql: rSQL,
                    opportunity: rOpportunity, customer: clamp(customer), firstResponse: firstResponse[i], score: score)
            )
        }
        journeys = out
    }
}

/// Computations several reports of one run need, done once: `fulcrum report funnel targets …` builds
/// every lead's journey a single time. Guarded by a lock because a context is shared across threads.
final class SharedWork: Sendable {
    private let journeys = Mutex<[LeadJourneys.Journey]?>(nil)

    func leadJourneys(_ make: () -> [LeadJourneys.Journey]) -> [LeadJourneys.Journey] {
        journeys.withLock { cached in
            if let cached { return cached }
            let made = make()
            cached = made
            return made
        }
    }
}

extension MetricContext {
    /// Every lead's journey under the run's lifecycle settings (computed once per context).
    var leadJourneys: [LeadJourneys.Journey] { shared.leadJourneys { LeadJourneys(self).journeys } }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
