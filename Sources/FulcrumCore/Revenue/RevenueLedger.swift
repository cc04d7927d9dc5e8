/// The result of running the MRR engine over a month range.
public struct RevenueLedger: Sendable, Hashable, Codable {
    public var reportingCurrency: String
    public var from: Month
    public var to: Month
    /// One row per month in `from...to`, in order.
    public var months: [MonthlyMovements]
    /// Non-zero account MRR, sorted by account then month.
    public var accountMRR: [AccountMonthMRR]
    /// Non-zero account movements (churn, new and reactivation rows always), sorted by account then month.
    public var movements: [AccountMovement]

    public init(
        reportingCurrency: String, from: Month, to: Month, months: [MonthlyMovements],
        accountMRR: [AccountMonthMRR], movements: [AccountMovement]
    ) {
        self.reportingCurrency = reportingCurrency
        self.from = from
        self.to = to
        self.months = months
        self.accountMRR = accountMRR
        self.movements = movements
    }

    /// The bridge row for `month`, or nil outside the range.
    public func row(for month: Month) -> MonthlyMovements? {
        guard from <= month, month <= to else { return nil }
        return months[from.distance(to: month)]
    }

    /// An account's MRR at the end of `month` (zero when absent from the sparse table).
    public func mrr(account: Int64, month: Month) -> Int64 {
        var lo = 0
        var hi = accountMRR.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let e = accountMRR[mid]
            if (e.accountId, e.month.index) < (account, month.index) { lo = mid + 1 } else { hi = mid }
        }
        guard lo < accountMRR.count, accountMRR[lo].accountId == account, accountMRR[lo].month == month else {
            return 0
        }
        return accountMRR[lo].mrrMinor
    }

    /// All movement rows of one account, oldest first.
    public func movements(account: Int64) -> [AccountMovement] {
        var lo = 0
        var hi = movements.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if movements[mid].accountId < account { lo = mid + 1 } else { hi = mid }
        }
        var out: [AccountMovement] = []
        while lo < movements.count, movements[lo].accountId == account {
            out.append(movements[lo])
            lo += 1
        }
        return out
    }
}
