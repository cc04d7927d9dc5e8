import Foundation
import Testing

@Suite("fulcrum import")
struct ImportCLITests {
    @Test(
        "the demo company exported as canonical CSV and imported back gives the same numbers in every report; a second import changes nothing"
    )
    func demoRoundTrip() throws {
        let folder = try scratchFolder()
        let demo = try CLI.run([
            "demo", "--store", folder + "/demo.sqlite", "--export", folder + "/csv", "--format", "json",
        ])
        #expect(demo.status == 0, "stderr: \(demo.stderr)")
        let imported = try CLI.run(["import", "--store", folder + "/imported.sqlite", folder + "/csv"])
        #expect(imported.status == 0, "stderr: \(imported.stderr)")
        #expect(imported.stdout.contains("Source 'canonical': data through 2026-10-31"), "\(imported.stdout)")
        let original = try CLI.run(["report", "headline", "--store", folder + "/demo.sqlite", "--format", "json"])
        let copy = try CLI.run(["report", "headline", "--store", folder + "/imported.sqlite", "--format", "json"])
        #expect(copy.status == 0, "stderr: \(copy.stderr)")
        #expect(!original.stdout.isEmpty && original.stdout == copy.stdout)

        // Every report, cell for cell, once the generated store has had the same identity pass the import ran.
        let resolved = try CLI.run(["accounts", "resolve", "--store", folder + "/demo.sqlite"])
        #expect(resolved.status == 0, "stderr: \(resolved.stderr)")
        let reports = [
            "mrr-movements", "mrr", "customers", "churn", "retention", "cohorts-logo", "cohorts-revenue", "cac",
            "unit-economics", "segment-economics", "growth", "velocity", "trials", "accounts-ltv",
        ]
        for report in reports {
            let a = try CLI.run(["report", report, "--store", folder + "/demo.sqlite", "--format", "csv"])
            let b = try CLI.run(["report", report, "--store", folder + "/imported.sqlite", "--format", "csv"])
            #expect(a.status == 0 && b.status == 0, "\(report): \(a.stderr) \(b.stderr)")
            #expect(a.stdout.count > 40 && a.stdout == b.stdout, "\(report) differs after export and import")
        }

        let again = try CLI.run(["import", "--store", folder + "/imported.sqlite", "--format", "json", folder + "/csv"])
        #expect(again.status == 0, "stderr: \(again.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as! [String: Any]
        let files = summary["files"] as! [[String: Any]]
        #expect(files.count == 24)
        for file in files {
            #expect(file["inserted"] as? Int == 0 && file["updated"] as? Int == 0, "\(file)")
            #expect(file["unchanged"] as? Int == file["read"] as? Int, "\(file)")
        }
    }

