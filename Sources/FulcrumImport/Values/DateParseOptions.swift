/// How to read `a/b/yyyy` dates, which differ between US and European exports.
public enum SlashDateOrder: Sendable, Equatable {
    /// `MM/DD/YYYY` (US).
    case monthFirst
    /// `DD/MM/YYYY` (Europe).
    case dayFirst
    /// Decide per value when a component is above 12, else report ambiguity;
    /// use `DateParser.detectSlashOrder` to decide once per column instead.
    case auto
}

/// Unit of numeric epoch timestamps; must be chosen explicitly because a bare
/// number could be either (Stripe exports seconds, HubSpot milliseconds).
public enum EpochUnit: Sendable, Equatable {
    case seconds
    case milliseconds
}

/// Settings for `DateParser`.
public struct DateParseOptions: Sendable, Equatable {
    public var slashOrder: SlashDateOrder
    /// When set, values must be integer epoch times in this unit; text dates are rejected.
    public var epoch: EpochUnit?
    /// Zone for datetimes written without an offset (and for the day of an epoch time).
    public var timeZone: UTCOffset

    public init(slashOrder: SlashDateOrder = .auto, epoch: EpochUnit? = nil, timeZone: UTCOffset = .utc) {
        self.slashOrder = slashOrder
        self.epoch = epoch
        self.timeZone = timeZone
    }
}
