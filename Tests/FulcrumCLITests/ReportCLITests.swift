import Foundation
import Testing

/// `fulcrum report`, `fulcrum metrics` and `fulcrum accounts --by-ltv` on the small demo company, on both
/// backends: the SQLite store and its copy on PostgreSQL give the same answers to the same tests.
@Suite("fulcrum report and metrics", .serialized)
struct ReportCLITests {

    @Test(
        "mrr-movements as CSV: exact header with the partial flag, YYYY-MM months, negative churn, settings on stderr",
        arguments: Backend.available)
    func movementsCSV(_ backend: Backend) throws {
        let store = backend.sharedDemo
        let r = try CLI.run([
            "report", "mrr-movements", "--store", store, "--format", "csv", "--from", "2026-01", "--to", "2026-10",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "month,new,expansion,contraction,churn,reactivation,mrr,partial")
        #expect(lines.count == 11)
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(cells.count == 8)
            // The demo's data ends on 2026-10-31: every month here is complete.
            #expect(cells[7] == "false")
            #expect(cells[0].count == 7 && cells[0].dropFirst(4).first == "-")
            #expect(Double(cells[4])! <= 0 && Double(cells[3])! <= 0)  // contraction and churn are negative numbers
            #expect(!cells[4].hasPrefix("'"))
        }
        #expect(r.stderr.contains("# churn recognition: end of the paid period"))
        // The last CSV row's MRR is the headline's MRR.
        let headline = try CLI.run(["report", "headline", "--store", store])
        let mrr = Double(lines.last!.split(separator: ",").dropLast().last!)!
        #expect(headline.stdout.contains(Self.grouped(Int64(mrr.rounded()))), "\(headline.stdout)")
    }

