import Foundation
import Testing

/// `fulcrum plan` end to end: seed 001's table, the store's history, bad input, what-if and targets.
@Suite("fulcrum plan")
struct PlanCLITests {
    static let seedTable: String = {
        // The repository's worked example (docs/planning.md), found from this file.
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/examples/seed-001-economics.csv").path
    }()

    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("seed 001's table: the four answers, as in docs/planning.md")
    func seedTable() throws {
        let table = try CLI.run(["plan", "--economics", Self.seedTable])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("today                                   $150,000  $119,500  $269,500  3,500"))
        #expect(table.stdout.contains("$162,000    +12.3%"))
        #expect(table.stdout.contains("$191,644    +32.8%"))
        #expect(table.stdout.contains("Consulting: 0.7111 objective per extra dollar"))
        let result = try CLI.run(["plan", "--economics", Self.seedTable, "--format", "json"])
        #expect(result.status == 0)
        let object = try Self.json(result.stdout)
        let scenarios = try #require(object["scenarios"] as? [[String: Any]])
        #expect(scenarios.map { $0["id"] as? String } == ["today", "marketing_local", "sales_local", "global"])
        let totals = scenarios.map { $0["totals"] as! [String: Any] }
        #expect(totals[0]["leads"] as? Double == 3_500)
        #expect(totals[1]["leads"] as? Double == 6_000)
        #expect(abs((totals[0]["bookings"] as! Double) - 144_300) < 1e-6)
        #expect(abs((totals[1]["bookings"] as! Double) - 162_000) < 1e-6)
        #expect(abs((totals[3]["bookings"] as! Double) - 192_000) < 1_000)
        let binding = try #require(scenarios[3]["binding"] as? [[String: Any]])
        #expect(binding.first?["kind"] as? String == "total_budget")
        // LTV/CAC sends the budget to Tech; a maximum on Tech sends the rest to Telecom.
        let ltv = try Self.json(
            try CLI.run(["plan", "--economics", Self.seedTable, "--objective", "ltv-cac", "--format", "json"]).stdout)
        let ltvUnits = ((ltv["scenarios"] as! [[String: Any]])[3]["units"] as! [[String: Any]])
        #expect(((ltvUnits[0]["totals"] as! [String: Any])["total_spend"] as! Double) > 269_499)
        let capped = try Self.json(
            try CLI.run([
                "plan", "--economics", Self.seedTable, "--objective", "ltv-cac", "--max", "Tech=100k", "--format",
                "json",
            ]).stdout)
        let global = (capped["scenarios"] as! [[String: Any]])[3]
        let units = global["units"] as! [[String: Any]]
        #expect(abs(((units[0]["totals"] as! [String: Any])["total_spend"] as! Double) - 100_000) < 1e-6)
        #expect(abs(((units[1]["totals"] as! [String: Any])["total_spend"] as! Double) - 169_500) < 1e-6)
        let kinds = (global["binding"] as! [[String: Any]]).map { "\($0["kind"]!)" }
        #expect(kinds.contains("maximum") && kinds.contains("total_budget"))
    }

    @Test("bad tables, limits and changes are refused with the place and reason, exit 1")
    func badInput() throws {
        let folder = try scratchFolder()
        let path = folder + "/economics.csv"
        try """
        segment,marketing_spend,cost_per_lead,lead_to_opportunity,opportunity_to_won,asp,sales_cost_per_deal,annual_churn,gross_margin
        Tech,50000,25,0.10,0.30,900,1500,8,0.80
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let rate = try CLI.run(["plan", "--economics", path])
        #expect(rate.status == 1)
        #expect(rate.stderr.contains("economics.csv:2:"))
        #expect(rate.stderr.contains("annual_churn") && rate.stderr.contains("0.08"))
        try """
        segment,marketing_spend,cost_per_lead,lead_to_opportunity,opportunity_to_won,asp,sales_cost_per_deal,annual_churn
        Tech,50000,25,0.10,0.30,900,1500,0.08
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let missing = try CLI.run(["plan", "--economics", path])
        #expect(missing.status == 1 && missing.stderr.contains("gross_margin"))
        try """
        segment,marketing_spend,cost_per_lead,lead_to_opportunity,opportunity_to_won,asp,sales_cost_per_deal,annual_churn,gross_margin
        Tech,50000,25,0.10,0.30,900,1500,0.08,0.8
        Tech,abc,25,0.10,0.30,900,1500,0.08,0.8
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let twice = try CLI.run(["plan", "--economics", path])
        #expect(twice.status == 1 && twice.stderr.contains(":3:1") && twice.stderr.contains("listed twice"))
        let unknown = try CLI.run(["plan", "--economics", Self.seedTable, "--min", "Retail=1000"])
        #expect(unknown.status == 1 && unknown.stderr.contains("--min: no segment 'Retail'"))
        let infeasible = try CLI.run([
            "plan", "--economics", Self.seedTable, "--budget", "100000", "--min", "Tech=80000", "--min",
            "Telecom=40000",
        ])
        #expect(infeasible.status == 1 && infeasible.stderr.contains("infeasible"))
        let objective = try CLI.run(["plan", "--economics", Self.seedTable, "--objective", "growth"])
        #expect(objective.status == 64 && objective.stderr.contains("--objective"))
        let change = try CLI.run(["plan", "what-if", "--economics", Self.seedTable, "--change", "Tech.churn=-9pt"])
        #expect(change.status == 1 && change.stderr.contains("--change"))
        let both = try CLI.run(["plan", "--economics", Self.seedTable, "--store", folder + "/x.sqlite"])
        #expect(both.status == 64)
    }

    @Test("what-if: the projection in JSON, month by month")
    func whatIf() throws {
        let result = try CLI.run([
            "plan", "what-if", "--economics", Self.seedTable, "--move", "Tech:Consulting=10000", "--months", "12",
            "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try Self.json(result.stdout)
        let scenario = try #require(object["scenario"] as? [[String: Any]])
        let baseline = try #require(object["baseline"] as? [[String: Any]])
        #expect(scenario.count == 12 && baseline.count == 12)
        // 1,600 Tech leads (48 deals) + 500 Telecom (12) + 1,200 Consulting (24).
        #expect(scenario[0]["deals"] as? Double == 84)
        #expect(abs((baseline[0]["mrr"] as! Double) - 144_300.0 / 12) < 1e-6)
    }

    @Test("on the demo store: fitted economics with intervals; targets written and compared by report targets")
    func demoStore() throws {
        let plan = try CLI.run(["plan", "--store", sharedDemoStore, "--format", "json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let object = try Self.json(plan.stdout)
        let evidence = try #require(object["evidence"] as? [[String: Any]])
        #expect(Set(evidence.map { $0["unit"] as! String }) == ["Tech", "Telecom", "Consulting"])
        for e in evidence {
            let fit = e["lead_cost"] as! [String: Any]
            #expect(fit["method"] as? String == "linear")
            #expect((fit["cost_per_lead_low"] as! Double) < (fit["cost_per_lead_high"] as! Double))
        }
        // By channel within segment: Tech's channels share out exactly Tech's fully loaded marketing.
        let channels = try Self.json(
            try CLI.run(["plan", "--store", sharedDemoStore, "--by", "channel", "--format", "json"]).stdout)
        let inputs = try #require(channels["inputs"] as? [[String: Any]])
        let tech = inputs.filter { ($0["unit"] as! String).hasPrefix("Tech / ") }
        #expect(tech.count == 10)
        let segmentInputs = try #require(object["inputs"] as? [[String: Any]])
        let techSegment = segmentInputs.first { $0["unit"] as? String == "Tech" }!["marketing_spend"] as! Double
        let techChannels = tech.reduce(0.0) { $0 + ($1["marketing_spend"] as! Double) }
        #expect(abs(techChannels - techSegment) < 1e-6 * techSegment)
        let byChannelTable = try CLI.run(["plan", "--economics", Self.seedTable, "--by", "channel"])
        #expect(byChannelTable.status == 64)
        let folder = try scratchFolder()
        let store = folder + "/plan.sqlite"
        try FileManager.default.copyItem(atPath: sharedDemoStore, toPath: store)
        let ahead = try CLI.run(["plan", "targets", "--store", store, "--months", "3", "--out", folder + "/ahead.csv"])
        #expect(ahead.status == 0, "\(ahead.stderr)")
        #expect(ahead.stdout.contains("2026-11…2027-01"))
        // Targets for months that already have actuals, so report targets can compare them.
        let written = try CLI.run([
            "plan", "targets", "--store", store, "--write", "--start", "2026-08", "--months", "3",
        ])
        #expect(written.status == 0, "\(written.stderr)")
        let again = try CLI.run([
            "plan", "targets", "--store", store, "--write", "--start", "2026-08", "--months", "3", "--out",
            folder + "/t.csv",
        ])
        #expect(again.status == 0, "\(again.stderr)")
        let csv = try String(contentsOfFile: folder + "/t.csv", encoding: .utf8)
        #expect(csv.hasPrefix("id,month,scope,scope_key,metric,value\n"))
        #expect(csv.contains("plan:2026-08:segment:Tech:new_bookings,2026-08,segment,Tech,new_bookings,"))
        // Written once: the second run updated the same rows.
        let rows = try CLI.run(["status", "--store", store, "--format", "json"])
        #expect(rows.status == 0)
        let before = try CLI.run(["status", "--store", sharedDemoStore, "--format", "json"])
        let count = { (text: String) -> Int in
            let o = try! Self.json(text)
            let tables = o["tables"] as? [String: Any] ?? [:]
            return tables["targets"] as? Int ?? -1
        }
        let lines = csv.split(separator: "\n").count - 1
        #expect(count(rows.stdout) == count(before.stdout) + lines)
        // The data-through date is unchanged, so reports still end where they did.
        let headline = try CLI.run(["report", "headline", "--store", store])
        #expect(headline.stdout.contains("2026-10"))
        let targets = try CLI.run([
            "report", "targets", "--store", store, "--from", "2026-08", "--to", "2026-10", "--format", "csv",
        ])
        #expect(targets.status == 0, "\(targets.stderr)")
        #expect(targets.stdout.contains("new_bookings"))
    }
}
