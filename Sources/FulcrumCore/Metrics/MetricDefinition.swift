/// Where a metric sits in the seeds' goal tree: the business goal the company is run by,
/// the objective one team owns, or an activity one person performs.
public enum MetricTier: String, Sendable, Codable, CaseIterable {
    case businessGoal = "business goal"
    case teamObjective = "team objective"
    case individualActivity = "individual activity"
}

/// What a metric's number means, so every surface formats it the same way.
public enum MetricUnit: String, Sendable, Codable, CaseIterable {
    case money, count, percent, multiple, months, days
    case moneyPerDay = "money per day"
}

/// A way to slice a metric. `customField` stands for any account custom field, named `custom:NAME`
/// (on deal reports also a custom field of the deal or of its owner). `owner`, `team`, `product`,
/// `source` and `demo` slice deals and leads by their own fields, not their account's.
public enum Dimension: Sendable, Hashable, Codable, CustomStringConvertible {
    case period, segment, channel, campaign, plan, rep, cohort
    case owner, team, product, source, demo
    case customField(String)

    /// Parses `segment`, `plan`, `channel`, `rep`, `cohort`, `campaign`, `period` or `custom:NAME`.
    public init?(name: String) {
        switch name {
        case "period": self = .period
        case "segment": self = .segment
        case "channel": self = .channel
        case "campaign": self = .campaign
        case "plan": self = .plan
        case "rep": self = .rep
        case "cohort": self = .cohort
        case "owner": self = .owner
        case "team": self = .team
        case "product": self = .product
        case "source": self = .source
        case "demo": self = .demo
        default:
            guard name.hasPrefix("custom:"), name.count > 7 else { return nil }
            self = .customField(String(name.dropFirst(7)))
        }
    }

    public var description: String {
        switch self {
        case .period: "period"
        case .segment: "segment"
        case .channel: "channel"
        case .campaign: "campaign"
        case .plan: "plan"
        case .rep: "rep"
        case .cohort: "cohort"
        case .owner: "owner"
        case .team: "team"
        case .product: "product"
        case .source: "source"
        case .demo: "demo"
        case .customField(let name): "custom:" + name
        }
    }

    /// The dimension family used when a report says which slices it supports.
    var family: String { if case .customField = self { return "custom:NAME" } else { return description } }
}

/// One metric, defined once: what it is in plain words, how it is computed, and the
/// report that prints it. Every team's view reads the same definition.
public struct MetricDefinition: Sendable, Codable, Hashable {
    public var id: String
    public var name: String
    public var definition: String
    public var formula: String
    public var unit: MetricUnit
    public var tier: MetricTier
    /// Dimension families it can be sliced by (`custom:NAME` = any account custom field).
    public var dimensions: [String]
    /// The report (`fulcrum report ID`) whose columns include this metric.
    public var report: String

    public init(
        id: String, name: String, definition: String, formula: String, unit: MetricUnit, tier: MetricTier,
        dimensions: [String], report: String
    ) {
        self.id = id
        self.name = name
        self.definition = definition
        self.formula = formula
        self.unit = unit
        self.tier = tier
        self.dimensions = dimensions
        self.report = report
    }
}
