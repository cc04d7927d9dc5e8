import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumService
import FulcrumStore

/// `fulcrum accounts show ACCOUNT`: one account on one page — every source record merged into it,
/// owner and segment, MRR month by month with each movement, subscriptions, deals, tickets and touches.
struct AccountsShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract:
            "Show one account: identity, MRR history with each movement and what moved it, LTV and CAC, subscriptions, deals, and its timeline.",
        discussion: """
            ACCOUNT is a store id, SOURCE:EXTERNAL_ID (stripe:cus_A), an external id, a domain, or part of a name. \
            When it names several accounts they are listed and nothing is shown (exit 1).
            """)

    @Argument(help: "Store id, source:external_id, external id, domain or part of the name.")
    var account: String

    /// One account is a page, not a table: no CSV.
    enum PageFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: "Output format: table or json.")
    var format: PageFormat = .table

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard !account.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("ACCOUNT: name an account (store id, source:external_id, domain or name)")
        }
    }

    func run() throws {
        let store = try storeOptions.openStoreForReading()
        let context = try reportingMetricErrors {
            try ReportInputs.context(store: store, needs: AccountDetail.needs, query: ReportQuery(report: "mrr"))
        }
        let match = try runReportingErrors { try AccountDetail.find(account, store: store, context: context) }
        guard case .one(let id) = match,
            let detail = try runReportingErrors({ try AccountDetail.build(store: store, context: context, account: id) }
            )
        else {
            var message = "fulcrum: error: ACCOUNT: "
            if case .several(let survivors) = match {
                message += "'\(account)' matches \(survivors.count) accounts; show one by its store id:\n"
                for s in survivors.prefix(20) {
                    let a = context.account(s)
                    message += "  \(s)  \(a?.name ?? "?")  \(a?.domain ?? "")\n"
                }
            } else {
                message +=
                    "no account matches '\(account)' (by store id, source:external_id, external id, domain or name)\n"
            }
            FileHandle.standardError.write(Data(message.utf8))
            throw ExitCode.failure
        }
        if format == .json {
            print(try detail.json())
            return
        }
        let profile = detail.account
        let records = detail.records
        let engagement = (
            people: detail.people, touches: detail.touches, first: detail.firstTouch, last: detail.lastTouch
        )
        let money = { (m: Int64) in Format.money(m, currency: profile.currency) }
        print("Account \(profile.id): \(profile.name)\(profile.domain.map { " (\($0))" } ?? "")")
        print(
            "segment \(profile.segment ?? "(none)"), industry \(profile.industry ?? "(none)"), country \(profile.country ?? "(none)"), owner \(profile.owner ?? "(none)"), created \(profile.createdOn)"
        )
        print(
            "MRR at \(context.dataMonth.iso): \(money(profile.mrrMinor)) (\(profile.currency), the ledger's rules: docs/metrics.md)"
        )
        print("\nSource records (\(records.count); merged duplicates point at the survivor):")
        var recordTable = TextTable(headers: ["store id", "source", "external id", "name", "domain", "merged into"])
        for r in records {
            recordTable.append([
                String(r.id), r.source, r.externalId ?? "", r.name, r.domain ?? "", r.mergedInto.map(String.init) ?? "",
            ])
        }
        print(recordTable.render())
        print("\nMRR history (months with MRR or a movement):")
        var history = TextTable(headers: ["month", "MRR", "movement", "change", "FX change (not a movement)"])
        for m in profile.history {
            history.append([
                m.month, money(m.mrrMinor), m.movement ?? "", m.changeMinor.map(money) ?? "",
                m.fxChangeMinor.map(money) ?? "",
            ])
        }
        print(history.render())
        let moved = profile.history.filter { $0.movement != nil }
        if !moved.isEmpty {
            print("\nBehind each movement (the subscription events of its month):")
            for m in moved {
                let events = m.behind ?? []
                print(
                    "  \(m.month) \(m.movement!) \(m.changeMinor.map(money) ?? ""): "
                        + (events.isEmpty
                            ? "no subscription event in the month (a discount ending or a rule)"
                            : events.joined(separator: "; ")))
            }
        }
        if let e = profile.economics {
            print(
                "\nLTV and CAC (the accounts-ltv report's rules): revenue to date \(money(e.revenueToDateMinor)), "
                    + "expected residual \(e.expectedResidualMinor.map(money) ?? "unknown"), LTV \(e.ltvMinor.map(money) ?? "unknown"), "
                    + "CAC (fully loaded, segment) \(e.cacFullyLoadedMinor.map(money) ?? "unknown"), LTV/CAC "
                    + (e.ltvCacFullyLoaded.map { DecimalText.text($0, places: 1) + "x" } ?? "unknown"))
        }
        print("\nSubscriptions:")
        var subs = TextTable(headers: [
            "id", "record", "plan", "product", "interval", "amount", "status", "started", "ended",
        ])
        for s in profile.subscriptions {
            subs.append([
                String(s.id), String(s.accountId), s.plan, s.product, s.interval,
                Format.money(s.amountMinor, currency: s.currency), s.status, s.startedOn, s.endedOn ?? "",
            ])
        }
        print(subs.render())
        print("\nDeals:")
        var deals = TextTable(headers: ["id", "type", "stage", "amount", "created", "closed", "owner"])
        for d in profile.deals {
            deals.append([
                String(d.id), d.type, d.stage, Format.money(d.amountMinor, currency: d.currency), d.createdOn,
                d.closedOn ?? "", d.owner,
            ])
        }
        print(deals.render())
        print(
            "\nTickets: \(profile.ticketsOpened) opened, \(profile.ticketsOpen) open. People: \(engagement.people). Touches: \(engagement.touches)\(engagement.first.map { ", first \($0)" } ?? "")\(engagement.last.map { ", last \($0)" } ?? "")."
        )
        print(
            "\nTimeline (payments, tickets, touches, deals, subscriptions, surveys, usage; newest \(detail.timeline.count)):"
        )
        var timeline = TextTable(
            headers: ["at", "kind", "detail", "amount", "record"], alignments: [.left, .left, .left, .right, .left])
        for e in detail.timeline {
            timeline.append([
                e.at, e.kind, e.detail,
                e.amountMinor.map { Format.money($0, currency: e.currency ?? profile.currency) } ?? "", e.record,
            ])
        }
        print(timeline.render())
    }
}
