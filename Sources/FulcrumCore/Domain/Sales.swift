/// A deal: new business, renewal or upsell, with the stage it is in now.
public struct Opportunity: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case new, renewal, upsell }
    public var id: Int64 = 0
    /// Nil for a deal whose source names no account and that identity resolution
    /// could not tie to one (through its person); kept, counted under "(none)"
    /// by account dimensions, and listed by `fulcrum accounts unmatched`.
    @Packed public var accountId: Int64? = nil
    @Packed public var personId: Int64? = nil
    public var type: Kind = .new
    public var product = ""
    @Packed public var ownerRepId: Int64? = nil
    public var leadSource: String?
    public var channel: String?
    public var amountMinor: Int64 = 0
    public var currency = "USD"
    public var createdOn = Day(ordinal: 0)
    @Packed public var closedOn: Day? = nil
    public var stage = ""
    public var isClosed = false
    public var isWon = false
    public init() {}
}

/// When an opportunity entered a stage; the history behind time-in-stage.
public struct StageChange: Hashable, Sendable, Codable {
    public var id: Int64 = 0
    public var opportunityId: Int64 = 0
    /// The deal's account; nil while the deal has none.
    @Packed public var accountId: Int64? = nil
    public var stage = ""
    public var enteredAt = Timestamp(seconds: 0)
    public init() {}
}

/// A rep's call, email, meeting or demo. Automated sends are flagged because
/// they do not count as a response to a lead.
public struct Activity: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case call, email, meeting, demo }
    public var id: Int64 = 0
    // Packed ids, and the one-byte fields last: 56 bytes a record, thirteen million on the large company.
    @Packed public var accountId: Int64? = nil
    @Packed public var repId: Int64? = nil
    @Packed public var personId: Int64? = nil
    @Packed public var opportunityId: Int64? = nil
    public var occurredAt = Timestamp(seconds: 0)
    public var kind: Kind = .call
    public var automated = false
    public init() {}
}
