import Testing

@testable import FulcrumCore

/// Churn rates, quick ratio and ARPA from a hand-built two-month book.
@Suite struct LedgerRatesTests {
    @Test func ratesFromTheBridge() throws {
        // Jan: A 10000, B 5000, C 5000 → all new, MRR 20000, 3 customers.
        // Feb: A → 12000 (+2000), B churns (−5000), C → 3000 (−2000), D new 4000.
        // Feb bridge: 20000 + 4000 + 2000 − 2000 − 5000 = 19000, 3 customers (A, C, D).
        var a = monthly(1, account: 1, "2024-01-01", amount: 10000)
        a.phases.append(PricePhase(from: day("2024-02-01"), amountMinor: 12000))
        var c = monthly(3, account: 3, "2024-01-01", amount: 5000)
        c.phases.append(PricePhase(from: day("2024-02-01"), amountMinor: 3000))
        let subs = [
            a, monthly(2, account: 2, "2024-01-01", end: "2024-02-01", amount: 5000), c,
            monthly(4, account: 4, "2024-02-01", amount: 4000),
        ]
        let l = try computeLedger(subscriptions: subs, from: month("2024-01"), to: month("2024-02"))
        let feb = try #require(l.row(for: month("2024-02")))
        #expect(feb.openingMRR == 20000 && feb.new == 4000 && feb.expansion == 2000)
        #expect(feb.contraction == -2000 && feb.churn == -5000 && feb.mrr == 19000 && feb.customers == 3)
        // Logo churn 1/3; gross (5000 + 2000)/20000 = 0.35; net (7000 − 2000)/20000 = 0.25;
        // quick (4000 + 2000)/7000 = 6/7; ARPA 19000/3.
        #expect(feb.logoChurnRate == 1.0 / 3.0)
        #expect(feb.grossMRRChurnRate == 0.35)
        #expect(feb.netMRRChurnRate == 0.25)
        #expect(feb.quickRatio == 6000.0 / 7000.0)
        #expect(feb.arpa == 19000.0 / 3.0)
        #expect(l.arpa(in: month("2024-02")) == feb.arpa)
        // January has no opening book and no losses: those ratios are undefined.
        #expect(l.logoChurnRate(in: month("2024-01")) == nil)
        #expect(l.grossMRRChurnRate(in: month("2024-01")) == nil)
        #expect(l.quickRatio(in: month("2024-01")) == nil)
        #expect(l.netMRRChurnRate(in: month("2024-03")) == nil)
    }
}
