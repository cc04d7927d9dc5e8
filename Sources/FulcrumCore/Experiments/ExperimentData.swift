/// What an experiment reads from the company's data: who is eligible (and their stratum), each
/// account's outcome over a window, and the baseline a design is sized from.
public enum ExperimentData {
    /// Surviving (merge-resolved) accounts created by `asOf` that meet every eligibility condition,
    /// with their stratum: the segment, and the size band when the experiment stratifies by size.
    public static func eligible(_ e: ExperimentDefinition, context: MetricContext, asOf: Day) -> [Int64: String] {
        let status = statuses(context: context, at: e.start.month)
        var repKeys: [Int64: Set<String>] = [:]
        for r in context.inputs.reps {
            repKeys[r.id] = Set([r.name.lowercased(), String(r.id)] + (r.email.map { [$0.lowercased()] } ?? []))
        }
        let segments = Set(e.eligibility.segments.map { $0.lowercased() })
        let owners = Set(e.eligibility.owners.map { $0.lowercased() })
        var out: [Int64: String] = [:]
        for a in context.inputs.accounts where a.mergedInto == nil && a.createdOn <= asOf {
            let segment = a.segment ?? "(none)"
            if !segments.isEmpty && !segments.contains(segment.lowercased()) { continue }
            if !e.eligibility.statuses.isEmpty && !e.eligibility.statuses.contains(status[a.id] ?? "prospect") {
                continue
            }
            if !owners.isEmpty {
                guard let rep = a.ownerRepId, !(repKeys[rep] ?? []).isDisjoint(with: owners) else { continue }
            }
            var fieldsMatch = true
            for (name, values) in e.eligibility.customFields
            where !values.contains(context.value(of: .customField(name), account: a.id)) {
                fieldsMatch = false
            }
            if !fieldsMatch { continue }
            out[a.id] = e.stratifyBySize ? "\(segment) · \(ExperimentAssignment.sizeBand(a.employees))" : segment
        }
        return out
    }

    /// `customer` (paying in the month before `month`), `former` (paid before, not then), else `prospect`.
    static func statuses(context: MetricContext, at month: Month) -> [Int64: String] {
        var out: [Int64: String] = [:]
        let before = month.adding(-1)
        for row in context.ledger.accountMRR where row.month <= before && row.mrrMinor > 0 {
            if row.month == before {
                out[row.accountId] = "customer"
            } else if out[row.accountId] == nil {
                out[row.accountId] = "former"
            }
        }
        return out
    }

    /// Each account's outcome over `window` (nil where the metric has no value, e.g. no lead to answer).
    public static func outcomes(
        _ metric: ExperimentMetric, accounts: [Int64], window: ClosedRange<Day>, context: MetricContext
    ) throws -> [Int64: Double?] {
        let wanted = Set(accounts)
        var value: [Int64: Double?] = [:]
        for a in accounts { value[a] = metric.isBinary || metric == .expansionMRR ? 0 : nil }
        let months = window.lowerBound.month...window.upperBound.month
        let scale = Math.pow(10, Double(Currency.exponent(of: context.currency)))
        switch metric {
        case .converted, .won:
            for o in context.inputs.opportunities where o.type == .new {
                guard let id = o.accountId.map(context.resolver.resolve), wanted.contains(id) else { continue }
                let day = metric == .converted ? o.createdOn : (o.isWon ? o.closedOn : nil)
                if let day, window.contains(day) { value[id] = 1 }
            }
        case .churned, .expansionMRR:
            for m in context.ledger.movements where months.contains(m.month) && wanted.contains(m.accountId) {
                if metric == .churned, m.kind == .churn { value[m.accountId] = 1 }
                if metric == .expansionMRR, m.kind == .expansion {
                    value[m.accountId] = (value[m.accountId] ?? 0).map { $0 + Double(m.amountMinor) / scale }
                }
            }
        case .responseMinutes:
            var firstLead: [Int64: Person] = [:]
            for p in context.inputs.people {
                guard let a = p.accountId.map(context.resolver.resolve), wanted.contains(a),
                    window.contains(p.createdAt.day)
                else { continue }
                if firstLead[a].map({ p.createdAt < $0.createdAt }) ?? true { firstLead[a] = p }
            }
            let leadOf = Dictionary(firstLead.map { ($0.value.id, $0.key) }, uniquingKeysWith: { a, _ in a })
            var first: [Int64: Timestamp] = [:]
            for act in context.inputs.activities where !act.automated {
                guard let person = act.personId, let a = leadOf[person], act.occurredAt >= firstLead[a]!.createdAt
                else { continue }
                if first[a].map({ act.occurredAt < $0 }) ?? true { first[a] = act.occurredAt }
            }
            for (a, t) in first {
                value[a] = Double(t.seconds - firstLead[a]!.createdAt.seconds) / 60
            }
        }
        return value
    }

