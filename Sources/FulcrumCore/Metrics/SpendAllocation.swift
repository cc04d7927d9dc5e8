/// Spend split over the values of a dimension (segment or channel), to the cent.
///
/// Attribution rule: an entry tagged with a value belongs to that value. Untagged spend of a
/// team is allocated in proportion to that team's tagged spend in the same window; a team with
/// no tagged spend in the window is allocated in proportion to all tagged spend (for sales,
/// whose spend carries no channel, the marketing team's tagged spend). Largest
/// remainder rounding, so the parts add up to the total exactly.
struct SpendAllocation {
    /// Reporting-currency minor units per dimension value.
    var amounts: [String: Int64] = [:]
    /// Spend entry ids behind each value (tagged entries, plus the untagged ones shared out).
    var ids: [String: [Int64]] = [:]
    var total: Int64 = 0

    /// Tagged spend per value, the weights untagged spend was shared by.
    var tagged: [String: Int64] = [:]

    /// `fallback`: weights for a team with no tagged spend of its own when this allocation
    /// has none either (sales spend by channel is shared like marketing's tagged spend).
    init(_ entries: [SpendEntry], by dimension: Dimension?, context: MetricContext, explain: Bool,
         fallback: [String: Int64] = [:]) throws {
        func tag(_ e: SpendEntry) -> String? {
            switch dimension {
            case .segment?: e.segment
            case .channel?: e.channel
            default: ""
            }
        }
        var converted: [(SpendEntry, Int64)] = []
        for e in entries { converted.append((e, try context.convert(e.amountMinor, currency: e.currency, month: e.month))) }
        total = converted.reduce(0) { $0 + $1.1 }
        var taggedAll: [String: Int64] = [:]
        var taggedByTeam: [Team.Function: [String: Int64]] = [:]
        var untaggedByTeam: [Team.Function: Int64] = [:]
        var untaggedIds: [Int64] = []
        for (e, amount) in converted {
            if let t = tag(e) {
                amounts[t, default: 0] += amount
                taggedAll[t, default: 0] += amount
                taggedByTeam[e.team, default: [:]][t, default: 0] += amount
                if explain { ids[t, default: []].append(e.id) }
            } else {
                untaggedByTeam[e.team, default: 0] += amount
                if explain { untaggedIds.append(e.id) }
            }
        }
        for team in Team.Function.allCases {
            guard let untagged = untaggedByTeam[team], untagged != 0 else { continue }
            let weights = taggedByTeam[team]?.isEmpty == false ? taggedByTeam[team]! : (taggedAll.isEmpty ? fallback : taggedAll)
            let share = SpendAllocation.split(untagged, weights: weights)
            if share.isEmpty { amounts["(unallocated)", default: 0] += untagged; continue }
            for (k, v) in share { amounts[k, default: 0] += v }
        }
        tagged = taggedAll
        if explain, !untaggedIds.isEmpty { for k in amounts.keys { ids[k, default: []] += untaggedIds } }
    }

    /// `amount` split in proportion to `weights`, largest remainder; empty when weights sum to 0.
    static func split(_ amount: Int64, weights: [String: Int64]) -> [String: Int64] {
        let totalWeight = weights.values.reduce(0, +)
        guard totalWeight > 0 else { return [:] }
        let keys = weights.keys.sorted()
        var out: [String: Int64] = [:]
        var given: Int64 = 0
        var remainders: [(String, Double)] = []
        for k in keys {
            let exact = Double(amount) * Double(weights[k]!) / Double(totalWeight)
            let floor = Int64(exact.rounded(.down))
            out[k] = floor; given += floor
            remainders.append((k, exact - exact.rounded(.down)))
        }
        remainders.sort { ($0.1, $1.0) > ($1.1, $0.0) }
        for (k, _) in remainders.prefix(Int(amount - given)) { out[k]! += 1 }
        return out
    }
}
