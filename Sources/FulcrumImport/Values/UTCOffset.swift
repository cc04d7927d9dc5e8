/// A fixed offset from UTC. Named zones (`Europe/Paris`) are deliberately not
/// supported: their offsets change with DST, which needs a tz database; callers
/// with such data must pick the fixed offset the export used.
public struct UTCOffset: Equatable, Hashable, Sendable {
    /// Seconds east of UTC (`+05:30` is 19800).
    public let seconds: Int

    public static let utc = UTCOffset(seconds: 0)

    public init(seconds: Int) { self.seconds = seconds }

    /// Accepts `Z`, `UTC`, `GMT`, `+05:30`, `+0530`, `+05`, `-08:00` (at most ±18:00).
    public init?(_ text: String) {
        let b = ByteText.trimmed(text)
        let upper = String(decoding: b, as: UTF8.self).uppercased()
        if upper == "Z" || upper == "UTC" || upper == "GMT" {
            self.init(seconds: 0)
            return
        }
        var c = DateCursor(b)
        guard let s = c.offset(), c.atEnd else { return nil }
        self.init(seconds: s)
    }
}
