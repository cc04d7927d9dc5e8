/// The SaaS magic number, defined once for every report that prints it (`growth`, `unit-economics`):
/// net new MRR of a span — new + expansion + contraction + churn + reactivation, so an exchange-rate
/// move is not counted as growth the spend bought — annualized (× 12) and divided by the marketing and
/// sales spend (every category, customer success excluded) of the span of equal length just before.
enum MagicNumber {
    static let definition =
        "net new MRR of the period (its MRR movements; FX changes excluded) × 12 ÷ marketing + sales spend of the period of equal length before it"

    /// Net new MRR of `months`: the sum of the ledger's movements, FX adjustment excluded.
    static func netNewMRR(_ context: MetricContext, months: ClosedRange<Month>) -> Int64 {
        months.reduce(0) { total, month in
            let r = context.monthRow(month)
            return total + r.new + r.expansion + r.contraction + r.churn + r.reactivation
        }
    }

    /// Net new MRR of `months` per slice value (`key` of each account), from the same movements.
    static func netNewMRR(_ context: MetricContext, months: ClosedRange<Month>, key: (Int64) -> String)
        -> [String: Int64]
    {
        var out: [String: Int64] = [:]
        for m in context.ledger.movements where months.contains(m.month) && m.kind != .fxAdjustment {
            out[key(m.accountId), default: 0] += m.amountMinor
        }
        return out
    }

    /// The magic number; blank when there was no spend before.
    static func cell(netNewMRR: Int64, priorSpend: Int64) -> ReportTable.Cell {
        priorSpend > 0 ? .number(Double(netNewMRR * 12) / Double(priorSpend)) : .blank
    }
}
