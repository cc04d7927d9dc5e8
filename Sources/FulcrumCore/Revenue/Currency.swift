/// ISO 4217 minor-unit exponents.
///
/// Amounts are stored in minor units (cents, yen, fils); converting between
/// currencies is only correct if each side's exponent is known, so that
/// 1000 JPY minor units (1000 yen) are not mistaken for 10 dollars' worth.
public enum Currency {
    /// Currencies with no minor unit.
    static let zeroDecimal: Set<String> = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
        "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    ]

    /// Currencies with three decimal places.
    static let threeDecimal: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]

    /// Number of decimal places of `code`'s minor unit; unknown codes default to 2
    /// because that is by far the most common exponent.
    public static func exponent(of code: String) -> Int {
        let upper = code.uppercased()
        if zeroDecimal.contains(upper) { return 0 }
        if threeDecimal.contains(upper) { return 3 }
        return 2
    }

    /// Factor that turns minor units of `from` into minor units of `to` at a
    /// rate of `rate` units of `to` per unit of `from`.
    static func minorScale(rate: Double, from: String, to: String) -> Double {
        rate * power10(exponent(of: to) - exponent(of: from))
    }

    static func power10(_ n: Int) -> Double {
        var v = 1.0
        for _ in 0..<abs(n) { v *= 10 }
        return n >= 0 ? v : 1 / v
    }
}

/// Rounds half away from zero, the rounding used for every money amount.
@inline(__always)
func roundMinor(_ value: Double) -> Int64 {
    Int64(value.rounded(.toNearestOrAwayFromZero))
}
