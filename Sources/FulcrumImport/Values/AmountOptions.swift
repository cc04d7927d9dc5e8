/// Which character separates the fraction in amounts.
public enum DecimalSeparator: Sendable, Equatable {
    case dot
    case comma
    /// Decide per value when only one reading is possible (`1.234,56`,
    /// `12,5`); values like `1,234` are then reported as ambiguous.
    case auto
}

/// What to do when a value has more decimals than the currency allows.
public enum AmountRounding: Sendable, Equatable {
    /// Error, because silently dropping cents hides export bugs.
    case reject
    /// 0.5 → 1, -0.5 → -1.
    case halfAwayFromZero
    /// Banker's rounding: 0.5 → 0, 1.5 → 2.
    case halfEven
}

/// How the number in the field is expressed.
public enum AmountInput: Sendable, Equatable {
    /// Major units with optional decimals, symbols and grouping (`$1,234.56`).
    case decimal
    /// Already an integer count of minor units (Stripe's `1234` for $12.34).
    case minorUnits
}

/// Settings for `AmountParser`.
public struct AmountOptions: Sendable, Equatable {
    /// Minor-unit digits of the currency: 0 JPY, 2 USD/EUR, 3 KWD (0...18).
    public var exponent: Int
    public var decimalSeparator: DecimalSeparator
    public var rounding: AmountRounding
    public var input: AmountInput
    /// When set, an ISO code written in the value (`EUR 12.00`) must match it.
    public var currencyCode: String?

    public init(
        exponent: Int, decimalSeparator: DecimalSeparator = .auto, rounding: AmountRounding = .reject,
        input: AmountInput = .decimal, currencyCode: String? = nil
    ) {
        self.exponent = exponent
        self.decimalSeparator = decimalSeparator
        self.rounding = rounding
        self.input = input
        self.currencyCode = currencyCode
    }
}
