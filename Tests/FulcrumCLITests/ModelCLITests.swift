import Foundation
import Testing

@Suite("fulcrum model train|score on feature tables from elsewhere")
struct ModelCLITests {
    /// 2,000 customers: churn rises with tickets and falls with tenure; plan text; a few blank seats.
    static func writeTable(_ path: String) throws {
        var text = "customer,month,tenure,seats,plan,tickets,churned\n"
        for i in 0..<2_000 {
            let tenure = 1 + (i * 7) % 60
            let tickets = (i * 13) % 6
            let plan = ["basic", "pro", "team"][i % 3]
            let z = -1.0 - 0.06 * Double(tenure) + 0.7 * Double(tickets) + (plan == "basic" ? 0.8 : 0)
            let noise = sin(Double(i) * 12.9898) * 0.5 + 0.5
            let churned = noise < 1 / (1 + exp(-z)) ? "yes" : "no"
            text += "c\(i),2025-\(String(format: "%02d", i % 12 + 1)),\(tenure),\(i % 40 == 0 ? "" : String(i % 90)),"
            text += "\(plan),\(tickets),\(churned)\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test("train prints both algorithms' measures out of time and saves the better; score writes id,probability")
    func trainAndScore() throws {
        let folder = try scratchFolder()
        let table = folder + "/features.csv"
        try Self.writeTable(table)
        let modelPath = folder + "/model.json"
        let result = try CLI.run([
            "model", "train", "--features", table, "--target", "churned", "--id", "customer", "--time", "month",
            "--model", modelPath, "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((summary["validation"] as? String)?.hasPrefix("out of time") == true)
        #expect(summary["rows"] as? Int == 2_000)
        let algorithms = try #require(summary["algorithms"] as? [[String: Any]])
        #expect(algorithms.compactMap { $0["algorithm"] as? String } == ["logistic", "trees"])
        for a in algorithms {
            let auc = try #require((a["roc_auc"] as? NSNumber)?.doubleValue)
            #expect(auc > 0.65, "\(a["algorithm"] ?? "?"): \(auc)")
            let top = (a["top_features"] as? [[String: Any]])?.prefix(2).compactMap { $0["feature"] as? String } ?? []
            #expect(Set(top) == ["tenure", "tickets"], "\(top)")
        }
        #expect(result.stdout.contains("\"blanks\""))
        let model = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: modelPath))) as? [String: Any])
        #expect(model["format"] as? String == "fulcrum-model")
        #expect(model["version"] as? Int == 1)
        #expect((model["metrics"] as? [String: Any])?["calibration"] != nil)

        let scored = try CLI.run(["model", "score", "--features", table, "--model", modelPath])
        #expect(scored.status == 0, "\(scored.stderr)")
        let lines = scored.stdout.split(separator: "\n")
        #expect(lines.first == "id,probability")
        #expect(lines.count == 2_001)
        #expect(lines[1].hasPrefix("c0,"))
        let p = try #require(Double(lines[1].split(separator: ",")[1]))
        #expect(p > 0 && p < 1)
    }

