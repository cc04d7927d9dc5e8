/// Why a ledger could not be computed.
public enum RevenueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An amount in `currency` had to be converted in `month` but the FX table has no rate for it.
    case missingFXRate(month: Month, currency: String)
    /// `from` is after `to`.
    case invalidRange(from: Month, to: Month)
    /// A subscription's values cannot be turned into MRR.
    case invalidSubscription(id: Int64, reason: String)

    /// Rough USD values of one unit, only to make the example in the missing-rate message plausible (a yen is
    /// worth under a cent, not a dollar); never used to convert anything.
    static let typicalUSDRate: [String: String] = [
        "EUR": "1.08", "GBP": "1.27", "CHF": "1.13", "CAD": "0.74", "AUD": "0.66", "NZD": "0.61", "JPY": "0.0067",
        "CNY": "0.14", "INR": "0.012", "BRL": "0.19", "MXN": "0.055", "SEK": "0.095", "NOK": "0.094",
        "DKK": "0.145", "PLN": "0.25", "SGD": "0.74", "HKD": "0.128", "KRW": "0.00074", "ZAR": "0.054",
    ]

    public var description: String {
        switch self {
        case .missingFXRate(let month, let currency):
            let example = Self.typicalUSDRate[currency.uppercased()].map { "\(month),\(currency),\($0)" }
            return
                "No FX rate for \(currency) in \(month); add the \(currency) rate for \(month) to the FX table (import fx_rates.csv with columns month,currency,rate: USD per one unit of \(currency)"
                + (example.map { ", e.g. \($0)" } ?? "") + ")."
        case .invalidRange(let from, let to):
            return "The ledger range starts at \(from), after its end \(to)."
        case .invalidSubscription(let id, let reason):
            return "Subscription \(id) cannot be valued: \(reason)."
        }
    }
}
