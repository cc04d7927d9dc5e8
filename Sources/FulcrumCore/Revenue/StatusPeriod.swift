/// A span during which a subscription is in a collection or hold state.
///
/// Whether such a span counts towards MRR is a policy choice
/// (see `StatusTreatment`), so the periods are recorded rather than baked in.
public struct StatusPeriod: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case pastDue, paused, unpaid
    }

    /// First day of the status.
    public var from: Day
    /// First day after the status (exclusive); nil while it is still in force.
    public var to: Day?
    public var status: Status

    public init(from: Day, to: Day?, status: Status) {
        self.from = from
        self.to = to
        self.status = status
    }

    /// Whether the status is in force on `day`.
    @inline(__always)
    public func covers(_ day: Day) -> Bool {
        from <= day && (to.map { day < $0 } ?? true)
    }
}
