/// The records behind one report cell and how they make its value, so anyone can check the
/// number by hand: the amounts add up to the cell (`sum`), the records count to it (`count`),
/// their amounts average to it (`mean`), or a numerator and a denominator divide to it (`ratio`).
///
/// Records are named by store kind and id (`account:12`, `opportunity:7`, `spend:3`, `subscription:9`,
/// `person:4`); the CLI and the API turn them into the source's own ids and account names.
/// Amounts are in the cell's unit: minor units of the report currency for money, days for durations.
public struct Explanation: Sendable, Hashable {
    public enum Rule: String, Sendable, Hashable {
        /// The cell is the sum of the items' amounts (plus any adjustment item, named as such).
        case sum
        /// The cell is the number of items (a record listed twice counted twice: two events).
        case count
        /// The cell is the mean of the items' amounts.
        case mean
        /// The cell is the numerator's value ÷ the denominator's (each a sum when it has amounts, else a count).
        case ratio
        /// The cell is computed from these records by a rule the report's settings state (a median, a score
        /// average, a model), not by adding or counting them: listed for drill-down, not summed.
        case from
    }

    /// One record and its part of the cell (nil for a counted record).
    public struct Item: Sendable, Hashable {
        public var record: String
        public var amount: Double?
        public init(_ record: String, _ amount: Double? = nil) {
            self.record = record
            self.amount = amount
        }
    }

    public var rule: Rule
    /// The records (the numerator's, for a ratio).
    public var items: [Item]
    /// The denominator's records, for a ratio.
    public var denominator: [Item]
    /// The items' amounts (and the denominator's) are minor units of the report currency.
    public var moneyItems: Bool
    public var moneyDenominator: Bool

    public init(
        rule: Rule, items: [Item], denominator: [Item] = [], moneyItems: Bool = false, moneyDenominator: Bool = false
    ) {
        self.rule = rule
        self.items = items
        self.denominator = denominator
        self.moneyItems = moneyItems
        self.moneyDenominator = moneyDenominator
    }

    /// No records: the cell is not explained.
    public static let none = Explanation(rule: .count, items: [])
    public var isEmpty: Bool { items.isEmpty && denominator.isEmpty }

    /// Records a cell is computed from by another rule (see `Rule.from`).
    public static func from(_ records: [String]) -> Explanation {
        Explanation(rule: .from, items: records.map { Item($0) })
    }

    /// Records counted by the cell.
    public static func count(_ records: [String]) -> Explanation {
        Explanation(rule: .count, items: records.map { Item($0) })
    }

    /// Records whose amounts add up to the cell (`money`: minor units).
    public static func sum(_ items: [Item], money: Bool = true) -> Explanation {
        Explanation(rule: .sum, items: items, moneyItems: money)
    }

    /// Records whose amounts average to the cell.
    public static func mean(_ items: [Item], money: Bool = false) -> Explanation {
        Explanation(rule: .mean, items: items, moneyItems: money)
    }

    /// A ratio of two explained parts (a sum or a count each).
    public static func ratio(_ numerator: Explanation, over denominator: Explanation) -> Explanation {
        Explanation(
            rule: .ratio, items: numerator.items, denominator: denominator.items,
            moneyItems: numerator.rule == .sum && numerator.moneyItems,
            moneyDenominator: denominator.rule == .sum && denominator.moneyItems)
    }

    /// What the items make: their sum, count or mean; the quotient for a ratio (nil over zero).
    public var value: Double? {
        switch rule {
        case .sum: return Self.total(items)
        case .count: return Double(items.count)
        case .mean: return items.isEmpty ? nil : Self.total(items) / Double(items.count)
        case .from: return nil
        case .ratio:
            let d = Self.total(denominator)
            return d == 0 ? nil : Self.total(items) / d
        }
    }

    /// A part's value: the sum of its amounts when it has any, else the number of its records.
    public static func total(_ items: [Item]) -> Double {
        items.contains { $0.amount != nil } ? items.reduce(0) { $0 + ($1.amount ?? 0) } : Double(items.count)
    }

    /// Account ids as records, sorted.
    public static func accounts(_ ids: [Int64]) -> [String] { ids.sorted().map { "account:" + String($0) } }

    /// Amounts per account as sum items, sorted by account.
    public static func accountAmounts(_ amounts: [(Int64, Int64)]) -> [Item] {
        amounts.sorted { $0.0 < $1.0 }.map { Item("account:" + String($0.0), Double($0.1)) }
    }

    /// `now` − `then` as one sum: a sum's items and the other's negated; a count's records as +1 and −1.
    /// None for other rules (a change of two ratios is explained by the two cells beside it).
    public static func difference(_ now: Explanation, _ then: Explanation) -> Explanation {
        func signed(_ e: Explanation, _ sign: Double) -> [Item]? {
            if e.isEmpty { return [] }
            switch e.rule {
            case .sum: return e.items.map { Item($0.record, $0.amount.map { $0 * sign }) }
            case .count: return e.items.map { Item($0.record, sign) }
            default: return nil
            }
        }
        let rules = Set([now, then].filter { !$0.isEmpty }.map(\.rule))
        guard rules.count <= 1, let a = signed(now, 1), let b = signed(then, -1), !(a.isEmpty && b.isEmpty) else {
            return .none
        }
        return .sum(a + b, money: rules.first == .sum && (now.isEmpty ? then.moneyItems : now.moneyItems))
    }

    /// The items with their amounts negated (a loss counted as a positive share).
    public static func negated(_ items: [Item]) -> [Item] { items.map { Item($0.record, $0.amount.map { -$0 }) } }

    /// Records named in the items and the denominator.
    public var records: [String] { items.map(\.record) + denominator.map(\.record) }
}

/// A record as a user knows it: the source's own id and the account it belongs to.
public struct RecordLabel: Sendable, Hashable {
    /// `source:external_id` of the record (and of every record merged into it), e.g. `stripe:cus_A`;
    /// empty when the store has no source id for it (generated data).
    public var sourceIds: [String]
    /// The name of the account the record belongs to (the account itself, for an account).
    public var account: String?
    public init(sourceIds: [String], account: String?) {
        self.sourceIds = sourceIds
        self.account = account
    }
}
