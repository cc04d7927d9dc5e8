/// `fulcrum accounts list`: surviving accounts with their identity and standing — MRR now, customer
/// since, status — filtered by a search over name and domain and by segment, largest MRR first.
public enum AccountList {
    public static func table(_ context: MetricContext, search: String?, segment: String?, limit: Int) -> ReportTable {
        var reps: [Int64: String] = [:]
        for r in context.inputs.reps { reps[r.id] = r.name }
        var merged: [Int64: Int] = [:]
        for a in context.inputs.accounts where a.mergedInto != nil {
            merged[context.resolver.resolve(a.id), default: 0] += 1
        }
        let needle = search?.lowercased()
        let wanted = segment?.lowercased()
        struct Line {
            var account: Account
            var mrr: Int64
        }
        // A search matches any record of an account (a merged duplicate's name or domain finds its survivor).
        var found: Set<Int64> = []
        for a in context.inputs.accounts {
            if let needle, !a.name.lowercased().contains(needle), !(a.domain?.lowercased().contains(needle) ?? false) {
                continue
            }
            found.insert(context.resolver.resolve(a.id))
        }
        var lines: [Line] = []
        for a in context.inputs.accounts where context.account(a.id) != nil && found.contains(a.id) {
            if let wanted, (a.segment ?? "(none)").lowercased() != wanted { continue }
            lines.append(Line(account: a, mrr: context.ledger.mrr(account: a.id, month: context.dataMonth)))
        }
        lines.sort { ($1.mrr, $0.account.name, $0.account.id) < ($0.mrr, $1.account.name, $1.account.id) }
        var table = ReportTable(
            report: "accounts", title: "Accounts", currency: context.currency,
            columns: [
                .init("account_id", .text, key: true), .init("name", .text), .init("domain", .text),
                .init("segment", .text), .init("owner", .text), .init("status", .text), .init("mrr", .money),
                .init("customer_since", .text), .init("merged_records", .count),
            ],
            settings: [
                .init("accounts", "surviving accounts; merged duplicates are counted in merged_records, not listed"),
                .init(
                    "status",
                    "customer = MRR > 0 at the end of \(context.dataMonth.iso); churned = paid before, not now; prospect = never paid"
                ),
                .init("order", "largest MRR first, then name; at most \(limit) rows (--limit)"),
                .init("search", needle.map { "name or domain contains '\($0)' (any case)" } ?? "none"),
                .init("segment", wanted.map { "'\($0)' (any case)" } ?? "all"),
                .init("data through", context.inputs.dataThrough.iso),
            ])
        for line in lines.prefix(limit) {
            let a = line.account
            let since = context.firstPaidMonth[a.id]
            let status = line.mrr > 0 ? "customer" : since != nil ? "churned" : "prospect"
            table.rows.append(
                .init([
                    .text(String(a.id)), .text(a.name), .text(a.domain ?? ""), .text(a.segment ?? "(none)"),
                    .text(a.ownerRepId.map { reps[$0] ?? "rep \($0)" } ?? "(no owner)"), .text(status),
                    .money(line.mrr), .text(since?.iso ?? ""), .count(merged[a.id] ?? 0),
                ]))
        }
        if lines.count > limit {
            table.notes.append("\(lines.count) accounts match; the first \(limit) are shown (--limit)")
        }
        return table
    }
}
