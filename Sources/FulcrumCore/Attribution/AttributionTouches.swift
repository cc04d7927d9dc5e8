/// Every touch attribution reads, in columns: 16 bytes a touch instead of a 48-byte `AttributionTouch`.
///
/// Why: the large company has 52 million touches with an account, and attribution needs all of them at
/// once (a journey spans the account's whole history). Instants are kept as seconds; channels and
/// campaigns as codes into small tables; the account once per run of consecutive touches of one account
/// (the store reads them ordered by account and time, so an account is one run).
public struct AttributionTouches: Sendable, Hashable, RandomAccessCollection, ExpressibleByArrayLiteral {
    /// Seconds since 1970 of each touch.
    private var seconds: [Int64] = []
    /// Each touch's channel: an index into `channelNames`.
    private var channelCodes: [UInt32] = []
    /// Each touch's campaign: an index into `campaignIds` (whose first entry is "no campaign").
    private var campaignCodes: [UInt32] = []
    private var channelNames: [String] = []
    /// By bytes: two spellings of one channel keep their own codes (the report names and merges channels).
    private var channelCode: [[UInt8]: UInt32] = [:]
    private var campaignIds: [Int64?] = [nil]
    private var campaignCode: [Int64: UInt32] = [:]
    /// Runs of consecutive touches of one account: the account and the index just past its last touch.
    public private(set) var runs: [(account: Int64, end: Int)] = []

    public init() {}

    public init(_ touches: some Sequence<AttributionTouch>) {
        for t in touches { append(t) }
    }

    public init(arrayLiteral touches: AttributionTouch...) { self.init(touches) }

    public mutating func reserveCapacity(_ n: Int) {
        seconds.reserveCapacity(n)
        channelCodes.reserveCapacity(n)
        campaignCodes.reserveCapacity(n)
    }

    public mutating func append(_ t: AttributionTouch) {
        append(accountId: t.accountId, campaignId: t.campaignId, channel: code(channel: t.channel), at: t.at)
    }

    /// Appends a touch whose channel is already coded (`code(channel:)`): a reader decoding millions of rows
    /// codes each distinct channel text once.
    public mutating func append(accountId: Int64, campaignId: Int64?, channel: Int, at: Timestamp) {
        if runs.last?.account != accountId { runs.append((accountId, seconds.count)) }
        seconds.append(at.seconds)
        channelCodes.append(UInt32(channel))
        campaignCodes.append(code(campaign: campaignId))
        runs[runs.count - 1].end = seconds.count
    }

    /// The code of a channel, added when new.
    public mutating func code(channel: String) -> Int {
        let bytes = Array(channel.utf8)
        if let c = channelCode[bytes] { return Int(c) }
        let c = UInt32(channelNames.count)
        channelNames.append(channel)
        channelCode[bytes] = c
        return Int(c)
    }

    private mutating func code(campaign: Int64?) -> UInt32 {
        guard let campaign else { return 0 }
        if let c = campaignCode[campaign] { return c }
        let c = UInt32(campaignIds.count)
        campaignIds.append(campaign)
        campaignCode[campaign] = c
        return c
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { seconds.count }

    /// The touch at `i` (its account found among the runs: use `runs` to walk accounts in bulk).
    public subscript(i: Int) -> AttributionTouch {
        let run = runs.firstIndex(partitionedBy: { $0.end > i })
        return AttributionTouch(
            accountId: runs[run].account, campaignId: campaignIds[Int(campaignCodes[i])],
            channel: channelNames[Int(channelCodes[i])], at: at(i))
    }

    public func at(_ i: Int) -> Timestamp { Timestamp(seconds: seconds[i]) }
    /// The channel code of touch `i`: equal codes, equal channels; `channelName` spells it.
    public func channel(_ i: Int) -> Int { Int(channelCodes[i]) }
    public func channelName(_ code: Int) -> String { channelNames[code] }
    /// The campaign code of touch `i` (0: no campaign); `campaignId` gives the campaign.
    public func campaign(_ i: Int) -> Int { Int(campaignCodes[i]) }
    public func campaignId(_ code: Int) -> Int64? { campaignIds[code] }
    /// Channel and campaign codes in use (each is below its count).
    public var channelCount: Int { channelNames.count }
    public var campaignCount: Int { campaignIds.count }

    public static func == (a: Self, b: Self) -> Bool { a.elementsEqual(b) }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for t in self { hasher.combine(t) }
    }
}

extension RandomAccessCollection {
    /// The first index whose element satisfies `belongs`, for a predicate false then true along the collection.
    func firstIndex(partitionedBy belongs: (Element) -> Bool) -> Index {
        var low = startIndex
        var n = count
        while n > 0 {
            let half = n / 2
            let mid = index(low, offsetBy: half)
            if belongs(self[mid]) {
                n = half
            } else {
                low = index(after: mid)
                n -= half + 1
            }
        }
        return low
    }
}
