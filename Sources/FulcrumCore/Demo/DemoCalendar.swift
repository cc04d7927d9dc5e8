/// The demo company's time frame and the seasonality of its demand.
public enum DemoCalendar {
    /// First day of recorded history.
    public static let start = Day(2017, 1, 1)
    /// Data is complete through this day ("data through"); nothing is generated after it.
    public static let asOf = Day(2026, 10, 31)
    public static var firstMonth: Month { start.month }
    public static var lastMonth: Month { asOf.month }
    public static var months: [Month] { Array(firstMonth...lastMonth) }

    /// Relative lead volume by calendar month: strong Q1 and autumn, a summer dip, a quiet December.
    public static let seasonality: [Double] = [1.15, 1.10, 1.10, 1.00, 1.00, 0.95, 0.80, 0.75, 1.05, 1.10, 1.00, 0.85]
    /// Monthly growth of new-account volume (about 15% a year).
    public static let monthlyGrowth = 0.012

    /// Cumulative weights for drawing an account's creation month.
    static let creationWeights: [Double] = {
        var total = 0.0
        return months.enumerated().map { i, m in
            total += seasonality[m.month - 1] * Math.exp(monthlyGrowth * Double(i))
            return total
        }
    }()

    static func drawCreationDay(_ rng: inout SeededRandom) -> Day {
        let weights = creationWeights
        let x = rng.unit() * weights[weights.count - 1]
        var lo = 0
        var hi = weights.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if weights[mid] > x { hi = mid } else { lo = mid + 1 }
        }
        let month = firstMonth.adding(lo)
        return month.firstDay + rng.int(0...(month.dayCount - 1))
    }
}
