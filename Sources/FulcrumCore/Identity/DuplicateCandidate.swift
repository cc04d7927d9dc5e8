/// Two live account records that look like the same company, with a score in
/// 0...1 and the evidence behind it. `winnerId` is the suggested survivor: the
/// older record (earlier `created_on`, then lower id), since the original is
/// usually the one with the history.
public struct DuplicateCandidate: Hashable, Sendable, Codable {
    public var winnerId: Int64
    public var loserId: Int64
    public var score: Double
    public var evidence: [DuplicateEvidence]

    public init(winnerId: Int64, loserId: Int64, score: Double, evidence: [DuplicateEvidence]) {
        self.winnerId = winnerId
        self.loserId = loserId
        self.score = score
        self.evidence = evidence
    }

    /// The evidence as one line: `same domain acme.com; same name acme; different owners 3, 7`.
    public var summary: String { evidence.map(\.description).joined(separator: "; ") }
}

/// One fact for or against two records being the same company.
public struct DuplicateEvidence: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// Both websites sit on the same registrable domain.
        case sameDomain = "same_domain"
        /// Both have a website and they differ (counts against).
        case differentDomains = "different_domains"
        /// One or both records have no usable website.
        case missingDomain = "missing_domain"
        /// The normalized names are equal.
        case sameName = "same_name"
        /// The normalized names are alike but not equal; `value` is the similarity.
        case similarName = "similar_name"
        /// Owned by the same rep (informational: not scored).
        case sameOwner = "same_owner"
        /// Owned by different reps — how duplicates usually arise (informational: not scored).
        case differentOwners = "different_owners"
    }

    public var kind: Kind
    public var value: String

    public init(_ kind: Kind, _ value: String) {
        self.kind = kind
        self.value = value
    }

    public var description: String {
        switch kind {
        case .sameDomain: "same domain \(value)"
        case .differentDomains: "different domains \(value)"
        case .missingDomain: "no domain on \(value)"
        case .sameName: "same name '\(value)'"
        case .similarName: "similar names (\(value))"
        case .sameOwner: "same owner \(value)"
        case .differentOwners: "different owners \(value)"
        }
    }
}
