import Testing

@testable import FulcrumCore

/// A store that holds no spend at all: spend is unknown, not zero, so every spend cell and every
/// figure divided by spend (CAC, ROMI, magic number, spend per customer) is blank, never $0.
@Suite("Reports on a store without spend")
final class NoSpendTests {
    var present: Set<String> = []

    static let context: MetricContext = {
        var inputs = MetricFixture.inputs
        inputs.spend = []
        return try! MetricContext(inputs: inputs)
    }()

    func blankOrAbsent(_ table: ReportTable, _ columns: [String]) -> [String] {
        var zeros: [String] = []
        for c in columns {
            guard table.columnIndex(c) != nil else { continue }
            present.insert(table.report + "." + c)
            for (i, cell) in table.values(c).enumerated() where cell != .blank {
                zeros.append("\(table.report).\(c)[\(i)] = \(cell)")
            }
        }
        return zeros
    }

    @Test("cac, unit-economics, growth, segment-economics and marketing leave spend-based cells blank")
    func spendIsUnknown() throws {
        let spendColumns = [
            "marketing_spend", "sales_spend", "fully_loaded_spend", "cac_simple", "cac_fully_loaded", "spend",
            "sales_marketing_spend", "magic_number", "romi", "spend_per_customer", "acv_cac_fully_loaded",
            "ltv_cac_fully_loaded", "cac_fully_loaded",
            "payback_months", "cost_per_lead",
        ]
        var found: [String] = []
        present = []
        for id in ["cac", "unit-economics", "growth", "segment-economics", "marketing"] {
            let t = try ReportCatalog.run(
                ReportQuery(report: id, from: Month(2024, 1), to: Month(2024, 6)), context: Self.context)
            found += blankOrAbsent(t, spendColumns)
        }
        #expect(found.isEmpty, "\(found)")
        // The columns checked really exist (a rename would otherwise pass silently).
        for column in [
            "cac.marketing_spend", "cac.fully_loaded_spend", "growth.sales_marketing_spend", "growth.magic_number",
            "segment-economics.marketing_spend", "marketing.marketing_spend", "marketing.romi",
            "unit-economics.magic_number",
        ] {
            #expect(present.contains(column), "\(column) missing")
        }
        let inputs = MetricFixture.inputs
        let headline = try HeadlineReport.compute(
            accounts: inputs.accounts, billing: inputs.subscriptions, changes: inputs.changes,
            statusPeriods: inputs.statusPeriods, fxRates: inputs.fxRates, spend: [], dataThrough: inputs.dataThrough
        ).table(settings: RevenueSettings())
        #expect(headline.values("marketing_spend_ttm").allSatisfy { $0 == .blank })
        #expect(headline.values("cac_simple").allSatisfy { $0 == .blank })
    }
}
