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
///
/// A journey also carries the lead fields the lead reports read (owner, campaign, source, channel,
/// status; texts coded), so the reports never need the people themselves: the store hands people
/// over one at a time and five million of them are never held at once (issue 17: 112 bytes a lead).
struct LeadJourneys: Sendable {
    /// What first responses are set from: the store's roll-up when read, else the activities.
    typealias ResponseSources = (firstResponses: [PersonInstant]?, activities: [Activity])

    /// The code of an absent text.
    static let noText = UInt32.max

    struct Journey: Sendable {
        /// The person's id.
        var id: Int64
        /// The surviving account (after merges), nil for a lead without one.
        @Packed var account: Int64?
        @Packed var ownerRepId: Int64?
        @Packed var campaignId: Int64?
        /// Reached instants, lead (the person's creation) … customer (stored flat and packed).
        var lead: Timestamp
        @Packed var mql: Timestamp?
        @Packed var sal: Timestamp?
        @Packed var sql: Timestamp?
        @Packed var opportunity: Timestamp?
        @Packed var customer: Timestamp?
        /// The first human sales activity with the person at or after its creation.
        @Packed var firstResponse: Timestamp?
        var score: Double?
        /// Codes of the lead source, channel and status texts (`LeadJourneys.text`).
        var leadSource: UInt32
        var channel: UInt32
        var status: UInt32

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

    private(set) var journeys: [Journey]
    private let texts: [String]

    func text(_ code: UInt32) -> String? { code == Self.noText ? nil : texts[Int(code)] }
    func leadSource(_ j: Journey) -> String? { text(j.leadSource) }
    func channel(_ j: Journey) -> String? { text(j.channel) }
    func status(_ j: Journey) -> String { text(j.status) ?? "" }

    /// `people` hands every person to the closure it is given, in any order (the store's rows as they are
    /// read, or `inputs.people`); `expected` is how many there are, to reserve room. First responses come
    /// from what `responses` returns, called once every person is in (so another thread may still be reading
    /// the activities while the people are handed over).
    init(
        _ context: MetricContext, expected: Int, people: ((Person) -> Void) throws -> Void,
        responses: () throws -> ResponseSources
    ) rethrows {
        let inputs = context.inputs
        let settings = context.settings.lifecycle
        var scores: [Int64: Double] = [:]
        for f in inputs.personFields where f.name == settings.scoreField {
            if let v = Double(f.value.trimmed) { scores[f.recordId] = v }
        }
        var touchMQL: [Int64: Timestamp] = [:]
        for t in inputs.qualifyingTouches { touchMQL[t.personId] = t.at }
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
        var texts: [String] = []
        var codes: [String: UInt32] = [:]
        func code(_ text: String?) -> UInt32 {
            guard let text else { return Self.noText }
            if let c = codes[text] { return c }
            let c = UInt32(texts.count)
            texts.append(text)
            codes[text] = c
            return c
        }
        var out: [Journey] = []
        out.reserveCapacity(expected)
        try people { person in
            let id = person.id
            let created = person.createdAt
            let account = person.accountId.map(context.resolver.resolve)
            var mql = person.mqlAt
            var salAt = person.salAt
            var sqlAt = person.sqlAt
            let opportunity = person.opportunityAt
            var customer = person.customerAt
            let score = scores.isEmpty ? nil : scores[id]
            if mql == nil {
                if let threshold = settings.mqlScoreAtLeast, let score, score >= threshold { mql = created }
                if let t = touchMQL[id] {
                    let at = max(t, created)
                    if mql.map({ at < $0 }) ?? true { mql = at }
                }
            }
            if salAt == nil || sqlAt == nil {
                let status = person.status
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
                    id: id, account: account, ownerRepId: person.ownerRepId, campaignId: person.campaignId,
                    lead: created, mql: rMQL, sal: rSAL, sql: rSQL, opportunity: rOpportunity,
                    customer: clamp(customer), firstResponse: nil, score: score, leadSource: code(person.leadSource),
                    channel: code(person.channel), status: code(person.status)))
        }
        Self.answer(&out, try responses(), settings)
        self.texts = texts
        journeys = out
    }

