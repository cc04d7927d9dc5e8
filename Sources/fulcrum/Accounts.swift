import ArgumentParser
import FulcrumStore

extension Fulcrum {
    /// `fulcrum accounts …`: the account list and its identity. Shared file: the
    /// metrics engineer owns `--by-ltv` (the accounts-ltv ranking); identity owns
    /// the subcommands, each in its own `Accounts<Name>.swift` file.
    struct Accounts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accounts: rank them by LTV, find and merge duplicates, list records without an account.",
            subcommands: [AccountsDuplicates.self, AccountsMerge.self, AccountsUnmerge.self, AccountsUnmatched.self]
        )

        // MARK: --by-ltv (metrics)

        @Flag(name: .customLong("by-ltv"), help: "List accounts ranked by LTV potential (the accounts-ltv report).")
        var byLTV = false

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var options: ReportOptions

        func run() throws {
            guard byLTV else { throw CleanExit.helpRequest(self) }
            let store = try storeOptions.openStore()
            try ReportPrinter.run(id: "accounts-ltv", options: options, store: store)
        }
    }
}
