/// Accumulators per slice and period, the shape every lifecycle report fills: one row per period
/// (and slice value when `--by` is given), in period order within sorted slice values.
struct PeriodGrid<Acc> {
    let periods: [Period]
    private let periodOfMonth: [Int: Int]
    private(set) var cells: [String: [Acc]] = [:]
    private let empty: Acc

    init(periods: [Period], sliced: Bool, empty: Acc) {
        self.periods = periods
        self.empty = empty
        var index: [Int: Int] = [:]
        for (i, p) in periods.enumerated() { for m in p.months { index[m.index] = i } }
        periodOfMonth = index
        if !sliced { cells[""] = Array(repeating: empty, count: periods.count) }
    }

    /// The period holding `month`, nil outside the report's range.
    func period(of month: Month) -> Int? { periodOfMonth[month.index] }

    mutating func update(_ key: String, _ period: Int, _ body: (inout Acc) -> Void) {
        if cells[key] == nil { cells[key] = Array(repeating: empty, count: periods.count) }
        body(&cells[key]![period])
    }

    var keys: [String] { cells.keys.sorted() }
}

/// Order statistics of durations, for time in stage and response times.
enum Quantile {
    /// The `q` quantile by linear interpolation between order statistics (numpy's default, pandas' `quantile`);
    /// nil for no values.
    static func of(_ values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let position = q * Double(sorted.count - 1)
        let lower = Int(position)
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}

extension ReportTable.Cell {
    static func quantile(_ values: [Double], _ q: Double) -> Self { .optional(Quantile.of(values, q)) }
}

/// Key columns and cells shared by the lifecycle reports: the period, then the slice.
enum LifecycleColumns {
    static func keys(_ query: ReportQuery, extra: [String] = []) -> [ReportTable.Column] {
        RevenueReports.keyColumns(query) + extra.map { .init($0, .text, key: true) }
    }

    static func cells(_ period: Period, _ key: String, _ query: ReportQuery, extra: [String] = []) -> [ReportTable.Cell]
    {
        RevenueReports.keyCells(period, key, query) + extra.map { .text($0) }
    }

    static func ids(_ prefix: String, _ ids: [Int64]) -> [String] { ids.sorted().map { "\(prefix):\($0)" } }
}
