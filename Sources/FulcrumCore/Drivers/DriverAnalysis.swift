/// Driver analysis: how much each activity moves an objective, estimated on account panels with the
/// activity measured before the outcome (the lag), controlling for segment, size and season. Linear
/// probability models with cluster-robust errors: the effect reads directly in the objective's units
/// (percentage points of its rate), which is what a team asks ("a demo adds how many wins per 100 deals?").
///
/// The estimates are associations in observational data. Each driver gets a plain reading that says
/// when the data cannot support a causal claim; docs/drivers.md explains the method.
public enum DriverAnalysis {
    /// Exposures below this count (on either side) are too few to estimate.
    public static let minimumExposed = 30

    /// Fits every panel and ranks its drivers by the strength of evidence (|z|).
    public static func run(_ panels: [DriverPanel]) -> [DriverObjectiveResult] {
        panels.map(fit)
    }

    /// One objective: the regression, the intervals, Holm-adjusted p-values and a reading per driver.
    public static func fit(_ panel: DriverPanel) -> DriverObjectiveResult {
        let n = panel.outcomes.count
        let drivers = panel.drivers.indices.filter { d in
            // A driver that never varies cannot be estimated; it is listed with a note instead.
            let values = panel.driverValues[d]
            guard let first = values.first else { return false }
            return values.contains { $0 != first }
        }
        let controls = panel.controls.indices.filter { c in
            let values = panel.controlValues[c]
            guard let first = values.first else { return false }
            return values.contains { $0 != first }
        }
        let k = 1 + drivers.count + controls.count
        var x = [Double](repeating: 0, count: n * k)
        for i in 0..<n {
            let base = i * k
            x[base] = 1
            for (j, d) in drivers.enumerated() { x[base + 1 + j] = panel.driverValues[d][i] }
            for (j, c) in controls.enumerated() { x[base + 1 + drivers.count + j] = panel.controlValues[c][i] }
        }
        let model =
            n > k
            ? ClusteredLeastSquares.fit(x: x, columns: k, y: panel.outcomes, cluster: panel.clusters) : nil
        let baseline = n > 0 ? panel.outcomes.reduce(0, +) / Double(n) : 0

        var estimates: [DriverEstimate] = []
        for (d, spec) in panel.drivers.enumerated() {
            let values = panel.driverValues[d]
            let exposed = values.lazy.filter { $0 > 0 }.count
            var exposedAccounts = Set<Int64>()
            var unexposedAccounts = Set<Int64>()
            for i in 0..<n {
                if values[i] > 0 {
                    exposedAccounts.insert(panel.clusters[i])
                } else {
                    unexposedAccounts.insert(panel.clusters[i])
                }
            }
            var e = DriverEstimate(
                driver: spec.id, label: spec.label, kind: spec.kind, measure: spec.measure, exposed: exposed,
                unexposed: n - exposed)
            e.binary = spec.measure == "with vs without"
            e.exposedAccounts = exposedAccounts.count
            e.unexposedAccounts = unexposedAccounts.count
            if let j = drivers.firstIndex(of: d), let model, !model.aliased[1 + j],
                let se = model.standardErrors[1 + j], se > 0
            {
                let b = model.coefficients[1 + j]
                e.effect = b
                e.low = b - StandardNormal.z975 * se
                e.high = b + StandardNormal.z975 * se
                e.standardError = se
                e.z = b / se
                e.p = StandardNormal.twoSidedP(b / se)
                e.relative = baseline > 0 ? b / baseline : nil
            }
            estimates.append(e)
        }
        holm(&estimates)
        for i in estimates.indices { estimates[i].reading = reading(estimates[i], objective: panel.objective) }
        // Evidence first: estimable drivers with enough accounts by |z|, then the thin ones, then the rest.
        func tier(_ e: DriverEstimate) -> Int { e.z == nil ? 2 : tooFew(e) ? 1 : 0 }
        estimates.sort { a, b in
            if tier(a) != tier(b) { return tier(a) < tier(b) }
            let za = abs(a.z ?? 0)
            let zb = abs(b.z ?? 0)
            return za != zb ? za > zb : a.driver < b.driver
        }
        for i in estimates.indices { estimates[i].rank = i + 1 }
        var notes = panel.notes
        notes.append(
            "Observational data: the estimates control for \(panel.controlNames.joined(separator: ", ")) only. Rep "
                + "skill, deal quality and anything else that drives both an activity and the outcome can bias them; "
                + "before acting on a driver, test it with an experiment on a subset of accounts.")
        if let model, model.aliased.contains(true) {
            let dropped = model.aliased.indices.filter { model.aliased[$0] && $0 > 0 }.map { column -> String in
                column <= drivers.count
                    ? panel.drivers[drivers[column - 1]].id : panel.controls[controls[column - 1 - drivers.count]]
            }
            if !dropped.isEmpty {
                notes.append(
                    "Left out as a combination of other columns: \(dropped.joined(separator: ", ")).")
            }
        }
        return DriverObjectiveResult(
            objective: panel.objective.id, name: panel.objective.name, unit: panel.objective.unit,
            outcome: panel.objective.outcome, window: panel.objective.window, rows: n,
            clusters: model?.clusters ?? Set(panel.clusters).count, baseline: baseline,
            controls: panel.controlNames, drivers: estimates, notes: notes)
    }