    /// The primary metric over `e`'s own window among `eligible` (the service passes an earlier
    /// copy of the experiment and the accounts eligible at its start): its rate (or mean and standard
    /// deviation) and how many accounts it rests on.
    public struct Baseline: Sendable, Codable, Equatable {
        public var window: String
        public var accounts: Int
        public var mean: Double
        public var standardDeviation: Double
    }

    public static func baseline(_ e: ExperimentDefinition, context: MetricContext, eligible: [Int64]) throws
        -> Baseline
    {
        let window = e.start...min(e.plannedEnd, context.inputs.dataThrough)
        let values = try outcomes(e.primaryMetric, accounts: eligible, window: window, context: context).values
            .compactMap { $0 }
        let (m, v) = ExperimentStatistics.meanVariance(values)
        return Baseline(
            window: "\(window.lowerBound.iso)…\(window.upperBound.iso)", accounts: values.count, mean: m,
            standardDeviation: v.squareRoot())
    }
}

/// The design an experiment is run to: sample size per arm for the minimum effect at the planned
/// power, and how long the eligible flow of accounts takes to supply it.
public struct ExperimentDesign: Sendable, Codable, Equatable {
    public var baseline: ExperimentData.Baseline
    /// Standardized effect: Cohen's h for a rate, δ ÷ σ for an amount.
    public var effect: Double
    /// Accounts needed in the control arm (the others in proportion to their weights).
    public var controlArm: Int
    public var total: Int
    public var eligibleNow: Int
    /// Eligible accounts created per month over the last twelve months.
    public var monthlyFlow: Double
    /// Months of flow still needed to reach `total` (0 when today's eligible accounts suffice).
    public var monthsNeeded: Double?

    public static func make(
        _ e: ExperimentDefinition, baseline: ExperimentData.Baseline, eligibleNow: Int, monthlyFlow: Double
    ) -> ExperimentDesign {
        let effect: Double
        if e.primaryMetric.isBinary {
            let p1 = min(max(baseline.mean + e.minimumEffect, 1e-9), 1 - 1e-9)
            effect = ExperimentPower.proportionEffect(baseline: min(max(baseline.mean, 1e-9), 1 - 1e-9), treatment: p1)
        } else {
            effect = baseline.standardDeviation > 0 ? e.minimumEffect / baseline.standardDeviation : 0
        }
        let control = e.arms[0].weight
        let others = e.arms.dropFirst().map(\.weight)
        // Each treatment arm is compared with control; size for the smallest treatment arm.
        let ratio = (others.min() ?? control) / control
        let n = ExperimentPower.sampleSize(effect: effect, power: e.power, ratio: ratio, alpha: e.alpha)
        let controlArm = n.isFinite ? Int(n.rounded(.up)) : Int.max
        let weightSum = e.arms.reduce(0) { $0 + $1.weight }
        let total = controlArm == Int.max ? Int.max : Int((Double(controlArm) * weightSum / control).rounded(.up))
        var months: Double?
        if total != Int.max {
            months = total <= eligibleNow ? 0 : (monthlyFlow > 0 ? Double(total - eligibleNow) / monthlyFlow : nil)
        }
        return ExperimentDesign(
            baseline: baseline, effect: effect, controlArm: controlArm, total: total, eligibleNow: eligibleNow,
            monthlyFlow: monthlyFlow, monthsNeeded: months)
    }
}
