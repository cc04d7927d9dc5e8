/// Why a cohort cannot be fitted with the shifted-beta-geometric model.
public enum SBGFitError: Error, Sendable, Hashable, CustomStringConvertible {
    case tooFewPeriods(count: Int)
    case negativeCount(period: Int, value: Int)
    case increasingCounts(period: Int, previous: Int, value: Int)
    case emptyCohort
    case noChurn(cohortSize: Int)
    case everyoneChurnedInFirstPeriod(cohortSize: Int)

    public var description: String {
        switch self {
        case .tooFewPeriods(let count):
            return
                "Need survivor counts for at least 3 periods (period 0 and two renewals) to estimate the two sBG parameters; got \(count). "
                + "One renewal rate alone cannot separate how much customers differ from how loyal they are on average."
        case .negativeCount(let period, let value):
            return "Survivor count for period \(period) is \(value); counts cannot be negative."
        case .increasingCounts(let period, let previous, let value):
            return "Survivor count rises from \(previous) to \(value) at period \(period); a cohort can only shrink. "
                + "Check that the counts are of the same cohort and that reactivated customers are not re-added."
        case .emptyCohort:
            return "The cohort has no customers at period 0, so there is nothing to fit."
        case .noChurn(let cohortSize):
            return "All \(cohortSize) customers survived every period, so the best fit is a churn probability of zero: "
                + "the maximum-likelihood estimate lies at infinity and no finite α, β describe it. Wait for some churn before fitting."
        case .everyoneChurnedInFirstPeriod(let cohortSize):
            return
                "All \(cohortSize) customers churned in the first period, so the best fit is a churn probability of one "
                + "(β = 0): the estimate lies on the boundary and there is no retention curve to project."
        }
    }
}
