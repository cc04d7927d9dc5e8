/// The lifecycle definitions RevOps owns (seed 002: "RevOps is the arbitrator of the definition of the
/// MQL/SAL/SQL"): what makes a lead an MQL when the source does not say, which CRM statuses mean SAL
/// and SQL, the marketing→sales response SLA, and when a customer counts as expanding, at risk or
/// reactivated. Read from `lifecycle.yaml` beside the store or `--config`; docs/lifecycle.md has
/// every default and a worked example.
public struct LifecycleSettings: Sendable, Hashable {
    /// A person without `mql_at` is an MQL when its lead score (a people custom field) is at least this.
    public var mqlScoreAtLeast: Double? = 65
    /// The people custom field holding the lead score.
    public var scoreField = "lead_score"
    /// A person without `mql_at` is an MQL at its `mqlTouchCount`-th touch of these kinds (off when empty).
    public var mqlTouchKinds: [Touch.Kind] = []
    public var mqlTouchCount = 3
    /// Lower-case CRM lead statuses that mean the lead reached SAL (or SQL) when the source gives no instant.
    public var salStatuses: [String] = ["sal", "accepted", "working", "working - contacted", "contacted"]
    public var sqlStatuses: [String] = ["sql", "qualified", "converted"]
    /// Lower-case statuses of leads still open (lead aging); any other status is closed.
    public var openStatuses: [String] = ["open", "new", "working", "working - contacted", "contacted", "nurture"]
    /// Marketing→sales response SLA, minutes from the lead's creation to the first human sales activity.
    public var responseSLAMinutes = 60
    /// Activity kinds that count as a response (automated sends never do).
    public var responseKinds: [Activity.Kind] = Activity.Kind.allCases
    /// A customer is at risk at a period end after an NPS detractor answer (0–6) in the days before it…
    public var atRiskDetractorDays = 120
    /// …or at least this many high or urgent tickets opened in `atRiskTicketDays` before it…
    public var atRiskUrgentTickets = 2
    /// The ticket priorities that count as urgent (compared exactly, as stored).
    public static let urgentPriorities = ["high", "urgent"]
    public var atRiskTicketDays = 90
    /// …or a lower MRR than `atRiskContractionMonths` months before.
    public var atRiskContractionMonths = 3
    /// A customer is expanding when its MRR is above its MRR this many months before.
    public var expandingMonths = 3
    /// A customer is reactivated for this many months after it comes back.
    public var reactivatedMonths = 12
    /// A funnel cohort is young (marked) when its last day is within this many days of the data's end.
    public var youngCohortDays = 180
    /// Channels whose visits and leads are "social" (compared case-insensitively).
    public var socialChannels: [String] = ["Paid Social", "Organic Social", "Social"]

    /// The account custom field naming the customer-success manager (the CS scorecard's book).
    public var csOwnerField = "csm"
    /// A detractor counts as followed up after a human activity with the account within this many days.
    public var detractorFollowUpDays = 14

    public init() {}

    /// The settings rows printed with every lifecycle report.
    public var described: [ReportTable.Setting] {
        var mql = "source's mql_at"
        if let s = mqlScoreAtLeast { mql += "; else \(scoreField) ≥ \(s == s.rounded() ? String(Int(s)) : String(s))" }
        if !mqlTouchKinds.isEmpty {
            mql += "; else the \(mqlTouchCount)th touch of \(mqlTouchKinds.map(\.rawValue).joined(separator: "/"))"
        }
        return [
            .init("MQL", mql),
            .init(
                "SAL/SQL",
                "source's sal_at/sql_at; else status in [\(salStatuses.joined(separator: ", "))] / [\(sqlStatuses.joined(separator: ", "))] at the latest earlier instant"
            ),
            .init(
                "stages",
                "reaching a stage counts every earlier stage as reached (skipped stages); an account reaches a stage when its first person does"
            ),
            .init(
                "response SLA",
                "\(responseSLAMinutes) min from lead creation to the first human \(responseKinds.map(\.rawValue).joined(separator: "/")) (automated sends never count)"
            ),
        ]
    }
}
