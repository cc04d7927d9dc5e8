/// The first time something happened for an account (first touch, first payment),
/// as rolled up by the store. Account ids are raw; the metrics resolve merges.
public struct AccountInstant: Sendable, Hashable, Codable {
    public var accountId: Int64
    public var at: Timestamp
    public init(accountId: Int64, at: Timestamp) {
        self.accountId = accountId
        self.at = at
    }
}
