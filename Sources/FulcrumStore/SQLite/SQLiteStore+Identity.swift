import Foundation
import FulcrumCore

/// One row of `account_merges`: the audit trail behind `accounts.merged_into`.
public struct AccountMerge: Hashable, Sendable, Codable {
    public var id: Int64
    public var winnerId: Int64
    public var loserId: Int64
    public var mergedAt: String
    public var actor: String
    public var reason: String
    /// JSON: the duplicate score and evidence at the time of the merge.
    public var evidence: String?
    public var undoneAt: String?
    /// Who undid the merge (`fulcrum accounts unmerge --actor`), nil while it stands.
    public var undoneBy: String?
}

/// Identity on the SQLite store: the shared queries (`IdentityQueries`) in a read or a write transaction.
extension SQLiteStore {
    public func identityAccounts() throws -> [IdentityAccount] { try query { try $0.identityAccounts() } }

    public func accountMerges() throws -> [AccountMerge] { try query { try $0.merges(where: "1 = 1", []) } }

    public func unmatchedRecords(limit: Int? = nil) throws -> UnmatchedReport {
        try query { try $0.unmatchedRecords(limit: limit) }
    }

    @discardableResult
    public func mergeAccount(
        _ loserId: Int64, into winnerId: Int64, actor: String, reason: String? = nil,
        at instant: Timestamp = SQLiteStore.now()
    ) throws -> AccountMerge {
        try identityWrite { try $0.mergeAccount(loserId, into: winnerId, actor: actor, reason: reason, at: instant) }
    }

    @discardableResult
    public func unmergeAccount(_ accountId: Int64, actor: String, at instant: Timestamp = SQLiteStore.now()) throws
        -> AccountMerge
    {
        try identityWrite { try $0.unmergeAccount(accountId, actor: actor, at: instant) }
    }

    /// The current instant, to the second.
    public static func now() -> Timestamp { Timestamp(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))) }

    private func identityWrite<T>(_ body: (StoreQueries<SQLiteRunner>) throws -> T) throws -> T {
        try write { db in try body(StoreQueries(runner: SQLiteRunner(db: db, location: location))) }
    }
}

/// One record without an account, and why.
public struct UnmatchedRecord: Hashable, Sendable, Codable {
    /// `people`, `touches`, `activities` or `opportunities` without an account, or any table holding a
    /// reference to a record the store does not hold yet (`unresolved_reference`).
    public var table: String
    /// The store's id, and the record's own id in the system it came from (what a user can look up there).
    public var id: Int64
    public var source: String
    public var externalId: String?
    public var personId: Int64?
    public var email: String?
    public var companyName: String?
    /// A stable code (`free_mail_domain`, `ambiguous_name`, `no_candidate`, `matchable`, …).
    public var reasonCode: String
    public var reason: String
}

/// Every record without an account, counted by table and reason, and the first ones of each table.
public struct UnmatchedReport: Sendable, Encodable {
    public struct Count: Hashable, Sendable, Codable {
        public var table: String
        public var reasonCode: String
        public var count: Int
    }
    /// Counts by table and reason code, in table order then by count (largest first).
    public var counts: [Count] {
        tally.map { Count(table: $0.key.table, reasonCode: $0.key.code, count: $0.value) }.sorted {
            let order = ["people": 0, "touches": 1, "activities": 2, "opportunities": 3]
            return (order[$0.table] ?? 9, -$0.count, $0.reasonCode) < (order[$1.table] ?? 9, -$1.count, $1.reasonCode)
        }
    }
    /// Records per table: the first `limit` of each (by id).
    public var records: [UnmatchedRecord] = []
    public var total: Int { tally.values.reduce(0, +) }

    private struct Key: Hashable, Sendable {
        var table: String
        var code: String
    }
    private var tally: [Key: Int] = [:]
    private var listed: [String: Int] = [:]

    mutating func add(_ record: UnmatchedRecord, limit: Int?) {
        tally[Key(table: record.table, code: record.reasonCode), default: 0] += 1
        if limit.map({ listed[record.table, default: 0] < $0 }) ?? true {
            records.append(record)
            listed[record.table, default: 0] += 1
        }
    }

    private enum CodingKeys: String, CodingKey { case counts, records, total }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(counts, forKey: .counts)
        try c.encode(total, forKey: .total)
        try c.encode(records, forKey: .records)
    }
    public init() {}
}
