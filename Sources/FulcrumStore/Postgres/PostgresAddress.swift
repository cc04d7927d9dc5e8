import Foundation

/// Where a PostgreSQL store lives: `postgres://USER@HOST:PORT/DB` (or `postgresql://`).
///
/// The password is never part of the address — a command line is visible to every user of the machine and
/// lands in shell histories and logs. It comes from `PGPASSWORD`, else from the password file libpq uses
/// (`PGPASSFILE`, else `~/.pgpass`: lines `host:port:database:user:password`, `*` matching anything).
public struct PostgresAddress: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var host: String
    public var port: Int
    public var database: String

    /// Whether `text` names a PostgreSQL store rather than a file.
    public static func isAddress(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses an address; the error names what is wrong with it (and never echoes a password).
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let schemeEnd = text.range(of: "://"), Self.isAddress(text) else {
            throw StoreError(.cannotOpen, path: "--store", reason: "not a postgres:// address")
        }
        var rest = String(text[schemeEnd.upperBound...])
        if let query = rest.firstIndex(of: "?") { rest = String(rest[..<query]) }
        var userPart: String? = nil
        if let at = rest.lastIndex(of: "@") {
            userPart = String(rest[..<at])
            rest = String(rest[rest.index(after: at)...])
        }
        if let userPart, userPart.contains(":") {
            throw StoreError(
                .cannotOpen, path: "--store",
                reason:
                    "a password in the store address is refused (it would show in process lists and logs); set PGPASSWORD or put it in ~/.pgpass"
            )
        }
        let slash = rest.firstIndex(of: "/")
        let hostPort = slash.map { String(rest[..<$0]) } ?? rest
        let database = slash.map { String(rest[rest.index(after: $0)...]) } ?? ""
        var host = hostPort
        var port = 5432
        if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            guard let p = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(p) else {
                throw StoreError(
                    .cannotOpen, path: "--store",
                    reason: "port '\(hostPort[hostPort.index(after: colon)...])' is not a number from 1 to 65535")
            }
            port = p
        }
        self.host = host.isEmpty ? "localhost" : host
        self.port = port
        self.user =
            (userPart?.removingPercentEncoding).flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        let db = database.removingPercentEncoding ?? database
        self.database = db.isEmpty ? (environment["PGDATABASE"] ?? self.user) : db
    }

    public init(user: String, host: String, port: Int, database: String) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
    }

    /// The address without any secret: what messages and `location` show.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// The password for this address: `PGPASSWORD`, else the first matching password-file line, else none.
    public func password(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let password = environment["PGPASSWORD"] { return password }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let path = environment["PGPASSFILE"] ?? home + "/.pgpass"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = Self.passFileFields(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// A password-file line split at unescaped colons (`\:` and `\\` are literal).
    static func passFileFields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for c in line {
            if escaped {
                current.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == ":" {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }
}
