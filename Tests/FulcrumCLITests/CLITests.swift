import Foundation
import Testing

/// Runs the real `fulcrum` binary built beside the tests.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "fulcrum"
        ).path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/fulcrum").path
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "FULCRUM_STORE")
        for (k, v) in environment { env[k] = v }
        return try tool(binary, arguments, environment: env)
    }

    /// Runs any program to the end and collects its exit status and both outputs.
    static func tool(_ path: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// Every scratch folder of this test process lives under one root, removed when the process exits, so a test
/// run leaves nothing behind in the temporary directory (a full run used to leave several GB).
let scratchRoot: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-cli-tests-\(getpid())").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit {
        try? FileManager.default.removeItem(
            atPath: FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-cli-tests-\(getpid())").path)
    }
    return path
}()

func scratchFolder() throws -> String {
    let path = scratchRoot + "/\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// One small demo store (`fulcrum demo`, seed 1) for suites that only read it; a suite that writes copies it first.
let sharedDemoStore: String = {
    let path = try! scratchFolder() + "/demo.sqlite"
    let result = try! CLI.run(["demo", "--store", path])
    precondition(result.status == 0, result.stderr)
    return path
}()

@Suite("fulcrum command line")
struct CLITests {
    @Test("demo builds the small company, prints the headline by segment, and exports canonical CSV")
    func demoEndToEnd() throws {
        let folder = try scratchFolder()
        let store = folder + "/demo.sqlite"
        let result = try CLI.run(["demo", "--export", folder + "/csv"], environment: ["FULCRUM_STORE": store])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("Headline, 2026-10 (data through 2026-10-31)"))
        for segment in ["Tech", "Telecom", "Consulting", "Total"] {
            #expect(result.stdout.contains("\n\(segment) "), "no \(segment) row in:\n\(result.stdout)")
        }
        #expect(FileManager.default.fileExists(atPath: store))
        let accounts = try String(contentsOfFile: folder + "/csv/accounts.csv", encoding: .utf8)
        let lines = accounts.split(separator: "\n")
        #expect(
            lines.first
                == "id,name,domain,segment,industry,country,employees,owner_rep_id,parent_account_id,merged_into,created_on,source,external_id"
        )
        let status = try CLI.run(["status", "--store", store])
        #expect(status.status == 0)
        #expect(status.stdout.contains("origin: demo"))
        let accountRow = status.stdout.split(separator: "\n").first { $0.hasPrefix("accounts ") }
        #expect(accountRow.map { $0.hasSuffix(" " + formatted(lines.count - 1)) } == true, "\(status.stdout)")
        // The JSON report agrees with the table: the same store, the same numbers.
        let json = try CLI.run(["report", "headline", "--store", store, "--format", "json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(object["report"] as? String == "headline" && object["settings"] != nil, "every report's shape")
        let total = headlineTotal(object)
        #expect((total["customers"] as! Int) > 100)
        #expect(result.stdout.contains(formatted(total["customers"] as! Int)))
    }

    @Test(
        "bad option values get argument-parser's message and exit code 64",
        arguments: [
            ["demo", "--size", "huge"], ["demo", "--bogus"], ["demo", "--seed", "-3"], ["report", "nope"],
            ["fit", "sbg", "--survivors", "10,x,3"], ["fit", "sbg"],
        ])
    func usageErrors(arguments: [String]) throws {
        let result = try CLI.run(arguments, environment: ["FULCRUM_STORE": "/nonexistent/never-written.sqlite"])
        #expect(result.status == 64, "\(arguments): \(result.status) \(result.stderr)")
        #expect(result.stderr.contains("Error:"))
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent/never-written.sqlite"))
    }

    @Test("a corrupt store gets one line naming the path, a non-zero exit, and is left as it was")
    func corruptStore() throws {
        let folder = try scratchFolder()
        let path = folder + "/broken.sqlite"
        let garbage = Data(repeating: 0x42, count: 8192)
        try garbage.write(to: URL(fileURLWithPath: path))
        for arguments in [
            ["status", "--store", path], ["report", "headline", "--store", path], ["demo", "--store", path],
        ] {
            let result = try CLI.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(
                result.stderr == "fulcrum: error: \(path): not a Fulcrum store (not an SQLite database, or corrupt)\n")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["broken.sqlite"])
    }

    @Test("an unwritable or missing store path is named with the reason")
    func unwritableStore() throws {
        let folder = try scratchFolder()
        let missing = folder + "/missing/store.sqlite"
        let demo = try CLI.run(["demo", "--store", missing])
        #expect(demo.status == 1)
        #expect(demo.stderr == "fulcrum: error: \(missing): folder \(folder)/missing does not exist\n")
        let status = try CLI.run(["status", "--store", folder + "/none.sqlite"])
        #expect(status.status == 1)
        #expect(status.stderr.hasPrefix("fulcrum: error: \(folder)/none.sqlite: no store here"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test("fit sbg reproduces Fader & Hardie's regular cohort")
    func fitSBG() throws {
        let result = try CLI.run([
            "fit", "sbg", "--survivors", "1000,631,468,382,326,289,262,241", "--periods", "12", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(abs((object["alpha"] as! Double) - 0.704) < 0.0005)
        #expect(abs((object["beta"] as! Double) - 1.182) < 0.0005)
        #expect((object["survival"] as! [Double]).count == 13)
        #expect(object["constantChurn"] == nil, "a converged fit has no constant-churn fallback")
        let bad = try CLI.run(["fit", "sbg", "--survivors", "100,120,50"])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("fulcrum: error: --survivors:"))
    }

    @Test("fit sbg on counts with no heterogeneity says so and projects with the constant-churn limit")
    func fitSBGConstantLimit() throws {
        let json = try CLI.run(["fit", "sbg", "--survivors", "60,55,47,43", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(object["converged"] as? Bool == false)
        let theta = try #require(object["constantChurn"] as? Double)
        #expect(abs(theta - 17.0 / 162.0) < 1e-12)
        let survival = object["survival"] as! [Double]
        #expect(abs(survival[3] - pow(1 - 17.0 / 162.0, 3)) < 1e-6, "projection by the constant rate: \(survival)")
        let table = try CLI.run(["fit", "sbg", "--survivors", "60,55,47,43"])
        #expect(
            table.stdout.contains("note: no interior maximum") && table.stdout.contains("θ = 0.1049 per period"),
            "\(table.stdout)")
    }
}

func formatted(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return out
}

/// The headline's Total row from its JSON (every report's shape: rows keyed by column name).
func headlineTotal(_ object: [String: Any]) -> [String: Any] {
    (object["rows"] as! [[String: Any]]).first { $0["segment"] as? String == "Total" }!
}
