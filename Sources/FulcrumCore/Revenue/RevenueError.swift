/// Why a ledger could not be computed.
public enum RevenueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An amount in `currency` had to be converted in `month` but the FX table has no rate for it.
    case missingFXRate(month: Month, currency: String)
    /// `from` is after `to`.
    case invalidRange(from: Month, to: Month)
    /// A subscription's values cannot be turned into MRR.
    case invalidSubscription(id: Int64, reason: String)

    public var description: String {
        switch self {
        case .missingFXRate(let month, let currency):
            return
                "No FX rate for \(currency) in \(month); add the \(currency) rate for \(month) to the FX table (import fx_rates.csv with columns month,currency,rate: USD per unit, e.g. \(month),\(currency),1.08)."
        case .invalidRange(let from, let to):
            return "The ledger range starts at \(from), after its end \(to)."
        case .invalidSubscription(let id, let reason):
            return "Subscription \(id) cannot be valued: \(reason)."
        }
    }
}
