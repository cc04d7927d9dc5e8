/// Generates a realistic, deterministic demo company: the same size and seed
/// give the same rows on every machine. Accounts are generated one at a time
/// from their own random stream and handed to the caller in batches, then the
/// company-wide rows that depend on all accounts (spend, targets) follow.
public struct DemoCompanyGenerator: Sendable {
    public var size: DemoSize
    public var seed: UInt64
    /// Overrides the number of accounts (tests use small numbers); nil = the size's.
    public var accountCount: Int?

    public init(size: DemoSize, seed: UInt64, accountCount: Int? = nil) {
        self.size = size
        self.seed = seed
        self.accountCount = accountCount
    }

    /// Runs the generator, handing each batch of about `batchAccounts` accounts to `emit`.
    @discardableResult
    public func generate(batchAccounts: Int = 250, emit: (DemoBatch) throws -> Void) rethrows -> DemoTruth {
        let count = accountCount ?? size.accounts
        var state = DemoState(seed: seed, accountCount: count)
        var batch = DemoBatch()
        state.emitOrganization(into: &batch)
        for index in 0..<count {
            state.generateAccount(index: index, into: &batch)
            if (index + 1) % batchAccounts == 0 {
                try emit(batch)
                batch = DemoBatch()
            }
        }
        state.emitCompanyLedger(into: &batch)
        try emit(batch)
        return state.truth
    }
}

/// What the generator planted, for tests and docs: the duplicates it made on
/// purpose, the row counts, and each segment's drawn economics.
public struct DemoTruth: Sendable {
    public var counts = DemoCounts()
    /// (original account, duplicate account created by another rep).
    public var duplicatePairs: [(original: Int64, duplicate: Int64)] = []
    /// (parent, subsidiary) pairs that must stay apart.
    public var subsidiaries: [(parent: Int64, child: Int64)] = []
    public var freeMailPeople = 0
    /// (person, the account the person really works for) for free-mail leads, which the demo leaves without
    /// an account: what identity resolution should recover.
    public var freeMailEmployers: [(person: Int64, account: Int64)] = []
    public var selfServeCustomers = 0
    public var reactivations = 0
    public init() {}
}
