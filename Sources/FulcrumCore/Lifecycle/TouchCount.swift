/// Touches of one kind counted per month, channel, campaign and account segment, rolled up in the
/// store: the marketing KPIs (email response, content downloads, social visits) need counts, not
/// the tens of millions of touch rows.
public struct TouchCount: Sendable, Hashable {
    public var month: Month
    public var kind: Touch.Kind
    public var channel: String
    public var campaignId: Int64?
    /// The segment of the touch's account as recorded (nil for touches without an account).
    public var segment: String?
    public var count: Int

    public init(
        month: Month, kind: Touch.Kind, channel: String, campaignId: Int64? = nil, segment: String? = nil, count: Int
    ) {
        self.month = month
        self.kind = kind
        self.channel = channel
        self.campaignId = campaignId
        self.segment = segment
        self.count = count
    }
}
