import ArgumentParser
import Foundation
import FulcrumStore

/// `fulcrum accounts resolve`: ties people without an account to one, as every import does.
struct AccountsResolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Tie people without an account to one (e-mail domain unless free-mail, then a unique company name).",
        discussion: """
            Every import already runs this pass. Run it on a store built another way (the demo leaves its \
            free-mail leads without an account) or after merging duplicates, which can make a company name unique. \
            Touches, activities and deals without an account take their person's account. See docs/identity.md.
            """)

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let s: IdentitySummary
        if storeOptions.isPostgres {
            // The identity pass runs on a staged SQLite copy whose result replaces the server's rows in one
            // transaction, as an import does (PostgresStore.staged).
            let store = try storeOptions.openPostgres()
            s = try runReportingErrors { try store.staged { try $0.resolveIdentities() } }
        } else {
            let store = try storeOptions.openSQLiteForWriting("accounts resolve")
            s = try runReportingErrors { try store.resolveIdentities() }
        }
        print(
            """
            People without an account: \(s.unmatchedBefore); matched by e-mail domain: \(s.matchedByEmailDomain), \
            by company name: \(s.matchedByCompanyName); still unmatched: \(s.stillUnmatched) (fulcrum accounts unmatched lists them); \
            touches and activities linked: \(s.factsLinked); deals without an account: \(s.dealsWithoutAccount), \
            linked through their person: \(s.dealsLinked)
            """)
    }
}
