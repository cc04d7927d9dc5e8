import Foundation
import FulcrumCore
import FulcrumStore

/// One account with everything behind it: the profile (MRR history with movements, subscriptions,
/// deals, tickets), every source record merged into it, and its engagement. `fulcrum accounts show
/// --format json` prints it and the API's account route returns it, from this one builder.
public struct AccountDetail: Sendable, Encodable {
    public var account: AccountProfile
    public var records: [AccountSourceRecord]
    public var people: Int
    public var touches: Int
    public var firstTouch: String?
    public var lastTouch: String?
    /// The latest events of every stovepipe (touches, activities, deals, subscriptions, payments, tickets,
    /// surveys, usage), newest first, at most `timelineLength`.
    public var timeline: [TimelineEvent]

    public static let timelineLength = 50

    /// What a report context must hold for `build` (the `accounts-ltv` report's inputs for LTV and CAC).
    public static let needs: Set<MetricInputs.Need> = [.billing, .opportunities, .reps, .tickets, .spend, .collected]

    /// The detail of surviving account `id` (a merged record's id gives its survivor); nil when no such account.
    /// `ltv`: the `accounts-ltv` table (every account) when the caller holds it already.
    public static func build(store: any Store, context: MetricContext, account id: Int64, ltv: ReportTable? = nil)
        throws -> AccountDetail?
    {
        let survivor = context.resolver.resolve(id)
        guard let profile = AccountProfile.build(context, account: survivor, ltv: ltv) else { return nil }
        let records = try store.accountRecords(of: survivor)
        let engagement = try store.engagement(of: records.map(\.id))
        return AccountDetail(
            account: profile, records: records, people: engagement.people, touches: engagement.touches,
            firstTouch: engagement.first, lastTouch: engagement.last,
            timeline: try store.timeline(of: records.map(\.id), limit: timelineLength))
    }

    /// What a text names: one surviving account, none, or several (store id, source:external_id,
    /// external id, domain or part of a name).
    public enum Match: Sendable, Equatable {
        case one(Int64)
        case none
        case several([Int64])
    }

    public static func find(_ text: String, store: any Store, context: MetricContext) throws -> Match {
        let matches = try store.findAccounts(text, limit: 500)
        let survivors = Array(Set(matches.map { context.resolver.resolve($0.id) })).sorted()
        switch survivors.count {
        case 0: return .none
        case 1: return .one(survivors[0])
        default: return .several(survivors)
        }
    }

    /// Pretty, key-sorted JSON (the CLI's and the API's bytes are the same).
    public func json() throws -> String {
        try ServiceJSON.encode(self)
    }
}

/// The JSON encoding every Encodable answer uses: pretty, keys sorted, slashes plain.
public enum ServiceJSON {
    /// `snakeCase` names fields as the reports' columns are named (`revenue_to_date`).
    public static func encode(_ value: some Encodable, snakeCase: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
