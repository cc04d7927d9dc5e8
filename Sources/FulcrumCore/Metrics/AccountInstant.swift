/// The first time something happened for an account (first touch, first payment),
/// as rolled up by the store. Account ids are raw; the metrics resolve merges.
public struct AccountInstant: Sendable, Hashable, Codable {
    public var accountId: Int64
    public var at: Timestamp
    /// The campaign the touch is attributed to (first-touch roll-ups for the `campaign` dimension only).
    public var campaignId: Int64?
    public init(accountId: Int64, at: Timestamp, campaignId: Int64? = nil) {
        self.accountId = accountId
        self.at = at
        self.campaignId = campaignId
    }
}
