import Foundation
import Testing

/// The lifecycle reports through the real binary on the small demo company: every format, the
/// configuration file beside the store or given with --config, and its errors.
@Suite("fulcrum lifecycle reports", .serialized)
struct LifecycleCLITests {
    static let store: String = {
        let folder = try! scratchFolder()
        let path = folder + "/demo.sqlite"
        let result = try! CLI.run(["demo", "--store", path])
        precondition(result.status == 0, result.stderr)
        return path
    }()

    @Test("every lifecycle report prints as table, CSV and JSON with its settings")
    func everyReportEveryFormat() throws {
        for id in [
            "lifecycle", "funnel", "leads", "lead-response", "marketing", "sales", "pipeline", "targets",
            "rep-scorecard", "am-scorecard", "cs-scorecard",
        ] {
            let table = try CLI.run(["report", id, "--store", Self.store, "--period", "quarter", "--from", "2026-01"])
            #expect(table.status == 0, "\(id): \(table.stderr)")
            #expect(table.stdout.contains("Settings:"), "\(id)")
            let csv = try CLI.run(["report", id, "--store", Self.store, "--format", "csv", "--from", "2026-09"])
            #expect(csv.status == 0, "\(id): \(csv.stderr)")
            #expect(csv.stdout.split(separator: "\n").count > 1, "\(id)")
            #expect(csv.stderr.contains("# data through: 2026-10-31"), "\(id)")
            let json = try CLI.run(["report", id, "--store", Self.store, "--format", "json", "--from", "2026-09"])
            #expect(json.status == 0, "\(id): \(json.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(object?["settings"] != nil, "\(id)")
        }
    }

    @Test("deal reports slice by the deal's own owner, team and demo; a slice a report does not take is exit 64")
    func dealSlices() throws {
        let owner = try CLI.run([
            "report", "sales", "--store", Self.store, "--by", "owner", "--period", "year", "--from", "2026-01",
        ])
        #expect(owner.status == 0, "\(owner.stderr)")
        #expect(owner.stdout.contains("Ana Lee") || owner.stdout.contains("Alex Adams"), "\(owner.stdout)")
        let bad = try CLI.run(["report", "funnel", "--store", Self.store, "--by", "demo"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("cannot be sliced by 'demo'"), "\(bad.stderr)")
        let explain = try CLI.run([
            "report", "lead-response", "--store", Self.store, "--from", "2026-09", "--explain", "--format", "csv",
        ])
        #expect(explain.status == 0)
        #expect(explain.stdout.contains("person:"), "the breach list names the leads")
    }

    @Test("lifecycle.yaml beside the store changes the SLA; --config wins; a typo is an error at file:line:column")
    func configuration() throws {
        let folder = try scratchFolder()
        let store = folder + "/demo.sqlite"
        try FileManager.default.copyItem(atPath: Self.store, toPath: store)
        func compliance(_ extra: [String]) throws -> String {
            let r = try CLI.run(
                [
                    "report", "lead-response", "--store", store, "--period", "year", "--from", "2025-01", "--to",
                    "2025-12",
                ]
                    + ["--format", "csv"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout.split(separator: "\n").first { $0.contains(",all,") }.map(String.init) ?? ""
        }
        let standard = try compliance([])
        try "response:\n  sla_minutes: 5\n".write(toFile: folder + "/lifecycle.yaml", atomically: true, encoding: .utf8)
        let beside = try compliance([])
        #expect(beside != standard, "the file beside the store is read")
        try "response:\n  sla_minutes: 60\n".write(toFile: folder + "/other.yaml", atomically: true, encoding: .utf8)
        #expect(try compliance(["--config", folder + "/other.yaml"]) == standard)
        try "mql:\n  score_at_least: 50\nresponse:\n  sla_minute: 5\n".write(
            toFile: folder + "/typo.yaml", atomically: true, encoding: .utf8)
        let typo = try CLI.run(["report", "funnel", "--store", store, "--config", folder + "/typo.yaml"])
        #expect(typo.status == 1)
        #expect(typo.stderr.contains("typo.yaml:4:3: response: unknown key 'sla_minute'"), "\(typo.stderr)")
        let missing = try CLI.run(["report", "funnel", "--store", store, "--config", folder + "/nope.yaml"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope.yaml:1:1: cannot read"), "\(missing.stderr)")
    }
}

extension LifecycleCLITests {
    @Test("rep-scorecard --compare reads the earlier period's activities too")
    func scorecardCompare() throws {
        let r = try CLI.run([
            "report", "rep-scorecard", "--store", Self.store, "--period", "quarter", "--from", "2026-04", "--to",
            "2026-09", "--compare", "previous", "--format", "csv",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let column = lines[0].firstIndex(of: "calls_previous")!
        #expect(lines.dropFirst().contains { Int($0[column]) ?? 0 > 0 }, "\(r.stdout.prefix(600))")
    }

    @Test("a broken lifecycle.yaml stops only the reports that read it; duplicate keys and empty lists are errors")
    func brokenConfiguration() throws {
        let folder = try scratchFolder()
        let store = folder + "/demo.sqlite"
        try FileManager.default.copyItem(atPath: Self.store, toPath: store)
        try "response:\n  sla_minutes: 5\n  sla_minutes: 6\n".write(
            toFile: folder + "/lifecycle.yaml", atomically: true, encoding: .utf8)
        let finance = try CLI.run(["report", "mrr", "--store", store])
        #expect(finance.status == 0, "\(finance.stderr)")
        let funnel = try CLI.run(["report", "funnel", "--store", store])
        #expect(funnel.status == 1)
        #expect(funnel.stderr.contains("lifecycle.yaml:"), "\(funnel.stderr)")
        #expect(funnel.stderr.contains("'sla_minutes'"), "\(funnel.stderr)")
        try "sal_statuses:\n".write(toFile: folder + "/lifecycle.yaml", atomically: true, encoding: .utf8)
        let empty = try CLI.run(["report", "funnel", "--store", store])
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("sal_statuses: expected a list, got nothing"), "\(empty.stderr)")
    }
}

extension LifecycleCLITests {
    @Test("several reports from one read of the store equal the reports run one by one")
    func severalReports() throws {
        let folder = try scratchFolder() + "/out"
        let ids = ["funnel", "targets", "rep-scorecard", "mrr"]
        let common = ["--store", Self.store, "--period", "quarter", "--from", "2026-01", "--format", "csv"]
        let together = try CLI.run(["report"] + ids + common + ["--output", folder])
        #expect(together.status == 0, "\(together.stderr)")
        for id in ids {
            let alone = try CLI.run(["report", id] + common)
            let written = try String(contentsOfFile: folder + "/\(id).csv", encoding: .utf8)
            #expect(written == alone.stdout, "\(id)")
            let settings = try String(contentsOfFile: folder + "/\(id).settings.txt", encoding: .utf8)
            #expect(settings.contains("# data through: 2026-10-31"))
        }
        let noFolder = try CLI.run(["report", "funnel", "targets", "--store", Self.store, "--format", "csv"])
        #expect(noFolder.status == 64)
        #expect(noFolder.stderr.contains("--output"), "\(noFolder.stderr)")
        let table = try CLI.run(["report", "funnel", "leads", "--store", Self.store, "--from", "2026-09"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("Lead funnel") && table.stdout.contains("Leads: new leads"))
    }
}
