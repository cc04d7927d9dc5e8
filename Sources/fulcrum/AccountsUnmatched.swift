import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumStore

/// `fulcrum accounts unmatched`: every record with no account, and why, so no
/// number silently drops it.
struct AccountsUnmatched: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmatched",
        abstract:
            "List people, touches, activities and deals that have no account, and references to records not imported yet.",
        discussion: """
            Counts cover every unmatched record; --limit caps the records listed per table. Reasons: free_mail_domain, \
            ambiguous_name, ambiguous_domain, no_candidate, no_clues, unknown_account, matchable (an account that \
            matches now exists), person_matched (the person has an account, this record does not), no_account_no_person \
            (a deal that names neither), unresolved_reference (a record an export pointed to but did not include: an \
            owner whose User.csv was not exported, a parent account outside it; filled in when an import brings it).
            """)

    @Option(help: "Records listed per table (0 = all).")
    var limit: Int = 20

    @Option(help: "Output format: table, csv or json.")
    var format: AccountsFormat = .table

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit: \(limit) must be 0 (all) or more") }
    }

    func run() throws {
        let store = try storeOptions.openStoreForReading()
        let report = try runReportingErrors { try store.unmatchedRecords(limit: limit == 0 ? nil : limit) }
        switch format {
        case .json:
            try AccountsOutput.printJSON(report)
        case .csv:
            print("table,id,source,source_id,person_id,email,company_name,reason_code,reason")
            for r in report.records {
                print(
                    [
                        r.table, String(r.id), CSVText.cell(r.source), CSVText.cell(r.externalId ?? ""),
                        r.personId.map(String.init) ?? "", CSVText.cell(r.email ?? ""),
                        CSVText.cell(r.companyName ?? ""), r.reasonCode, CSVText.cell(r.reason),
                    ].joined(separator: ","))
            }
        case .table:
            let references = report.counts.filter { $0.reasonCode == "unresolved_reference" }.reduce(0) {
                $0 + $1.count
            }
            print(
                "\(Format.grouped(Int64(report.total - references))) records without an account"
                    + (references > 0
                        ? "; \(Format.grouped(Int64(references))) references to records the store does not hold yet"
                        : ""))
            var counts = TextTable(headers: ["table", "reason", "records"], alignments: [.left, .left, .right])
            for c in report.counts { counts.append([c.table, c.reasonCode, Format.grouped(Int64(c.count))]) }
            print(counts.render())
            guard !report.records.isEmpty else { return }
            var rows = TextTable(
                headers: ["table", "id", "source id", "email", "company name", "reason"],
                alignments: [.left, .right, .left, .left, .left, .left])
            for r in report.records {
                rows.append([
                    r.table, String(r.id), r.externalId.map { "\(r.source):\($0)" } ?? "", r.email ?? "",
                    (r.companyName ?? "").trimmingCharacters(in: .whitespaces), r.reason,
                ])
            }
            print("")
            print(rows.render())
        }
    }
}
