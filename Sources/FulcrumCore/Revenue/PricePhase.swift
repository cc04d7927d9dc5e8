/// The price in force from a given day until the next phase starts.
///
/// Upgrades and downgrades are modelled as new phases rather than new
/// subscriptions, so an account's MRR changes without a spurious churn and new.
public struct PricePhase: Sendable, Hashable, Codable {
    /// First day this price applies.
    public var from: Day
    /// Price per billing interval for the whole subscription, already multiplied by `quantity`.
    public var amountMinor: Int64
    /// Seats or units; informational, since `amountMinor` already includes it.
    public var quantity: Int

    public init(from: Day, amountMinor: Int64, quantity: Int = 1) {
        self.from = from
        self.amountMinor = amountMinor
        self.quantity = quantity
    }
}
