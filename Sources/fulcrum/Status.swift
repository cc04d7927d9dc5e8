import ArgumentParser
import FulcrumCore
import FulcrumStore

extension Fulcrum {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show what a store holds: rows per table, origin and data-through date.")

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let store = try storeOptions.openStore()
            let counts = try runReportingErrors { try store.tableCounts() }
            print("Store: \(store.location)")
            for key in ["origin", "demo_size", "demo_seed", "data_through"] {
                if let value = try runReportingErrors({ try store.metaValue(key) }) { print("\(key): \(value)") }
            }
            var table = TextTable(headers: ["table", "rows"])
            for (name, count) in counts.sorted(by: { $0.key < $1.key }) { table.append([name, Format.grouped(Int64(count))]) }
            print("")
            print(table.render())
        }
    }
}
