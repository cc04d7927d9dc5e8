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
///
/// Kept compact (136 bytes): the predictions, drivers and campaign slices hold every person at once, five
/// million on the large company (the lead reports do not: they keep each lead's journey, `LeadJourneys`).
/// Optional ids and instants are `Packed`; the identity fields (e-mail, names, title, company), which only
/// the demo generator and identity resolution fill in, live in one shared `PersonIdentity`.
public struct Person: Hashable, Sendable, Codable {
    public var id: Int64 = 0
    @Packed public var accountId: Int64? = nil
    public var identity: PersonIdentity?
    public var leadSource: String?
    public var channel: String?
    @Packed public var campaignId: Int64? = nil
    @Packed public var ownerRepId: Int64? = nil
    public var createdAt = Timestamp(seconds: 0)
    @Packed public var mqlAt: Timestamp? = nil
    @Packed public var salAt: Timestamp? = nil
    @Packed public var sqlAt: Timestamp? = nil
    @Packed public var opportunityAt: Timestamp? = nil
    @Packed public var customerAt: Timestamp? = nil
    public var status = "open"
    public init() {}

    /// Changes one identity field (`PersonIdentity` is shared and immutable: a changed copy replaces it).
    private mutating func setIdentity(_ field: WritableKeyPath<PersonIdentity.Fields, String?>, _ value: String?) {
        identity = PersonIdentity.with(identity) { $0[keyPath: field] = value }
    }

    public var email: String? {
        get { identity?.email }
        set { setIdentity(\.email, newValue) }
    }
    public var firstName: String? {
        get { identity?.firstName }
        set { setIdentity(\.firstName, newValue) }
    }
    public var lastName: String? {
        get { identity?.lastName }
        set { setIdentity(\.lastName, newValue) }
    }
    public var title: String? {
        get { identity?.title }
        set { setIdentity(\.title, newValue) }
    }
    public var companyName: String? {
        get { identity?.companyName }
        set { setIdentity(\.companyName, newValue) }
    }
}

/// What identity resolution matches a person on, out of line (one pointer in `Person`); immutable, so
/// copies of a person share it safely.
public final class PersonIdentity: Hashable, Sendable, Codable {
    public struct Fields: Hashable, Sendable, Codable {
        public var email, firstName, lastName, title, companyName: String?
        public init(
            email: String? = nil, firstName: String? = nil, lastName: String? = nil, title: String? = nil,
            companyName: String? = nil
        ) {
            self.email = email
            self.firstName = firstName
            self.lastName = lastName
            self.title = title
            self.companyName = companyName
        }
    }

    public let fields: Fields
    public var email: String? { fields.email }
    public var firstName: String? { fields.firstName }
    public var lastName: String? { fields.lastName }
    public var title: String? { fields.title }
    public var companyName: String? { fields.companyName }

    public init(_ fields: Fields = Fields()) { self.fields = fields }

    /// `identity` with one change; nil when no field is left, so a person whose fields were set and cleared
    /// equals one never given any.
    static func with(_ identity: PersonIdentity?, _ change: (inout Fields) -> Void) -> PersonIdentity? {
        var f = identity?.fields ?? Fields()
        change(&f)
        return f == Fields() ? nil : PersonIdentity(f)
    }

    public static func == (a: PersonIdentity, b: PersonIdentity) -> Bool { a.fields == b.fields }
    public func hash(into hasher: inout Hasher) { hasher.combine(fields) }
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
