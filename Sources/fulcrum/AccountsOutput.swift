import ArgumentParser
import Foundation

/// Output formats of the `fulcrum accounts` identity subcommands.
enum AccountsFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

/// Small output helpers shared by the identity subcommands.
enum AccountsOutput {
    /// Pretty, key-sorted JSON on standard output.
    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Who is acting: `--actor`, else $USER, else `cli`.
    static func actor(_ given: String?) -> String {
        if let given, !given.trimmingCharacters(in: .whitespaces).isEmpty { return given }
        let user = ProcessInfo.processInfo.environment["USER"] ?? ""
        return user.isEmpty ? "cli" : user
    }
}
