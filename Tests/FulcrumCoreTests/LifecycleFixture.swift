@testable import FulcrumCore

/// A hand-built lead-to-cash story whose every lifecycle number is worked out by hand in
/// LifecycleReportTests (and in docs/lifecycle.md). Data through 2024-06-30; amounts in cents.
///
/// - Reps: Sam (1, SDR, Sales Development), Ava (2, AE, Sales — Tech), Bo (3, AE, Sales — Tech).
/// - P1 (account 1, Paid Search) created 03-01 09:00, MQL 10:00, SAL 03-02, SQL 03-04, opportunity 03-11 09:00,
///   customer 04-10. Answered by Sam's call 4 minutes after creation (an automated email at 2 minutes never counts).
/// - P2 (account 2, Webinar) created 03-05 12:00, MQL 03-06, no SAL or SQL instant, opportunity 03-15 12:00 (the
///   skipped stages count as reached then). Answered 40 minutes after creation.
/// - P3 (account 3, Events) created 03-10 08:00, status open, never answered: an SLA breach and an open lead.
/// - P4 (no account, Paid Search) created 04-02, lead score 70 (≥ 65: an MQL at creation), status nurture.
/// - O1 new, account 1, Ava, created 03-11, won 04-08, $12,000, a demo on 03-20. O2 new, account 2, Bo, created
///   03-15, lost 05-15, $6,000. O3 new, account 3, Bo, created 04-01, open, expected close 05-01, $24,000 (slipping
///   from May), stages Qualification 04-01 and Demo 04-20. O4 upsell, account 1, Ava, won 05-20, $2,400.
/// - Account 1 pays $1,000 a month from 04-10.
/// - Targets: company leads 2024-04 = 2; rep 2 bookings 2024-04 = 10,000; team Marketing leads 2024-03 = 3.
enum LifecycleFixture {
    static let dataThrough = Day(2024, 6, 30)

    static func at(_ iso: String, _ hour: Int = 0, _ minute: Int = 0) -> Timestamp {
        Timestamp(day: Day(iso: iso)!, hour: hour, minute: minute)
    }

    static func person(
        _ id: Int64, _ account: Int64?, _ created: Timestamp, channel: String, status: String,
        stages: [WritableKeyPath<Person, Timestamp?>: Timestamp] = [:]
    ) -> Person {
        var p = Person()
        p.id = id
        p.accountId = account
        p.createdAt = created
        p.channel = channel
        p.leadSource = channel
        p.status = status
        p.ownerRepId = 1
        for (path, t) in stages { p[keyPath: path] = t }
        return p
    }

    static func activity(
        _ id: Int64, rep: Int64, person: Int64?, opportunity: Int64? = nil, account: Int64?, _ kind: Activity.Kind,
        _ at: Timestamp, automated: Bool = false
    ) -> Activity {
        var a = Activity()
        a.id = id
        a.repId = rep
        a.personId = person
        a.opportunityId = opportunity
        a.accountId = account
        a.kind = kind
        a.occurredAt = at
        a.automated = automated
        return a
    }

    static func deal(
        _ id: Int64, _ account: Int64, _ type: Opportunity.Kind, owner: Int64, created: String, closed: String?,
        won: Bool?, _ minor: Int64
    ) -> Opportunity {
        var o = Opportunity()
        o.id = id
        o.accountId = account
        o.type = type
        o.ownerRepId = owner
        o.product = "Core"
        o.createdOn = Day(iso: created)!
        o.closedOn = closed.map { Day(iso: $0)! }
        o.isClosed = won != nil
        o.isWon = won ?? false
        o.amountMinor = minor
        o.stage = won == nil ? "Demo" : won! ? "Closed Won" : "Closed Lost"
        o.channel = "Paid Search"
        return o
    }

