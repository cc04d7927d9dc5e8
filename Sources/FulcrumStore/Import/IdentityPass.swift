import FulcrumCore
import GRDB

/// What identity resolution did at the end of an import.
public struct IdentitySummary: Sendable, Codable, Equatable {
    /// People without an account before the pass.
    public var unmatchedBefore = 0
    public var matchedByEmailDomain = 0
    public var matchedByCompanyName = 0
    /// People still without an account (free-mail leads with no known company, ambiguous names, …).
    public var stillUnmatched = 0
    /// Touches and activities that took their person's account.
    public var factsLinked = 0
}

/// Ties people that arrived without an account to one (AccountMatcher's rules:
/// e-mail domain unless free-mail, then a normalized company name that only one
/// live account has), then gives touches and activities of a person that person's
/// account. Runs inside the import's transaction, so it lands with the import or
/// not at all; e-mail alone never joins two records.
enum IdentityPass {
    static func run(_ db: Database) throws -> IdentitySummary {
        var summary = IdentitySummary()
        let people = try Row.fetchAll(db, sql: "SELECT id, email, company_name FROM people WHERE account_id IS NULL")
        summary.unmatchedBefore = people.count
        if !people.isEmpty {
            let accounts = try Row.fetchAll(db, sql: """
                SELECT id, name, domain, parent_account_id, merged_into, source, external_id FROM accounts
                """).map { row in
                IdentityAccount(id: row[0], name: row[1], domain: row[2], parentId: row[3], mergedInto: row[4],
                                source: row[5], externalId: row[6])
            }
            let matcher = AccountMatcher(accounts: accounts)
            let update = try db.makeStatement(sql: "UPDATE people SET account_id = ? WHERE id = ?")
            for person in people {
                let outcome = matcher.match(IdentityRecord(email: person[1], companyName: person[2]))
                guard let match = outcome.match else { summary.stillUnmatched += 1; continue }
                switch match.rule {
                case .companyName: summary.matchedByCompanyName += 1
                default: summary.matchedByEmailDomain += 1
                }
                try update.execute(arguments: [match.accountId, person[0] as Int64])
            }
        }
        for table in ["touches", "activities"] {
            try db.execute(sql: """
                UPDATE \(table) SET account_id = (SELECT p.account_id FROM people p WHERE p.id = \(table).person_id)
                WHERE account_id IS NULL AND person_id IS NOT NULL
                  AND (SELECT p.account_id FROM people p WHERE p.id = \(table).person_id) IS NOT NULL
                """)
            summary.factsLinked += db.changesCount
        }
        return summary
    }
}
