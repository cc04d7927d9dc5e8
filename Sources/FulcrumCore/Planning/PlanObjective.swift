/// What the global optimum maximizes. With the total budget spent, ACV/CAC is bookings ÷ budget
/// and LTV/CAC is lifetime value ÷ budget, so those two maximize bookings and lifetime value at the
/// full budget; a blend weighs the two short- and long-term goals, each as a share of its own optimum.
public enum PlanObjective: Sendable, Codable, Equatable, CustomStringConvertible {
    case bookings
    case acvToCAC
    case ltv
    case ltvToCAC
    /// `weight` on bookings, `1 − weight` on lifetime value.
    case blend(weight: Double)

    public struct Unknown: Error, CustomStringConvertible {
        public var text: String
        public var description: String {
            "--objective: '\(text)' is not one of bookings, acv-cac, ltv, ltv-cac, blend:W (W between 0 and 1)"
        }
    }

    public init(parsing text: String) throws {
        switch text {
        case "bookings": self = .bookings
        case "acv-cac": self = .acvToCAC
        case "ltv": self = .ltv
        case "ltv-cac": self = .ltvToCAC
        default:
            guard text.hasPrefix("blend:"), let w = Double(text.dropFirst(6)), w >= 0, w <= 1 else {
                throw Unknown(text: text)
            }
            self = .blend(weight: w)
        }
    }

    public var description: String {
        switch self {
        case .bookings: "bookings"
        case .acvToCAC: "acv-cac"
        case .ltv: "ltv"
        case .ltvToCAC: "ltv-cac"
        case .blend(let w): "blend:\(w)"
        }
    }

    public var label: String {
        switch self {
        case .bookings: "bookings this period"
        case .acvToCAC: "ACV/CAC (bookings ÷ total spend at the full budget)"
        case .ltv: "lifetime value of the deals won"
        case .ltvToCAC: "LTV/CAC (lifetime value ÷ total spend at the full budget)"
        case .blend(let w): "blend: \(w) × bookings ÷ best bookings + \(1 - w) × LTV ÷ best LTV"
        }
    }
}
