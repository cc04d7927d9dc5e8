import ArgumentParser
import FulcrumStore

/// `fulcrum accounts merge LOSER WINNER`: one company, one account.
struct AccountsMerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the first account INTO the second: LOSER is merged away, WINNER survives.",
        discussion: """
            `fulcrum accounts merge 812 17` merges account 812 into account 17: reports count 17 once, with 812's \
            records. Nothing else is rewritten — 812 gets merged_into = 17 and account_merges records who, when, why \
            and the evidence — so `fulcrum accounts unmerge 812` undoes it. The order is the one \
            `fulcrum accounts duplicates` suggests as MERGE KEEP. Refused: an account into itself, an account already \
            merged away (on either side), a merge that would close a cycle, a parent with its subsidiary.
            """)

    @Argument(help: "The account merged away (its records then count under WINNER).")
    var loser: Int64

    @Argument(help: "The account that survives.")
    var winner: Int64

    @Option(help: "Why, for the audit trail (default: the duplicate finder's evidence for the pair).")
    var reason: String?

    @Option(help: "Who merges, for the audit trail (default: $USER).")
    var actor: String?

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard loser > 0 else { throw ValidationError("LOSER: \(loser) is not an account id") }
        guard winner > 0 else { throw ValidationError("WINNER: \(winner) is not an account id") }
    }

    func run() throws {
        let store = try storeOptions.openStoreForWriting()
        let merge = try runReportingErrors {
            try store.mergeAccount(
                loser, into: winner, actor: AccountsOutput.actor(actor), reason: reason, at: SQLiteStore.now())
        }
        print(
            "Merged account \(merge.loserId) into \(merge.winnerId) (merge #\(merge.id), by \(merge.actor) at \(merge.mergedAt))."
        )
        print("Reason: \(merge.reason)")
        print("Undo with `fulcrum accounts unmerge \(merge.loserId)`.")
    }
}
