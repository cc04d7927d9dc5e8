import Foundation
import FulcrumCore
import FulcrumStore

/// `fulcrum experiment`: experiments kept in the store, assigned deterministically, sized from
/// the baseline and analyzed with their design's protection against peeking.
public enum ExperimentService {
    public struct Problem: Error, CustomStringConvertible {
        public var parameter: String
        public var reason: String
        public var description: String { "\(parameter): \(reason)" }
    }

    static func context(_ store: any Store) throws -> MetricContext {
        let needs: Set<MetricInputs.Need> = [.billing, .opportunities, .people, .reps, .customFields, .activities, .fx]
        return try ReportInputs.context(store: store, needs: needs, query: ReportQuery(report: "mrr"))
    }

    public static func definition(_ store: any Store, name: String) throws -> ExperimentDefinition {
        guard let row = try store.experiments().first(where: { $0.name == name }) else {
            let names = try store.experiments().map(\.name)
            throw Problem(
                parameter: "NAME",
                reason: "no experiment '\(name)'"
                    + (names.isEmpty
                        ? " (none created yet: fulcrum experiment create)"
                        : "; there are \(names.joined(separator: ", "))"))
        }
        return try JSONDecoder().decode(ExperimentDefinition.self, from: Data(row.json.utf8))
    }

    public static func all(_ store: any Store) throws -> [ExperimentDefinition] {
        try store.experiments().map { try JSONDecoder().decode(ExperimentDefinition.self, from: Data($0.json.utf8)) }
    }

    /// Eligible accounts and their strata; a health condition scores customers with the stored churn model.
    static func eligible(_ store: any Store, _ e: ExperimentDefinition, context: MetricContext, asOf: Day? = nil) throws
        -> [Int64: String]
    {
        var eligible = ExperimentData.eligible(e, context: context, asOf: asOf ?? context.inputs.dataThrough)
        guard !e.eligibility.health.isEmpty else { return eligible }
        let model: TrainedModel
        do { model = try PredictionService.model(store: store, kind: "churn") } catch is PredictionService.NoModel {
            throw Problem(
                parameter: "--eligible",
                reason: "health needs the churn model; train it first: fulcrum model train churn")
        }
        let month = min(e.start.month.adding(-1), context.lastCompleteMonth(atOrBefore: context.dataMonth))
        let bands = Set(e.eligibility.health.map { $0.replacingOccurrences(of: "-", with: " ") })
        let healthy = Set(
            try PredictionService.churnRisks(store: store, model: model, month: month).risks.filter {
                bands.contains($0.band)
            }.map(\.accountId))
        eligible = eligible.filter { healthy.contains($0.key) }
        return eligible
    }

    /// The design for an experiment: baseline, sample size, eligible accounts and flow.
    public static func design(_ store: any Store, _ e: ExperimentDefinition, context: MetricContext) throws
        -> ExperimentDesign
    {
        let through = context.inputs.dataThrough
        let eligible = try eligible(store, e, context: context)
        // The baseline: the same experiment one window earlier — accounts eligible at that earlier start
        // (so a churn baseline is not measured on accounts that by definition survived it).
        var earlier = e
        earlier.plannedEnd = min(e.start, through) - 1
        earlier.start = earlier.plannedEnd - (e.plannedEnd - e.start)
        let before = try self.eligible(store, earlier, context: context, asOf: earlier.start)
        let baseline = try ExperimentData.baseline(earlier, context: context, eligible: Array(before.keys))
        let yearAgo = through - 365
        let created = context.inputs.accounts.filter { eligible[$0.id] != nil && $0.createdOn > yearAgo }.count
        return ExperimentDesign.make(
            e, baseline: baseline, eligibleNow: eligible.count, monthlyFlow: Double(created) / 12)
    }

