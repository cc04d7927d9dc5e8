import Testing

@testable import FulcrumCore

/// A store that holds no spend at all: spend is unknown, not zero, so every spend cell and every
/// figure divided by spend (CAC, ROMI, magic number, spend per customer) is blank, never $0.
@Suite("Reports on a store without spend")
struct NoSpendTests {
    static let context: MetricContext = {
        var inputs = MetricFixture.inputs
        inputs.spend = []
        return try! MetricContext(inputs: inputs)
    }()

    func blankOrAbsent(_ table: ReportTable, _ columns: [String]) -> [String] {
        var zeros: [String] = []
        for c in columns {
            guard table.columnIndex(c) != nil else { continue }
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
            "sales_marketing_spend", "magic_number", "romi", "spend_per_customer", "acv_cac", "ltv_cac",
            "payback_months", "cost_per_lead",
        ]
        var found: [String] = []
        for id in ["cac", "unit-economics", "growth", "segment-economics", "marketing"] {
            let t = try ReportCatalog.run(
                ReportQuery(report: id, from: Month(2024, 1), to: Month(2024, 6)), context: Self.context)
            found += blankOrAbsent(t, spendColumns)
        }
        #expect(found.isEmpty, "\(found)")
    }
}
