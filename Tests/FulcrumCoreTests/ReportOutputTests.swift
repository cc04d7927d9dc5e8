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
                    [.text("2026-07"), .text("=SUM(1)"), .money(-9_900)],
                    explain: [.none, .from(["account:3"]), .sum([.init("account:3", -9_900)])])
            ])
        let labels = ["account:3": RecordLabel(sourceIds: ["stripe:cus_A"], account: "=HYPERLINK(1)")]
        let csv = table.renderExplain(csv: true, labels: labels)
        #expect(csv.hasPrefix("month,column,value,rule,part,record,source_ids,account,amount\n"), "\(csv)")
        #expect(csv.contains("2026-07,churn,-99.00,sum,items,account:3,stripe:cus_A,'=HYPERLINK(1),-99.00"), "\(csv)")
        #expect(csv.contains("2026-07,note,'=SUM(1),from,items,account:3,"), "\(csv)")
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
