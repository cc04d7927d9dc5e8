/// A lead, touch, deal or subscription record as the matcher sees it: the
/// clues it carries about its account.
public struct IdentityRecord: Hashable, Sendable {
    /// A Fulcrum account id the record names outright.
    public var accountId: Int64?
    /// The account's id in the source system (Salesforce `AccountId`, HubSpot company id).
    public var accountExternalId: String?
    /// The source that `accountExternalId` belongs to; nil accepts any source when the id is unique across them.
    public var accountSource: String?
    public var email: String?
    public var website: String?
    public var companyName: String?

    public init(
        accountId: Int64? = nil, accountExternalId: String? = nil, accountSource: String? = nil,
        email: String? = nil, website: String? = nil, companyName: String? = nil
    ) {
        self.accountId = accountId
        self.accountExternalId = accountExternalId
        self.accountSource = accountSource
        self.email = email
        self.website = website
        self.companyName = companyName
    }
}

/// Which rule tied a record to its account, strongest first.
public enum MatchRule: String, Hashable, Sendable, Codable, CaseIterable {
    case accountId = "account_id"
    case externalId = "external_id"
    case emailDomain = "email_domain"
    case websiteDomain = "website_domain"
    case companyName = "company_name"
}

/// A record tied to an account.
public struct AccountMatch: Hashable, Sendable {
    /// The surviving account (merges followed).
    public var accountId: Int64
    public var rule: MatchRule
    /// The account record the rule hit, before following merges (equal to `accountId` when it was not merged away).
    public var matchedRecordId: Int64
    /// The value that matched: the id, the domain or the normalized name.
    public var key: String
}

/// Why a record could not be tied to an account. The importer stores the
/// record with a NULL account and `fulcrum accounts unmatched` lists it with
/// this reason, so nobody's numbers silently lose it.
public enum UnmatchedReason: Hashable, Sendable {
    /// The record carries no account id, email, website or company name.
    case noClues
    /// The company name matches several live accounts (normalized key, candidate ids ascending).
    case ambiguousName(String, candidates: [Int64])
    /// The domain belongs to several live accounts and the name did not settle it.
    case ambiguousDomain(String, candidates: [Int64])
    /// The address is on a free-mail domain (never matched by domain) and the company name, if any, matched nothing.
    case freeMailDomain(String, companyName: String?)
    /// The record names an account id or external id that no account has, and nothing else matched.
    case unknownAccount(String)
    /// Clues were given but none matched an account.
    case noCandidate

    /// A stable code for grouping and for CSV/JSON.
    public var code: String {
        switch self {
        case .noClues: "no_clues"
        case .ambiguousName: "ambiguous_name"
        case .ambiguousDomain: "ambiguous_domain"
        case .freeMailDomain: "free_mail_domain"
        case .unknownAccount: "unknown_account"
        case .noCandidate: "no_candidate"
        }
    }

    /// One line a person can act on.
    public var description: String {
        func ids(_ c: [Int64]) -> String { c.map(String.init).joined(separator: ", ") }
        switch self {
        case .noClues: return "no account id, email, website or company name"
        case .ambiguousName(let key, let c):
            return "company name '\(key)' matches accounts \(ids(c)); merge the duplicates or set the account"
        case .ambiguousDomain(let d, let c):
            return "domain \(d) belongs to accounts \(ids(c)) and the company name does not decide"
        case .freeMailDomain(let d, let name?):
            return "free-mail domain \(d) (never matched by domain); company name '\(name)' matches no account"
        case .freeMailDomain(let d, nil): return "free-mail domain \(d) (never matched by domain) and no company name"
        case .unknownAccount(let ref): return "names account \(ref), which is not in the store"
        case .noCandidate: return "no account has this domain or company name"
        }
    }
}

/// The matcher's answer for one record.
public enum MatchOutcome: Hashable, Sendable {
    case matched(AccountMatch)
    case unmatched(UnmatchedReason)

    public var match: AccountMatch? { if case .matched(let m) = self { m } else { nil } }
    public var reason: UnmatchedReason? { if case .unmatched(let r) = self { r } else { nil } }
}
