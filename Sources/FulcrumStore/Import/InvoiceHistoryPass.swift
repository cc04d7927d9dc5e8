import FulcrumCore
import GRDB

/// What rebuilding price history from invoice lines did.
public struct InvoiceHistorySummary: Sendable, Codable, Equatable {
    /// Subscriptions of the source with invoice lines that carry service periods.
    public var withInvoiceLines = 0
    /// Of those, the ones whose invoices reach back to the subscription's start.
    public var fromStart = 0
    public var changesWritten = 0
    /// Subscriptions of the source in all.
    public var subscriptions = 0
}

/// Applies `InvoicePriceHistory` to every subscription of a billing source:
/// the starting price comes from the first invoice line when the invoices reach
/// back to the start, and each later price becomes a `subscription_changes` row
/// (external id `<subscription>@invoice@<day>`). Changes recorded from export
/// dates (`HistoryKeeper`) inside the days the invoices cover are replaced, since
/// the invoices date them exactly. Runs inside the import's transaction.
enum InvoiceHistoryPass {
    static func run(_ db: Database, source: String) throws -> InvoiceHistorySummary {
        var summary = InvoiceHistorySummary()
        summary.subscriptions =
            try Int.fetchOne(db, sql: "SELECT count(*) FROM subscriptions WHERE source = ?", arguments: [source]) ?? 0
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT s.id, s.account_id, s.external_id, s.started_on, l.period_start, l.period_end, l.amount_minor, l.quantity, l.proration
                FROM subscriptions s JOIN invoice_lines l ON l.subscription_id = s.id
                WHERE s.source = ? AND l.period_start IS NOT NULL AND l.period_end IS NOT NULL
                ORDER BY s.id, l.period_start, l.id
                """, arguments: [source])
        var index = 0
        while index < rows.count {
            let id: Int64 = rows[index][0]
            var lines: [InvoicePriceHistory.Line] = []
            let first = rows[index]
            while index < rows.count, rows[index][0] as Int64 == id {
                let r = rows[index]
                if let start = Day(iso: r[4] as String), let end = Day(iso: r[5] as String) {
                    lines.append(
                        .init(periodStart: start, periodEnd: end, amountMinor: r[6], quantity: r[7], proration: r[8]))
                }
                index += 1
            }
            guard let startedOn = Day(iso: first[3] as String) else { continue }
            let history = InvoicePriceHistory.rebuild(lines: lines, startedOn: startedOn)
            guard let covered = history.covered else { continue }
            summary.withInvoiceLines += 1
            let key: String = first[2]
            let account: Int64 = first[1]
            if let price = history.startingPrice {
                summary.fromStart += 1
                try db.execute(
                    sql:
                        "UPDATE subscriptions SET amount_minor = ?, quantity = ? WHERE id = ? AND (amount_minor IS NOT ? OR quantity IS NOT ?)",
                    arguments: [price.amountMinor, price.quantity, id, price.amountMinor, price.quantity])
            }
            try db.execute(
                sql: """
                    DELETE FROM subscription_changes WHERE subscription_id = ? AND source = ? AND external_id NOT LIKE '%@invoice@%'
                      AND effective_on >= ? AND effective_on < ?
                    """, arguments: [id, source, covered.lowerBound.iso, covered.upperBound.iso])
            for change in history.changes {
                try db.execute(
                    sql: """
                        INSERT INTO subscription_changes(subscription_id, account_id, effective_on, amount_minor, quantity, source, external_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(source, external_id) WHERE external_id IS NOT NULL DO UPDATE SET
                          amount_minor = excluded.amount_minor, quantity = excluded.quantity
                        WHERE amount_minor IS NOT excluded.amount_minor OR quantity IS NOT excluded.quantity
                        """,
                    arguments: [
                        id, account, change.effectiveOn.iso, change.price.amountMinor, change.price.quantity, source,
                        "\(key)@invoice@\(change.effectiveOn.iso)",
                    ])
                summary.changesWritten += 1
            }
        }
        return summary
    }
}
