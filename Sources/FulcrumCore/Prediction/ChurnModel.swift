/// The churn and expansion models on the store: the account-month panel, an out-of-time split, both
/// algorithms, the better kept. Rows: every paying customer at each month-end whose next three months
/// are over; label: churned (the MRR ledger's churn movement), or expanded, within them.
public enum ChurnModel {
    public static let kind = "churn"
    /// The kinds trained on the customer panel.
    public static let kinds = AccountFeatures.Outcome.allCases.map(\.rawValue)
    /// The last twelve labelled months are the test set.
    public static let testMonths = 12
    /// Training rows beyond this many use every second or third month-end instead of each.
    public static let rowBudget = 400_000

    public struct Outcome: Sendable {
        public var models: [TrainedModel]
        public var best: TrainedModel
        public var panel: AccountFeatures.Panel
        public var train: [Int]
        public var test: [Int]
        /// Months between prediction dates (1 = every month-end).
        public var step: Int
        public var drivers: [ModelInsight.FeatureWeight]
    }

    public enum Problem: Error, CustomStringConvertible {
        case tooLittleHistory(months: Int)
        case oneClass(String, String)
        public var description: String {
            switch self {
            case .tooLittleHistory(let months):
                "model: \(months) month(s) of paying customers with a known outcome; at least \(ChurnModel.testMonths + 12) are needed (a year to learn from after the gap, a year to test on)"
            case .oneClass(let which, let outcome):
                "\(outcome) model: the \(which) rows hold no \(outcome), or nothing but \(outcome)"
            }
        }
    }

    public static func train(
        _ context: MetricContext, createdOn: String, outcome: AccountFeatures.Outcome = .churn,
        algorithms: [TrainedModel.Algorithm] = TrainedModel.Algorithm.allCases
    ) throws -> Outcome {
        let lastLabelled = context.lastCompleteMonth(atOrBefore: context.dataMonth).adding(
            -AccountFeatures.horizonMonths)
        guard let firstPaid = context.firstPaidMonth.values.min(), firstPaid <= lastLabelled else {
            throw Problem.tooLittleHistory(months: 0)
        }
        let span = firstPaid.distance(to: lastLabelled) + 1
        guard span >= testMonths + 12 else { throw Problem.tooLittleHistory(months: span) }
        let testStart = lastLabelled.adding(-(testMonths - 1))
        // Training labels must end before the test months begin: a gap of the horizon.
        let trainEnd = testStart.adding(-(AccountFeatures.horizonMonths + 1))
        var paying = 0
        for e in context.ledger.accountMRR where e.mrrMinor > 0 && e.month <= trainEnd { paying += 1 }
        let step = max(1, Int((Double(paying) / Double(rowBudget)).rounded(.up)))
        var months: [Month] = []
        var m = trainEnd
        while m >= firstPaid {
            months.append(m)
            m = m.adding(-step)
        }
        months += (0..<testMonths).map { testStart.adding($0) }
        let panel = AccountFeatures.build(context, months: months, outcome: outcome)
        var train: [Int] = []
        var test: [Int] = []
        for i in 0..<panel.rowCount where !panel.y[i].isNaN {
            if panel.months[i] >= testStart { test.append(i) } else { train.append(i) }
        }
        for (rows, name) in [(train, "training"), (test, "test")] {
            let positives = rows.lazy.filter { panel.y[$0] == 1 }.count
            if positives == 0 || positives == rows.count { throw Problem.oneClass(name, outcome.rawValue) }
        }
        let encoder = FeatureEncoder(columns: panel.names.map { .numeric(name: $0, missingIndicator: false) })
        let window =
            "trained on month-ends \(months.filter { $0 <= trainEnd }.min()!.iso)…\(trainEnd.iso)"
            + (step > 1 ? " (every \(step) months)" : "") + "; tested on \(testStart.iso)…\(lastLabelled.iso)"
        let result = ModelTrainer.train(
            kind: outcome.rawValue,
            target: "\(outcome == .churn ? "churned" : "expanded") within \(AccountFeatures.horizonMonths) months",
            encoder: encoder,
            x: panel.x, y: panel.y, train: train, test: test, algorithms: algorithms, trainingWindow: window,
            validation:
                "out of time: the last \(testMonths) month-ends with a known outcome; training labels end before them",
            createdOn: createdOn)
        let drivers = algorithms.isEmpty ? [] : ModelInsight.drivers(result.best, x: panel.x, y: panel.y, rows: test)
        return Outcome(
            models: result.models, best: result.best, panel: panel, train: train, test: test, step: step,
            drivers: drivers)
    }
}
