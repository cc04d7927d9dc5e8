import Foundation
import Testing

/// `--explain` proves every number: each explained cell lists the records behind it as the user knows
/// them (source id, account name, amount), and those records reproduce the cell — amounts add up to it,
/// records count to it, numerator ÷ denominator gives it. Walked over every report, run by the real binary
/// on the demo company exported as canonical CSV and imported back (so records carry source ids).
@Suite("explain: every cell traced to its records", .serialized)
struct ExplainCLITests {
    /// The imported demo company with one pair of accounts merged, built once.
    static let store: String = {
        let folder = try! scratchFolder()
        let demo = try! CLI.run(["demo", "--store", folder + "/demo.sqlite", "--export", folder + "/csv"])
        precondition(demo.status == 0, demo.stderr)
        let imported = try! CLI.run(["import", "--store", folder + "/imported.sqlite", folder + "/csv"])
        precondition(imported.status == 0, imported.stderr)
        // Account 3 pays throughout the demo's last year; 2 is merged into it, so its source id joins 3's.
        let merge = try! CLI.run(["accounts", "merge", "2", "3", "--store", folder + "/imported.sqlite"])
        precondition(merge.status == 0, merge.stderr)
        return folder + "/imported.sqlite"
    }()

    /// Money and count cells that carry no records, each with the reason; every other non-blank money or
    /// count cell of every report must be explained.
    static let unexplained: [String: String] = [
        "marketing.email_opens": "touch counts are rolled up in the store (no record list is read)",
        "marketing.email_clicks": "touch counts are rolled up in the store",
        "marketing.content_downloads": "touch counts are rolled up in the store",
        "marketing.webinars": "touch counts are rolled up in the store",
        "marketing.events": "touch counts are rolled up in the store",
        "marketing.social_visits": "touch counts are rolled up in the store",
        "trials.trial_mrr": "the ledger's month total of subscriptions in trial",
        "trials.trials_in_force": "the ledger's month total of subscriptions in trial",
        "unit-economics.customers": "the retention window's average customer count",
        "unit-economics.arpa": "average MRR per customer over the retention window",
        "unit-economics.ltv_simple": "a formula over ARPA, margin and churn (settings)",
        "unit-economics.ltv_sbg": "a fitted survival model (settings)",
        "segment-economics.ltv": "a formula over ARPA, margin and churn (settings)",
        "accounts-ltv.paid_months": "months, not records",
        "accounts-ltv.expected_residual": "a fitted survival model (settings)",
        "accounts-ltv.ltv": "a formula over revenue and the model (settings)",
        "accounts-ltv.cac_fully_loaded": "the segment's CAC of the year (the cac report explains it)",
        "velocity.velocity_per_day": "a formula over the explained cells of its row",
        "velocity.acceleration_per_day": "a difference of two velocities",
        "rep-scorecard.calls": "activity counts per rep are tallied without a record list",
        "rep-scorecard.emails": "activity counts per rep are tallied without a record list",
        "rep-scorecard.meetings": "activity counts per rep are tallied without a record list",
        "rep-scorecard.demos": "activity counts per rep are tallied without a record list",
        "rep-scorecard.leads_owned": "tallied without a record list",
        "rep-scorecard.bookings_prev": "the previous period's bookings cell explains it",
        "rep-scorecard.quota": "a target, not records",
        "rep-scorecard.rank_in_team": "a rank, not records",
    ]

    static let reports = [
        "mrr-movements", "mrr", "customers", "churn", "retention", "cohorts-logo", "cohorts-revenue", "cac",
        "unit-economics", "segment-economics", "growth", "velocity", "trials", "accounts-ltv", "attribution",
        "lifecycle", "funnel", "leads", "lead-response", "marketing", "sales", "pipeline", "targets", "rep-scorecard",
        "am-scorecard", "cs-scorecard",
    ]

