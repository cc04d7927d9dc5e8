extension SQLiteStore {
    /// Runs the importer's identity pass on the whole store in one transaction: people
    /// without an account are matched (e-mail domain unless free-mail, then a unique
    /// normalized company name), and their touches and activities follow them.
    public func resolveIdentities() throws -> IdentitySummary {
        try writer.write { try IdentityPass.run($0) }
    }
}
