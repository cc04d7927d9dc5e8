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
    /// Deals without an account before the pass, and those that took their person's account.
    public var dealsWithoutAccount = 0
    public var dealsLinked = 0
    /// Deals still without an account (no person, or a person without one); `accounts unmatched` lists them.
    public var dealsStillUnmatched: Int { dealsWithoutAccount - dealsLinked }
}

/// Ties people that arrived without an account to one (AccountMatcher's rules:
/// e-mail domain unless free-mail, then website domain, then a normalized company
/// name that only one live account has), then gives touches, activities and deals
/// of a person that person's account, and a deal's stage history its deal's account.
/// Runs inside the import's transaction, so it lands with the import or not at all;
/// e-mail alone never joins two records.
enum IdentityPass {
    static func run(_ db: Database) throws -> IdentitySummary {
        var summary = IdentitySummary()
        let people = try Row.fetchAll(
            db, sql: "SELECT id, email, company_name, website FROM people WHERE account_id IS NULL")
        summary.unmatchedBefore = people.count
        if !people.isEmpty {
            let accounts = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, name, domain, parent_account_id, merged_into, source, external_id FROM accounts
                    """
            ).map { row in
                IdentityAccount(
                    id: row[0], name: row[1], domain: row[2], parentId: row[3], mergedInto: row[4],
                    source: row[5], externalId: row[6])
            }
            let matcher = AccountMatcher(accounts: accounts)
            let update = try db.makeStatement(sql: "UPDATE people SET account_id = ? WHERE id = ?")
            for person in people {
                let outcome = matcher.match(
                    IdentityRecord(email: person[1], website: person[3], companyName: person[2]))
                guard let match = outcome.match else {
                    summary.stillUnmatched += 1
                    continue
                }
                switch match.rule {
                case .companyName: summary.matchedByCompanyName += 1
                default: summary.matchedByEmailDomain += 1
                }
                try update.execute(arguments: [match.accountId, person[0] as Int64])
            }
        }
        summary.dealsWithoutAccount =
            try Int.fetchOne(db, sql: "SELECT count(*) FROM opportunities WHERE account_id IS NULL") ?? 0
        for table in ["touches", "activities", "opportunities"] {
            try db.execute(
                sql: """
                    UPDATE \(table) SET account_id = (SELECT p.account_id FROM people p WHERE p.id = \(table).person_id)
                    WHERE account_id IS NULL AND person_id IS NOT NULL
                      AND (SELECT p.account_id FROM people p WHERE p.id = \(table).person_id) IS NOT NULL
                    """)
            if table == "opportunities" {
                summary.dealsLinked = db.changesCount
            } else {
                summary.factsLinked += db.changesCount
            }
        }
        try db.execute(
            sql: """
                UPDATE opportunity_stages SET account_id = (SELECT o.account_id FROM opportunities o WHERE o.id = opportunity_stages.opportunity_id)
                WHERE account_id IS NULL
                  AND (SELECT o.account_id FROM opportunities o WHERE o.id = opportunity_stages.opportunity_id) IS NOT NULL
                """)
        return summary
    }
}