    /// Stores a new experiment after checking it can be analyzed; returns its design.
    public static func create(_ store: any Store, _ e: ExperimentDefinition) throws -> ExperimentDesign {
        guard e.arms.count >= 2 else {
            throw Problem(parameter: "--arms", reason: "needs at least two arms (the first is control)")
        }
        guard Set(e.arms.map(\.name)).count == e.arms.count else {
            throw Problem(parameter: "--arms", reason: "arm names must differ")
        }
        guard e.plannedEnd > e.start else {
            throw Problem(parameter: "--end", reason: "\(e.plannedEnd.iso) is not after --start \(e.start.iso)")
        }
        let context = try context(store)
        let design = try design(store, e, context: context)
        guard design.eligibleNow > 0 else {
            throw Problem(parameter: "--eligible", reason: "no account meets the eligibility conditions")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try store.createExperiment(
            name: e.name, createdOn: e.createdOn.iso, json: String(decoding: try encoder.encode(e), as: UTF8.self))
        return design
    }

    /// An assigned account, for the CSV sales and marketing act on.
    public struct AssignedAccount: Sendable, Encodable {
        public var experiment: String
        public var accountId: Int64
        public var account: String
        public var segment: String
        public var stratum: String
        public var arm: String
        public var owner: String
        public var ownerEmail: String
        public var new: Bool
    }

    /// Assigns every eligible account not yet assigned; returns all assignments (new ones marked).
    public static func assign(_ store: any Store, name: String) throws -> [AssignedAccount] {
        let e = try definition(store, name: name)
        let context = try context(store)
        let through = context.inputs.dataThrough
        let eligible = try eligible(store, e, context: context)
        let existing = try store.experimentAssignments(name)
        let fresh = ExperimentAssignment.assign(experiment: e, eligible: eligible, existing: existing)
        if !fresh.isEmpty { try store.addExperimentAssignments(name, fresh, on: through.iso) }
        let newIds = Set(fresh.map(\.accountId))
        var reps: [Int64: Rep] = [:]
        for r in context.inputs.reps { reps[r.id] = r }
        return (existing + fresh).map { entry in
            let account = context.account(entry.accountId)
            let rep = account?.ownerRepId.flatMap { reps[$0] }
            return AssignedAccount(
                experiment: name, accountId: entry.accountId, account: account?.name ?? "",
                segment: account?.segment ?? "",
                stratum: entry.stratum, arm: entry.arm, owner: rep?.name ?? "", ownerEmail: rep?.email ?? "",
                new: newIds.contains(entry.accountId))
        }.sorted { ($0.arm, $0.owner, $0.accountId) < ($1.arm, $1.owner, $1.accountId) }
    }

    /// Where an experiment stands: its design, assignment per arm and the sample-ratio check.
    public struct Status: Sendable, Encodable {
        public var experiment: ExperimentDefinition
        public var design: ExperimentDesign
        public var dataThrough: String
        public var informationFraction: Double
        public var assigned: [String: Int]
        public var srm: ExperimentStatistics.SampleRatioTest?
        public var phase: String
    }

    public static func status(_ store: any Store, name: String) throws -> Status {
        let e = try definition(store, name: name)
        let context = try context(store)
        let through = context.inputs.dataThrough
        let entries = try store.experimentAssignments(name)
        var assigned: [String: Int] = [:]
        for arm in e.arms { assigned[arm.name] = 0 }
        for entry in entries { assigned[entry.arm, default: 0] += 1 }
        let srm =
            entries.isEmpty
            ? nil
            : ExperimentStatistics.sampleRatio(
                counts: e.arms.map { assigned[$0.name] ?? 0 }, weights: e.arms.map(\.weight))
        return Status(
            experiment: e, design: try design(store, e, context: context), dataThrough: through.iso,
            informationFraction: e.informationFraction(through: through), assigned: assigned, srm: srm,
            phase: phase(e, through: through))
    }

    static func phase(_ e: ExperimentDefinition, through: Day) -> String {
        if through < e.start { return "not started" }
        return through >= e.plannedEnd ? "complete" : "running"
    }

    /// The analysis of a stored experiment over its window, with the call its design allows.
    public struct Result: Sendable, Encodable {
        public var experiment: String
        public var hypothesis: String
        public var window: String
        public var dataThrough: String
        public var informationFraction: Double
        public var design: String
        /// The α this look may spend (the full α at the end of a fixed-horizon test; the spending function's share at a sequential look).
        public var alphaThisLook: Double
        public var analysis: ExperimentAnalysis
        /// `significant`, `not significant`, `too early` (fixed horizon before its end), `continue` (a sequential look below its boundary).
        public var decision: String
        public var reading: String
        public var guardrails: [Guardrail]
    }

    public struct Guardrail: Sendable, Encodable {
        public var metric: String
        public var arm: String
        public var harmed: Bool
        public var reading: String
    }

    public static func analyze(_ store: any Store, name: String) throws -> Result {
        let e = try definition(store, name: name)
        let context = try context(store)
        let through = context.inputs.dataThrough
        guard through >= e.start else {
            throw Problem(parameter: "NAME", reason: "'\(name)' starts \(e.start.iso), after the data (\(through.iso))")
        }
        let entries = try store.experimentAssignments(name)
        guard !entries.isEmpty else {
            throw Problem(
                parameter: "NAME", reason: "'\(name)' has no assigned accounts yet: fulcrum experiment assign \(name)")
        }
        let window = e.window(through: through)
        let length = window.upperBound - window.lowerBound
        let preWindow = (e.start - 1 - length)...(e.start - 1)
        let metrics = [e.primaryMetric] + e.guardrails.filter { $0 != e.primaryMetric }
        let ids = entries.map(\.accountId)
        var values: [[Int64: Double?]] = []
        var pre: [[Int64: Double?]] = []
        for m in metrics {
            values.append(try ExperimentData.outcomes(m, accounts: ids, window: window, context: context))
            pre.append(try ExperimentData.outcomes(m, accounts: ids, window: preWindow, context: context))
        }
        let rows = entries.map { entry in
            ExperimentAnalysis.Row(
                arm: entry.arm, stratum: entry.stratum, values: values.map { $0[entry.accountId] ?? nil },
                pre: pre.map { $0[entry.accountId] ?? nil })
        }
        let analysis = try ExperimentAnalysis.run(
            rows: rows, metrics: metrics.map(\.rawValue), arms: e.arms.map(\.name), control: e.control,
            weights: e.arms.map(\.weight), alpha: e.alpha)
        let t = e.informationFraction(through: through)
        var alphaNow = e.alpha
        var design = "fixed horizon, α = \(e.alpha), to \(e.plannedEnd.iso)"
        if e.sequential != .none {
            let k = max(1, Int((t * Double(e.looks)).rounded(.down)))
            alphaNow = e.sequential.nominal(
                at: Double(k) / Double(e.looks), previous: Double(k - 1) / Double(e.looks), alpha: e.alpha)
            design = "sequential (\(e.sequential.rawValue) alpha spending, \(e.looks) looks), look \(k)"
        }
        func f(_ v: Double) -> String { String(format: "%.4f", v) }
        let primary = analysis.comparisons.filter { $0.metric == e.primaryMetric.rawValue }
        let best = primary.min { $0.pValue < $1.pValue }!
        let decision: String
        var reading: String
        if analysis.srm.mismatch {
            decision = "invalid"
            reading =
                "sample-ratio mismatch (p = \(f(best.srm.pValue))): the arms' sizes do not match the planned allocation, so assignment or tracking is broken; fix it before reading any result"
        } else if e.sequential == .none && through < e.plannedEnd {
            decision = "too early"
            reading =
                "fixed-horizon design: no call before \(e.plannedEnd.iso) (data through \(through.iso), \(Int((t * 100).rounded()))% of the window); the numbers are for monitoring only — stopping on them would inflate false positives"
        } else if best.pValue < alphaNow {
            decision = "significant"
            reading =
                "\(best.arm) moves \(e.primaryMetric.rawValue) by \(f(best.difference)) [\(f(best.ciLow)), \(f(best.ciHigh))] against \(best.control) (p = \(f(best.pValue)) < \(f(alphaNow)))"
        } else {
            decision = e.sequential != .none && through < e.plannedEnd ? "continue" : "not significant"
            reading =
                decision == "continue"
                ? "below this look's boundary (p = \(f(best.pValue)) ≥ \(f(alphaNow))): continue to the next look"
                : "no effect shown at α = \(f(alphaNow)) (p = \(f(best.pValue))); the interval [\(f(best.ciLow)), \(f(best.ciHigh))] bounds the effect"
        }
        var guardrails: [Guardrail] = []
        for g in e.guardrails {
            for c in analysis.comparisons where c.metric == g.rawValue {
                let harmed = g.higherIsWorse ? c.ciLow > 0 : c.ciHigh < 0
                guardrails.append(
                    Guardrail(
                        metric: g.rawValue, arm: c.arm, harmed: harmed,
                        reading: harmed
                            ? "\(c.arm) worsens \(g.rawValue): \(f(c.difference)) [\(f(c.ciLow)), \(f(c.ciHigh))]"
                            : "no harm shown on \(g.rawValue): \(f(c.difference)) [\(f(c.ciLow)), \(f(c.ciHigh))]"))
            }
        }
        return Result(
            experiment: name, hypothesis: e.hypothesis, window: "\(window.lowerBound.iso)…\(window.upperBound.iso)",
            dataThrough: through.iso, informationFraction: t, design: design, alphaThisLook: alphaNow,
            analysis: analysis, decision: decision, reading: reading, guardrails: guardrails)
    }
}
