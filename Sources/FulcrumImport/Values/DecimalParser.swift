import Foundation

/// An exact decimal: `significand × 10^-scale`. Kept exact so sums of
/// exported figures do not pick up binary floating-point error.
public struct DecimalValue: Equatable, Hashable, Sendable {
    public let significand: Int64
    public let scale: Int

    public init(significand: Int64, scale: Int) {
        self.significand = significand
        self.scale = scale
    }

    /// The nearest double to the decimal, as any other reader of its text gets (`Double("0.009173")`).
    /// One correctly rounded division by an exact power of ten; dividing by ten `scale` times rounded at every
    /// step, so an exported FX rate 0.009173 came back as 0.009172999999999997 and a re-imported store's
    /// converted MRR moved by cents.
    public var doubleValue: Double {
        if scale == 0 { return Double(significand) }
        if significand.magnitude < 1 << 53, scale < Self.exactPowersOfTen.count {
            return Double(significand) / Self.exactPowersOfTen[scale]
        }
        return Double("\(significand)e-\(scale)") ?? Double(significand) / pow(10, Double(scale))
    }

    /// 10^0 … 10^22: every one exactly representable as a double.
    private static let exactPowersOfTen: [Double] = (0...22).map { (0..<$0).reduce(1.0) { r, _ in r * 10 } }
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
