/// What identity resolution needs to know about an account record: its
/// names and keys, its merge pointer and its parent. Built from a stored
/// `Account` (plus the import key when the caller has it).
public struct IdentityAccount: Hashable, Sendable {
    public var id: Int64
    public var name: String
    /// Web domain or website as stored; normalized with `DomainName.fromWebsite` before use.
    public var domain: String?
    public var parentId: Int64?
    public var mergedInto: Int64?
    public var ownerRepId: Int64?
    public var createdOn: Day?
    /// The import key `(source, external_id)` of the record, when known.
    public var source: String?
    public var externalId: String?

    public init(
        id: Int64, name: String, domain: String? = nil, parentId: Int64? = nil, mergedInto: Int64? = nil,
        ownerRepId: Int64? = nil, createdOn: Day? = nil, source: String? = nil, externalId: String? = nil
    ) {
        self.id = id
        self.name = name
        self.domain = domain
        self.parentId = parentId
        self.mergedInto = mergedInto
        self.ownerRepId = ownerRepId
        self.createdOn = createdOn
        self.source = source
        self.externalId = externalId
    }

    public init(_ account: Account, source: String? = nil, externalId: String? = nil) {
        self.init(
            id: account.id, name: account.name, domain: account.domain, parentId: account.parentAccountId,
            mergedInto: account.mergedInto, ownerRepId: account.ownerRepId, createdOn: account.createdOn,
            source: source, externalId: externalId)
    }

    /// The normalized domain, or nil when there is none or it is a free-mail
    /// domain (which identifies no company).
    var companyDomain: String? {
        guard let domain, let host = DomainName.fromWebsite(domain), !FreeMailDomains.contains(host) else { return nil }
        return host
    }
}

/// Follows `merged_into` pointers to the surviving record. A cycle (a store
/// edited by hand) stops at the last record before the loop repeats, so the
/// walk always ends.
struct MergeChains {
    private var next: [Int64: Int64] = [:]

    init(_ accounts: [IdentityAccount]) {
        for a in accounts { if let m = a.mergedInto, m != a.id { next[a.id] = m } }
    }

    func survivor(of id: Int64) -> Int64 {
        guard let first = next[id] else { return id }
        guard next[first] != nil else { return first }
        var current = id
        var seen: Set<Int64> = [id]
        while let n = next[current], seen.insert(n).inserted { current = n }
        return current
    }
}
