/// Signals from support, the product and surveys: what precedes churn.
public struct Ticket: Hashable, Sendable, Codable {
    public var id: Int64 = 0
    public var accountId: Int64 = 0
    @Packed public var personId: Int64? = nil
    public var openedAt = Timestamp(seconds: 0)
    @Packed public var closedAt: Timestamp? = nil
    /// The first reply by support (nil while unanswered or when the help desk does not export it).
    @Packed public var firstResponseAt: Timestamp? = nil
    public var priority = "normal"
    public var category = ""
    public var status = "closed"
    public init() {}
}

public struct UsageDay: Hashable, Sendable, Codable {
    public var accountId: Int64 = 0
    public var day = Day(ordinal: 0)
    public var activeUsers = 0
    public var events = 0
    public init() {}
}

public struct SurveyResponse: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case nps, csat }
    public var id: Int64 = 0
    public var accountId: Int64 = 0
    public var personId: Int64?
    public var kind: Kind = .nps
    public var score = 0
    public var respondedOn = Day(ordinal: 0)
    public init() {}
}
