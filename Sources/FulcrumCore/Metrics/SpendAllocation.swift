/// Spend split over the values of a dimension (segment, channel or campaign), to the cent.
///
/// Attribution rule: an entry tagged with a value belongs to that value. Untagged spend of a
/// team is allocated in proportion to that team's tagged spend in the same window; a team with
/// no tagged spend in the window is allocated in proportion to all tagged spend (for sales,
/// whose spend carries no channel, the marketing team's tagged spend). Largest
/// remainder rounding, so the parts add up to the total exactly.
///
/// Campaigns: spend carries no campaign, so an entry tagged with a channel belongs to the
/// campaigns of that channel running in its month (only those of its segment when both carry
/// one), shared equally; a channel-tagged entry with no such campaign belongs to "(none)".
struct SpendAllocation {
    /// One entry, already in the reporting currency: the slice values it belongs to
    /// (`parts`, adding up to `amount`), or nil when untagged.
    struct Item {
        var id: Int64
        var team: Team.Function
        var amount: Int64
        var parts: [String: Int64]?
    }

    /// Reporting-currency minor units per dimension value.
    var amounts: [String: Int64] = [:]
    /// With explain: the spend entries behind each value and the part of each that the value got (tagged
    /// entries in full or by their split, untagged ones by their share of the team's allocation), adding up
    /// to `amounts` exactly.
    var items: [String: [Explanation.Item]] = [:]
    var total: Int64 = 0
    /// Number of spend entries allocated.
    var entries = 0

    /// Tagged spend per value, the weights untagged spend was shared by.
    var tagged: [String: Int64] = [:]

    /// The value untagged spend is parked under when there is nothing to share it by.
    static let unallocated = "(unallocated)"

    static let campaignRule = """
        spend carries no campaign: an entry tagged with a channel belongs to the campaigns of that channel running in its month \
        (of its segment, when both carry one), shared equally; channel spend with no running campaign belongs to (none)
        """

    /// `fallback`: weights for a team with no tagged spend of its own when this allocation
    /// has none either (sales spend by channel is shared like marketing's tagged spend).
    init(
        _ entries: [SpendEntry], by dimension: Dimension?, context: MetricContext, explain: Bool,
        fallback: [String: Int64] = [:]
    ) throws {
        var campaignsByChannel: [String: [Campaign]] = [:]
        if dimension == .campaign {
            for c in context.inputs.campaigns { campaignsByChannel[c.channel, default: []].append(c) }
        }
        func parts(_ e: SpendEntry, _ amount: Int64) -> [String: Int64]? {
            switch dimension {
            case .segment?: return e.segment.map { [$0: amount] }
            case .channel?: return e.channel.map { [$0: amount] }
            case .campaign?:
                guard let channel = e.channel else { return nil }
                var weights: [String: Int64] = [:]
                for c in campaignsByChannel[channel] ?? [] {
                    guard c.startedOn <= e.month.lastDay, c.endedOn.map({ $0 > e.month.firstDay }) ?? true else {
                        continue
                    }
                    if let s = e.segment, let cs = c.segment, s != cs { continue }
                    weights[context.campaignName(c.id), default: 0] += 1
                }
                return weights.isEmpty ? ["(none)": amount] : SpendAllocation.split(amount, weights: weights)
            default: return ["": amount]
            }
        }
        var items: [Item] = []
        for e in entries {
            let amount = try context.convert(e.amountMinor, currency: e.currency, month: e.month)
            items.append(Item(id: e.id, team: e.team, amount: amount, parts: parts(e, amount)))
        }
        self.init(items: items, explain: explain, fallback: fallback)
    }

    /// The rule itself, on amounts already in one currency (the headline report calls it directly).
    init(items: [Item], explain: Bool, fallback: [String: Int64] = [:]) {
        total = items.reduce(0) { $0 + $1.amount }
        entries = items.count
        var taggedAll: [String: Int64] = [:]
        var taggedByTeam: [Team.Function: [String: Int64]] = [:]
        var untaggedByTeam: [Team.Function: Int64] = [:]
        var untaggedEntries: [Team.Function: [String: Int64]] = [:]
        for item in items {
            if let parts = item.parts {
                for (t, amount) in parts {
                    amounts[t, default: 0] += amount
                    taggedAll[t, default: 0] += amount
                    taggedByTeam[item.team, default: [:]][t, default: 0] += amount
                    if explain { self.items[t, default: []].append(.init("spend:" + String(item.id), Double(amount))) }
                }
            } else {
                untaggedByTeam[item.team, default: 0] += item.amount
                if explain {
                    untaggedEntries[item.team, default: [:]]["spend:" + String(item.id), default: 0] += item.amount
                }
            }
        }
        /// Each untagged entry's part of `amount` given to `key`: in proportion to the entries, largest remainder.
        func explainShare(_ team: Team.Function, _ key: String, _ amount: Int64) {
            guard explain, let entries = untaggedEntries[team] else { return }
            let parts = SpendAllocation.split(amount, weights: entries)
            for (record, part) in (parts.isEmpty ? entries : parts).sorted(by: { $0.key < $1.key }) where part != 0 {
                self.items[key, default: []].append(.init(record, Double(part)))
            }
        }
        for team in Team.Function.allCases {
            guard let untagged = untaggedByTeam[team], untagged != 0 else { continue }
            let weights =
                taggedByTeam[team]?.isEmpty == false ? taggedByTeam[team]! : (taggedAll.isEmpty ? fallback : taggedAll)
            let share = SpendAllocation.split(untagged, weights: weights)
            if share.isEmpty {
                amounts[SpendAllocation.unallocated, default: 0] += untagged
                explainShare(team, SpendAllocation.unallocated, untagged)
                continue
            }
            for (k, v) in share {
                amounts[k, default: 0] += v
                explainShare(team, k, v)
            }
        }
        tagged = taggedAll
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
            out[k] = floor
            given += floor
            remainders.append((k, exact - exact.rounded(.down)))
        }
        remainders.sort { ($0.1, $1.0) > ($1.1, $0.0) }
        for (k, _) in remainders.prefix(Int(amount - given)) { out[k]! += 1 }
        return out
    }
}
