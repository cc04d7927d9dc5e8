/// Money amounts to integer minor units (cents), so totals are exact.
///
/// Accepted: optional sign (`-12.50`, `12.50-`) or parentheses for negatives
/// (`(123.45)`); a currency symbol (`$ € £ ¥`) or three-letter ISO code before
/// or after the number (`USD 12.00`, `12,00 EUR`); thousands grouping with
/// `,` `.` `'`, space or no-break space in groups of three (`1 234,56`).
/// Trailing zero decimals beyond the exponent are fine (`12.340` USD); other
/// extra decimals are an error unless `rounding` says how to round.
public enum AmountParser {
    public static func minorUnits(_ text: String, options: AmountOptions) -> Result<Int64, ValueError> {
        guard (0...18).contains(options.exponent) else {
            return .failure(ValueError("currency exponent \(options.exponent) out of range 0...18"))
        }
        if options.input == .minorUnits {
            return IntegerParser.parse(text).mapError { _ in ValueError("not an amount in minor units: '\(text)'") }
        }
        let b = ByteText.trimmed(text)
        guard !b.isEmpty else { return .failure(ValueError("empty amount")) }
        guard let parts = AmountLexer.strip(b) else { return .failure(invalid(text)) }
        if let expected = options.currencyCode, let code = parts.code, code != expected.uppercased() {
            return .failure(
                ValueError("currency \(code) in '\(text)' does not match expected \(expected.uppercased())"))
        }
        guard let number = AmountLexer.split(b[parts.body], separator: options.decimalSeparator, text: text) else {
            return .failure(invalid(text))
        }
        switch number {
        case .failure(let e): return .failure(e)
        case .success(let (whole, fraction)):
            return scale(whole: whole, fraction: fraction, negative: parts.negative, options: options, text: text)
        }
    }

    /// Combines digit runs into minor units, applying the rounding policy.
    private static func scale(
        whole: [UInt8], fraction: [UInt8], negative: Bool,
        options: AmountOptions, text: String
    ) -> Result<Int64, ValueError> {
        let e = options.exponent
        let kept = fraction.prefix(e) + [UInt8](repeating: 0x30, count: max(0, e - fraction.count))
        let extra = fraction.dropFirst(e)
        guard var value = ByteText.digits(ArraySlice(whole.isEmpty ? [0x30] : whole) + kept) else {
            return .failure(ValueError("amount out of range: '\(text)'"))
        }
        if let firstExtra = extra.first, extra.contains(where: { $0 != 0x30 }) {
            let roundUp: Bool
            switch options.rounding {
            case .reject:
                return .failure(
                    ValueError("too many decimal places in '\(text)': currency has \(e); set a rounding mode"))
            case .halfAwayFromZero:
                roundUp = firstExtra >= 0x35
            case .halfEven:
                let restNonZero = extra.dropFirst().contains { $0 != 0x30 }
                roundUp = firstExtra > 0x35 || (firstExtra == 0x35 && (restNonZero || value % 2 == 1))
            }
            if roundUp {
                let (v, o) = value.addingReportingOverflow(1)
                if o { return .failure(ValueError("amount out of range: '\(text)'")) }
                value = v
            }
        }
        return .success(negative ? -value : value)
    }

    private static func invalid(_ text: String) -> ValueError { ValueError("not an amount: '\(text)'") }
}
