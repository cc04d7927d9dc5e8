/// Splits an amount string into sign, currency and the digits on each side of
/// the decimal separator; kept apart from `AmountParser` so the separator rules
/// can be read on their own.
enum AmountLexer {
    struct Stripped {
        var body: Range<Int>
        var negative: Bool
        var code: String?
    }

    private static let symbols: [[UInt8]] = [Array("$".utf8), Array("€".utf8), Array("£".utf8), Array("¥".utf8)]

    /// Removes parentheses, one sign and one currency marker from either end.
    static func strip(_ b: [UInt8]) -> Stripped? {
        var lo = 0
        var hi = b.count
        var negative = false
        var signSeen = false
        var currencySeen = false
        var code: String?
        if b.first == UInt8(ascii: "("), b.last == UInt8(ascii: ")") {
            negative = true
            signSeen = true
            lo += 1
            hi -= 1
        }
        func skipSpaces() {
            while lo < hi, let w = ByteText.spaceWidth(b, at: lo) { lo += w }
            while hi > lo {
                let w = ByteText.spaceWidthEnding(b[lo..<hi])
                if w == 0 { break }
                hi -= w
            }
        }
        while true {
            skipSpaces()
            guard lo < hi else { return nil }
            let c = b[lo]
            if !signSeen && (c == UInt8(ascii: "-") || c == UInt8(ascii: "+")) {
                signSeen = true
                negative = c == UInt8(ascii: "-")
                lo += 1
                continue
            }
            if !currencySeen, let n = symbols.first(where: { b[lo..<hi].starts(with: $0) })?.count {
                currencySeen = true
                lo += n
                continue
            }
            if !currencySeen, hi - lo > 3, b[lo..<lo + 3].allSatisfy(isUpper), !isUpper(b[lo + 3]) {
                currencySeen = true
                code = String(decoding: b[lo..<lo + 3], as: UTF8.self)
                lo += 3
                continue
            }
            break
        }
        while true {
            skipSpaces()
            guard lo < hi else { return nil }
            if !signSeen && b[hi - 1] == UInt8(ascii: "-") {
                signSeen = true
                negative = true
                hi -= 1
                continue
            }
            if !currencySeen, let n = symbols.first(where: { b[lo..<hi].reversed().starts(with: $0.reversed()) })?.count
            {
                currencySeen = true
                hi -= n
                continue
            }
            if !currencySeen, hi - lo > 3, b[hi - 3..<hi].allSatisfy(isUpper), !isUpper(b[hi - 4]) {
                currencySeen = true
                code = String(decoding: b[hi - 3..<hi], as: UTF8.self)
                hi -= 3
                continue
            }
            break
        }
        return Stripped(body: lo..<hi, negative: negative, code: code)
    }

    private static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }

    private enum Sep: Equatable { case dot, comma, space, apostrophe }

    /// Whole and fraction digits, or nil if the text is not digits and separators.
    static func split(_ body: ArraySlice<UInt8>, separator: DecimalSeparator, text: String) -> Result<
        ([UInt8], [UInt8]), ValueError
    >? {
        let bytes = Array(body)
        var runs: [[UInt8]] = [[]]
        var seps: [Sep] = []
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if ByteText.isDigit(c) {
                runs[runs.count - 1].append(c)
                i += 1
                continue
            }
            let sep: Sep
            if c == UInt8(ascii: ".") {
                sep = .dot
                i += 1
            } else if c == UInt8(ascii: ",") {
                sep = .comma
                i += 1
            } else if c == UInt8(ascii: "'") {
                sep = .apostrophe
                i += 1
            } else if let w = ByteText.spaceWidth(bytes, at: i) {
                sep = .space
                i += w
            } else {
                return nil
            }
            seps.append(sep)
            runs.append([])
        }
        guard runs.dropFirst().allSatisfy({ !$0.isEmpty }), runs.contains(where: { !$0.isEmpty }) else { return nil }

        let decimal: Sep?
        switch separator {
        case .dot: decimal = seps.contains(.dot) ? .dot : nil
        case .comma: decimal = seps.contains(.comma) ? .comma : nil
        case .auto:
            let dots = seps.filter { $0 == .dot }.count
            let commas = seps.filter { $0 == .comma }.count
            if dots > 0 && commas > 0 {
                decimal = seps.last(where: { $0 == .dot || $0 == .comma })
            } else if dots + commas == 0 {
                decimal = nil
            } else if dots + commas > 1 {
                decimal = nil
            } else {
                let k = seps.firstIndex(where: { $0 == .dot || $0 == .comma })!
                let kind = seps[k]
                let couldGroup =
                    runs[k + 1].count == 3 && (1...3).contains(runs[0].count) && runs[0] != [0x30]
                    && seps.allSatisfy { $0 == kind }
                if couldGroup {
                    let ch = kind == .dot ? "." : ","
                    return .failure(
                        ValueError(
                            "ambiguous amount '\(text)': '\(ch)' may be a decimal or thousands separator; set the decimal separator"
                        ))
                }
                decimal = kind
            }
        }

        var wholeRuns = runs
        var wholeSeps = seps
        var fraction: [UInt8] = []
        if let decimal {
            guard seps.filter({ $0 == decimal }).count == 1, seps.last == decimal else { return nil }
            fraction = wholeRuns.removeLast()
            wholeSeps.removeLast()
        }
        if let group = wholeSeps.first {
            guard wholeSeps.allSatisfy({ $0 == group }), (1...3).contains(wholeRuns[0].count),
                wholeRuns.dropFirst().allSatisfy({ $0.count == 3 })
            else {
                return .failure(ValueError("misplaced thousands separator in '\(text)'"))
            }
        }
        return .success((wholeRuns.flatMap { $0 }, fraction))
    }
}
