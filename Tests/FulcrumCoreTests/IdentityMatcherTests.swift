import Testing

@testable import FulcrumCore

/// A small CRM: Acme with a subsidiary, a duplicate of Beta merged into Beta,
/// two live records named Gamma, and an account whose website is a free-mail domain.
private let crm: [IdentityAccount] = [
    IdentityAccount(
        id: 1, name: "Acme, Inc.", domain: "https://www.acme.com", source: "salesforce", externalId: "001A"),
    IdentityAccount(
        id: 2, name: "Acme Europe", domain: "eu.acme.com", parentId: 1, source: "salesforce", externalId: "001B"),
    IdentityAccount(id: 3, name: "Beta Labs LLC", domain: "beta.io"),
    IdentityAccount(id: 4, name: "BETA LABS", domain: nil, mergedInto: 3, source: "hubspot", externalId: "9001"),
    IdentityAccount(id: 5, name: "Gamma Systems", domain: "gamma.com"),
    IdentityAccount(id: 6, name: "The Gamma Systems Company", domain: "gamma.de"),
    IdentityAccount(id: 7, name: "Jo's Consulting", domain: "gmail.com"),
    IdentityAccount(id: 8, name: "Delta One", domain: "delta.com"),
    IdentityAccount(id: 9, name: "Delta Two", domain: "delta.com"),
]

@Suite("Identity: account matcher")
struct IdentityMatcherTests {
    let matcher = AccountMatcher(accounts: crm)

    func matched(_ record: IdentityRecord) -> AccountMatch? { matcher.match(record).match }

    @Test("a free-mail lead is never matched by domain, not even to an account whose website is gmail.com")
    func freeMailLead() {
        let outcome = matcher.match(IdentityRecord(email: "jo@gmail.com"))
        #expect(outcome == .unmatched(.freeMailDomain("gmail.com", companyName: nil)))
        let named = matcher.match(IdentityRecord(email: "Jo@GMail.com", companyName: "Unknown Co"))
        #expect(named.reason == .freeMailDomain("gmail.com", companyName: "Unknown Co"))
        #expect(named.reason?.code == "free_mail_domain")
    }

    @Test("a free-mail lead that typed its company name is matched by name")
    func freeMailByName() {
        let m = matched(IdentityRecord(email: "jo123@yahoo.co.uk", companyName: "  ACME inc "))
        #expect(m == AccountMatch(accountId: 1, rule: .companyName, matchedRecordId: 1, key: "acme"))
    }

    @Test("'Acme, Inc.' and 'ACME Inc' and 'The Acme Company' match the same account")
    func acmeSpellings() {
        for name in ["Acme, Inc.", "ACME Inc", "The Acme Company", "acme"] {
            #expect(matched(IdentityRecord(companyName: name))?.accountId == 1, "\(name)")
        }
    }

    @Test("explicit ids win over domain and name; external ids are looked up per source")
    func explicitIds() {
        #expect(matched(IdentityRecord(accountId: 5, email: "jo@acme.com"))?.rule == .accountId)
        #expect(matched(IdentityRecord(accountId: 5, email: "jo@acme.com"))?.accountId == 5)
        let ext = matched(IdentityRecord(accountExternalId: "001B", accountSource: "salesforce", email: "jo@acme.com"))
        #expect(ext == AccountMatch(accountId: 2, rule: .externalId, matchedRecordId: 2, key: "001B"))
        #expect(matched(IdentityRecord(accountExternalId: "001B"))?.accountId == 2)
        // A wrong source does not find it, and with nothing else to go on the reference is reported.
        #expect(
            matcher.match(IdentityRecord(accountExternalId: "001B", accountSource: "hubspot"))
                == .unmatched(.unknownAccount("external id 001B (hubspot)")))
        #expect(matcher.match(IdentityRecord(accountId: 999)) == .unmatched(.unknownAccount("id 999")))
        // An unknown id falls through to the other clues.
        #expect(
            matched(IdentityRecord(accountId: 999, email: "jo@beta.io"))
                == AccountMatch(accountId: 3, rule: .emailDomain, matchedRecordId: 3, key: "beta.io"))
    }

    @Test("a merged account resolves to its winner, by id, external id and name")
    func mergedResolvesToWinner() {
        #expect(
            matched(IdentityRecord(accountId: 4))
                == AccountMatch(accountId: 3, rule: .accountId, matchedRecordId: 4, key: "4"))
        #expect(matched(IdentityRecord(accountExternalId: "9001", accountSource: "hubspot"))?.accountId == 3)
        // Both records are named "beta labs": one live company, so not ambiguous.
        #expect(matched(IdentityRecord(companyName: "Beta Labs"))?.accountId == 3)
        #expect(matcher.survivor(of: 4) == 3)
    }

    @Test("subsidiaries are kept apart: their own subdomain and name find them, the parent's find the parent")
    func subsidiaries() {
        #expect(matched(IdentityRecord(email: "jo@eu.acme.com"))?.accountId == 2)
        #expect(matched(IdentityRecord(email: "jo@sales.eu.acme.com"))?.accountId == 2)
        #expect(matched(IdentityRecord(email: "jo@acme.com"))?.accountId == 1)
        #expect(
            matched(IdentityRecord(email: "jo@us.acme.com"))
                == AccountMatch(accountId: 1, rule: .emailDomain, matchedRecordId: 1, key: "acme.com"))
        #expect(matched(IdentityRecord(companyName: "Acme Europe GmbH"))?.accountId == 2)
        // A name close to the subsidiary's is not matched by similarity.
        #expect(matcher.match(IdentityRecord(companyName: "Acme Europa")) == .unmatched(.noCandidate))
    }

    @Test("ambiguity is reported with the candidate ids, and a second clue settles it")
    func ambiguity() {
        #expect(
            matcher.match(IdentityRecord(companyName: "gamma systems inc"))
                == .unmatched(.ambiguousName("gammasystems", candidates: [5, 6])))
        #expect(matched(IdentityRecord(email: "jo@gamma.de", companyName: "Gamma Systems"))?.accountId == 6)
        #expect(
            matcher.match(IdentityRecord(email: "jo@delta.com"))
                == .unmatched(.ambiguousDomain("delta.com", candidates: [8, 9])))
        let settled = matched(IdentityRecord(email: "jo@delta.com", companyName: "Delta Two Inc"))
        #expect(settled == AccountMatch(accountId: 9, rule: .companyName, matchedRecordId: 9, key: "deltatwo"))
    }

    @Test("website is used when the email says nothing; records without clues say so")
    func websiteAndNoClues() {
        #expect(
            matched(IdentityRecord(email: "jo@hotmail.com", website: "http://www.beta.io/pricing"))?.rule
                == .websiteDomain)
        #expect(matcher.match(IdentityRecord()) == .unmatched(.noClues))
        #expect(matcher.match(IdentityRecord(email: "  ", companyName: " ")) == .unmatched(.noClues))
        #expect(matcher.match(IdentityRecord(email: "jo@unknown.org")) == .unmatched(.noCandidate))
        #expect(UnmatchedReason.ambiguousName("gammasystems", candidates: [5, 6]).description.contains("5, 6"))
    }
}
