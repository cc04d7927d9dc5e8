/// Accumulators per slice and period, the shape every lifecycle report fills: one row per period
/// (and slice value when `--by` is given), in period order within sorted slice values.
struct PeriodGrid<Acc> {
    let periods: [Period]
    private let firstMonth: Month
    private let periodOfOffset: [Int]
    private var keyIndex: [String: Int] = [:]
    private var rows: [[Acc]] = []
    private let empty: Acc
    /// The last key updated and its row: consecutive updates of one slice skip the dictionary.
    private var lastKey: String?
    private var lastRow = 0

    init(periods: [Period], sliced: Bool, empty: Acc) {
        self.periods = periods
        self.empty = empty
        firstMonth = periods.first?.first ?? Month(index: 0)
        var offsets: [Int] = []
        for (i, p) in periods.enumerated() {
            for m in p.months {
                let o = firstMonth.distance(to: m)
                while offsets.count < o { offsets.append(-1) }
                offsets.append(i)
            }
        }
        periodOfOffset = offsets
        if !sliced { _ = row(for: "") }
    }

    /// The period holding `month`, nil outside the report's range.
    @inline(__always)
    func period(of month: Month) -> Int? {
        let o = firstMonth.distance(to: month)
        guard o >= 0, o < periodOfOffset.count, periodOfOffset[o] >= 0 else { return nil }
        return periodOfOffset[o]
    }

    /// The row of a slice, made when new: a caller updating millions of records keeps it per record key
    /// (`update(row:…)`) rather than spelling and hashing the slice's text each time.
    mutating func row(for key: String) -> Int {
        if let lastKey, lastKey == key { return lastRow }
        let r: Int
        if let existing = keyIndex[key] {
            r = existing
        } else {
            r = rows.count
            keyIndex[key] = r
            rows.append(Array(repeating: empty, count: periods.count))
        }
        lastKey = key
        lastRow = r
        return r
    }

    mutating func update(_ key: String, _ period: Int, _ body: (inout Acc) -> Void) {
        update(row: row(for: key), period, body)
    }

    mutating func update(row r: Int, _ period: Int, _ body: (inout Acc) -> Void) {
        body(&rows[r][period])
    }

    /// The accumulators of a slice, one per period; nil for a slice never updated.
    func values(_ key: String) -> [Acc]? { keyIndex[key].map { rows[$0] } }

    var keys: [String] { keyIndex.keys.sorted() }
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