    @Test("--split uses the file's own train/test column; any other value is an error naming the place")
    func splitColumn() throws {
        let folder = try scratchFolder()
        let table = folder + "/features.csv"
        try Self.writeTable(table)
        // Mark the last 500 rows as the test rows.
        var lines = try String(contentsOfFile: table, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[0] += ",part"
        for i in 1..<lines.count { lines[i] += i > lines.count - 501 ? ",test" : ",train" }
        try (lines.joined(separator: "\n") + "\n").write(toFile: table, atomically: true, encoding: .utf8)
        let result = try CLI.run([
            "model", "train", "--features", table, "--target", "churned", "--id", "customer", "--time", "month",
            "--split", "part", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(summary["test_rows"] as? Int == 500)
        #expect(summary["training_rows"] as? Int == 1_500)
        #expect((summary["validation"] as? String)?.hasPrefix("the file's split column") == true)
        lines[3] = lines[3].replacingOccurrences(of: ",train", with: ",later")
        try (lines.joined(separator: "\n") + "\n").write(toFile: table, atomically: true, encoding: .utf8)
        let bad = try CLI.run([
            "model", "train", "--features", table, "--target", "churned", "--id", "customer", "--split", "part",
        ])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("features.csv:4:"), "\(bad.stderr)")
        #expect(bad.stderr.contains("the split must be train or test, not 'later'"), "\(bad.stderr)")
    }

    @Test("a numeric column with a typo is trained as text, and the run says so with the place")
    func typoInNumbers() throws {
        let folder = try scratchFolder()
        let table = folder + "/features.csv"
        try Self.writeTable(table)
        var lines = try String(contentsOfFile: table, encoding: .utf8).split(separator: "\n").map(String.init)
        // Customer c5 (a training row: its id does not hash to 0 mod 5) gets tenure (the third field) "abc".
        var fields = lines[6].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[2] = "abc"
        lines[6] = fields.joined(separator: ",")
        try (lines.joined(separator: "\n") + "\n").write(toFile: table, atomically: true, encoding: .utf8)
        let result = try CLI.run(["model", "train", "--features", table, "--target", "churned", "--id", "customer"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("warning: tenure: treated as text because 1 of "), "\(result.stdout)")
        #expect(result.stdout.contains("e.g. 'abc' at \(table):7"), "\(result.stdout)")
    }

    @Test("a bad target, a missing column and a text cell in a numeric column are errors naming the place")
    func badInput() throws {
        let folder = try scratchFolder()
        let table = folder + "/features.csv"
        try "id,x,y\na,1,1\nb,2,maybe\n".write(toFile: table, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["model", "train", "--features", table, "--target", "y", "--id", "id"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("features.csv:3:5:"), "\(bad.stderr)")
        #expect(bad.stderr.contains("the target must be 1/0, true/false or yes/no, not 'maybe'"))
        let missing = try CLI.run(["model", "train", "--features", table, "--target", "churned"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("missing required column 'churned'"), "\(missing.stderr)")

        let good = folder + "/good.csv"
        try Self.writeTable(good)
        let modelPath = folder + "/m.json"
        let trained = try CLI.run([
            "model", "train", "--features", good, "--target", "churned", "--id", "customer", "--model", modelPath,
        ])
        #expect(trained.status == 0, "\(trained.stderr)")
        let other = folder + "/other.csv"
        try "customer,tenure,plan,tickets,month\nz,abc,pro,1,2025-01\n".write(
            toFile: other, atomically: true, encoding: .utf8)
        let noSeats = try CLI.run(["model", "score", "--features", other, "--model", modelPath])
        #expect(noSeats.status == 1)
        #expect(noSeats.stderr.contains("missing the model's feature column(s) seats"), "\(noSeats.stderr)")
        try "customer,tenure,seats,plan,tickets,month\nz,abc,3,pro,1,2025-01\n".write(
            toFile: other, atomically: true, encoding: .utf8)
        let text = try CLI.run(["model", "score", "--features", other, "--model", modelPath])
        #expect(text.status == 1)
        #expect(text.stderr.contains("other.csv:2: column 'tenure': 'abc' is not a number"), "\(text.stderr)")
    }
}

@Suite("fulcrum model train churn, model report and accounts --at-risk on the demo store")
struct ChurnCLITests {
    static var store: String { sharedDemoStore }

    @Test(
        "before training, report and --at-risk say how to train; after, the stored model is reported and used",
        arguments: Backend.available)
    func trainReportAndRisk(_ backend: Backend) throws {
        let folder = try scratchFolder()
        let path = try backend.demoCopy(in: folder)
        let early = try CLI.run(["accounts", "--at-risk", "--store", path])
        #expect(early.status == 1)
        #expect(early.stderr.contains("run `fulcrum model train churn` first"), "\(early.stderr)")
        let ltvBefore = try CLI.run(["accounts", "--by-ltv", "--store", path, "--limit", "3", "--format", "json"])
        #expect(ltvBefore.status == 0 && !ltvBefore.stdout.contains("predicted_ltv"), "no model, no prediction")

        let trained = try CLI.run(["model", "train", "churn", "--store", path, "--format", "json"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(trained.stdout.utf8)) as? [String: Any])
        #expect(summary["kind"] as? String == "churn")
        #expect((summary["validation"] as? String)?.hasPrefix("out of time") == true)
        let auc = try #require(((summary["metrics"] as? [String: Any])?["roc_auc"] as? NSNumber)?.doubleValue)
        #expect(auc > 0.75)
        let drivers = try #require(summary["drivers"] as? [[String: Any]])
        #expect(drivers.count == 15)

        let report = try CLI.run(["model", "report", "--store", path])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("churn model ("))
        #expect(report.stdout.contains("Calibration on the test rows"))
        #expect(report.stdout.contains("Drivers (test ROC AUC lost"))

        let risk = try CLI.run(["accounts", "--at-risk", "--store", path, "--limit", "5", "--format", "json"])
        #expect(risk.status == 0, "\(risk.stderr)")
        let table = try #require(try JSONSerialization.jsonObject(with: Data(risk.stdout.utf8)) as? [String: Any])
        let rows = try #require(table["rows"] as? [[String: Any]])
        #expect(rows.count == 5)
        var previous = Double.infinity
        for row in rows {
            let loss = try #require((row["expected_mrr_lost"] as? NSNumber)?.doubleValue)
            #expect(loss <= previous)
            previous = loss
            let p = try #require((row["churn_90d"] as? NSNumber)?.doubleValue)
            let health = try #require((row["health"] as? NSNumber)?.intValue)
            let band = try #require(row["band"] as? String)
            #expect(p > 0 && p < 1 && (0...100).contains(health))
            #expect(band == (health >= 75 ? "healthy" : health >= 50 ? "watch" : "at risk"))
            #expect(!(row["next_step"] as? String ?? "").isEmpty)
        }
        let csv = try CLI.run(["accounts", "--at-risk", "--store", path, "--limit", "3", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("account,segment,owner,mrr,churn_90d,health,band,"), "\(csv.stdout.prefix(200))")

        // With the model stored, --by-ltv shows its predicted LTV beside the retention model's, by hand:
        // r = (1 − churn_90d)^(1/3) ÷ (1 + monthly discount), residual = MRR × r ÷ (1 − r),
        // predicted LTV = 0.8 × (revenue to date + residual).
        let ltv = try CLI.run(["accounts", "--by-ltv", "--store", path, "--limit", "10", "--format", "json"])
        #expect(ltv.status == 0, "\(ltv.stderr)")
        let ranked = try #require(try JSONSerialization.jsonObject(with: Data(ltv.stdout.utf8)) as? [String: Any])
        let monthlyDiscount = pow(1.1, 1.0 / 12) - 1
        var predicted = 0
        for row in try #require(ranked["rows"] as? [[String: Any]]) {
            let mrr = try #require((row["mrr"] as? NSNumber)?.doubleValue)
            let toDate = try #require((row["revenue_to_date"] as? NSNumber)?.doubleValue)
            let residual = try #require((row["predicted_residual"] as? NSNumber)?.doubleValue)
            if let p = (row["churn_90d"] as? NSNumber)?.doubleValue {
                let r = pow(1 - p, 1.0 / 3) / (1 + monthlyDiscount)
                // churn_90d is printed to 6 decimals and the residual is steep in it near r = 1: 1e-4 relative.
                #expect(abs(residual - mrr * r / (1 - r)) < 0.02 + 1e-4 * residual, "\(row)")
                predicted += 1
            } else {
                #expect(residual == 0 && mrr == 0, "only a paying account has a prediction: \(row)")
            }
            let total = try #require((row["predicted_ltv"] as? NSNumber)?.doubleValue)
            #expect(abs(total - 0.8 * (toDate + residual)) < 0.02, "\(row)")
        }
        #expect(predicted >= 5)
    }

    @Test("model features writes the panel with its split; the file trains like the store does; unknown kinds refused")
    func featuresExport() throws {
        let out = try scratchFolder() + "/churn.csv"
        let result = try CLI.run(["model", "features", "churn", "--store", Self.store, "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines[0].hasPrefix("id,time,split,mrr_log,tenure_months,"))
        #expect(lines[0].hasSuffix(",target"))
        let splits = Set(lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] })
        #expect(splits == ["train", "test"])
        let trained = try CLI.run([
            "model", "train", "--features", out, "--target", "target", "--id", "id", "--time", "time", "--split",
            "split", "--format", "json",
        ])
        #expect(trained.status == 0, "\(trained.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(trained.stdout.utf8)) as? [String: Any])
        #expect(summary["rows"] as? Int == lines.count - 1)
        let bad = try CLI.run(["model", "features", "revenue", "--store", Self.store])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("'revenue' is not one of churn, expansion, conversion"), "\(bad.stderr)")
    }

    @Test("a kind fulcrum does not train, and a kind mixed with a feature table, are refused")
    func badKinds() throws {
        let unknown = try CLI.run(["model", "train", "revenue", "--store", Self.store])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("'revenue' is not a model fulcrum trains from the store"), "\(unknown.stderr)")
        let mixed = try CLI.run(["model", "train", "churn", "--features", "x.csv", "--store", Self.store])
        #expect(mixed.status == 64)
        #expect(mixed.stderr.contains("--features: a feature table is trained without a kind"), "\(mixed.stderr)")
    }
}

@Suite("fulcrum next-steps on the demo store")
struct NextStepsCLITests {
    @Test("with churn, conversion and trial models: customers at risk, leads and trials by expected value, per owner")
    func nextSteps() throws {
        let folder = try scratchFolder()
        let path = folder + "/copy.sqlite"
        try FileManager.default.copyItem(atPath: ChurnCLITests.store, toPath: path)
        let none = try CLI.run(["next-steps", "--store", path])
        #expect(none.status == 1)
        #expect(
            none.stderr.contains(
                "run `fulcrum model train churn`, `fulcrum model train conversion` or `fulcrum model train trial`"))
        for kind in ["churn", "conversion", "expansion", "trial", "win"] {
            let trained = try CLI.run(["model", "train", kind, "--store", path])
            #expect(trained.status == 0, "\(kind): \(trained.stderr)")
            #expect(trained.stdout.contains("saved in the store as the \(kind) model"))
        }
        let result = try CLI.run(["next-steps", "--store", path, "--limit", "5000", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let table = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let rows = try #require(table["rows"] as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["kind"] as? String }) == ["at risk", "ready to buy", "trial"])
        var previous = Double.infinity
        for row in rows {
            let value = try #require((row["expected_value"] as? NSNumber)?.doubleValue)
            let annual = try #require((row["annual_value"] as? NSNumber)?.doubleValue)
            let p = try #require((row["probability"] as? NSNumber)?.doubleValue)
            #expect(value <= previous)
            #expect(abs(value - p * annual) < annual * 1e-6 + 0.01)  // the probability is printed to 6 places
            previous = value
        }
        let owner = try #require(rows.first?["owner"] as? String)
        let mine = try CLI.run(["next-steps", "--store", path, "--owner", owner, "--format", "json"])
        let mineRows =
            (try JSONSerialization.jsonObject(with: Data(mine.stdout.utf8)) as? [String: Any])?["rows"]
            as? [[String: Any]] ?? []
        #expect(!mineRows.isEmpty && mineRows.allSatisfy { $0["owner"] as? String == owner })
    }
}
