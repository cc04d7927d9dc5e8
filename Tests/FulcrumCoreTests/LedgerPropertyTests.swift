import Testing

@testable import FulcrumCore

/// Random books checked against a deliberately naive re-implementation of the rules.
@Suite struct LedgerPropertyTests {
    /// Per-day value straight from the rule text, with no precomputation.
    static func naiveValue(_ s: RevenueSubscription, on d: Day, _ settings: RevenueSettings) -> (
        mrr: Int64, trial: Int64
    ) {
        var end = s.end
        if settings.churnRecognition == .cancelDate, let c = s.canceledAt { end = min(c, s.end ?? c) }
        guard s.start <= d, end == nil || d < end! else { return (0, 0) }
        guard let phase = s.phases.filter({ $0.from <= d }).last else { return (0, 0) }
        let excluded = s.statusPeriods.contains { p in
            p.from <= d && (p.to == nil || d < p.to!) && settings.statusTreatment.treatment(of: p.status) == .excluded
        }
        if excluded { return (0, 0) }
        var amount = Double(phase.amountMinor)
        if let disc = s.discount, disc.start <= d {
            let applies: Bool
            switch disc.duration {
            case .once: applies = false
            case .forever: applies = true
            case .repeating(let n): applies = d < disc.start.adding(months: n)
            }
            if applies {
                switch disc.value {
                case .percentOff(let p): amount = max(0, amount * (100 - p) / 100)
                case .amountOffMinor(let off): amount = max(0, amount - Double(off))
                }
            }
        }
        let perYear: Double =
            switch s.interval {
            case .day: 365
            case .week: 52
            case .month: 12
            case .quarter: 4
            case .year: 1
            }
        let monthly = Int64((amount * perYear / (12 * Double(s.intervalCount))).rounded(.toNearestOrAwayFromZero))
        if let t = s.trialEnd, d < t { return (settings.includeTrials ? monthly : 0, monthly) }
        return (monthly, 0)
    }

    static func naiveAccountMRR(
        _ subs: [RevenueSubscription], month m: Month, rateMonth: Month,
        fx: FXTable, _ settings: RevenueSettings
    ) -> Int64 {
        var byCurrency: [String: Int64] = [:]
        for s in subs { byCurrency[s.currency, default: 0] += naiveValue(s, on: m.lastDay, settings).mrr }
        return byCurrency.reduce(0) { total, entry in
            guard entry.value != 0 else { return total }
            if entry.key == "USD" { return total + entry.value }
            let exp = Double(Currency.exponent(of: entry.key))
            let rate = fx.rate(month: rateMonth, currency: entry.key)!
            return total + Int64((Double(entry.value) * (rate * pow10(2 - exp))).rounded(.toNearestOrAwayFromZero))
        }
    }

    static func pow10(_ e: Double) -> Double { e == 1 ? 10 : e == 2 ? 100 : e == -1 ? 0.1 : 1 }

    @Test(arguments: [(UInt64(1), ChurnRecognition.endOfPaidPeriod), (2, .cancelDate), (3, .endOfPaidPeriod)])
    func bridgeAndAccountsMatchTheNaiveRules(seed: UInt64, recognition: ChurnRecognition) throws {
        var book = RandomBook(seed: seed)
        let subs = book.subscriptions(count: 400, accounts: 150, first: day("2022-06-01"), last: day("2024-12-31"))
        let from = month("2023-01")
        let to = month("2024-12")
        let fx = book.fxTable(months: from...to)
        let settings = RevenueSettings(churnRecognition: recognition)
        let l = try computeLedger(subscriptions: subs, settings: settings, fx: fx, from: from, to: to)
        let byAccount = Dictionary(grouping: subs, by: \.accountId)

        #expect(l.months.count == 24)
        for row in l.months {
            #expect(bridgeCloses(row), "bridge broken in \(row.month)")
            let positive = l.accountMRR.filter { $0.month == row.month && $0.mrrMinor > 0 }.count
            #expect(row.customers == positive)
            let drill = l.movements.filter { $0.month == row.month }
            func sum(_ k: MovementKind) -> Int64 { drill.filter { $0.kind == k }.reduce(0) { $0 + $1.amountMinor } }
            #expect(sum(.new) == row.new && sum(.expansion) == row.expansion && sum(.contraction) == row.contraction)
            #expect(
                sum(.churn) == row.churn && sum(.reactivation) == row.reactivation
                    && sum(.fxAdjustment) == row.fxAdjustment)
            #expect(
                row.contraction <= 0 && row.churn <= 0 && row.new >= 0 && row.expansion >= 0 && row.reactivation >= 0)
        }
        for i in 1..<l.months.count { #expect(l.months[i].openingMRR == l.months[i - 1].mrr) }
        // The book must exercise every movement kind, or the checks above prove little.
        for kind in MovementKind.allCases { #expect(l.movements.contains { $0.kind == kind }, "no \(kind) rows") }
        #expect(l.months.contains { $0.trialMRR > 0 })

        for (account, accountSubs) in byAccount {
            var previous = Self.naiveAccountMRR(accountSubs, month: from.adding(-1), rateMonth: from, fx: fx, settings)
            var m = from
            while m <= to {
                let expected = Self.naiveAccountMRR(accountSubs, month: m, rateMonth: m, fx: fx, settings)
                #expect(l.mrr(account: account, month: m) == expected, "account \(account) \(m)")
                let kinds = l.movements(account: account).filter { $0.month == m }.map(\.kind)
                if previous > 0 && expected == 0 { #expect(kinds.contains(.churn)) }
                if previous == 0 && expected > 0 { #expect(kinds.contains(.new) || kinds.contains(.reactivation)) }
                previous = expected
                m = m.adding(1)
            }
            // "new" happens at most once per account, before any reactivation.
            let kinds = l.movements(account: account).map(\.kind)
            #expect(kinds.filter { $0 == .new }.count <= 1)
            if let r = kinds.firstIndex(of: .reactivation), let n = kinds.firstIndex(of: .new) { #expect(n < r) }
        }
    }

    @Test func singleCurrencyBooksHaveNoFXAndPositiveMovementsOnly() throws {
        var book = RandomBook(seed: 42)
        let subs = book.subscriptions(
            count: 300, accounts: 100, first: day("2023-01-01"), last: day("2024-06-30"), rich: false)
        let l = try computeLedger(subscriptions: subs, from: month("2023-01"), to: month("2024-12"))
        #expect(l.months.allSatisfy { $0.fxAdjustment == 0 && bridgeCloses($0) })
        #expect(l.movements.allSatisfy { $0.amountMinor != 0 || $0.kind == .churn })
    }
}
