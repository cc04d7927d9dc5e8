import Foundation
import Testing

/// `fulcrum model buckets` and `fulcrum model indicators` on the demo store, on every backend: the same
/// tables, the planted segment story in the churn buckets, and errors that name the parameter.
@Suite("fulcrum model buckets and model indicators")
struct SegmentsCLITests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(
        "buckets: one row per bucket with its rate and difference; the same on every backend",
        arguments: Backend.available)
    func buckets(_ backend: Backend) throws {
        let result = try CLI.run(["model", "buckets", "--store", backend.sharedDemo, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let table = try Self.json(result.stdout)
        let rows = try #require(table["rows"] as? [[String: Any]])
        let outcomes = Set(rows.compactMap { $0["outcome"] as? String })
        #expect(outcomes == ["conversion", "win", "churn", "expansion"])
        for outcome in outcomes {
            let mine = rows.filter { $0["outcome"] as? String == outcome }
            // The buckets of an outcome partition its accounts, and rates are outcomes ÷ accounts.
            let accounts = mine.map { ($0["accounts"] as! NSNumber).intValue }
            let hits = mine.map { ($0["outcomes"] as! NSNumber).intValue }
            for (row, (n, k)) in zip(mine, zip(accounts, hits)) {
                let rate = (row["rate"] as! NSNumber).doubleValue
                #expect(abs(rate - Double(k) / Double(n)) < 1e-6)
                if mine.count > 1 {
                    let rest = (row["rest_rate"] as! NSNumber).doubleValue
                    let total = accounts.reduce(0, +)
                    #expect(abs(rest - Double(hits.reduce(0, +) - k) / Double(total - n)) < 1e-6)
                    let difference = (row["difference_pp"] as! NSNumber).doubleValue
                    #expect(abs(difference - 100 * (rate - rest)) < 1e-4)
                }
            }
        }
        let churn = rows.filter { $0["outcome"] as? String == "churn" }
        #expect((churn.first?["bucket"] as? String)?.contains("Consulting") == true, "\(churn)")
        if backend == .postgres {
            let sqlite = try CLI.run(["model", "buckets", "--store", sharedDemoStore, "--format", "json"])
            #expect(sqlite.stdout == result.stdout)
        }
    }

    @Test(
        "indicators: lead and customer stages, the CSV header, the same on every backend", arguments: Backend.available)
    func indicators(_ backend: Backend) throws {
        let csv = try CLI.run(["model", "indicators", "--store", backend.sharedDemo, "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(
            csv.stdout.hasPrefix(
                "stage,outcome,indicator,kind,rows,cut,rate_low,rate_mid,rate_high,difference_pp,ci_low_pp,ci_high_pp,p,corr_nps_last,corr_csat_180d,corr_tickets_90d\n"
            ), "\(csv.stdout.prefix(300))")
        for prefix in ["lead,opportunity,fast_response,process,", "customer,churn,urgent_tickets_90d,feedback,"] {
            #expect(csv.stdout.contains("\n" + prefix), "\(prefix)")
        }
        let lead = try CLI.run([
            "model", "indicators", "--stage", "lead", "--store", backend.sharedDemo, "--format", "json",
        ])
        let rows = try #require(try Self.json(lead.stdout)["rows"] as? [[String: Any]])
        #expect(!rows.isEmpty && rows.allSatisfy { $0["stage"] as? String == "lead" })
        #expect(rows.first?["indicator"] as? String == "fast_response", "\(rows.first ?? [:])")
        if backend == .postgres {
            let sqlite = try CLI.run(["model", "indicators", "--store", sharedDemoStore, "--format", "csv"])
            #expect(sqlite.stdout == csv.stdout)
        }
    }

    @Test("bad parameters are errors that name the parameter; the store is untouched")
    func badInput() throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: sharedDemoStore))
        for (args, message) in [
            (["--by", "channel"], "--by: 'channel' is not a profile dimension"),
            (["--outcome", "renewal"], "--outcome"),
            (["--min-size", "0"], "--min-size: must be at least 1"),
            (["--alpha", "2"], "--alpha: must be between 0 and 1"),
        ] {
            let r = try CLI.run(["model", "buckets", "--store", sharedDemoStore] + args)
            #expect(r.status != 0 && r.stderr.contains(message), "\(args): \(r.stderr)")
        }
        let stage = try CLI.run(["model", "indicators", "--store", sharedDemoStore, "--stage", "trial"])
        #expect(stage.status != 0 && stage.stderr.contains("--stage: 'trial' is not one of lead, customer"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: sharedDemoStore)) == before)
    }
}
