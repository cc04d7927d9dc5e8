import Foundation
import Testing

/// `fulcrum experiment` end to end on a copy of the demo store and on an outcomes file.
@Suite("fulcrum experiment")
struct ExperimentCLITests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(
        "create → assign (deterministic, stable) → status → analyze on the demo store",
        arguments: Backend.available)
    func workflow(_ backend: Backend) throws {
        let folder = try scratchFolder()
        let store = try backend.demoCopy(in: folder)
        let create = try CLI.run([
            "experiment", "create", "--store", store, "--name", "fast-follow", "--hypothesis",
            "Calling Tech prospects within an hour lifts opportunities", "--metric", "converted", "--guardrail",
            "churned", "--eligible", "segment=Tech", "--eligible", "status=prospect", "--start", "2026-07-01", "--end",
            "2026-10-31", "--min-effect", "0.05", "--format", "json",
        ])
        #expect(create.status == 0, "\(create.stderr)")
        let design = try #require(try Self.json(create.stdout)["design"] as? [String: Any])
        #expect((design["control_arm"] as! Int) > 0 && (design["eligible_now"] as! Int) > 0)
        let again = try CLI.run([
            "experiment", "create", "--store", store, "--name", "fast-follow", "--hypothesis", "x", "--metric",
            "converted", "--start", "2026-07-01", "--end", "2026-10-31", "--min-effect", "0.05",
        ])
        #expect(again.status == 1 && again.stderr.contains("exists"))
        let first = try CLI.run(["experiment", "assign", "fast-follow", "--store", store, "--out", folder + "/a.csv"])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try CLI.run(["experiment", "assign", "fast-follow", "--store", store, "--out", folder + "/b.csv"])
        #expect(second.stdout.contains("(0 new)"))
        let a = try String(contentsOfFile: folder + "/a.csv", encoding: .utf8)
        let b = try String(contentsOfFile: folder + "/b.csv", encoding: .utf8)
        #expect(a.hasPrefix("experiment,arm,owner,owner_email,account_id,account,segment,stratum,new\n"))
        // Same arms the second time; only the "new" flag differs.
        let strip = { (s: String) in
            s.split(separator: "\n").map { $0.split(separator: ",").dropLast().joined(separator: ",") }
        }
        #expect(strip(a) == strip(b))
        let arms = a.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] }
        let control = arms.filter { $0 == "control" }.count
        #expect(abs(control - (arms.count - control)) <= 1)
        let status = try CLI.run(["experiment", "status", "fast-follow", "--store", store, "--format", "json"])
        #expect(status.status == 0, "\(status.stderr)")
        let srm = try #require(try Self.json(status.stdout)["srm"] as? [String: Any])
        #expect(srm["mismatch"] as? Bool == false)
        let analysis = try CLI.run(["experiment", "analyze", "fast-follow", "--store", store, "--format", "json"])
        #expect(analysis.status == 0, "\(analysis.stderr)")
        let result = try Self.json(analysis.stdout)
        #expect(["significant", "not significant"].contains(result["decision"] as? String))
        let comparisons = try #require((result["analysis"] as? [String: Any])?["comparisons"] as? [[String: Any]])
        #expect(comparisons.map { $0["metric"] as? String } == ["converted", "churned"])
        #expect((comparisons[0]["z_test"] as? [String: Any])?["p_value"] is Double)
        #expect((comparisons[0]["cuped"] as? [String: Any])?["variance_ratio"] is Double)
        let list = try CLI.run(["experiment", "list", "--store", store])
        #expect(list.stdout.contains("fast-follow") && list.stdout.contains("fixed horizon"))
        // A fixed-horizon experiment still running refuses to call a result.
        let early = try CLI.run([
            "experiment", "create", "--store", store, "--name", "early", "--hypothesis", "h", "--metric", "converted",
            "--start", "2026-09-01", "--end", "2027-02-28", "--min-effect", "0.05",
        ])
        #expect(early.status == 0, "\(early.stderr)")
        _ = try CLI.run(["experiment", "assign", "early", "--store", store, "--out", folder + "/e.csv"])
        let peek = try CLI.run(["experiment", "analyze", "early", "--store", store, "--format", "json"])
        #expect(try Self.json(peek.stdout)["decision"] as? String == "too early")
        // Health eligibility needs the churn model, and then takes only scored customers in the bands.
        let noModel = try CLI.run([
            "experiment", "create", "--store", store, "--name", "save", "--hypothesis", "h", "--metric", "churned",
            "--eligible", "health=at-risk|watch", "--start", "2026-08-01", "--end", "2026-10-31", "--min-effect=-0.05",
        ])
        #expect(noModel.status == 1 && noModel.stderr.contains("fulcrum model train churn"))
        #expect(try CLI.run(["model", "train", "churn", "--store", store]).status == 0)
        let save = try CLI.run([
            "experiment", "create", "--store", store, "--name", "save", "--hypothesis", "h", "--metric", "churned",
            "--eligible", "health=at-risk|watch", "--start", "2026-08-01", "--end", "2026-10-31", "--min-effect=-0.05",
            "--format", "json",
        ])
        #expect(save.status == 0, "\(save.stderr)")
        let saveDesign = try #require(try Self.json(save.stdout)["design"] as? [String: Any])
        let baseline = try #require(saveDesign["baseline"] as? [String: Any])
        // Measured on customers eligible a window earlier, so churn is not zero by construction.
        #expect((baseline["mean"] as! Double) > 0)
        let atRisk = try CLI.run(["accounts", "--at-risk", "--store", store, "--format", "csv"])
        #expect(atRisk.status == 0)
        let unknown = try CLI.run(["experiment", "status", "nope", "--store", store])
        #expect(unknown.status == 1 && unknown.stderr.contains("no experiment 'nope'"))
    }

    @Test("analyze --outcomes: every test named in the JSON, SRM on a broken split, errors at file:line:column")
    func outcomesFile() throws {
        let folder = try scratchFolder()
        let path = folder + "/outcomes.csv"
        var csv = "account,arm,segment,converted,amount,pre_amount\n"
        // A deterministic file: 520 treatment rows against 480 control (a broken 50/50 split).
        for i in 0..<1_000 {
            let treated = i % 25 < 13
            let converted = (i * 7919 % 100) < (treated ? 18 : 12) ? 1 : 0
            let pre = Double(i * 37 % 200)
            let amount = pre * 0.9 + Double(i * 13 % 50) + (treated ? 8 : 0)
            csv +=
                "\(i),\(treated ? "treatment" : "control"),\(["Tech", "Telecom"][i % 2]),\(converted),\(amount),\(pre)\n"
        }
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try CLI.run([
            "experiment", "analyze", "--outcomes", path, "--arm", "arm", "--control", "control", "--strata", "segment",
            "--metric", "converted", "--metric", "amount", "--pre", "pre_amount", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try Self.json(result.stdout)
        let srm = try #require(object["srm"] as? [String: Any])
        #expect((srm["observed"] as? [Int]) == [480, 520])
        let metrics = try #require(object["metrics"] as? [[String: Any]])
        let converted = metrics[0]
        let amount = metrics[1]
        #expect(converted["kind"] as? String == "binary" && amount["kind"] as? String == "amount")
        for key in ["statistic", "p_value", "ci_low", "ci_high"] {
            #expect((converted["z_test"] as? [String: Any])?[key] is Double, "z_test.\(key)")
        }
        #expect((converted["cmh"] as? [String: Any])?["p_value"] is Double)
        for key in ["p_value", "ci_low", "ci_high"] { #expect((amount["welch"] as? [String: Any])?[key] is Double) }
        #expect((amount["mann_whitney"] as? [String: Any])?["p_value"] is Double)
        #expect(((amount["cuped"] as? [String: Any])?["variance_ratio"] as? Double ?? 1) < 0.5)
        #expect((amount["srm"] as? [String: Any])?["p_value"] is Double)
        // A 10,000-row split 5,200 / 4,800 is flagged.
        var broken = "arm,y\n"
        for i in 0..<10_000 { broken += "\(i < 5_200 ? "b" : "a"),\(i % 3 == 0 ? 1 : 0)\n" }
        try broken.write(toFile: folder + "/broken.csv", atomically: true, encoding: .utf8)
        let flagged = try CLI.run([
            "experiment", "analyze", "--outcomes", folder + "/broken.csv", "--arm", "arm", "--control", "a", "--metric",
            "y",
        ])
        #expect(flagged.status == 0 && flagged.stdout.contains("MISMATCH"))
        // Bad input.
        try "arm,y\na,1\nb,zero\n".write(toFile: folder + "/bad.csv", atomically: true, encoding: .utf8)
        let bad = try CLI.run([
            "experiment", "analyze", "--outcomes", folder + "/bad.csv", "--arm", "arm", "--metric", "y",
        ])
        #expect(bad.status == 1 && bad.stderr.contains("bad.csv:3:3: column 'y': 'zero' is not a number"))
        let missing = try CLI.run([
            "experiment", "analyze", "--outcomes", path, "--arm", "arm", "--metric", "nope",
        ])
        #expect(missing.status == 1 && missing.stderr.contains("nope"))
        let control = try CLI.run([
            "experiment", "analyze", "--outcomes", path, "--arm", "arm", "--control", "placebo", "--metric", "amount",
        ])
        #expect(control.status == 1 && control.stderr.contains("--control"))
    }
}
