/// Rebuilds a subscription's price history from its invoice lines, for billing
/// exports that hold only each subscription's current state (Stripe).
///
/// Rules (docs/import.md, "History from invoice lines"):
/// - Full-period lines (not prorations) with a service period are the evidence,
///   in order of `periodStart`. Each run of lines with the same amount and
///   quantity is one price phase.
/// - A phase change takes effect at the start of the first line with the new
///   price, or earlier, at the start of a proration line between the two phases
///   (a mid-period upgrade or downgrade is billed as a proration from that day).
/// - The first phase is the starting price only when the first line's period
///   starts within `graceDays` of the subscription's start (the invoices reach
///   back to the start); otherwise `startingPrice` is nil and the history before
///   the first line stays as the export says.
public enum InvoicePriceHistory {
    public struct Line: Sendable, Equatable {
        public var periodStart: Day
        public var periodEnd: Day
        public var amountMinor: Int64
        public var quantity: Int64
        public var proration: Bool
        public init(periodStart: Day, periodEnd: Day, amountMinor: Int64, quantity: Int64, proration: Bool) {
            self.periodStart = periodStart
            self.periodEnd = periodEnd
            self.amountMinor = amountMinor
            self.quantity = quantity
            self.proration = proration
        }
    }

    public struct Price: Sendable, Equatable {
        public var amountMinor: Int64
        public var quantity: Int64
        public init(amountMinor: Int64, quantity: Int64) {
            self.amountMinor = amountMinor
            self.quantity = quantity
        }
    }

    public struct History: Sendable, Equatable {
        /// The price from the subscription's start, when the invoices reach back to it.
        public var startingPrice: Price?
        /// Later prices with the day they took effect.
        public var changes: [(effectiveOn: Day, price: Price)]
        /// The days the invoice lines cover: [first period start, last period end).
        public var covered: Range<Day>?

        public static func == (a: History, b: History) -> Bool {
            a.startingPrice == b.startingPrice && a.covered == b.covered
                && a.changes.map(\.effectiveOn) == b.changes.map(\.effectiveOn)
                && a.changes.map(\.price) == b.changes.map(\.price)
        }
    }

    public static func rebuild(lines: [Line], startedOn: Day, graceDays: Int = 3) -> History {
        let full = lines.filter { !$0.proration && $0.periodEnd > $0.periodStart }.sorted {
            $0.periodStart < $1.periodStart
        }
        guard let first = full.first else { return History(startingPrice: nil, changes: [], covered: nil) }
        let prorations = lines.filter(\.proration).map(\.periodStart).sorted()
        var changes: [(Day, Price)] = []
        var current = Price(amountMinor: first.amountMinor, quantity: first.quantity)
        var previousStart = first.periodStart
        for line in full.dropFirst() {
            let price = Price(amountMinor: line.amountMinor, quantity: line.quantity)
            if price != current {
                // A proration inside the previous period marks the day the change really happened.
                let midPeriod = prorations.first { $0 > previousStart && $0 < line.periodStart }
                changes.append((midPeriod ?? line.periodStart, price))
                current = price
            }
            previousStart = line.periodStart
        }
        let reachesStart = first.periodStart - startedOn <= graceDays
        let end = full.map(\.periodEnd).max()!
        return History(
            startingPrice: reachesStart ? Price(amountMinor: first.amountMinor, quantity: first.quantity) : nil,
            changes: changes, covered: first.periodStart..<end)
    }
}
