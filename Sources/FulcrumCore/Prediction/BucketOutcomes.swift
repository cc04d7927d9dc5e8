import Foundation

/// The account outcomes customer buckets are found for, one row per account, and the profile
/// dimensions they may be told apart by. Only who the customer is (segment, industry, size, country,
/// the account's own custom fields) — not dates, channels or reps, which describe Fulcrum's user's own
/// actions rather than the customer (seed 003). docs/prediction.md, "Customer buckets".
public enum BucketOutcomes {
    public enum Outcome: String, Sendable, CaseIterable, Codable {
        /// A sales-led account's first lead opens a new-business opportunity within 90 days
        /// (the conversion model's rows: leads still open seven days after they arrived).
        case conversion
        /// An account's first closed new-business opportunity is won.
        case win
        /// A customer churns within 12 months of its first paid month.
        case churn
        /// A customer expands within 12 months of its first paid month.
        case expansion

        public var meaning: String {
            switch self {
            case .conversion:
                "a lead still open 7 days after it arrived opens a new-business opportunity within 90 days"
            case .win: "the account's first closed new-business opportunity is won"
            case .churn:
                "a customer churns (MRR ledger) within \(BucketOutcomes.customerMonths) months of its first paid month"
            case .expansion:
                "a customer expands (MRR ledger) within \(BucketOutcomes.customerMonths) months of its first paid month"
            }
        }
    }

    /// Months after the first paid month in which a customer's churn or expansion counts.
    public static let customerMonths = 12

    /// Employee-count bands, in order; accounts without a count are `(unknown)`.
    public static let sizeBands = ["1–49", "50–199", "200–999", "1,000–4,999", "5,000+"]
    public static let unknown = "(unknown)"

    public static func sizeBand(_ employees: Int?) -> String {
        guard let e = employees else { return unknown }
        switch e {
        case ..<50: return sizeBands[0]
        case ..<200: return sizeBands[1]
        case ..<1000: return sizeBands[2]
        case ..<5000: return sizeBands[3]
        default: return sizeBands[4]
        }
    }

    /// Each account with a known outcome, ascending by account id.
    public static func units(_ context: MetricContext, outcome: Outcome) -> [(account: Int64, happened: Bool)] {
        var out: [Int64: Bool] = [:]
        switch outcome {
        case .conversion:
            let panel = LeadFeatures.build(context)
            for i in 0..<panel.rowCount where !panel.y[i].isNaN { out[panel.accounts[i]] = panel.y[i] == 1 }
        case .win:
            var first: [Int64: (Day, Int64, Bool)] = [:]
            for o in context.inputs.opportunities where o.type == .new && o.isClosed {
                guard let raw = o.accountId, let closed = o.closedOn else { continue }
                let a = context.resolver.resolve(raw)
                if let f = first[a], (f.0, f.1) <= (closed, o.id) { continue }
                first[a] = (closed, o.id, o.isWon)
            }
            out = first.mapValues(\.2)
        case .churn, .expansion:
            let last = context.lastCompleteMonth(atOrBefore: context.dataMonth).adding(-customerMonths)
            let kind: MovementKind = outcome == .churn ? .churn : .expansion
            var happened: Set<Int64> = []
            for m in context.ledger.movements where m.kind == kind {
                guard let first = context.firstPaidMonth[m.accountId], first <= last else { continue }
                if m.month > first, m.month <= first.adding(customerMonths) { happened.insert(m.accountId) }
            }
            for (a, first) in context.firstPaidMonth where first <= last { out[a] = happened.contains(a) }
        }
        return out.keys.sorted().map { ($0, out[$0]!) }
    }

    /// The default dimensions: segment, industry, size, country and every account custom field.
    public static func dimensionNames(_ context: MetricContext) -> [String] {
        ["segment", "industry", "size", "country"] + context.customFieldNames.map { "custom:\($0)" }
    }

    /// Is `name` a dimension buckets can use?
    public static func isDimension(_ name: String) -> Bool {
        ["segment", "industry", "size", "country"].contains(name) || (name.hasPrefix("custom:") && name.count > 7)
    }

    /// Each dimension's levels and each account's level index in it.
    public static func dimensions(_ context: MetricContext, accounts: [Int64], names: [String]) -> (
        [CustomerBuckets.Dimension], [[Int]]
    ) {
        var dims: [CustomerBuckets.Dimension] = []
        var values: [[Int]] = []
        for name in names {
            let raw: [String] = accounts.map { a in
                let account = context.account(a)
                let v: String?
                switch name {
                case "segment": v = account?.segment
                case "industry": v = account?.industry
                case "country": v = account?.country
                case "size": return sizeBand(account?.employees)
                default:
                    let field = context.value(of: .customField(String(name.dropFirst(7))), account: a)
                    v = field == "(none)" ? nil : field
                }
                guard let v, !v.isEmpty else { return unknown }
                return v
            }
            let ordered = name == "size"
            var levels = ordered ? sizeBands + [unknown] : Array(Set(raw)).sorted()
            if !ordered, let u = levels.firstIndex(of: unknown) { levels.append(levels.remove(at: u)) }
            let index = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
            dims.append(
                CustomerBuckets.Dimension(
                    name: name, levels: levels, ordered: ordered, unknownLevel: index[unknown]))
            values.append(raw.map { index[$0]! })
        }
        return (dims, values)
    }
}