    /// Holm's step-down adjustment over the estimable drivers of one objective (family-wise 5%).
    static func holm(_ estimates: inout [DriverEstimate]) {
        let order = estimates.indices.filter { estimates[$0].p != nil && !tooFew(estimates[$0]) }.sorted {
            estimates[$0].p! < estimates[$1].p!
        }
        let m = order.count
        var running = 0.0
        for (rank, i) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * estimates[i].p!))
            estimates[i].adjustedP = running
            estimates[i].significant = running < 0.05
        }
    }

    /// Too few accounts on one side for the estimate to count as evidence (it is shown, never called significant).
    static func tooFew(_ e: DriverEstimate) -> Bool {
        e.exposedAccounts < minimumExposed || (e.binary && e.unexposedAccounts < minimumExposed)
    }

    /// What the estimate supports, in a sentence.
    static func reading(_ e: DriverEstimate, objective: DriverObjective) -> String {
        // Counted in accounts: rows of one account are not independent evidence.
        if e.exposedAccounts < minimumExposed {
            return "too few accounts with it (\(e.exposedAccounts)) to estimate"
        }
        // A 1/0 driver needs both sides; a count can vary among the exposed.
        if e.binary, e.unexposedAccounts < minimumExposed {
            return "too few accounts without it (\(e.unexposedAccounts)) to estimate"
        }
        guard let effect = e.effect else { return "no variation left after the controls: not estimable" }
        guard e.significant else { return "no effect detectable at 95% (after Holm's correction)" }
        let direction = effect > 0 ? "raises" : "lowers"
        switch e.kind {
        case .signal:
            return "\(direction) \(objective.name) as a warning sign: customer behaviour that goes with the outcome, "
                + "not something a team does — it predicts, it does not cause"
        case .action:
            return "\(direction) \(objective.name) after controls; an association, not proof of cause — "
                + "test it with an experiment on a subset of accounts"
        }
    }
}

/// What an objective measures, in words a report can print.
public struct DriverObjective: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    /// The unit of one panel row ("lead", "deal", "customer-quarter").
    public var unit: String
    /// The outcome a row scores 1 for.
    public var outcome: String
    /// When the drivers are measured, relative to the outcome.
    public var window: String

    public init(id: String, name: String, unit: String, outcome: String, window: String) {
        self.id = id
        self.name = name
        self.unit = unit
        self.outcome = outcome
        self.window = window
    }
}

/// One candidate driver of a panel.
public struct DriverSpec: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Something a team does (a demo, a fast reply, a webinar).
        case action
        /// Customer behaviour that accompanies an outcome (tickets before churn): it predicts, it is no lever.
        case signal
    }
    public var id: String
    public var label: String
    public var kind: Kind
    /// How the driver is measured: "with vs without" (1/0) or "per touch" (a count).
    public var measure: String

    public init(id: String, label: String, kind: Kind, measure: String) {
        self.id = id
        self.label = label
        self.kind = kind
        self.measure = measure
    }
}

/// An account panel ready to fit: one outcome (1/0) per row, drivers and controls as columns,
/// and the account of each row for the clustered errors.
public struct DriverPanel: Sendable {
    public var objective: DriverObjective
    public var drivers: [DriverSpec]
    public var driverValues: [[Double]]
    /// Control columns (dummies and numbers) and the names of the control groups they come from.
    public var controls: [String]
    public var controlValues: [[Double]]
    public var controlNames: [String]
    public var outcomes: [Double]
    public var clusters: [Int64]
    public var notes: [String] = []

    public init(objective: DriverObjective, drivers: [DriverSpec], controlNames: [String]) {
        self.objective = objective
        self.drivers = drivers
        self.driverValues = drivers.map { _ in [] }
        self.controls = []
        self.controlValues = []
        self.controlNames = controlNames
        self.outcomes = []
        self.clusters = []
    }
}

/// One driver's estimate: the effect on the objective's rate (a fraction: 0.05 is +5 percentage points)
/// per unit of the driver, its 95% interval, and what it supports.
public struct DriverEstimate: Sendable, Hashable, Codable {
    public var rank = 0
    public var driver: String
    public var label: String
    public var kind: DriverSpec.Kind
    public var measure: String
    /// Rows with the driver (> 0) and without.
    public var exposed: Int
    public var unexposed: Int
    public var effect: Double?
    public var low: Double?
    public var high: Double?
    public var standardError: Double?
    /// The effect relative to the objective's baseline rate (0.5 = half as often again).
    public var relative: Double?
    public var z: Double?
    public var p: Double?
    public var adjustedP: Double?
    public var significant = false
    /// A 1/0 driver (with vs without) rather than a count.
    public var binary = false
    /// Distinct accounts with rows with and without the driver (the evidence that counts).
    public var exposedAccounts = 0
    public var unexposedAccounts = 0
    public var reading = ""

    public init(driver: String, label: String, kind: DriverSpec.Kind, measure: String, exposed: Int, unexposed: Int) {
        self.driver = driver
        self.label = label
        self.kind = kind
        self.measure = measure
        self.exposed = exposed
        self.unexposed = unexposed
    }
}

/// One objective's fitted drivers, ranked.
public struct DriverObjectiveResult: Sendable, Hashable, Codable {
    public var objective: String
    public var name: String
    public var unit: String
    public var outcome: String
    public var window: String
    public var rows: Int
    public var clusters: Int
    /// The objective's rate over all rows.
    public var baseline: Double
    public var controls: [String]
    public var drivers: [DriverEstimate]
    public var notes: [String]
}

/// A touch reduced to what the driver panels read: whose, what and when.
public struct AccountTouch: Sendable, Hashable {
    public var accountId: Int64
    public var kind: Touch.Kind
    public var at: Timestamp

    public init(accountId: Int64, kind: Touch.Kind, at: Timestamp) {
        self.accountId = accountId
        self.kind = kind
        self.at = at
    }
}