    @Test("bad input: one line per problem with file:line:column, exit 1, nothing written")
    func badInput() throws {
        let folder = try scratchFolder()
        let csv = folder + "/accounts.csv"
        try Data("id,name,created_on\nA,Alpha,2024-01-01\nB,Beta,yesterday\n".utf8).write(to: URL(fileURLWithPath: csv))
        let result = try CLI.run(["import", "--store", folder + "/s.sqlite", csv])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(csv):3:8: created_on: "), "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "fulcrum: error: import failed with 1 problem; no store was created at \(folder)/s.sqlite"),
            "\(result.stderr)")
        #expect(
            !result.stderr.contains("inserted"),
            "a rolled-back import shows rows read and rejected, not rows it did not keep: \(result.stderr)")
        #expect(
            !FileManager.default.fileExists(atPath: folder + "/s.sqlite"),
            "a failed first import leaves no empty store behind")
        #expect(!FileManager.default.fileExists(atPath: folder + "/s.sqlite-wal"))

        // Into an existing store: nothing written, the store stays.
        let good = folder + "/good/accounts.csv"
        try FileManager.default.createDirectory(atPath: folder + "/good", withIntermediateDirectories: true)
        try Data("id,name,created_on\nG,Gamma,2024-01-01\n".utf8).write(to: URL(fileURLWithPath: good))
        #expect(try CLI.run(["import", "--store", folder + "/s.sqlite", good]).status == 0)
        let again = try CLI.run(["import", "--store", folder + "/s.sqlite", csv])
        #expect(again.status == 1)
        #expect(
            again.stderr.contains(
                "fulcrum: error: import failed with 1 problem; nothing was written to \(folder)/s.sqlite"),
            "\(again.stderr)")
        let status = try CLI.run(["status", "--store", folder + "/s.sqlite", "--format", "json"])
        let tables =
            (try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["tables"]
            as? [String: Any]
        #expect(tables?["accounts"] as? Int == 1, "only the good import's account: \(status.stdout)")

        let unknown = try CLI.run(["import", "--source", "sap", csv])
        #expect(unknown.status == 64, "argument errors keep argument-parser's exit code")
        let missing = try CLI.run(["import", "--store", folder + "/s.sqlite", folder + "/nope.csv"])
        #expect(
            missing.status == 1 && missing.stderr.contains("\(folder)/nope.csv:1:1: no such file or folder"),
            "\(missing.stderr)")
        // A workbook saved from Excel (a zip) where a CSV belongs: named as such, whatever its extension.
        try Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]).write(to: URL(fileURLWithPath: folder + "/deals.csv"))
        let workbook = try CLI.run([
            "import", "--store", folder + "/s.sqlite", "--source", "hubspot", folder + "/deals.csv",
        ])
        #expect(
            workbook.status == 1
                && workbook.stderr.hasPrefix("\(folder)/deals.csv:1:1: a spreadsheet workbook, not CSV"),
            "\(workbook.stderr)")
    }

    @Test(
        "an import killed with SIGKILL in the middle leaves the store exactly as it was; readers meanwhile see the old state",
        arguments: Backend.available)
    func killedImport(_ backend: Backend) throws {
        let folder = try scratchFolder()
        let store = try backend.freshStore(in: folder)
        try Data("id,name,created_on\nA,Alpha,2024-01-01\n".utf8).write(
            to: URL(fileURLWithPath: folder + "/accounts.csv"))
        #expect(try CLI.run(["import", "--store", store, folder + "/accounts.csv"]).status == 0)
        // Enough rows that the import is still running when it is killed.
        var text = "id,account_id,kind,channel,occurred_at\n"
        text.reserveCapacity(40 * 400_000)
        for i in 0..<400_000 { text += "T\(i),A,visit,Organic,2024-01-01T10:00:00Z\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/touches.csv"))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["import", "--store", store, folder + "/touches.csv"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the import is writing — into SQLite's write-ahead log, or (PostgreSQL) its COPY into the
        // server's tables, the last step of a staged import — then kill it.
        let deadline = Date().addingTimeInterval(120)
        var readsDuringImport: [Int] = []
        while Date() < deadline, process.isRunning {
            if backend == .sqlite {
                let size = (try? FileManager.default.attributesOfItem(atPath: store + "-wal")[.size] as? Int) ?? 0
                if size > 2_000_000 { break }
            } else {
                // The staged import's last step: one transaction on the server that replaces the rows (it holds
                // a transaction id from its first DELETE until COMMIT).
                let writing = try Backend.psql(
                    store,
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL"
                )
                if writing.stdout == "1\n" { break }
                // A reader while the import runs sees the store before it.
                if readsDuringImport.count < 5 {
                    let status = try CLI.run(["status", "--store", store, "--format", "json"])
                    readsDuringImport.append(try Self.counts(status.stdout)?["touches"] ?? -1)
                }
                continue
            }
            usleep(20_000)
        }
        #expect(process.isRunning, "the import finished before it could be killed; make the file bigger")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(readsDuringImport.allSatisfy { $0 == 0 }, "\(readsDuringImport)")

        let status = try CLI.run(["status", "--store", store, "--format", "json"])
        #expect(status.status == 0, "\(status.stderr)")
        let counts = try Self.counts(status.stdout)
        #expect(counts?["touches"] == 0, "\(status.stdout)")
        #expect(counts?["accounts"] == 1, "\(status.stdout)")
        if backend == .sqlite {
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            check.arguments = [store, "PRAGMA integrity_check;"]
            let out = Pipe()
            check.standardOutput = out
            try check.run()
            check.waitUntilExit()
            #expect(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "ok\n")
        }
        // The same import run to the end lands whole; readers polling meanwhile see all of it or none.
        let again = Process()
        again.executableURL = URL(fileURLWithPath: CLI.binary)
        again.arguments = ["import", "--store", store, folder + "/touches.csv"]
        again.standardOutput = FileHandle.nullDevice
        again.standardError = FileHandle.nullDevice
        try again.run()
        var seen: Set<Int> = []
        while again.isRunning {
            let poll = try CLI.run(["status", "--store", store, "--format", "json"])
            if poll.status == 0 { seen.insert(try Self.counts(poll.stdout)?["touches"] ?? -1) }
        }
        again.waitUntilExit()
        #expect(again.terminationStatus == 0)
        #expect(seen.isSubset(of: [0, 400_000]), "a reader saw part of an import: \(seen.sorted())")
        #expect(
            try Self.counts(CLI.run(["status", "--store", store, "--format", "json"]).stdout)?["touches"] == 400_000)
    }

    static func counts(_ statusJSON: String) throws -> [String: Int]? {
        (try JSONSerialization.jsonObject(with: Data(statusJSON.utf8)) as? [String: Any])?["tables"] as? [String: Int]
    }
}

@Suite("fulcrum import progress")
struct ImportProgressTests {
    @Test("a progress bar with rows/s and time left on a terminal, nothing extra in a pipe")
    func progressOnlyOnTerminal() throws {
        let folder = try scratchFolder()
        var text = "id,name,created_on\n"
        for i in 0..<120_000 { text += "A\(i),Company \(i),2024-01-01\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/accounts.csv"))
        let piped = try CLI.run(["import", "--store", folder + "/piped.sqlite", folder + "/accounts.csv"])
        #expect(piped.status == 0)
        #expect(piped.stderr.isEmpty, "quiet in pipes: \(piped.stderr)")

        // script(1) gives the importer a pseudo-terminal, as an interactive shell would.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = [
            "-qec", "'\(CLI.binary)' import --store '\(folder)/tty.sqlite' '\(folder)/accounts.csv'", "/dev/null",
        ]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let terminal = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(terminal.contains("accounts.csv: 50,000 rows, "), "\(terminal)")
        #expect(terminal.contains(" rows/s"))
        #expect(terminal.contains(" s left"))
    }
}
