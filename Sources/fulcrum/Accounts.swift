import ArgumentParser
import FulcrumCore
import FulcrumService
import FulcrumStore

extension Fulcrum {
    /// `fulcrum accounts …`: the account list and its identity. Shared file: the
    /// metrics engineer owns `--by-ltv` (the accounts-ltv ranking, below); identity
    /// owns the subcommands, each in its own `Accounts<Name>.swift` file.
    ///
    /// The group itself declares no options: swift-argument-parser gives an option
    /// declared on both a group and its subcommand to the group, so a report
    /// `--format`/`--limit` here would silently override the subcommands' own.
    /// `--by-ltv` therefore lives on the default subcommand, which
    /// `fulcrum accounts --by-ltv …` reaches without naming it.
    struct Accounts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accounts: rank them by LTV, find and merge duplicates, list records without an account.",
            subcommands: [
                AccountsList.self, AccountsDuplicates.self, AccountsMerge.self, AccountsUnmerge.self,
                AccountsUnmatched.self, AccountsResolve.self, AccountsShow.self,
            ],
            defaultSubcommand: AccountsList.self
        )
    }
}

// MARK: --by-ltv (metrics)

/// `fulcrum accounts --by-ltv`: accounts ranked by LTV potential.
struct AccountsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract:
            "List accounts (search by name or domain, filter by segment), or rank them by LTV potential with --by-ltv.")

    @Flag(name: .customLong("by-ltv"), help: "List accounts ranked by LTV potential (the accounts-ltv report).")
    var byLTV = false

    @Flag(
        name: .customLong("at-risk"),
        help:
            "Paying customers by expected MRR lost (churn probability × MRR) under the stored churn model, with health."
    )
    var atRisk = false

    @Option(help: "Only accounts whose name or domain contains this text (any case).")
    var search: String?

    @Option(help: "Only accounts of this segment (any case).")
    var segment: String?

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var options: ReportOptions

    func validate() throws {
        // Options one mode would silently ignore are errors.
        if byLTV, let name = [("--search", search != nil), ("--segment", segment != nil)].first(where: { $0.1 })?.0 {
            throw ValidationError("\(name): filters the account list; --by-ltv ranks every account (drop one of them)")
        }
        if !byLTV {
            let ignored: [(String, Bool)] = [
                ("--by", options.by != nil), ("--from", options.from != nil), ("--compare", options.compare != nil),
                ("--explain", options.explain),
            ]
            if let name = ignored.first(where: { $0.1 })?.0 {
                throw ValidationError(
                    "\(name): the account list is a snapshot at the last month with data and does not take \(name)")
            }
        }
    }

    func run() throws {
        let store = try storeOptions.openStoreForReading()
        if atRisk {
            let (month, currency, risks): (Month, String, [PredictionService.AccountRisk])
            let model: TrainedModel
            do {
                model = try runReportingErrors { try PredictionService.model(store: store, kind: ChurnModel.kind) }
                (month, currency, risks) = try reportingMetricErrors {
                    try PredictionService.churnRisks(store: store, model: model)
                }
            } catch let missing as PredictionService.NoModel {
                throw fail(missing.description)
            }
            let filtered = risks.filter { r in segment.map { r.segment.lowercased() == $0.lowercased() } ?? true }
            let table = PredictionService.riskTable(
                filtered, month: month, model: model, currency: currency, limit: options.limit)
            ReportPrinter.print(table, format: options.format, explain: false)
            return
        }
        guard byLTV else {
            let context = try reportingMetricErrors {
                try ReportInputs.context(
                    store: store, needs: [.billing, .reps], query: try options.query(report: "mrr"))
            }
            let table = AccountList.table(context, search: search, segment: segment, limit: options.limit)
            ReportPrinter.print(table, format: options.format, explain: false)
            return
        }
        // The accounts-ltv ranking; with a stored churn model, its predicted LTV beside it.
        let plan = try ReportPrinter.plan(
            ids: ["accounts-ltv"], options: options, storePath: storeOptions.resolvedPath.path)
        let query = plan.queries[0]
        let context = try reportingMetricErrors { try plan.context(store: store) }
        var table = try reportingMetricErrors {
            try ReportCatalog.run(query, context: context, explain: options.explain)
        }
        if try store.model(kind: ChurnModel.kind) != nil {
            let model = try runReportingErrors { try PredictionService.model(store: store, kind: ChurnModel.kind) }
            let (month, _, risks) = try reportingMetricErrors {
                try PredictionService.churnRisks(store: store, model: model, month: query.to)
            }
            table = PredictionService.withPredictedLTV(
                table, risks: risks, model: model, settings: query.settings, month: month)
        }
        ReportPrinter.print(
            table, format: options.format, explain: options.explain,
            labels: try ReportPrinter.labels(table, options, store))
    }
}
