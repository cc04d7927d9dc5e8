/// A company name reduced to what identifies the company, so the spellings
/// people and reps type (`Acme, Inc.`, `ACME Inc`, `The Acme Company`,
/// `  acme inc. `) compare equal.
///
/// Steps, in order: lower case; Latin diacritics folded (`é` → `e`, `ß` → `ss`,
/// combining marks dropped); `&` and `+` become the word `and`; apostrophes and
/// periods are deleted (`S.A.` → `sa`, `O'Neil` → `oneil`); every other
/// non-alphanumeric character separates words; a leading `the` is dropped; then
/// legal-form suffixes (`inc`, `llc`, `gmbh`, `pty ltd`, `co`, `company`, …) and
/// a dangling `and` are dropped from the end, repeatedly, never emptying the name.
///
/// `key` joins the words without spaces, so `Copper Analytics` and
/// `CopperAnalytics` agree; it is the exact-match key of the matcher and the
/// duplicate finder. `words` keeps the words for fuzzy comparison.
///
/// Only the first `comparedLength` characters of a name are read: real company
/// names are far shorter, and the fuzzy comparison grows with the square of a
/// word's length, so a megabyte pasted into a name field must not stall it.
public struct CompanyName: Hashable, Sendable {
    /// Characters (Unicode scalars) of the raw name that normalization reads.
    public static let comparedLength = 256

    /// The identifying words, in order (`["acme", "labs"]`).
    public let words: [String]
    /// The words joined without separators (`acmelabs`); empty when the name had no letters or digits.
    public let key: String

    public init(_ raw: String) {
        var words = CompanyName.tokenize(raw)
        if words.count > 1, words.first == "the" { words.removeFirst() }
        var changed = true
        while changed, words.count > 1, let last = words.last {
            changed = false
            for suffix in LegalSuffixes.byLastWord[last] ?? []
            where suffix.count < words.count && words.suffix(suffix.count).elementsEqual(suffix) {
                words.removeLast(suffix.count)
                changed = true
                break
            }
            if words.count > 1, words.last == "and" {
                words.removeLast()
                changed = true
            }
        }
        self.words = words
        self.key = words.joined()
    }

    /// The normalized form with spaces, for display (`acme labs`).
    public var display: String { words.joined(separator: " ") }

    /// Lower-cased, folded words of `raw`, before any word is dropped. ASCII
    /// takes a fast path; other scalars are lowercased, folded, then kept if
    /// they are letters or digits.
    static func tokenize(_ raw: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        for scalar in raw.unicodeScalars.prefix(comparedLength) {
            switch scalar.value {
            case 0x61...0x7A, 0x30...0x39: current.append(scalar)
            case 0x41...0x5A: current.append(Unicode.Scalar(scalar.value + 0x20)!)
            case 0x26, 0x2B:
                flush()
                words.append("and")  // & +
            case 0x27, 0x2E, 0x60, 0xB4, 0x2018, 0x2019: continue  // ' . ` ´ ‘ ’
            case 0x0300...0x036F: continue  // combining marks
            case 0..<0x80: flush()
            default:
                for lower in scalar.properties.lowercaseMapping.unicodeScalars {
                    if let folded = Diacritics.fold[lower] {
                        current.append(contentsOf: folded.unicodeScalars)
                    } else if lower.properties.isAlphabetic || lower.properties.numericType != nil {
                        current.append(lower)
                    } else if !(0x0300...0x036F).contains(lower.value) {
                        flush()
                    }
                }
            }
        }
        flush()
        return words
    }
}

/// Legal-form words that say how a company is registered, not which company it
/// is. Longest forms first so `pty ltd` goes before `ltd` would leave `pty`.
enum LegalSuffixes {
    static let all: [[String]] = {
        let forms = [
            "sa de cv", "s de rl de cv", "gmbh and co kg", "kabushiki kaisha", "private limited", "pty ltd",
            "pty limited", "pte ltd", "pvt ltd", "sdn bhd", "co ltd", "co inc", "co llc", "and co", "and company",
            "incorporated", "inc", "llc", "llp", "lllp", "lp", "ltd", "limited", "corp", "corporation", "co",
            "company", "gmbh", "ag", "kg", "ug", "ohg", "ev", "sa", "sas", "sarl", "sasu", "eurl", "sl", "slu",
            "spa", "srl", "sro", "as", "asa", "aps", "ab", "oy", "oyj", "bv", "nv", "vof", "plc", "pty", "pte",
            "pvt", "kk", "gk", "yk", "bhd", "tbk", "ltda", "se", "pllc", "lda", "zrt", "kft",
            "doo", "spzoo", "sp z oo", "ooo", "oao", "zao", "pjsc", "jsc",
        ]
        return forms.map { $0.split(separator: " ").map(String.init) }.sorted { $0.count > $1.count }
    }()

    /// `all` grouped by their last word, longest first, so a name only checks the forms that could end it.
    static let byLastWord: [String: [[String]]] = Dictionary(grouping: all, by: { $0.last! })
}

/// Latin letters with diacritics and ligatures mapped to plain ASCII. The core
/// has no Foundation, so no Unicode folding API; this table covers Latin-1 and
/// Latin Extended-A, which is what company names in Western CRMs use.
enum Diacritics {
    static let fold: [Unicode.Scalar: String] = {
        let groups: [(String, String)] = [
            ("àáâãäåāăą", "a"), ("çćĉċč", "c"), ("ďđ", "d"), ("èéêëēĕėęě", "e"), ("ĝğġģ", "g"), ("ĥħ", "h"),
            ("ìíîïĩīĭįı", "i"), ("ĵ", "j"), ("ķ", "k"), ("ĺļľŀł", "l"), ("ñńņňŉ", "n"), ("òóôõöøōŏő", "o"),
            ("ŕŗř", "r"), ("śŝşšș", "s"), ("ţťŧț", "t"), ("ùúûüũūŭůűų", "u"), ("ŵ", "w"), ("ýÿŷ", "y"),
            ("źżž", "z"), ("ð", "d"),
        ]
        var table: [Unicode.Scalar: String] = ["æ": "ae", "œ": "oe", "ß": "ss", "þ": "th", "ĳ": "ij"]
        for (letters, plain) in groups { for s in letters.unicodeScalars { table[s] = plain } }
        return table
    }()
}
