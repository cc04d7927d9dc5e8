import ArgumentParser
import FulcrumStore

/// `fulcrum accounts unmerge ACCOUNT`: undo a merge, keeping its audit row.
struct AccountsUnmerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmerge",
        abstract: "Undo the merge of ACCOUNT (the account that was merged away); the audit row is kept, marked undone.")

    @Argument(help: "The account that was merged away (the first argument of its `merge`).")
    var account: Int64

    @Option(help: "Who undoes it (default: $USER).")
    var actor: String?

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard account > 0 else { throw ValidationError("ACCOUNT: \(account) is not an account id") }
    }

    func run() throws {
        let store = try storeOptions.openStoreForWriting()
        let merge = try runReportingErrors {
            try store.unmergeAccount(account, actor: AccountsOutput.actor(actor), at: SQLiteStore.now())
        }
        print(
            "Unmerged account \(merge.loserId) from \(merge.winnerId) (merge #\(merge.id) undone at \(merge.undoneAt ?? "") by \(merge.undoneBy ?? ""))."
        )
    }
}