    static var inputs: MetricInputs {
        var i = MetricInputs(dataThrough: dataThrough)
        var teams: [Team] = []
        for (id, name, function) in [
            (Int64(1), "Sales — Tech", Team.Function.sales), (2, "Sales Development", .sales),
            (3, "Marketing", .marketing),
        ] {
            var t = Team()
            t.id = id
            t.name = name
            t.function = function
            teams.append(t)
        }
        i.teams = teams
        i.reps = [(Int64(1), "Sam", Int64(2), "SDR"), (2, "Ava", 1, "AE"), (3, "Bo", 1, "AE")].map {
            var r = Rep()
            r.id = $0.0
            r.name = $0.1
            r.teamId = $0.2
            r.role = $0.3
            if $0.3 == "AE" { r.monthlyQuotaMinor = 800_000 }
            return r
        }
        i.accounts = [(Int64(1), "Tech", Int64(2)), (2, "Tech", 3), (3, "Telecom", 3)].map {
            var a = Account()
            a.id = $0.0
            a.name = "A\($0.0)"
            a.segment = $0.1
            a.ownerRepId = $0.2
            a.createdOn = Day(2024, 3, 1)
            return a
        }
        i.people = [
            person(
                1, 1, at("2024-03-01", 9), channel: "Paid Search", status: "customer",
                stages: [
                    \.mqlAt: at("2024-03-01", 10), \.salAt: at("2024-03-02", 9), \.sqlAt: at("2024-03-04", 9),
                    \.opportunityAt: at("2024-03-11", 9), \.customerAt: at("2024-04-10"),
                ]),
            person(
                2, 2, at("2024-03-05", 12), channel: "Webinar", status: "opportunity",
                stages: [\.mqlAt: at("2024-03-06", 12), \.opportunityAt: at("2024-03-15", 12)]),
            person(3, 3, at("2024-03-10", 8), channel: "Events", status: "open"),
            person(4, nil, at("2024-04-02", 15), channel: "Paid Search", status: "nurture"),
        ]
        var score = CustomField()
        score.entity = "people"
        score.recordId = 4
        score.name = "lead_score"
        score.value = "70"
        i.personFields = [score]
        i.activities = [
            activity(1, rep: 1, person: 1, account: 1, .email, at("2024-03-01", 9, 2), automated: true),
            activity(2, rep: 1, person: 1, account: 1, .call, at("2024-03-01", 9, 4)),
            activity(3, rep: 1, person: 2, account: 2, .call, at("2024-03-05", 12, 40)),
            activity(4, rep: 2, person: 1, opportunity: 1, account: 1, .demo, at("2024-03-20", 14)),
        ]
        i.opportunities = [
            deal(1, 1, .new, owner: 2, created: "2024-03-11", closed: "2024-04-08", won: true, 1_200_000),
            deal(2, 2, .new, owner: 3, created: "2024-03-15", closed: "2024-05-15", won: false, 600_000),
            deal(3, 3, .new, owner: 3, created: "2024-04-01", closed: "2024-05-01", won: nil, 2_400_000),
            deal(4, 1, .upsell, owner: 2, created: "2024-05-01", closed: "2024-05-20", won: true, 240_000),
        ]
        i.stageChanges = [("Qualification", "2024-04-01"), ("Demo", "2024-04-20")].enumerated().map {
            var s = StageChange()
            s.id = Int64($0.offset + 1)
            s.opportunityId = 3
            s.accountId = 3
            s.stage = $0.element.0
            s.enteredAt = at($0.element.1, 9)
            return s
        }
        var s = Subscription()
        s.id = 1
        s.accountId = 1
        s.opportunityId = 1
        s.plan = "Growth"
        s.product = "Core"
        s.amountMinor = 100_000
        s.startedOn = Day(2024, 4, 10)
        i.subscriptions = [s]
        i.targets = [
            (Month(2024, 4), Target.Scope.company, "company", "leads", 2.0),
            (Month(2024, 4), .rep, "2", "bookings", 10_000),
            (Month(2024, 3), .team, "Marketing", "leads", 3),
            (Month(2024, 4), .team, "Sales — Tech", "bookings", 12_000),
            (Month(2024, 4), .company, "company", "pageviews", 100),
        ].enumerated().map {
            var t = Target()
            t.id = Int64($0.offset + 1)
            t.month = $0.element.0
            t.scope = $0.element.1
            t.scopeKey = $0.element.2
            t.metric = $0.element.3
            t.value = $0.element.4
            return t
        }
        return i
    }

    static func report(
        _ id: String, by: Dimension? = nil, from: String = "2024-03", to: String = "2024-06",
        settings: LifecycleSettings = LifecycleSettings()
    ) throws -> ReportTable {
        var metricSettings = MetricSettings()
        metricSettings.lifecycle = settings
        let context = try MetricContext(inputs: inputs, settings: metricSettings)
        return try ReportCatalog.run(
            ReportQuery(report: id, by: by, from: Month(iso: from), to: Month(iso: to), settings: metricSettings),
            context: context)
    }
}
