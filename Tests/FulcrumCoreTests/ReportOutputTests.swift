import Testing

@testable import FulcrumCore

/// Small output rules users met in a trial: numbers stay numbers in explain CSV, and a missing FX
/// rate says how to add one.
@Suite("Report output details")
struct ReportOutputTests {
    @Test("explain CSV writes a negative amount as a number; text cells keep the formula guard")
    func explainNegative() {
        let table = ReportTable(
            report: "t", title: "t", currency: "USD",
            columns: [.init("month", .text, key: true), .init("note", .text), .init("churn", .money)],
            rows: [
                .init(
                    [.text("2026-07"), .text("=SUM(1)"), .money(-9_900)], explain: [[], ["account:3"], ["account:3"]])
            ])
        let csv = table.renderExplain(csv: true)
        #expect(csv.contains("2026-07,churn,-99.00,account:3"), "\(csv)")
        #expect(csv.contains("2026-07,note,'=SUM(1),account:3"), "\(csv)")
    }

    @Test("a missing FX rate names the file and columns that add it")
    func missingRate() {
        let message = RevenueError.missingFXRate(month: Month(2026, 4), currency: "JPY").description
        #expect(message.hasPrefix("No FX rate for JPY in 2026-04"))
        #expect(message.contains("import fx_rates.csv with columns month,currency,rate"))
        // The example is a plausible rate: a yen is worth under a cent (it suggested 1.08 USD per yen).
        #expect(message.contains("e.g. 2026-04,JPY,0.0067"), "\(message)")
        let unknown = RevenueError.missingFXRate(month: Month(2026, 4), currency: "XTS").description
        #expect(!unknown.contains("e.g."), "no example rather than a made-up one: \(unknown)")
    }
}
