import FulcrumCore
import Testing

@Suite("Price history from invoice lines")
struct InvoicePriceHistoryTests {
    typealias Line = InvoicePriceHistory.Line
    typealias Price = InvoicePriceHistory.Price

    static let lines: [Line] = [
        Line(
            periodStart: Day(2024, 1, 10), periodEnd: Day(2024, 2, 10), amountMinor: 6000, quantity: 3, proration: false
        ),
        Line(
            periodStart: Day(2024, 2, 10), periodEnd: Day(2024, 3, 10), amountMinor: 6000, quantity: 3, proration: false
        ),
        // Upgraded to 5 seats on Feb 25: billed as a proration for the rest of the period.
        Line(
            periodStart: Day(2024, 2, 25), periodEnd: Day(2024, 3, 10), amountMinor: 1300, quantity: 2, proration: true),
        Line(
            periodStart: Day(2024, 3, 10), periodEnd: Day(2024, 4, 10), amountMinor: 10000, quantity: 5,
            proration: false),
        Line(
            periodStart: Day(2024, 4, 10), periodEnd: Day(2024, 5, 10), amountMinor: 10000, quantity: 5,
            proration: false),
        // Down to 4 seats at renewal, no proration.
        Line(
            periodStart: Day(2024, 5, 10), periodEnd: Day(2024, 6, 10), amountMinor: 8000, quantity: 4, proration: false
        ),
    ]

    @Test("phases from full-period lines; a proration dates a mid-period change; the first line is the starting price")
    func rebuildsPhases() {
        let history = InvoicePriceHistory.rebuild(lines: Self.lines.shuffled(), startedOn: Day(2024, 1, 10))
        #expect(history.startingPrice == Price(amountMinor: 6000, quantity: 3))
        #expect(history.changes.map(\.effectiveOn) == [Day(2024, 2, 25), Day(2024, 5, 10)])
        #expect(
            history.changes.map(\.price) == [
                Price(amountMinor: 10000, quantity: 5), Price(amountMinor: 8000, quantity: 4),
            ])
        #expect(history.covered == Day(2024, 1, 10)..<Day(2024, 6, 10))
    }

    @Test("invoices that start later than the subscription give no starting price; no lines give no history")
    func partialHistory() {
        let late = InvoicePriceHistory.rebuild(lines: Array(Self.lines.dropFirst(3)), startedOn: Day(2024, 1, 10))
        #expect(late.startingPrice == nil)
        #expect(late.changes.map(\.effectiveOn) == [Day(2024, 5, 10)])
        #expect(InvoicePriceHistory.rebuild(lines: [], startedOn: Day(2024, 1, 10)).covered == nil)
        let onlyProration = InvoicePriceHistory.rebuild(lines: [Self.lines[2]], startedOn: Day(2024, 1, 10))
        #expect(onlyProration.covered == nil, "prorations alone are not evidence of a price")
    }
}