    /// Runs the reports with --explain --format json into a folder; returns each report's JSON object.
    static func explained(_ ids: [String], _ options: [String], store: String = store) throws -> [String: [String: Any]]
    {
        let folder = try scratchFolder() + "/out"
        let run = try CLI.run(
            ["report"] + ids + ["--store", store, "--explain", "--format", "json", "--output", folder] + options)
        #expect(run.status == 0, "\(options): \(run.stderr)")
        var out: [String: [String: Any]] = [:]
        for id in ids {
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/\(id).json"))
            out[id] = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        }
        return out
    }

    /// What a part of an explanation makes: the sum of its amounts, else the number of its records.
    static func total(_ records: [[String: Any]]) -> Double {
        let amounts = records.compactMap { $0["amount"] as? Double }
        return amounts.isEmpty && records.allSatisfy({ $0["amount"] == nil })
            ? Double(records.count) : amounts.reduce(0, +)
    }

    /// Checks every explained cell of one report; returns the failures and the number of cells checked.
    /// A non-key money or count cell that is not zero must be explained, unless listed with its reason.
    static func check(_ report: [String: Any]) -> (failures: [String], checked: Int) {
        let id = report["report"] as! String
        let columns = report["columns"] as! [String]
        let kinds = report["kinds"] as! [String]
        var failures: [String] = []
        var checked = 0
        for row in report["rows"] as! [[String: Any]] {
            let explain = row["explain"] as? [String: Any] ?? [:]
            let key = columns.prefix(3).map { "\(row[$0] ?? "")" }.joined(separator: "/")
            for (column, columnKind) in zip(columns, kinds) {
                let place = "\(id) \(key) \(column)"
                guard let e = explain[column] as? [String: Any] else {
                    // A change (--compare) of a ratio is explained by the two cells beside it.
                    let base = column.hasSuffix("_change") ? String(column.dropLast(7)) : column
                    let baseRule = (explain[base] as? [String: Any])?["rule"] as? String
                    if ["money", "count"].contains(columnKind), let v = row[column] as? Double, v != 0,
                        unexplained[id] == nil, unexplained[id + "." + base] == nil,
                        !(base != column && ["ratio", "mean", "from"].contains(baseRule ?? ""))
                    {
                        failures.append("\(place) = \(v): no records and no listed reason")
                    }
                    continue
                }
                let rule = e["rule"] as! String
                let kind = e["kind"] as! String
                if kind != columnKind { failures.append("\(place): kind \(kind), column \(columnKind)") }
                let records = e["records"] as! [[String: Any]]
                for r in records + (e["denominator"] as? [[String: Any]] ?? []) {
                    let record = r["record"] as! String
                    guard !record.hasPrefix("adjustment:") else { continue }
                    if (r["source_ids"] as! [String]).isEmpty {
                        failures.append("\(place): \(record) has no source id")
                    }
                    if record.hasPrefix("account:"), r["account"] is NSNull {
                        failures.append("\(place): \(record) has no account name")
                    }
                }
                guard rule != "from" else { continue }
                guard let cell = row[column] as? Double else { continue }
                let value: Double?
                switch rule {
                case "sum": value = records.reduce(0) { $0 + ($1["amount"] as? Double ?? 0) }
                case "count": value = Double(records.count)
                case "mean": value = records.isEmpty ? nil : total(records) / Double(records.count)
                case "ratio":
                    let d = total(e["denominator"] as! [[String: Any]])
                    value = d == 0 ? nil : total(records) / d
                default:
                    failures.append("\(place): unknown rule \(rule)")
                    continue
                }
                guard let value else {
                    failures.append("\(place): the records make no value, the cell is \(cell)")
                    continue
                }
                // Money is printed to the cent (a ratio of money rounded to it); counts are exact; rates,
                // multiples and days are printed to 6 decimals.
                let tolerance =
                    kind == "money" ? 0.005 + 1e-9 * abs(cell) : kind == "count" ? 0 : 5e-7 + 1e-9 * abs(cell)
                checked += 1
                if abs(value - cell) > tolerance + 1e-9 {
                    failures.append("\(place) (\(rule), \(kind)): the records make \(value), the cell is \(cell)")
                }
            }
        }
        return (failures, checked)
    }