    /// Sets each lead's first response: the store's roll-up when read, else the earliest human activity of
    /// the response kinds at or after the lead's creation, in one flat pass over the activities.
    /// (Done before the journeys are kept: a change to a kept array shared with `out` would copy it whole.)
    private static func answer(_ journeys: inout [Journey], _ sources: ResponseSources, _ settings: LifecycleSettings) {
        let position = JourneyPositions(journeys)
        if let rolledUp = sources.firstResponses {
            for r in rolledUp {
                if let i = position.find(r.personId, in: journeys) { journeys[i].firstResponse = r.at }
            }
            return
        }
        var counted = [Bool](repeating: false, count: Activity.Kind.allCases.count)
        for kind in settings.responseKinds { counted[Activity.Kind.allCases.firstIndex(of: kind)!] = true }
        let kinds = Activity.Kind.allCases
        let activities = sources.activities
        for a in activities.indices {
            guard !activities[a].automated, let p = activities[a].personId, let i = position.find(p, in: journeys),
                counted[kinds.firstIndex(of: activities[a].kind)!]
            else { continue }
            let at = activities[a].occurredAt
            guard at >= journeys[i].lead else { continue }
            if let current = journeys[i].firstResponse, current <= at { continue }
            journeys[i].firstResponse = at
        }
    }
}

/// A journey's position by person id: a binary search of the journeys themselves when they are in id order
/// (the store's), else a dictionary.
private struct JourneyPositions {
    let byId: [Int64: Int]?

    init(_ journeys: [LeadJourneys.Journey]) {
        let sorted = zip(journeys, journeys.dropFirst()).allSatisfy { $0.id < $1.id }
        byId =
            sorted ? nil : Dictionary(journeys.indices.map { (journeys[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func find(_ id: Int64, in journeys: [LeadJourneys.Journey]) -> Int? {
        if let byId { return byId[id] }
        let i = journeys.firstIndex(partitionedBy: { $0.id >= id })
        return i < journeys.count && journeys[i].id == id ? i : nil
    }
}

/// Computations several reports of one run need, done once: `fulcrum report funnel targets …` builds
/// every lead's journey a single time. Guarded by a lock because a context is shared across threads.
final class SharedWork: Sendable {
    private let journeys = Mutex<LeadJourneys?>(nil)

    func leadJourneys(_ make: () -> LeadJourneys) -> LeadJourneys {
        journeys.withLock { cached in
            if let cached { return cached }
            let made = make()
            cached = made
            return made
        }
    }

    /// Keeps journeys made outside the lock (the first kept wins).
    func keep(_ made: LeadJourneys) {
        journeys.withLock { cached in if cached == nil { cached = made } }
    }
}

extension MetricContext {
    /// Every lead's journey under the run's lifecycle settings (computed once per context), from
    /// `inputs.people` unless `loadLeadJourneys` made them first.
    var leadJourneys: LeadJourneys {
        shared.leadJourneys {
            LeadJourneys(self, expected: inputs.people.count) { add in
                for p in inputs.people { add(p) }
            } responses: {
                (inputs.firstResponses, inputs.activities)
            }
        }
    }

    /// Makes every lead's journey from people handed over one at a time (the store's rows as they are read),
    /// so the people are never all held: what a report run does when its needs name `.leads` and not
    /// `.people`. `expected` is how many people there are (room is reserved for them).
    ///
    /// First responses come from what `responses` returns, called once every person is in: the store's
    /// roll-up of first responses when read, else the activities (the inputs' by default). A report run calls
    /// this on another thread while it reads the activities, and `responses` waits for them.
    public func loadLeadJourneys(
        expected: Int, people: ((Person) -> Void) throws -> Void,
        responses: (() throws -> (firstResponses: [PersonInstant]?, activities: [Activity]))? = nil
    ) throws {
        let made = try LeadJourneys(self, expected: expected, people: people) {
            try responses?() ?? (inputs.firstResponses, inputs.activities)
        }
        shared.keep(made)
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
