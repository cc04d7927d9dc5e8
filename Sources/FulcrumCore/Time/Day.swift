/// A calendar day in UTC, stored as days since 1970-01-01.
///
/// Fulcrum's metrics work on whole days and months; keeping the day as a plain
/// integer makes arithmetic exact and comparisons cheap, and avoids Foundation's
/// time-zone rules leaking into metric definitions.
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01 (may be negative).
    public var ordinal: Int

    public init(ordinal: Int) { self.ordinal = ordinal }

    /// Creates a day from a proleptic Gregorian date; traps on an invalid date.
    public init(_ year: Int, _ month: Int, _ day: Int) {
        precondition(Day.isValid(year: year, month: month, day: day), "invalid date \(year)-\(month)-\(day)")
        self.ordinal = Day.daysFromCivil(year: year, month: month, day: day)
    }

    /// Creates a day from a date, or nil if the date does not exist.
    public init?(validating year: Int, _ month: Int, _ day: Int) {
        guard Day.isValid(year: year, month: month, day: day) else { return nil }
        self.ordinal = Day.daysFromCivil(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD`; returns nil for anything else.
    public init?(iso text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
            let y = Day.digits(utf8[0..<4]), let m = Day.digits(utf8[5..<7]), let d = Day.digits(utf8[8..<10])
        else { return nil }
        self.init(validating: y, m, d)
    }

    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        return day <= daysIn(year: year, month: month)
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days_from_civil.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Year, month and day of this date.
    public var components: (year: Int, month: Int, day: Int) {
        let z = ordinal + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    public var year: Int { components.year }
    public var month: Month {
        let c = components
        return Month(c.year, c.month)
    }
    /// 0 = Monday ... 6 = Sunday.
    public var weekday: Int { ((ordinal % 7) + 7 + 3) % 7 }

    public func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }
    public static func + (lhs: Day, rhs: Int) -> Day { Day(ordinal: lhs.ordinal + rhs) }
    public static func - (lhs: Day, rhs: Int) -> Day { Day(ordinal: lhs.ordinal - rhs) }
    public static func - (lhs: Day, rhs: Day) -> Int { lhs.ordinal - rhs.ordinal }
    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

    /// The same day of month `n` months later, clamped to the month's last day.
    public func adding(months n: Int) -> Day {
        let c = components
        let target = Month(c.year, c.month).adding(n)
        return Day(target.year, target.month, min(c.day, Day.daysIn(year: target.year, month: target.month)))
    }

    public var iso: String {
        let c = components
        return Day.pad(c.year, 4) + "-" + Day.pad(c.month, 2) + "-" + Day.pad(c.day, 2)
    }
    public var description: String { iso }

    static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var v = 0
        for b in bytes {
            guard b >= 48, b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return v
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = Day(iso: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected YYYY-MM-DD, got \(text)"))
        }
        self = d
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(iso)
    }
}

/// A calendar month, the grain of most revenue metrics.
public struct Month: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, Strideable {
    /// Months since year 0 (year * 12 + month - 1), so consecutive months differ by one.
    public var index: Int

    public init(index: Int) { self.index = index }
    public init(_ year: Int, _ month: Int) {
        precondition((1...12).contains(month), "invalid month \(month)")
        self.index = year * 12 + (month - 1)
    }

    /// Parses `YYYY-MM`.
    public init?(iso text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 7, utf8[4] == UInt8(ascii: "-"),
            let y = Day.digits(utf8[0..<4]), let m = Day.digits(utf8[5..<7]), (1...12).contains(m)
        else { return nil }
        self.init(y, m)
    }

    public var year: Int { index >= 0 ? index / 12 : (index - 11) / 12 }
    public var month: Int { index - year * 12 + 1 }
    public var quarter: Int { (month - 1) / 3 + 1 }
    public var firstDay: Day { Day(year, month, 1) }
    /// The first day of the next month: month ranges are half-open [firstDay, endDay).
    public var endDay: Day { adding(1).firstDay }
    public var lastDay: Day { endDay - 1 }
    public var dayCount: Int { Day.daysIn(year: year, month: month) }

    public func adding(_ n: Int) -> Month { Month(index: index + n) }
    public static func < (lhs: Month, rhs: Month) -> Bool { lhs.index < rhs.index }
    public func distance(to other: Month) -> Int { other.index - index }
    public func advanced(by n: Int) -> Month { Month(index: index + n) }

    public var iso: String { Day.pad(year, 4) + "-" + Day.pad(month, 2) }
    public var description: String { iso }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let m = Month(iso: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected YYYY-MM, got \(text)"))
        }
        self = m
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(iso)
    }
}
