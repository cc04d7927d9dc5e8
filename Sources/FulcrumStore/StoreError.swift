/// A store failure with a stable code and the path it concerns, so the CLI can
/// print one line a person can act on.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String {
            case cannotOpen, notAStore, newerSchema, notEmpty, writeFailed, notFound, refused, busy
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// The path cannot be created or opened (missing folder, permissions).
        public static let cannotOpen = Code(.cannotOpen)
        /// The file exists but is not a Fulcrum store (not SQLite, or corrupt).
        public static let notAStore = Code(.notAStore)
        /// The store was written by a newer Fulcrum.
        public static let newerSchema = Code(.newerSchema)
        /// The store holds data that an operation would replace.
        public static let notEmpty = Code(.notEmpty)
        public static let writeFailed = Code(.writeFailed)
        public static let notFound = Code(.notFound)
        /// The request is understood but not allowed (merging an account into itself,
        /// a parent with its subsidiary, undoing a merge that never happened).
        public static let refused = Code(.refused)
        /// Another process holds the store's write lock longer than the wait allows.
        public static let busy = Code(.busy)
        public var description: String { base.rawValue }
    }

    public var code: Code
    public var path: String
    public var reason: String

    public init(_ code: Code, path: String, reason: String) {
        self.code = code
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
