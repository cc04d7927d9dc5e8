import Testing
@testable import FulcrumCore

/// Row counts of every table, summed over the batches of a run.
struct BatchTally {
    var counts: [String: Int] = [:]
    var fingerprint: UInt64 = 1469598103934665603

    mutating func add(_ batch: DemoBatch) {
        let tables: [(String, Int)] = [
            ("teams", batch.teams.count), ("reps", batch.reps.count), ("campaigns", batch.campaigns.count),
            ("fx_rates", batch.fxRates.count), ("accounts", batch.accounts.count), ("people", batch.people.count),
            ("touches", batch.touches.count), ("opportunities", batch.opportunities.count),
            ("opportunity_stages", batch.stageChanges.count), ("activities", batch.activities.count),
            ("subscriptions", batch.subscriptions.count), ("subscription_changes", batch.subscriptionChanges.count),
            ("subscription_status_periods", batch.statusPeriods.count), ("invoices", batch.invoices.count),
            ("invoice_lines", batch.invoiceLines.count), ("payments", batch.payments.count), ("tickets", batch.tickets.count),
            ("usage_daily", batch.usage.count), ("survey_responses", batch.surveys.count), ("referrals", batch.referrals.count),
            ("custom_fields", batch.customFields.count), ("spend", batch.spend.count), ("targets", batch.targets.count),
        ]
        for (name, n) in tables { counts[name, default: 0] += n }
        for a in batch.accounts { mix(a.hashValue &+ 0) ; mix(a.name.count) }
        for s in batch.subscriptions { mix(Int(s.amountMinor)); mix(s.startedOn.ordinal); mix(s.endedOn?.ordinal ?? -1) }
        for s in batch.spend { mix(Int(s.amountMinor)) }
        for t in batch.touches { mix(Int(t.occurredAt.seconds)) }
        for o in batch.opportunities { mix(Int(o.amountMinor)); mix(o.isWon ? 1 : 0) }
    }

    private mutating func mix(_ v: Int) {
        fingerprint = (fingerprint ^ UInt64(bitPattern: Int64(v))) &* 1099511628211
    }
}

@Suite("Demo company generator")
struct DemoGeneratorTests {
    @Test("small company prints its counts")
    func smallCounts() throws {
        var tally = BatchTally()
        var subs: [Subscription] = []
        var accts: [Account] = []
        let truth = DemoCompanyGenerator(size: .small, seed: 42).generate { tally.add($0); subs += $0.subscriptions; accts += $0.accounts }
        let paid = subs.filter { $0.trialEndOn == nil || ($0.endedOn.map { $0 > $0 } ?? true) }
        let custs = Set(paid.filter { s in s.trialEndOn.map { t in s.endedOn.map { $0 > t } ?? true } ?? true }.map(\.accountId))
        print("customers", custs.count, "subs", subs.count, "core", subs.filter { $0.product == "Core" }.count)
        for seg in ["Tech", "Telecom", "Consulting"] {
            let ids = Set(accts.filter { $0.segment == seg }.map(\.id))
            print(seg, ids.count, custs.intersection(ids).count)
        }
        print(tally.counts.sorted { $0.key < $1.key })
        print(truth.counts, truth.duplicatePairs.count, truth.selfServeCustomers, truth.reactivations)
    }
}
