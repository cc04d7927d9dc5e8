/// Dates and timestamps from common exports, converted to plain integers
/// (days or seconds since 1970-01-01) so no `Date`/`Calendar`/locale is involved.
///
/// Accepted date forms: `2024-01-15`, `2024/01/15`, `01/15/2024`, `1/5/2024`,
/// `15/01/2024` (slash and `-` between day and month follow `slashOrder`),
/// `15.01.2024` (always day first), `15-Jan-2024`, `Jan 15, 2024`,
/// `January 15 2024`. Years must have four digits.
/// A time may follow after `T` or spaces: `HH:MM`, `HH:MM:SS`, optional
/// fraction `.fff…` (truncated to the second), optional `AM`/`PM`, then an
/// optional zone: `Z`, `+02:00`, `+0200`, `+02`, or ` UTC`/` GMT`.
/// Impossible dates (2023-02-29) and times (24:00, leap second 60) are errors.
public enum DateParser {
    /// Days since 1970 for the calendar date as written (the time and any
    /// offset are ignored). Epoch values use `options.timeZone` to pick the day.
    public static func days(_ text: String, options: DateParseOptions = DateParseOptions()) -> Result<Int, ValueError> {
        if let unit = options.epoch {
            return epochSeconds(text, unit: unit).map {
                Int(CivilDate.floorDiv($0 + Int64(options.timeZone.seconds), 86_400))
            }
        }
        return parse(text, options: options).map { $0.days }
    }

    /// Seconds since 1970 in UTC. A date alone means midnight; a datetime without
    /// an offset is read in `options.timeZone`.
    public static func timestamp(_ text: String, options: DateParseOptions = DateParseOptions()) -> Result<
        Int64, ValueError
    > {
        if let unit = options.epoch { return epochSeconds(text, unit: unit) }
        return parse(text, options: options).map { p in
            let offset = p.offset ?? options.timeZone.seconds
            return Int64(p.days) * 86_400 + Int64(p.secondOfDay - offset)
        }
    }

    /// A parsed date/time before time-zone resolution.
    struct Parts {
        var days: Int
        var secondOfDay = 0
        var offset: Int?
    }

    static func parse(_ text: String, options: DateParseOptions) -> Result<Parts, ValueError> {
        var c = DateCursor(ByteText.trimmed(text))
        let date: Result<Int, ValueError> = parseDate(&c, text: text, order: options.slashOrder)
        guard case .success(let days) = date else { return date.map { Parts(days: $0) } }
        var parts = Parts(days: days)
        if c.atEnd { return .success(parts) }
        guard c.eat("T") || c.spaces() > 0 else { return .failure(notADate(text)) }
        guard let seconds = parseTime(&c) else {
            return .failure(ValueError("invalid time in '\(text)'"))
        }
        parts.secondOfDay = seconds
        if c.eat("Z") || c.eat("z") {
            parts.offset = 0
        } else if let o = c.offset() {
            parts.offset = o
        } else if c.spaces() > 0 {
            let zone = c.word()
            guard zone == "utc" || zone == "gmt" else { return .failure(notADate(text)) }
            parts.offset = 0
        }
        guard c.atEnd else { return .failure(notADate(text)) }
        return .success(parts)
    }

    private static func parseDate(_ c: inout DateCursor, text: String, order: SlashDateOrder) -> Result<Int, ValueError>
    {
        if let p = c.peek, !ByteText.isDigit(p) {
            guard let month = monthNumber(c.word()), c.spaces() > 0, let day = c.number(1, 2) else {
                return .failure(notADate(text))
            }
            _ = c.eat(",")
            guard c.spaces() > 0, let year = c.number(4, 4) else { return .failure(notADate(text)) }
            return validated(year, month, day, text: text)
        }
        switch c.digitRun {
        case 4:
            let year = c.number(4, 4)!
            guard let sep = c.peek, sep == UInt8(ascii: "-") || sep == UInt8(ascii: "/") else {
                return .failure(notADate(text))
            }
            c.i += 1
            guard let month = c.number(1, 2), c.eat(Character(UnicodeScalar(sep))), let day = c.number(1, 2) else {
                return .failure(notADate(text))
            }
            return validated(year, month, day, text: text)
        case 1, 2:
            let first = c.number(1, 2)!
            if c.eat(".") {
                guard let month = c.number(1, 2), c.eat("."), let year = c.number(4, 4) else {
                    return .failure(notADate(text))
                }
                return validated(year, month, first, text: text)
            }
            guard let sep = c.peek, sep == UInt8(ascii: "/") || sep == UInt8(ascii: "-") else {
                return .failure(notADate(text))
            }
            c.i += 1
            if sep == UInt8(ascii: "-"), let p = c.peek, !ByteText.isDigit(p) {
                guard let month = monthNumber(c.word()), c.eat("-"), let year = c.number(4, 4) else {
                    return .failure(notADate(text))
                }
                return validated(year, month, first, text: text)
            }
            guard let second = c.number(1, 2), c.eat(Character(UnicodeScalar(sep))), let year = c.number(4, 4) else {
                return .failure(notADate(text))
            }
            return resolveSlash(first, second, year, order: order, text: text)
        default:
            return .failure(notADate(text))
        }
    }

