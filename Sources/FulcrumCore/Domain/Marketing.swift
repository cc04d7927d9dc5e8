/// Marketing programs, the touches they produce, and what everything cost.
public struct Campaign: Hashable, Sendable, Codable {
    public var id: Int64 = 0
    public var name = ""
    public var channel = ""
    public var segment: String?
    public var kind = ""
    public var startedOn = Day(ordinal: 0)
    public var endedOn: Day?
    public var budgetMinor: Int64?
    public var currency = "USD"
    public init() {}
}

public struct Touch: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case visit
        case emailOpen = "email_open"
        case emailClick = "email_click"
        case formFill = "form_fill"
        case
            adClick = "ad_click"
        case event
        case contentDownload = "content_download"
        case webinar
    }
    public var id: Int64 = 0
    public var accountId: Int64?
    public var personId: Int64?
    public var campaignId: Int64?
    public var kind: Kind = .visit
    public var channel = ""
    public var occurredAt = Timestamp(seconds: 0)
    public init() {}
}

/// Money spent in a month. Team and category follow the seed's fully loaded
/// CAC: media, wages, tools, services and overhead, for marketing, sales and
/// customer success (the last is never part of CAC).
public struct SpendEntry: Hashable, Sendable, Codable {
    public enum Category: String, Sendable, Codable, CaseIterable { case media, wages, tools, services, overhead }
    public var id: Int64 = 0
    public var month = Month(index: 0)
    public var team: Team.Function = .marketing
    public var category: Category = .media
    public var channel: String?
    public var segment: String?
    public var amountMinor: Int64 = 0
    public var currency = "USD"
    public init() {}
}

/// A planned value that actuals are compared with.
public struct Target: Hashable, Sendable, Codable {
    public enum Scope: String, Sendable, Codable, CaseIterable { case company, team, rep, segment }
    public var id: Int64 = 0
    public var month = Month(index: 0)
    public var scope: Scope = .company
    public var scopeKey = ""
    public var metric = ""
    public var value: Double = 0
    public init() {}
}

/// Units of the reporting currency per one unit of `currency` in a month.
public struct FXRate: Hashable, Sendable, Codable {
    public var month = Month(index: 0)
    public var currency = "EUR"
    public var rate: Double = 1
    public init() {}
}
