import ArgumentParser
import FulcrumCore
import FulcrumStore

/// `fulcrum accounts duplicates`: candidate duplicate pairs with score and evidence.
struct AccountsDuplicates: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "List account records that look like the same company, with a score and the evidence.",
        discussion: """
            Score 0–1: the name similarity (1 for equal normalized names), kept whole on the same web domain (and at \
            least 0.5 there), × 0.95 when a record has no domain, × 0.8 when the domains differ. Merged-away accounts and \
            parent/subsidiary pairs are never listed. KEEP is the older record; merge with \
            `fulcrum accounts merge MERGE KEEP`. docs/identity.md has the rules.
            """)

    @Option(name: .customLong("min-score"), help: "Smallest score listed, 0–1.")
    var minScore: Double = 0.85

    @Option(help: "Most pairs listed (0 = all).")
    var limit: Int = 100

    @Option(help: "Output format: table, csv or json.")
    var format: AccountsFormat = .table

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard (0...1).contains(minScore) else {
            throw ValidationError("--min-score: \(minScore) is not between 0 and 1")
        }
        guard limit >= 0 else { throw ValidationError("--limit: \(limit) must be 0 (all) or more") }
    }

    func run() throws {
        let store = try storeOptions.openStoreForReading()
        let (pairs, accounts) = try runReportingErrors {
            (
                try store.duplicateCandidates(minScore: minScore, limit: limit == 0 ? nil : limit),
                Dictionary(try store.identityAccounts().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            )
        }
        func name(_ id: Int64) -> String { accounts[id]?.name ?? "" }
        func domain(_ id: Int64) -> String { accounts[id]?.domain ?? "" }
        /// A name as a terminal table shows it: at most 60 characters (CSV and JSON keep it whole).
        func shown(_ name: String) -> String { name.count > 60 ? String(name.prefix(59)) + "…" : name }
        switch format {
        case .json:
            struct Side: Encodable {
                var id: Int64
                var name: String
                var domain: String?
                var ownerRepId: Int64?
            }
            struct Pair: Encodable {
                var score: Double
                var keep: Side
                var merge: Side
                var evidence: [DuplicateEvidence]
                var summary: String
            }
            func side(_ id: Int64) -> Side {
                Side(id: id, name: name(id), domain: accounts[id]?.domain, ownerRepId: accounts[id]?.ownerRepId)
            }
            try AccountsOutput.printJSON(
                pairs.map {
                    Pair(
                        score: $0.score, keep: side($0.winnerId), merge: side($0.loserId), evidence: $0.evidence,
                        summary: $0.summary)
                })
        case .csv:
            print("score,keep_id,keep_name,keep_domain,merge_id,merge_name,merge_domain,evidence")
            for p in pairs {
                print(
                    [
                        String(p.score), String(p.winnerId), CSVText.cell(name(p.winnerId)),
                        CSVText.cell(domain(p.winnerId)),
                        String(p.loserId), CSVText.cell(name(p.loserId)), CSVText.cell(domain(p.loserId)),
                        CSVText.cell(p.summary),
                    ]
                    .joined(separator: ","))
            }
        case .table:
            var table = TextTable(
                headers: ["score", "keep", "name", "merge", "name", "evidence"],
                alignments: [.right, .right, .left, .right, .left, .left])
            for p in pairs {
                table.append([
                    String(p.score), String(p.winnerId), shown(name(p.winnerId)), String(p.loserId),
                    shown(name(p.loserId)), p.summary,
                ])
            }
            print(table.render())
            print(
                "\n\(pairs.count) candidate pair\(pairs.count == 1 ? "" : "s") with score ≥ \(minScore)"
                    + (limit > 0 && pairs.count == limit ? " (first \(limit); --limit 0 lists all)" : "")
                    + ". Merge one with `fulcrum accounts merge MERGE KEEP`.")
        }
    }
}
