import Testing

@testable import FulcrumCore

/// Discounts, status treatment and churn recognition.
@Suite struct LedgerPolicyTests {
    func mrrSeries(
        _ subs: [RevenueSubscription], _ from: String, _ to: String,
        settings: RevenueSettings = RevenueSettings()
    ) throws -> [Int64] {
        try computeLedger(subscriptions: subs, settings: settings, from: month(from), to: month(to)).months.map(\.mrr)
    }

    @Test func repeatingDiscountExpiryIsExpansion() throws {
        // 100.00/month, 20% off for 3 months from Jan 1 → applies on [Jan 1, Apr 1).
        // Jan–Mar: 10000 × 0.8 = 8000. Apr: 10000 → expansion +2000.
        var sub = monthly(1, account: 1, "2024-01-01", amount: 10000)
        sub.discount = Discount(value: .percentOff(20), duration: .repeating(months: 3), start: day("2024-01-01"))
        let l = try computeLedger(subscriptions: [sub], from: month("2024-01"), to: month("2024-05"))
        #expect(l.months.map(\.mrr) == [8000, 8000, 8000, 10000, 10000])
        #expect(l.months[3].expansion == 2000 && l.months[3].new == 0)
    }

    @Test func onceDiscountHasNoEffect() throws {
        var sub = monthly(1, account: 1, "2024-01-01", amount: 10000)
        sub.discount = Discount(value: .percentOff(50), duration: .once, start: day("2024-01-01"))
        #expect(try mrrSeries([sub], "2024-01", "2024-02") == [10000, 10000])
    }

    @Test func amountOffIsPerIntervalAndFlooredAtZero() throws {
        // Forever 15.00 off a 100.00 monthly → 8500.
        var off = monthly(1, account: 1, "2024-01-01", amount: 10000)
        off.discount = Discount(value: .amountOffMinor(1500), duration: .forever, start: day("2024-01-01"))
        #expect(try mrrSeries([off], "2024-01", "2024-01") == [8500])
        // Annual 1200.00 with 120.00 off each year → (120000 − 12000) / 12 = 9000.
        var annual = RevenueSubscription(
            id: 2, accountId: 2, start: day("2024-01-01"), interval: .year, amountMinor: 120000)
        annual.discount = Discount(value: .amountOffMinor(12000), duration: .forever, start: day("2024-01-01"))
        #expect(try mrrSeries([annual], "2024-01", "2024-01") == [9000])
        // 200.00 off a 100.00 plan floors at 0: never a customer.
        var free = monthly(3, account: 3, "2024-01-01", amount: 10000)
        free.discount = Discount(value: .amountOffMinor(20000), duration: .forever, start: day("2024-01-01"))
        let l = try computeLedger(subscriptions: [free], from: month("2024-01"), to: month("2024-01"))
        #expect(l.months[0].customers == 0)
    }

    @Test func discountStartingMidwayIsContraction() throws {
        // 10% forever from Feb 10 on 100.00 → Feb: 9000, contraction −1000.
        var sub = monthly(1, account: 1, "2024-01-01", amount: 10000)
        sub.discount = Discount(value: .percentOff(10), duration: .forever, start: day("2024-02-10"))
        let l = try computeLedger(subscriptions: [sub], from: month("2024-01"), to: month("2024-02"))
        #expect(l.months[1].contraction == -1000 && l.months[1].mrr == 9000)
    }

    @Test func pastDueCountsPausedIsExcludedByDefault() throws {
        // Past due Feb 10 → Mar 5 covers Feb 29: still counts (10000).
        // Paused Apr 20 → May 10 covers Apr 30: excluded → April churn −10000, May reactivation +10000.
        var sub = monthly(1, account: 1, "2024-01-01", amount: 10000)
        sub.statusPeriods = [
            StatusPeriod(from: day("2024-02-10"), to: day("2024-03-05"), status: .pastDue),
            StatusPeriod(from: day("2024-04-20"), to: day("2024-05-10"), status: .paused),
        ]
        let l = try computeLedger(subscriptions: [sub], from: month("2024-01"), to: month("2024-05"))
        #expect(l.months.map(\.mrr) == [10000, 10000, 10000, 0, 10000])
        #expect(l.months[3].churn == -10000 && l.months[4].reactivation == 10000)

        // Counting paused too removes both movements.
        let lenient = RevenueSettings(statusTreatment: StatusTreatment(paused: .counts))
        #expect(try mrrSeries([sub], "2024-01", "2024-05", settings: lenient) == [10000, 10000, 10000, 10000, 10000])
        // Excluding past due drops February.
        let strict = RevenueSettings(statusTreatment: StatusTreatment(pastDue: .excluded))
        #expect(try mrrSeries([sub], "2024-01", "2024-05", settings: strict) == [10000, 0, 10000, 0, 10000])
    }

    @Test func unpaidIsExcludedByDefaultAndOpenEndedStatusLasts() throws {
        var sub = monthly(1, account: 1, "2024-01-01", amount: 10000)
        sub.statusPeriods = [StatusPeriod(from: day("2024-02-15"), to: nil, status: .unpaid)]
        #expect(try mrrSeries([sub], "2024-01", "2024-03") == [10000, 0, 0])
    }

    @Test func churnRecognitionShiftsTheChurnMonth() throws {
        // Cancelled Feb 10, paid through Mar 31 (end Apr 1).
        // endOfPaidPeriod: Jan–Mar count, churn in April. cancelDate: Jan counts, churn in February.
        var sub = monthly(1, account: 1, "2024-01-01", end: "2024-04-01", amount: 10000)
        sub.canceledAt = day("2024-02-10")
        let paid = try computeLedger(subscriptions: [sub], from: month("2024-01"), to: month("2024-04"))
        #expect(paid.months.map(\.churn) == [0, 0, 0, -10000])
        let cancel = try computeLedger(
            subscriptions: [sub], settings: RevenueSettings(churnRecognition: .cancelDate),
            from: month("2024-01"), to: month("2024-04"))
        #expect(cancel.months.map(\.churn) == [0, -10000, 0, 0])
        // A cancellation that is not yet effective (end still nil) stops counting at canceledAt under cancelDate only.
        var open = monthly(2, account: 2, "2024-01-01", amount: 10000)
        open.canceledAt = day("2024-03-15")
        #expect(try mrrSeries([open], "2024-01", "2024-04") == [10000, 10000, 10000, 10000])
        #expect(
            try mrrSeries([open], "2024-01", "2024-04", settings: RevenueSettings(churnRecognition: .cancelDate)) == [
                10000, 10000, 0, 0,
            ])
    }
}
