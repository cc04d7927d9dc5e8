/// A coupon attached to a subscription.
///
/// Discounts that recur (forever, repeating) lower what the customer pays every
/// month, so they lower MRR; a once-off discount only touches one invoice and
/// leaves MRR alone.
public struct Discount: Sendable, Hashable, Codable {
    public enum Value: Sendable, Hashable, Codable {
        /// Percentage off the phase amount, 0–100 (Stripe's `percent_off` convention).
        case percentOff(Double)
        /// Minor units of the subscription's currency off each interval's amount.
        case amountOffMinor(Int64)
    }

    public enum Duration: Sendable, Hashable, Codable {
        case once
        case repeating(months: Int)
        case forever
    }

    public var value: Value
    public var duration: Duration
    /// First day the discount applies.
    public var start: Day

    public init(value: Value, duration: Duration, start: Day) {
        self.value = value
        self.duration = duration
        self.start = start
    }

    /// The half-open day range over which the discount lowers MRR, or nil when it never does.
    ///
    /// A repeating discount of N months applies on days in [start, start + N months);
    /// the upper bound is nil for a forever discount.
    var mrrWindow: (from: Day, until: Day?)? {
        switch duration {
        case .once: return nil
        case .forever: return (start, nil)
        case .repeating(let months): return months > 0 ? (start, start.adding(months: months)) : nil
        }
    }

    /// The per-interval amount after this discount, floored at zero.
    func apply(to amount: Double) -> Double {
        switch value {
        case .percentOff(let p): return max(0, amount * (1 - p / 100))
        case .amountOffMinor(let off): return max(0, amount - Double(off))
        }
    }
}