    static func walk(_ reports: [String: [String: Any]]) -> Int {
        var checked = 0
        for (id, report) in reports.sorted(by: { $0.key < $1.key }) {
            let result = check(report)
            checked += result.checked
            #expect(
                result.failures.isEmpty,
                "\(id): \(result.failures.count) failures\n\(result.failures.prefix(8).joined(separator: "\n"))")
        }
        return checked
    }

    @Test(
        "every report and the headline, default range: each explained cell is reproduced by its records; every record has its source id",
        arguments: Backend.available)
    func everyReport(_ backend: Backend) throws {
        var store = Self.store
        if backend == .postgres {
            store = try Backend.createDatabase()
            let copy = try CLI.run(["store", "copy", "--from", Self.store, "--to", store])
            #expect(copy.status == 0, "\(copy.stderr)")
        }
        var reports = try Self.explained(Self.reports, [], store: store)
        // The headline prints on its own; its cells are explained the same way.
        let headline = try CLI.run(["report", "headline", "--store", store, "--explain", "--format", "json"])
        #expect(headline.status == 0, "\(headline.stderr)")
        reports["headline"] = try JSONSerialization.jsonObject(with: Data(headline.stdout.utf8)) as? [String: Any]
        #expect(reports.count == Self.reports.count + 1)
        let checked = Self.walk(reports)
        #expect(checked > 5_000, "cells checked: \(checked)")
    }

    @Test("by quarter, and compared with the year before: the same rules hold")
    func quarters() throws {
        let periodic = Self.reports.filter {
            !["unit-economics", "segment-economics", "accounts-ltv", "attribution", "cohorts-logo", "cohorts-revenue"]
                .contains($0)
        }
        _ = Self.walk(try Self.explained(periodic, ["--period", "quarter"]))
        _ = Self.walk(try Self.explained(["mrr-movements", "churn", "cac"], ["--compare", "year"]))
        // Attribution of new MRR under one model, with CAC and ROMI by channel: fractional credits add up too.
        _ = Self.walk(try Self.explained(["attribution"], ["--metric", "new-mrr", "--model", "linear"]))
    }

    @Test("sliced by segment: every report that takes the slice")
    func bySegment() throws {
        var sliced: [String] = []
        for id in Self.reports {
            let probe = try CLI.run(["report", id, "--store", Self.store, "--by", "segment", "--format", "csv"])
            if probe.status == 0 { sliced.append(id) }
        }
        #expect(sliced.count >= 15, "\(sliced)")
        _ = Self.walk(try Self.explained(sliced, ["--by", "segment"]))
    }

    @Test("the table names each account by name and source id, with the amount it moved")
    func tableShowsSourceIds() throws {
        let run = try CLI.run(["report", "mrr", "--store", Self.store, "--from", "2026-10", "--explain"])
        #expect(run.status == 0, "\(run.stderr)")
        // Account 3 survived the merge of account 2: both source ids name it.
        let line = try #require(run.stdout.split(separator: "\n").first { $0.contains(" account:3 ") })
        #expect(line.contains("canonical:3 canonical:2"), "\(line)")
        #expect(run.stdout.contains("2026-10  mrr = $"), "\(run.stdout.prefix(2000))")
        let csv = try CLI.run([
            "report", "mrr-movements", "--store", Self.store, "--from", "2026-10", "--explain", "--format", "csv",
        ])
        #expect(csv.stdout.hasPrefix("month,column,value,rule,part,record,source_ids,account,amount\n"))
        #expect(csv.stdout.contains(",mrr,"), "\(csv.stdout.prefix(500))")
    }
}
