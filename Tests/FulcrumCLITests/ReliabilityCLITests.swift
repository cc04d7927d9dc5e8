import Foundation
import Testing

/// The store guarantees of docs/import.md, tested on the real binary: reads never write, a killed first
/// import leaves no store, two imports creating one store never meet half-way, pathological values stay cheap.
@Suite("Reliability: the store under reads, kills, races and pathological input")
struct ReliabilityCLITests {
    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func tableCount(_ store: String, _ table: String) throws -> Int? {
        let status = try CLI.run(["status", "--store", store, "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        return (object?["tables"] as? [String: Any])?[table] as? Int
    }

    @Test("every read command works on a read-only store (mode 0444) and leaves it byte-identical")
    func readOnlyStore() throws {
        let folder = try scratchFolder()
        let store = folder + "/demo.sqlite"
        #expect(try CLI.run(["demo", "--store", store]).status == 0)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + suffix) }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: store)
        let before = try Self.bytes(store)
        let commands: [[String]] = [
            ["status"], ["report", "headline"], ["report", "mrr-movements", "--format", "csv"],
            ["report", "retention", "--by", "segment"], ["report", "accounts-ltv", "--limit", "5"],
            ["accounts", "--by-ltv", "--limit", "5"], ["accounts", "duplicates"], ["accounts", "unmatched"],
        ]
        for command in commands {
            let result = try CLI.run(command + ["--store", store])
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(!result.stdout.isEmpty, "\(command)")
        }
        #expect(try Self.bytes(store) == before, "a read command changed the store file")

        // A failed import into a (writable) store leaves the file byte-identical too.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: store)
        try Self.write("id,name,created_on\nX,Bad,not-a-day\n", to: folder + "/accounts.csv")
        let failed = try CLI.run(["import", "--store", store, folder + "/accounts.csv"])
        #expect(failed.status == 1)
        #expect(try Self.bytes(store) == before, "a failed import changed the store file")
    }

    @Test("a store on a read-only mount is readable (where this machine lets a test mount one)")
    func readOnlyMount() throws {
        let folder = try scratchFolder()
        let mounted = folder + "/ro"
        try FileManager.default.createDirectory(atPath: mounted, withIntermediateDirectories: true)
        try Self.write("id,name,created_on\nA,Alpha,2024-01-01\n", to: folder + "/accounts.csv")
        #expect(try CLI.run(["import", "--store", mounted + "/s.sqlite", folder + "/accounts.csv"]).status == 0)
        let probe = try Shell.run("unshare -m sh -c 'mount --bind -o ro \(mounted) \(mounted) && echo ok'")
        guard probe.stdout.contains("ok") else { return }  // no mount namespaces here: covered by readOnlyStore
        let result = try Shell.run(
            "unshare -m sh -c 'mount --bind -o ro \(mounted) \(mounted) && \(CLI.binary) status --store \(mounted)/s.sqlite'"
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("accounts"), "\(result.stdout)")
    }

    @Test("a first import killed with SIGKILL leaves no store behind; the next import cleans up and succeeds")
    func killedFirstImport() throws {
        let folder = try scratchFolder()
        let store = folder + "/new.sqlite"
        var text = "id,name,created_on\n"
        text.reserveCapacity(40 * 300_000)
        for i in 0..<300_000 { text += "A\(i),Account number \(i),2024-01-01\n" }
        try Self.write(text, to: folder + "/accounts.csv")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["import", "--store", store, folder + "/accounts.csv"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let building = store + ".importing-\(process.processIdentifier)"
        let deadline = Date().addingTimeInterval(60)
        // Once the store being built has its tables, the rows are being written: let it run a moment, then kill.
        while Date() < deadline, process.isRunning {
            let size = (try? FileManager.default.attributesOfItem(atPath: building + "-wal")[.size] as? Int) ?? 0
            if size > 100_000 { break }
            usleep(10_000)
        }
        usleep(700_000)
        #expect(process.isRunning, "the import finished before it could be killed; make the file bigger")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        #expect(!FileManager.default.fileExists(atPath: store), "a killed first import left a store")
        let status = try CLI.run(["status", "--store", store])
        #expect(status.status == 1 && status.stderr.contains("no store here"), "\(status.stderr)")

        try FileManager.default.createDirectory(atPath: folder + "/small", withIntermediateDirectories: true)
        try Self.write("id,name,created_on\nA,Alpha,2024-01-01\n", to: folder + "/small/accounts.csv")
        let next = try CLI.run(["import", "--store", store, folder + "/small/accounts.csv"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try Self.tableCount(store, "accounts") == 1)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".importing-") }
        #expect(left.isEmpty, "abandoned files left: \(left)")
    }

    @Test("two imports creating the same new store at once: both land in turn, or one says the store is busy")
    func concurrentFirstImports() throws {
        let folder = try scratchFolder()
        var text = "id,name,created_on\n"
        for i in 0..<2_000 { text += "A\(i),Account \(i),2024-01-01\n" }
        try Self.write(text, to: folder + "/accounts.csv")
        for trial in 0..<8 {
            let store = folder + "/race-\(trial).sqlite"
            let processes = (0..<2).map { _ in
                let p = Process()
                p.executableURL = URL(fileURLWithPath: CLI.binary)
                p.arguments = ["import", "--store", store, folder + "/accounts.csv"]
                p.standardOutput = FileHandle.nullDevice
                p.standardError = Pipe()
                return p
            }
            for p in processes { try p.run() }
            var errors: [String] = []
            for p in processes {
                let err = (p.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
                p.waitUntilExit()
                if p.terminationStatus != 0 { errors.append(String(decoding: err, as: UTF8.self)) }
            }
            #expect(errors.count <= 1, "trial \(trial): both failed: \(errors)")
            for error in errors {
                #expect(
                    error.contains("another fulcrum command is writing to this store"), "trial \(trial): \(error)")
            }
            #expect(try Self.tableCount(store, "accounts") == 2_000, "trial \(trial)")
        }
    }

    @Test("an account with a megabyte-long name does not stall duplicate detection")
    func megabyteName() throws {
        let folder = try scratchFolder()
        let long = String(repeating: "Acme", count: 262_144)  // 1 MiB, no spaces: one enormous word
        try Self.write(
            "id,name,domain,created_on\nA,\(long),acme.com,2024-01-01\nB,\(long) Inc,acme.com,2024-01-02\nC,Other,other.com,2024-01-01\n",
            to: folder + "/accounts.csv")
        let store = folder + "/s.sqlite"
        #expect(try CLI.run(["import", "--store", store, folder + "/accounts.csv"]).status == 0)
        let result = try CLI.run(["accounts", "duplicates", "--store", store, "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        // A and B are the same company (same name up to a legal suffix, same domain), and are found.
        #expect(result.stdout.split(separator: "\n").count == 2, "\(result.stdout.prefix(400))")
    }

    @Test("a folder that cannot be read is a permission error, not an empty folder")
    func unreadableFolder() throws {
        let folder = try scratchFolder()
        let locked = folder + "/locked"
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: true)
        try Self.write("id,name,created_on\nA,Alpha,2024-01-01\n", to: locked + "/accounts.csv")
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked) }
        // Root reads any folder: run the binary as an unprivileged user then (a copy it can execute).
        var command = ""
        if getuid() == 0 {
            let copy = folder + "/fulcrum"
            try FileManager.default.copyItem(atPath: CLI.binary, toPath: copy)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy)
            command = "setpriv --reuid=65534 --regid=65534 --clear-groups \(copy)"
        } else {
            command = CLI.binary
        }
        let result = try Shell.run("\(command) import --store \(folder)/s.sqlite \(locked)")
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("\(locked):1:1: cannot read the folder: Permission denied"), "\(result.stderr)")
    }
}

/// Runs a shell command line and collects its output.
enum Shell {
    static func run(_ command: String) throws -> CLI.Result { try CLI.tool("/bin/sh", ["-c", command]) }
}
