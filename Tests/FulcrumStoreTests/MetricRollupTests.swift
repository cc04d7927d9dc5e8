import FulcrumCore
import Testing

@testable import FulcrumStore

/// The store roll-ups behind revenue to date and the campaign dimension.
@Suite("Store roll-ups for metrics")
struct MetricRollupTests {
    func payment(
        _ id: Int64, _ day: Day, _ minor: Int64, currency: String = "EUR", status: String = "succeeded",
        refunded: Int64 = 0
    ) -> Payment {
        var p = Payment()
        p.id = id
        p.accountId = 1
        p.paidAt = Timestamp(day: day, hour: 23, minute: 59)
        p.amountMinor = minor
        p.currency = currency
        p.status = status
        p.refundedMinor = refunded
        return p
    }

    @Test("collected revenue: succeeded less refunded, failed left out, per account, month and currency")
    func collected() throws {
        let store = try SQLiteStore.inMemory()
        var batch = handmadeBatch()
        batch.payments = [
            payment(1, Day(2024, 2, 9), 1_080_000),  // succeeded in full
            payment(2, Day(2024, 2, 28), 50_000, refunded: 20_000),  // partly refunded
            payment(3, Day(2024, 3, 1), 1_080_000, status: "failed"),  // collects nothing
            payment(4, Day(2024, 3, 5), 1_080_000, status: "refunded", refunded: 1_080_000),  // refunded in full
            payment(5, Day(2024, 3, 31), 7_000, currency: "USD"),
            payment(6, Day(2024, 4, 1), 9_000, status: "refunded", refunded: 4_000),  // refund of part, marked refunded
        ]
        try store.write { db in try SQLiteStore.insert(batch, source: "test", into: db) }
        let rows = try store.collectedRevenue()
        #expect(
            rows == [
                CollectedRevenue(accountId: 1, month: Month(2024, 2), currency: "EUR", amountMinor: 1_080_000 + 30_000),
                CollectedRevenue(accountId: 1, month: Month(2024, 3), currency: "EUR", amountMinor: 0),
                CollectedRevenue(accountId: 1, month: Month(2024, 3), currency: "USD", amountMinor: 7_000),
                CollectedRevenue(accountId: 1, month: Month(2024, 4), currency: "EUR", amountMinor: 5_000),
            ])
    }

    @Test("first campaign touch per account (earliest, ties by touch id) and campaigns read back")
    func campaignTouches() throws {
        let store = try SQLiteStore.inMemory()
        var batch = handmadeBatch()
        var early = Touch()
        early.id = 2
        early.accountId = 1
        early.personId = 1
        early.kind = .visit
        early.channel = "Organic Search"
        early.occurredAt = Timestamp(day: Day(2024, 1, 2), hour: 8)
        var tie = Touch()
        tie.id = 3
        tie.accountId = 1
        tie.personId = 1
        tie.campaignId = 1
        tie.kind = .adClick
        tie.channel = "Webinar"
        tie.occurredAt = early.occurredAt
        var other = Touch()
        other.id = 4
        other.accountId = 2
        other.campaignId = 1
        other.kind = .webinar
        other.channel = "Webinar"
        other.occurredAt = Timestamp(day: Day(2024, 1, 9))
        batch.touches += [tie, early, other]
        try store.write { db in try SQLiteStore.insert(batch, source: "test", into: db) }
        let first = try store.firstCampaignTouches()
        #expect(
            first == [
                AccountInstant(accountId: 1, at: early.occurredAt, campaignId: nil),
                AccountInstant(accountId: 2, at: other.occurredAt, campaignId: 1),
            ])
        let campaigns = try store.campaigns()
        #expect(campaigns.map(\.name) == ["Q1 Webinar"])
        #expect(campaigns.first?.startedOn == Day(2024, 1, 1) && campaigns.first?.channel == "Webinar")
    }
}
