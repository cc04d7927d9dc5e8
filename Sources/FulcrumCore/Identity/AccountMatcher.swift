/// Ties records to accounts. Rules, in order (the first that decides wins):
///
/// 1. an explicit Fulcrum account id, then an explicit external account id;
/// 2. the email domain, then the website domain — never a free-mail domain —
///    most specific host first (`eu.acme.com`, then `acme.com`);
/// 3. the normalized company name (`CompanyName.key`), only when exactly one
///    live account has it.
///
/// A domain or name shared by several live accounts is ambiguous; if both are
/// given, an account that has both the domain and the name still decides it.
/// Every hit follows `merged_into` to the surviving account. Names match
/// exactly after normalization — never by similarity — so a subsidiary
/// (`Acme Europe`) is never taken for its parent (`Acme`) or the reverse.
///
/// Build once per account list (O(n)); `match` is a few dictionary lookups.
public struct AccountMatcher: Sendable {
    private var known: Set<Int64> = []
    private var chains: MergeChains
    private var byExternal: [String: [Int64]] = [:]  // "source\u{1F}id" and "\u{1F}id" (any source)
    private var byDomain: [String: [Int64]] = [:]  // host → surviving ids, ascending
    private var byName: [String: [Int64]] = [:]  // name key → surviving ids, ascending

    public init(accounts: [IdentityAccount]) {
        chains = MergeChains(accounts)
        var external: [String: Set<Int64>] = [:]
        var domain: [String: Set<Int64>] = [:]
        var name: [String: Set<Int64>] = [:]
        for a in accounts {
            known.insert(a.id)
            let survivor = chains.survivor(of: a.id)
            if let ext = a.externalId, !ext.isEmpty {
                external[(a.source ?? "") + "\u{1F}" + ext, default: []].insert(a.id)
                external["\u{1F}" + ext, default: []].insert(a.id)
            }
            if let host = a.companyDomain { domain[host, default: []].insert(survivor) }
            let key = CompanyName(a.name).key
            if !key.isEmpty { name[key, default: []].insert(survivor) }
        }
        byExternal = external.mapValues { $0.sorted() }
        byDomain = domain.mapValues { $0.sorted() }
        byName = name.mapValues { $0.sorted() }
    }

    public init(accounts: [Account]) {
        self.init(accounts: accounts.map { IdentityAccount($0) })
    }

    /// The surviving account of `id` after following merges.
    public func survivor(of id: Int64) -> Int64 { chains.survivor(of: id) }

    public func match(_ record: IdentityRecord) -> MatchOutcome {
        var unknownReference: String?
        if let id = record.accountId {
            if known.contains(id) { return hit(id, .accountId, key: String(id)) }
            unknownReference = "id \(id)"
        }
        if let ext = record.accountExternalId.map(DomainName.trimmed), !ext.isEmpty {
            let ids = byExternal[(record.accountSource ?? "") + "\u{1F}" + ext] ?? []
            if ids.count == 1 { return hit(ids[0], .externalId, key: ext) }
            unknownReference =
                unknownReference ?? "external id \(ext)" + (record.accountSource.map { " (\($0))" } ?? "")
        }

        var freeMail: String?
        var domainTie: (host: String, candidates: [Int64])?
        let domains: [(String?, MatchRule)] = [
            (record.email.flatMap(DomainName.fromEmail), .emailDomain),
            (record.website.flatMap(DomainName.fromWebsite), .websiteDomain),
        ]
        for case (let host?, let rule) in domains {
            if FreeMailDomains.contains(host) {
                freeMail = freeMail ?? host
                continue
            }
            for candidate in DomainName.lookupChain(host) {
                guard let ids = byDomain[candidate] else { continue }
                if ids.count == 1 { return hit(ids[0], rule, key: candidate) }
                domainTie = domainTie ?? (candidate, ids)
                break
            }
        }

        let trimmedName = record.companyName.map(DomainName.trimmed).flatMap { $0.isEmpty ? nil : $0 }
        let key = trimmedName.map { CompanyName($0).key } ?? ""
        if !key.isEmpty, let ids = byName[key] {
            if ids.count == 1 { return hit(ids[0], .companyName, key: key) }
            if let tie = domainTie {
                let both = ids.filter { tie.candidates.contains($0) }
                if both.count == 1 { return hit(both[0], .companyName, key: key) }
            }
            return .unmatched(.ambiguousName(key, candidates: ids))
        }
        if let tie = domainTie { return .unmatched(.ambiguousDomain(tie.host, candidates: tie.candidates)) }
        if let freeMail { return .unmatched(.freeMailDomain(freeMail, companyName: trimmedName)) }
        if let unknownReference { return .unmatched(.unknownAccount(unknownReference)) }
        let anyClue =
            record.email.map { !DomainName.trimmed($0).isEmpty } == true
            || record.website.map { !DomainName.trimmed($0).isEmpty } == true || trimmedName != nil
        return .unmatched(anyClue ? .noCandidate : .noClues)
    }

    private func hit(_ id: Int64, _ rule: MatchRule, key: String) -> MatchOutcome {
        .matched(AccountMatch(accountId: chains.survivor(of: id), rule: rule, matchedRecordId: id, key: key))
    }
}
