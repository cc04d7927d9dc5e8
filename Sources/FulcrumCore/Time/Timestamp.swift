/// An instant in UTC with one-second resolution.
///
/// Lead response times and SLAs are measured in minutes, so people, touches and
/// activities carry timestamps, while revenue works on whole days.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }
    public init(day: Day, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.seconds = Int64(day.ordinal) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    public var day: Day {
        Day(ordinal: Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400))
    }
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.seconds < rhs.seconds }
    public static func + (lhs: Timestamp, rhs: Int64) -> Timestamp { Timestamp(seconds: lhs.seconds + rhs) }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the form the store and CSV exports use.
    public var iso: String {
        let secondsOfDay = Int(seconds - Int64(day.ordinal) * 86_400)
        return day.iso + "T" + Day.pad(secondsOfDay / 3600, 2) + ":" + Day.pad(secondsOfDay / 60 % 60, 2) + ":"
            + Day.pad(secondsOfDay % 60, 2) + "Z"
    }
    public var description: String { iso }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` (also with a space instead of `T`, or without `Z`).
    public init?(iso text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 19, let day = Day(iso: String(decoding: utf8[0..<10], as: UTF8.self)),
            utf8[10] == UInt8(ascii: "T") || utf8[10] == UInt8(ascii: " "),
            utf8[13] == UInt8(ascii: ":"), utf8[16] == UInt8(ascii: ":"),
            let h = Day.digits(utf8[11..<13]), let m = Day.digits(utf8[14..<16]), let s = Day.digits(utf8[17..<19]),
            h < 24, m < 60, s < 60
        else { return nil }
        let rest = utf8[19...]
        guard rest.isEmpty || (rest.count == 1 && rest.first == UInt8(ascii: "Z")) else { return nil }
        self.init(day: day, hour: h, minute: m, second: s)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let t = Timestamp(iso: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected YYYY-MM-DDTHH:MM:SSZ, got \(text)"))
        }
        self = t
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(iso)
    }
}
