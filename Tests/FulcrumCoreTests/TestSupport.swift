@testable import FulcrumCore

/// Parses an ISO date; test literals are always valid.
func day(_ iso: String) -> Day { Day(iso: iso)! }

func month(_ iso: String) -> Month { Month(iso: iso)! }

/// A monthly single-price subscription with a running id.
func monthly(
    _ id: Int64, account: Int64, _ start: String, end: String? = nil, amount: Int64,
    currency: String = "USD"
) -> RevenueSubscription {
    RevenueSubscription(
        id: id, accountId: account, start: day(start), end: end.map(day),
        currency: currency, amountMinor: amount)
}

/// SplitMix64: a tiny deterministic generator so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Asserts the MRR bridge of every month closes exactly.
func bridgeCloses(_ row: MonthlyMovements) -> Bool {
    row.openingMRR + row.new + row.expansion + row.contraction + row.churn + row.reactivation + row.fxAdjustment
        == row.mrr
}
