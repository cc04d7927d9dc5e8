/// An experiment as it is kept in the store (as JSON): who is eligible, the arms and their
/// allocation, what is measured, when, and how it will be judged — fixed when it is created, so
/// the analysis cannot be bent after the data is in.
public struct ExperimentDefinition: Sendable, Codable, Equatable {
    public struct Arm: Sendable, Codable, Equatable {
        public var name: String
        public var weight: Double
        public init(name: String, weight: Double) {
            self.name = name
            self.weight = weight
        }
    }

    /// Which accounts may take part; every listed condition must hold (values within one are alternatives).
    public struct Eligibility: Sendable, Codable, Equatable {
        public var segments: [String] = []
        /// `prospect` (never paid before the start), `customer` (paying in the month before the start), `former`.
        public var statuses: [String] = []
        /// Owner rep names, e-mails or ids.
        public var owners: [String] = []
        /// Custom field name → accepted values.
        public var customFields: [String: [String]] = [:]
        /// Health bands from the stored churn model (`healthy`, `watch`, `at-risk`) at the month before the start;
        /// only paying customers have one.
        public var health: [String] = []
        public init() {}

        public var isEmpty: Bool {
            segments.isEmpty && statuses.isEmpty && owners.isEmpty && customFields.isEmpty && health.isEmpty
        }
    }

    public var name: String
    public var hypothesis: String
    public var eligibility: Eligibility
    public var arms: [Arm]
    public var primaryMetric: ExperimentMetric
    public var guardrails: [ExperimentMetric]
    public var start: Day
    public var plannedEnd: Day
    /// The smallest absolute effect on the primary metric worth detecting (a fraction for a rate).
    public var minimumEffect: Double
    public var alpha: Double
    public var power: Double
    public var sequential: AlphaSpending
    /// Planned looks for a sequential design, equally spaced in time.
    public var looks: Int
    /// Stratify assignment by size band as well as segment.
    public var stratifyBySize: Bool
    public var createdOn: Day

    public init(
        name: String, hypothesis: String, eligibility: Eligibility, arms: [Arm], primaryMetric: ExperimentMetric,
        guardrails: [ExperimentMetric], start: Day, plannedEnd: Day, minimumEffect: Double, alpha: Double = 0.05,
        power: Double = 0.8, sequential: AlphaSpending = .none, looks: Int = 1, stratifyBySize: Bool = false,
        createdOn: Day
    ) {
        self.name = name
        self.hypothesis = hypothesis
        self.eligibility = eligibility
        self.arms = arms
        self.primaryMetric = primaryMetric
        self.guardrails = guardrails
        self.start = start
        self.plannedEnd = plannedEnd
        self.minimumEffect = minimumEffect
        self.alpha = alpha
        self.power = power
        self.sequential = sequential
        self.looks = looks
        self.stratifyBySize = stratifyBySize
        self.createdOn = createdOn
    }

    public var control: String { arms[0].name }

    /// The window outcomes are measured over, cut at the data's last day.
    public func window(through: Day) -> ClosedRange<Day> { start...max(start, min(plannedEnd, through)) }

    /// Information fraction by calendar time: the share of the planned window that has data.
    public func informationFraction(through: Day) -> Double {
        let total = Double(plannedEnd - start + 1)
        return min(1, max(0, Double(min(through, plannedEnd) - start + 1) / total))
    }
}

/// The per-account outcomes an experiment can target, each a registry definition measured over the
/// experiment's window (docs/experiments.md).
public enum ExperimentMetric: String, Sendable, Codable, CaseIterable {
    /// A new-business opportunity created for the account in the window (1/0).
    case converted
    /// A new-business opportunity won (closed) in the window (1/0).
    case won
    /// Expansion MRR movements of the account in the window's months, in the reporting currency.
    case expansionMRR = "expansion_mrr"
    /// The account churned (a churn movement) in the window's months (1/0).
    case churned
    /// Minutes from the account's first lead created in the window to the first human activity with it.
    case responseMinutes = "response_minutes"

    public var isBinary: Bool { [.converted, .won, .churned].contains(self) }
    /// Whether a rise is harm (churn, slower responses): how a guardrail is judged.
    public var higherIsWorse: Bool { [.churned, .responseMinutes].contains(self) }

    public var meaning: String {
        switch self {
        case .converted: "a new-business opportunity created in the window"
        case .won: "a new-business deal won in the window"
        case .expansionMRR: "expansion MRR in the window's months"
        case .churned: "churned in the window's months"
        case .responseMinutes: "minutes to the first human response to the account's first lead in the window"
        }
    }
}
