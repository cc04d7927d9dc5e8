/// An exact decimal: `significand × 10^-scale`. Kept exact so sums of
/// exported figures do not pick up binary floating-point error.
public struct DecimalValue: Equatable, Hashable, Sendable {
    public let significand: Int64
    public let scale: Int

    public init(significand: Int64, scale: Int) {
        self.significand = significand
        self.scale = scale
    }

    public var doubleValue: Double {
        var d = Double(significand)
        for _ in 0..<scale { d /= 10 }
        return d
    }
}

/// Plain decimals: optional sign, digits, one decimal separator (dot by
/// default, comma as an option), e.g. `-12.50`, `.5`, `3.`. No grouping and no
/// exponent notation; up to 18 significant digits.
public enum DecimalParser {
    public static func parse(_ text: String, decimalComma: Bool = false) -> Result<DecimalValue, ValueError> {
        let b = ByteText.trimmed(text)
        var body = b[...]
        var negative = false
        if let first = body.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        let sep = decimalComma ? UInt8(ascii: ",") : UInt8(ascii: ".")
        let parts = body.split(separator: sep, maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : []
        guard whole.count + fraction.count > 0,
            (whole + fraction).allSatisfy(ByteText.isDigit)
        else {
            return .failure(ValueError("not a decimal number: '\(text)'"))
        }
        guard let v = IntegerParser.signedValue(whole + fraction, negative: negative) else {
            return .failure(ValueError("decimal out of range: '\(text)'"))
        }
        return .success(DecimalValue(significand: v, scale: fraction.count))
    }
}