    /// Applies the day/month order to `a/b/year`, reporting ambiguity under `.auto`.
    private static func resolveSlash(_ a: Int, _ b: Int, _ year: Int, order: SlashDateOrder, text: String) -> Result<
        Int, ValueError
    > {
        switch order {
        case .monthFirst: return validated(year, a, b, text: text, format: "MM/DD/YYYY")
        case .dayFirst: return validated(year, b, a, text: text, format: "DD/MM/YYYY")
        case .auto:
            if a > 12 && b <= 12 { return validated(year, b, a, text: text) }
            if b > 12 && a <= 12 || a == b { return validated(year, a, b, text: text) }
            if a > 12 && b > 12 {
                return .failure(ValueError("invalid date '\(text)': neither \(a) nor \(b) is a month"))
            }
            return .failure(
                ValueError("ambiguous date '\(text)': could be MM/DD/YYYY or DD/MM/YYYY; set the date order"))
        }
    }

    private static func validated(_ y: Int, _ m: Int, _ d: Int, text: String, format: String? = nil) -> Result<
        Int, ValueError
    > {
        let suffix = format.map { " (format \($0))" } ?? ""
        guard (1...12).contains(m) else {
            return .failure(ValueError("invalid date '\(text)': month \(m) out of range\(suffix)"))
        }
        guard d >= 1 && d <= CivilDate.daysInMonth(y, m) else {
            return .failure(
                ValueError("invalid date '\(text)': day \(d) out of range for \(y)-\(m < 10 ? "0" : "")\(m)\(suffix)"))
        }
        return .success(CivilDate.days(year: y, month: m, day: d))
    }

    /// `H:MM[:SS[.fff]][ AM|PM]` as seconds into the day.
    private static func parseTime(_ c: inout DateCursor) -> Int? {
        guard var h = c.number(1, 2), c.eat(":"), let m = c.number(2, 2) else { return nil }
        var s = 0
        if c.eat(":") {
            guard let sec = c.number(2, 2) else { return nil }
            s = sec
            if c.eat(".") {
                guard c.digitRun > 0 else { return nil }
                c.i += c.digitRun
            }
        }
        let save = c.i
        _ = c.spaces()
        let w = c.word()
        if w == "am" || w == "pm" {
            guard (1...12).contains(h) else { return nil }
            h = (h % 12) + (w == "pm" ? 12 : 0)
        } else {
            c.i = save
        }
        guard h < 24, m < 60, s < 60 else { return nil }
        return h * 3600 + m * 60 + s
    }

    private static func epochSeconds(_ text: String, unit: EpochUnit) -> Result<Int64, ValueError> {
        guard case .success(let v) = IntegerParser.parse(text) else {
            return .failure(
                ValueError("not an epoch time in \(unit == .seconds ? "seconds" : "milliseconds"): '\(text)'"))
        }
        return .success(unit == .seconds ? v : CivilDate.floorDiv(v, 1000))
    }

    static func monthNumber(_ word: String) -> Int? {
        let names = [
            "january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december",
        ]
        if word == "sept" { return 9 }
        guard word.count >= 3 else { return nil }
        for (i, name) in names.enumerated() where name == word || (word.count == 3 && name.hasPrefix(word)) {
            return i + 1
        }
        return nil
    }

    static func notADate(_ text: String) -> ValueError {
        ValueError("not a recognised date: '\(text)'")
    }
}
