/// Monthly exchange rates into the reporting currency.
///
/// Each month is converted at its own rate so that closed months are never
/// restated when rates move later.
public struct FXTable: Sendable, Hashable {
    struct Key: Hashable, Sendable {
        var month: Month
        var currency: String
    }

    var rates: [Key: Double] = [:]

    public init() {}

    /// `rates[month][currency]` = units of reporting currency per one unit of `currency`.
    public init(_ rates: [Month: [String: Double]]) {
        for (month, byCurrency) in rates {
            for (currency, rate) in byCurrency { set(rate, month: month, currency: currency) }
        }
    }

    /// Sets the rate for `currency` in `month` (units of reporting currency per unit of `currency`).
    public mutating func set(_ rate: Double, month: Month, currency: String) {
        rates[Key(month: month, currency: currency.uppercased())] = rate
    }

    public func rate(month: Month, currency: String) -> Double? {
        rates[Key(month: month, currency: currency.uppercased())]
    }
}
