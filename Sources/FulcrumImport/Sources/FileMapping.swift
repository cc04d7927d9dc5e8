/// How the files of one export system map onto canonical tables: the rules
/// behind `--source salesforce|hubspot|stripe`, and what a mapping file adds.
public struct SourceMapping: Sendable {
    public var name: String
    public var files: [FileMapping]

    public init(name: String, files: [FileMapping]) {
        self.name = name
        self.files = files
    }

    /// The mappings for a file, by its base name (case and `_`/`-`/space ignored, extension dropped).
    /// One file may feed several tables (a Stripe charges export fills payments only, a Salesforce Lead
    /// export fills people), so several mappings can share a name.
    public func mappings(forFile path: String) -> [FileMapping] {
        let key = FileMapping.normalize(path)
        return files.filter { $0.names.map(FileMapping.normalize).contains(key) }
    }
}

/// One export file → one canonical table.
public struct FileMapping: Sendable {
    /// File base names this mapping applies to (`Account`, `accounts`, `companies`).
    public var names: [String]
    public var table: String
    public var columns: [ColumnRule]
    /// Rows to leave out, e.g. Salesforce rows deleted without a merge.
    public var skip: [RowCondition]
    /// Source columns kept as custom fields (under their own name).
    public var customFields: [String]
    /// Canonical columns read under their own name when the header has them and no rule targets them
    /// (a mapping-file entry for a canonical file only renames what differs).
    public var passThrough: Set<String> = []
    /// Cell values that mean "no value" in this source (Salesforce writes an empty lookup as `000000000000000AAA`).
    public var nullValues: Set<String> = []

    public init(
        names: [String], table: String, columns: [ColumnRule], skip: [RowCondition] = [], customFields: [String] = []
    ) {
        self.names = names
        self.table = table
        self.columns = columns
        self.skip = skip
        self.customFields = customFields
    }

    public static func normalize(_ path: String) -> String {
        var base = Substring(path.split(separator: "/").last ?? Substring(path))
        if let dot = base.lastIndex(of: ".") { base = base[..<dot] }
        return String(base.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " })
    }
}

/// Where a canonical column's value comes from.
public struct ColumnRule: Sendable {
    public var target: String
    /// Source header names to try, first present and non-empty wins (exports differ between API and UI names).
    public var sources: [String]
    public var transform: ValueTransform
    /// Used when no source column has a value.
    public var fallback: String?
    /// Only take the value when this condition holds on the row (e.g. CloseDate only when IsClosed);
    /// when it fails the rule gives nothing, not even its fallback.
    public var when: RowCondition?
    /// The cell names the referenced record (a rep, an account) instead of giving its id.
    public var byName = false

    public init(
        _ target: String, _ sources: [String], _ transform: ValueTransform = .none, fallback: String? = nil,
        when: RowCondition? = nil
    ) {
        self.target = target
        self.sources = sources
        self.transform = transform
        self.fallback = fallback
        self.when = when
    }

    public static func constant(_ target: String, _ value: String) -> ColumnRule {
        ColumnRule(target, [], fallback: value)
    }
}

/// A test on one source column of a row.
public struct RowCondition: Sendable {
    public enum Test: Sendable {
        case equals([String])
        case notEquals([String])
        case empty, notEmpty
        /// The file has (or lacks) this column at all: tells two layouts of one export apart
        /// (Stripe's Dashboard CSVs have `Created (UTC)` and major-unit amounts; its API exports neither).
        case columnPresent, columnAbsent
        /// Any of these columns is present (the condition's own `column` is one of them), or none is.
        case anyColumnPresent([String])
        case noColumnPresent([String])
    }
    public var column: String
    public var test: Test
    public var and: [RowCondition]

    public init(_ column: String, _ test: Test, and: [RowCondition] = []) {
        self.column = column
        self.test = test
        self.and = and
    }

    func holds(_ value: (String) -> String?) -> Bool {
        let v = value(column) ?? ""
        let ok: Bool
        switch test {
        case .equals(let list): ok = list.contains { $0.lowercased() == v.lowercased() }
        case .notEquals(let list): ok = !list.contains { $0.lowercased() == v.lowercased() }
        case .empty: ok = v.isEmpty
        case .notEmpty: ok = !v.isEmpty
        case .columnPresent: ok = value(column) != nil
        case .columnAbsent: ok = value(column) == nil
        case .anyColumnPresent(let names): ok = ([column] + names).contains { value($0) != nil }
        case .noColumnPresent(let names): ok = ([column] + names).allSatisfy { value($0) == nil }
        }
        return ok && and.allSatisfy { $0.holds(value) }
    }
}

/// What to do to a value on its way to the canonical column.
public enum ValueTransform: Sendable {
    case none
    /// Look the value up (case-insensitive); unlisted values pass through, or become `otherwise` when set.
    case map([String: String], otherwise: String?)
    case uppercase
    case lowercase
    /// A website or URL to its host without `www.` (`https://www.Acme.com/about` → `acme.com`).
    case domain
    /// The domain part of an e-mail address.
    case emailDomain
    /// Unix seconds (Stripe) when the text is all digits, else a date as written.
    case epochSeconds
    /// Unix milliseconds (HubSpot) when the text is all digits, else a date as written.
    case epochMilliseconds
    /// A decimal amount in major units (`1,200.50`), converted with the row's currency exponent.
    case majorUnits
    /// Stripe's `unit_amount` × the row's quantity column.
    case timesColumn(String)
    /// A decimal amount in major units × the row's quantity column (Stripe Dashboard: `Amount` × `Quantity`):
    /// converted with the row's currency exponent like `majorUnits`, then multiplied in minor units (exact).
    case majorUnitsTimesColumn(String)
    /// A semicolon-separated list of ids merged into this record (HubSpot): kept as aliases of the row's key.
    case aliases
    /// The first id of a semicolon-separated list (HubSpot's "Associated Company IDs" when a record is
    /// associated with several companies and the export has no "(Primary)" column).
    case firstOfList
}