    @Test(
        "headline honours --include-trials and --churn-recognition, and says which definitions it used",
        arguments: Backend.available)
    func headlineSettings(_ backend: Backend) throws {
        let store = backend.sharedDemo
        func total(_ extra: [String]) throws -> [String: Any] {
            let r = try CLI.run(["report", "headline", "--store", store, "--format", "json"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
            return headlineTotal(object)
        }
        let plain = try total([])
        let trials = try total(["--include-trials"])
        // The small demo has trials in force at the headline month: they add MRR when counted.
        #expect((trials["mrr"] as! Double) > (plain["mrr"] as! Double), "\(plain) vs \(trials)")
        let table = try CLI.run([
            "report", "headline", "--store", store, "--include-trials", "--churn-recognition", "cancel-date",
        ])
        #expect(table.stdout.contains("trials included (--include-trials)"), "\(table.stdout)")
        #expect(table.stdout.contains("churn dated at the cancel date"), "\(table.stdout)")
        let defaults = try CLI.run(["report", "headline", "--store", store])
        #expect(defaults.stdout.contains("trials excluded, churn dated at the end of the paid period"))
    }

    static func grouped(_ v: Int64) -> String {
        let digits = String(v)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return "$" + out
    }

    @Test("every report runs as table, csv and json")
    func everyReport() throws {
        let store = sharedDemoStore
        let ids = [
            "mrr-movements", "mrr", "customers", "churn", "retention", "cohorts-logo", "cohorts-revenue", "cac",
            "unit-economics", "segment-economics", "growth", "velocity", "trials", "accounts-ltv",
        ]
        for id in ids {
            for format in ["table", "csv", "json"] {
                let r = try CLI.run([
                    "report", id, "--store", store, "--format", format, "--period", "quarter", "--from", "2025-01",
                ])
                #expect(r.status == 0, "\(id) \(format): \(r.stderr)")
                #expect(!r.stdout.isEmpty)
                if format == "json" {
                    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
                    #expect(object?["report"] as? String == id)
                    #expect((object?["settings"] as? [String: Any])?.isEmpty == false)
                }
            }
        }
    }

    @Test("slices, explain and compare", arguments: Backend.available)
    func options(_ backend: Backend) throws {
        let store = backend.sharedDemo
        let seg = try CLI.run(["report", "churn", "--store", store, "--by", "segment", "--from", "2026-10"])
        #expect(seg.status == 0)
        for s in ["Tech", "Telecom", "Consulting"] { #expect(seg.stdout.contains("2026-10  \(s)")) }
        let explain = try CLI.run([
            "report", "customers", "--store", store, "--from", "2026-10", "--explain", "--format", "csv",
        ])
        #expect(explain.stdout.hasPrefix("month,column,value,rule,part,record,source_ids,account,amount\n"))
        #expect(explain.stdout.contains("2026-10,new,"))
        let compare = try CLI.run([
            "report", "mrr", "--store", store, "--from", "2026-10", "--compare", "year", "--format", "csv",
        ])
        #expect(compare.stdout.split(separator: "\n").first?.contains("mrr_year") == true)
        let custom = try CLI.run(["report", "mrr", "--store", store, "--from", "2026-10", "--by", "custom:tier"])
        #expect(custom.status == 0 && custom.stdout.contains("Enterprise"))
    }

    @Test("bad input: clear message naming the parameter, non-zero exit", arguments: Backend.available)
    func badInput(_ backend: Backend) throws {
        let store = backend.sharedDemo
        let cases: [([String], String)] = [
            (["report", "nope"], "unknown report 'nope'"),
            (["report", "mrr", "--by", "color"], "--by"),
            (["report", "mrr", "--from", "2026-13"], "--from"),
            (["report", "mrr", "--to", "2031-01"], "--to"),
            (["report", "growth", "--by", "segment"], "--by"),
            (["report", "mrr", "--period", "week"], "--period"),
            (["report", "mrr", "--format", "xml"], "--format"),
            (["report", "mrr", "--compare", "decade"], "--compare"),
            (["report", "cohorts-logo", "--compare", "year"], "--compare"),
            (
                ["report", "cohorts-revenue", "--compare", "previous"],
                "--compare: report 'cohorts-revenue' cannot be compared"
            ),
            (["report", "accounts-ltv", "--compare", "year"], "--compare: report 'accounts-ltv' cannot be compared"),
            (["accounts", "--by-ltv", "--compare", "previous"], "--compare"),
            (["report", "headline", "--compare", "previous"], "--compare"),
            (["report", "headline", "--by", "segment"], "--by"),
            (["report", "mrr", "--by", "campaign"], "campaign is an acquisition dimension"),
        ]
        for (args, message) in cases {
            let r = try CLI.run(args + ["--store", store])
            #expect(r.status != 0, "\(args)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
        // One kind of mistake, one style: a slice or comparison a report never takes is a usage error (exit 64,
        // argument-parser's "Error:"), the same for the headline and the cohort matrices; a month outside the data
        // is a data error (exit 1, "fulcrum: error:").
        for args in [
            ["report", "headline", "--compare", "previous"], ["report", "cohorts-logo", "--compare", "year"],
            ["report", "growth", "--by", "segment"], ["report", "mrr", "--by", "campaign"],
        ] {
            let r = try CLI.run(args + ["--store", store])
            #expect(r.status == 64 && r.stderr.hasPrefix("Error: "), "\(args): \(r.status) \(r.stderr)")
        }
        let outside = try CLI.run(["report", "mrr", "--to", "2031-01", "--store", store])
        #expect(outside.status == 1 && outside.stderr.hasPrefix("fulcrum: error: "), "\(outside.stderr)")
    }

    @Test(
        "--by campaign on acquisition reports: campaign names as slices, CAC blank where no spend is attributed",
        arguments: Backend.available)
    func campaigns(_ backend: Backend) throws {
        let store = backend.sharedDemo
        let cac = try CLI.run([
            "report", "cac", "--store", store, "--by", "campaign", "--from", "2026-07", "--to", "2026-09",
            "--period", "quarter", "--format", "csv",
        ])
        #expect(cac.status == 0, "\(cac.stderr)")
        let lines = cac.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.first
                == "quarter,campaign,new_customers,marketing_spend,cac_simple,sales_spend,fully_loaded_spend,cac_fully_loaded,partial"
        )
        #expect(lines.contains { $0.hasPrefix("2026-Q3,2026 Q3 Tech Paid Search,") })
        #expect(cac.stderr.contains("# campaign: an account belongs to the campaign of its first touch"))
        // Every (none) row — no spend can be attributed to it — has blank CAC cells.
        for line in lines where line.hasPrefix("2026-Q3,(none),") {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(cells[4].isEmpty && cells[7].isEmpty, "\(line)")
        }
        let funnel = try CLI.run([
            "report", "segment-economics", "--store", store, "--by", "campaign", "--format", "json",
        ])
        #expect(funnel.status == 0, "\(funnel.stderr)")
        #expect(funnel.stdout.contains("\"campaign\": \"2026 Q3 Telecom Events\""))
    }

    @Test("metrics lists every definition; accounts --by-ltv ranks accounts", arguments: Backend.available)
    func metricsAndAccounts(_ backend: Backend) throws {
        let store = backend.sharedDemo
        let m = try CLI.run(["metrics", "--format", "json"])
        #expect(m.status == 0)
        let list = try JSONSerialization.jsonObject(with: Data(m.stdout.utf8)) as? [[String: Any]]
        #expect((list?.count ?? 0) >= 40)
        #expect(
            list?.contains { $0["id"] as? String == "ltv-cac" && ($0["tier"] as? String) == "business goal" } == true)
        let table = try CLI.run(["metrics"])
        #expect(table.stdout.contains("revenue-velocity"))
        let csv = try CLI.run(["accounts", "--by-ltv", "--store", store, "--limit", "5", "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(
            csv.stdout.hasPrefix(
                "account,name,segment,owner,status,paid_months,revenue_to_date,mrr,expected_residual,ltv,cac_fully_loaded,ltv_cac_fully_loaded\n"
            )
        )
        let a = try CLI.run(["accounts", "--by-ltv", "--store", store, "--limit", "5", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any]
        let rows = object?["rows"] as? [[String: Any]] ?? []
        #expect(rows.count == 5)
        let ltvs = rows.map { ($0["ltv"] as? Double) ?? 0 }
        #expect(ltvs == ltvs.sorted(by: >))
    }
}

extension ReportCLITests {
    @Test("headline as CSV and JSON has every report's shape: columns, rows, settings", arguments: Backend.available)
    func headlineShape(_ backend: Backend) throws {
        let store = backend.sharedDemo
        let csv = try CLI.run(["report", "headline", "--store", store, "--format", "csv", "--include-trials"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.first == "segment,customers,mrr,arr,logo_churn_ttm,new_customers_ttm,marketing_spend_ttm,cac_simple")
        #expect(lines.last?.hasPrefix("Total,") == true)
        #expect(csv.stderr.contains("# trials: counted in MRR (--include-trials)"), "\(csv.stderr)")
        let json = try CLI.run(["report", "headline", "--store", store, "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect((object["columns"] as? [String])?.contains("cac_simple") == true)
        #expect((object["settings"] as? [String: String])?["logo churn TTM"]?.contains("retention") == true)
        let table = try CLI.run(["report", "headline", "--store", store])
        let total = table.stdout.split(separator: "\n").first { $0.hasPrefix("Total") }.map(String.init) ?? ""
        let customers = headlineTotal(object)["customers"] as! Int
        #expect(total.split(separator: " ", omittingEmptySubsequences: true)[1] == Substring(String(customers)))
    }
}
