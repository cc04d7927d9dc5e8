@testable import FulcrumCore

/// Pseudo-random subscription books for property and performance tests.
struct RandomBook {
    static let currencies = ["USD", "USD", "USD", "EUR", "JPY", "KWD"]

    var rng: SeededGenerator

    init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }

    /// Subscriptions spread over `accounts` accounts, starting between `first` and `last`.
    mutating func subscriptions(count: Int, accounts: Int, first: Day, last: Day, rich: Bool = true)
        -> [RevenueSubscription]
    {
        (0..<count).map { i in
            let start = first + int(0...(last - first))
            let end: Day? = chance(0.5) ? start + int(1...700) : nil
            var phases = [PricePhase(from: start, amountMinor: Int64(chance(0.05) ? 0 : int(100...50_000)))]
            for _ in 0..<int(0...(rich ? 3 : 1)) {
                phases.append(PricePhase(from: phases.last!.from + int(1...120), amountMinor: Int64(int(0...60_000))))
            }
            var sub = RevenueSubscription(
                id: Int64(i), accountId: Int64(int(1...accounts)), start: start, end: end,
                canceledAt: end.flatMap { e in chance(0.6) ? e - int(0...60) : nil },
                currency: rich ? RandomBook.currencies[int(0...5)] : "USD",
                interval: BillingInterval.allCases[int(0...4)], intervalCount: int(1...3), phases: phases)
            guard rich else { return sub }
            if chance(0.2) { sub.trialEnd = start + int(1...45) }
            if chance(0.2) {
                let from = start + int(0...300)
                sub.statusPeriods = [
                    StatusPeriod(
                        from: from, to: chance(0.8) ? from + int(1...90) : nil,
                        status: StatusPeriod.Status.allCases[int(0...2)])
                ]
            }
            if chance(0.25) {
                let value: Discount.Value =
                    chance(0.5) ? .percentOff(Double(int(5...100))) : .amountOffMinor(Int64(int(100...20_000)))
                let duration: Discount.Duration = [.once, .forever, .repeating(months: int(1...12))][int(0...2)]
                sub.discount = Discount(value: value, duration: duration, start: start + int(0...200))
            }
            return sub
        }
    }

    /// A random-walk rate for every non-USD currency in every month of `months`.
    mutating func fxTable(months: ClosedRange<Month>) -> FXTable {
        var table = FXTable()
        var rates = ["EUR": 1.1, "JPY": 0.0068, "KWD": 3.25]
        var m = months.lowerBound
        while m <= months.upperBound {
            for (code, rate) in rates {
                let next = rate * (1 + Double(int(-30...30)) / 1000)
                rates[code] = next
                table.set(next, month: m, currency: code)
            }
            m = m.adding(1)
        }
        return table
    }
}
