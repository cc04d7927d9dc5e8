/// The three demo companies. Sizes are set by the number of accounts; every
/// other table follows from the same per-account story, so large is medium ten
/// times over with identical distributions.
public enum DemoSize: String, Sendable, CaseIterable, Codable {
    case small, medium, large

    public var accounts: Int {
        switch self {
        case .small: 1_000
        case .medium: 50_000
        case .large: 500_000
        }
    }

    /// Targets from the product brief (medium ×10 for large; small scaled by accounts).
    public var targets: DemoCounts {
        let scale = Double(accounts) / 50_000
        return DemoCounts(
            accounts: accounts, people: Int(500_000 * scale), touches: Int(5_000_000 * scale),
            opportunities: Int(200_000 * scale), subscriptionMonths: Int(1_500_000 * scale))
    }
}

/// Headline row counts of a generated company, compared with the targets.
public struct DemoCounts: Hashable, Sendable, Codable {
    public var accounts: Int
    public var people: Int
    public var touches: Int
    public var opportunities: Int
    /// Month-ends at which a paid (non-trial) subscription was in force.
    public var subscriptionMonths: Int
    public init(
        accounts: Int = 0, people: Int = 0, touches: Int = 0, opportunities: Int = 0, subscriptionMonths: Int = 0
    ) {
        self.accounts = accounts
        self.people = people
        self.touches = touches
        self.opportunities = opportunities
        self.subscriptionMonths = subscriptionMonths
    }
}
