/// Who does the work: teams and the people on them whose activities and
/// bookings are scored. Quotas are monthly bookings targets in minor units.
public struct Team: Hashable, Sendable, Codable {
    public enum Function: String, Sendable, Codable, CaseIterable { case marketing, sales, cs }
    public var id: Int64 = 0
    public var name = ""
    public var function: Function = .sales
    public var segment: String?
    public init() {}
}

public struct Rep: Hashable, Sendable, Codable {
    public var id: Int64 = 0
    public var name = ""
    public var email: String?
    public var teamId: Int64?
    public var role = "AE"
    public var monthlyQuotaMinor: Int64?
    public var hiredOn: Day?
    public var leftOn: Day?
    public init() {}
}

/// A company we market to, sell to or serve. `mergedInto` points at the
/// surviving record when two accounts turn out to be the same company;
/// `parentAccountId` keeps subsidiaries apart from their parents.
public struct Account: Hashable, Sendable, Codable {
    public var id: Int64 = 0
    public var name = ""
    public var domain: String?
    public var segment: String?
    public var industry: String?
    public var country: String?
    public var employees: Int?
    public var ownerRepId: Int64?
    public var parentAccountId: Int64?
    public var mergedInto: Int64?
    public var createdOn = Day(ordinal: 0)
    public init() {}
}

/// A lead or contact with the time it reached each lifecycle stage.
public struct Person: Hashable, Sendable, Codable {
    public var id: Int64 = 0
    public var accountId: Int64?
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var title: String?
    public var companyName: String?
    public var leadSource: String?
    public var channel: String?
    public var campaignId: Int64?
    public var ownerRepId: Int64?
    public var createdAt = Timestamp(seconds: 0)
    public var mqlAt: Timestamp?
    public var salAt: Timestamp?
    public var sqlAt: Timestamp?
    public var opportunityAt: Timestamp?
    public var customerAt: Timestamp?
    public var status = "open"
    public init() {}
}

/// A custom field value kept beside any record so it can be used as a dimension.
public struct CustomField: Hashable, Sendable, Codable {
    public var entity = ""
    public var recordId: Int64 = 0
    public var accountId: Int64?
    public var name = ""
    public var value = ""
    public init() {}
}

/// One company referring another: the referred account is the fact's account.
public struct Referral: Hashable, Sendable, Codable {
    public var id: Int64 = 0
    public var referrerAccountId: Int64 = 0
    public var accountId: Int64 = 0
    public var referredOn = Day(ordinal: 0)
    public init() {}
}
