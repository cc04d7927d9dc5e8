import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumStore

extension Fulcrum {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what a store holds: rows per table, origin, and how far each source's data goes.")

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Output format: table or json.")
        var format: OutputFormat = .table

        struct Snapshot: Encodable {
            var store: String
            var meta: [String: String]
            var sources: [DataSource]
            var tables: [String: Int]
        }

        func run() throws {
            let store = try storeOptions.openStoreForReading()
            let snapshot = try runReportingErrors {
                var meta: [String: String] = [:]
                for key in ["origin", "demo_size", "demo_seed", "data_through"] { meta[key] = try store.metaValue(key) }
                return Snapshot(
                    store: store.location, meta: meta, sources: try store.dataSources(), tables: try store.tableCounts()
                )
            }
            if format == .json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(snapshot), as: UTF8.self))
                return
            }
            print("Store: \(snapshot.store)")
            for key in ["origin", "demo_size", "demo_seed", "data_through"] {
                if let value = snapshot.meta[key] { print("\(key): \(value)") }
            }
            if !snapshot.sources.isEmpty {
                var sources = TextTable(headers: ["source", "data through", "imported at", "rows"])
                for s in snapshot.sources {
                    sources.append([s.source, s.dataThrough ?? "unknown", s.importedAt, Format.grouped(Int64(s.rows))])
                }
                print("")
                print(sources.render())
            }
            var table = TextTable(headers: ["table", "rows"])
            for (name, count) in snapshot.tables.sorted(by: { $0.key < $1.key }) {
                table.append([name, Format.grouped(Int64(count))])
            }
            print("")
            print(table.render())
        }
    }
}
