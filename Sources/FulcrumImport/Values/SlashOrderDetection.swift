extension DateParser {
    /// Decides `MM/DD/YYYY` vs `DD/MM/YYYY` for a whole column, because one
    /// value such as `01/02/2024` cannot tell. A first component above 12 means
    /// day first, a second above 12 means month first; both kinds in one column
    /// is an error, and so is a column where no value decides. Values that are
    /// not `a/b/yyyy` (or `a-b-yyyy`) are ignored; with none, returns `.auto`.
    public static func detectSlashOrder(_ values: some Sequence<String>) -> Result<SlashDateOrder, ValueError> {
        var dayFirstExample: String?
        var monthFirstExample: String?
        var sample: String?
        for value in values {
            guard let (a, b) = slashComponents(value) else { continue }
            sample = sample ?? value
            if a > 12 && b <= 12 { dayFirstExample = dayFirstExample ?? value }
            if b > 12 && a <= 12 { monthFirstExample = monthFirstExample ?? value }
        }
        switch (dayFirstExample, monthFirstExample) {
        case (let d?, let m?):
            return .failure(
                ValueError("conflicting date orders in column: '\(d)' is DD/MM/YYYY but '\(m)' is MM/DD/YYYY"))
        case (_?, nil): return .success(.dayFirst)
        case (nil, _?): return .success(.monthFirst)
        case (nil, nil):
            guard let sample else { return .success(.auto) }
            return .failure(
                ValueError(
                    "ambiguous date order in column: no day above 12 (e.g. '\(sample)'); set MM/DD/YYYY or DD/MM/YYYY"))
        }
    }

    /// The two leading numbers of `a/b/yyyy` or `a-b-yyyy` (time part ignored).
    private static func slashComponents(_ text: String) -> (Int, Int)? {
        var c = DateCursor(ByteText.trimmed(text))
        guard let a = c.number(1, 2), let sep = c.peek, sep == UInt8(ascii: "/") || sep == UInt8(ascii: "-") else {
            return nil
        }
        c.i += 1
        guard let b = c.number(1, 2), c.eat(Character(UnicodeScalar(sep))), c.number(4, 4) != nil else { return nil }
        return (a, b)
    }
}
