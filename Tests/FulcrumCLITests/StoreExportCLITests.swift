import Foundation
import Testing

/// `fulcrum store export`: the whole store as canonical CSV, the same files from either backend, and files
/// that `fulcrum import` turns back into the same store.
@Suite("fulcrum store export")
struct StoreExportCLITests {
    /// Every file of a folder, by name.
    static func files(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return files
    }

    @Test("the same files as `demo --export`, on every backend; imported back, exported again, byte for byte")
    func exportMatchesAndRoundTrips() throws {
        let folder = try scratchFolder()
        let demo = try CLI.run(["demo", "--store", folder + "/demo.sqlite", "--export", folder + "/demo-csv"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let expected = try Self.files(folder + "/demo-csv")
        #expect(expected["touches.csv"].map { $0.count > 100_000 } == true && expected.count > 20)
        // The shared stores hold the same company (the small demo, seed 1), so the same files.
        for backend in Backend.available {
            let store = backend.sharedDemo
            let out = folder + "/\(backend.rawValue)-csv"
            let export = try CLI.run(["store", "export", "--store", store, "--to", out])
            #expect(export.status == 0, "\(backend): \(export.stderr)")
            #expect(export.stdout == "Exported \(expected.count) tables to \(out)\n")
            let written = try Self.files(out)
            #expect(written.keys.sorted() == expected.keys.sorted(), "\(backend)")
            for (name, data) in expected where written[name] != data {
                Issue.record("\(backend): \(name) differs from the demo export")
            }
        }
        let imported = try CLI.run(["import", "--store", folder + "/imported.sqlite", folder + "/demo-csv"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let again = try CLI.run(["store", "export", "--store", folder + "/imported.sqlite", "--to", folder + "/again"])
        #expect(again.status == 0, "\(again.stderr)")
        let roundTrip = try Self.files(folder + "/again")
        #expect(roundTrip["usage_daily.csv"] == expected["usage_daily.csv"])
        // Imported rows keep every value; they now come from the source `canonical` under their old id. (Not
        // touches: the import's identity pass gives an anonymous touch its person's account.)
        for name in ["accounts.csv", "subscriptions.csv", "invoices.csv", "payments.csv"] {
            let before = String(decoding: expected[name] ?? Data(), as: UTF8.self).split(separator: "\n")
            let after = String(decoding: roundTrip[name] ?? Data(), as: UTF8.self).split(separator: "\n")
            #expect(before.count == after.count && before.first == after.first, "\(name)")
            for (old, new) in zip(before.dropFirst(), after.dropFirst()) {
                let id = old.prefix { $0 != "," }
                guard old.hasSuffix(",demo,"), new == old.dropLast(",demo,".count) + ",canonical,\(id)" else {
                    Issue.record("\(name): \(old) → \(new)")
                    break
                }
            }
        }
    }

    @Test("a target that is a file, or a missing store, is an error naming it; nothing is written")
    func badTargets() throws {
        let folder = try scratchFolder()
        try "x".write(toFile: folder + "/file", atomically: true, encoding: .utf8)
        let onFile = try CLI.run(["store", "export", "--store", sharedDemoStore, "--to", folder + "/file"])
        #expect(onFile.status == 1)
        #expect(onFile.stderr == "fulcrum: error: --to \(folder)/file: exists and is not a folder\n")
        let missing = try CLI.run(["store", "export", "--store", folder + "/none.sqlite", "--to", folder + "/out"])
        #expect(missing.status == 1 && missing.stderr.contains("none.sqlite"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/none.sqlite"))
        let noTarget = try CLI.run(["store", "export", "--store", sharedDemoStore])
        #expect(noTarget.status == 64 && noTarget.stderr.contains("--to"), "\(noTarget.stderr)")
    }
}
