import Foundation
import Testing

/// `fulcrum accounts duplicates | merge | unmerge | unmatched` on the small demo company.
@Suite("fulcrum accounts (identity)", .serialized)
struct AccountsCLITests {
    /// One demo store and its canonical CSV export, built once for the suite.
    static let folder: String = {
        let folder = try! scratchFolder()
        let result = try! CLI.run(["demo", "--store", folder + "/demo.sqlite", "--export", folder + "/csv"])
        precondition(result.status == 0, result.stderr)
        return folder
    }()
    static var store: String { folder + "/demo.sqlite" }

    static func json(_ arguments: [String]) throws -> Any {
        let result = try CLI.run(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    static func customers(_ store: String) throws -> Int {
        let headline = try json(["report", "headline", "--store", store, "--format", "json"]) as! [String: Any]
        return headlineTotal(headline)["customers"] as! Int
    }

    /// Accounts with a subscription in force and paying on 2026-10-31, read from the exported
    /// subscriptions.csv by hand: started, not yet ended, out of trial, a positive price.
    static func payingAccounts() throws -> Set<Int> {
        let lines = try String(contentsOfFile: folder + "/csv/subscriptions.csv", encoding: .utf8).split(
            separator: "\n"
        ).map(String.init)
        let header = splitCSV(lines[0])
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        let (account, start, end, trial, amount) = (
            column("account_id"), column("started_on"), column("ended_on"), column("trial_end_on"),
            column("amount_minor")
        )
        let day = "2026-10-31"
        var paying = Set<Int>()
        for line in lines.dropFirst() {
            let cells = splitCSV(line)
            guard cells[start] <= day, cells[end].isEmpty || cells[end] > day,
                cells[trial].isEmpty || cells[trial] <= day, (Int(cells[amount]) ?? 0) > 0
            else { continue }
            paying.insert(Int(cells[account])!)
        }
        return paying
    }

    /// RFC 4180 cells of one line (the export quotes cells with commas or quotes).
    static func splitCSV(_ line: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var chars = line.makeIterator()
        while let c = chars.next() {
            if quoted {
                if c == "\"" {
                    if let n = chars.next() {
                        if n == "\"" {
                            cell.append("\"")
                        } else {
                            quoted = false
                            if n == "," {
                                cells.append(cell)
                                cell = ""
                            } else {
                                cell.append(n)
                            }
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    cell.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                cells.append(cell)
                cell = ""
            } else {
                cell.append(c)
            }
        }
        cells.append(cell)
        return cells
    }

    /// A copy of the suite's demo store on `backend`, to change.
    static func copy(_ backend: Backend, name: String) throws -> String {
        switch backend {
        case .sqlite:
            let store = Self.folder + "/\(name).sqlite"
            try? FileManager.default.removeItem(atPath: store)
            try FileManager.default.copyItem(atPath: Self.store, toPath: store)
            return store
        case .postgres:
            let store = try Backend.createDatabase()
            let copy = try CLI.run(["store", "copy", "--from", Self.store, "--to", store])
            precondition(copy.status == 0, copy.stderr)
            return store
        }
    }

    @Test(
        "merging the planted duplicates counts each company once in the headline, and unmerge restores it",
        arguments: Backend.available)
    func mergeCountsOnce(_ backend: Backend) throws {
        let store = try Self.copy(backend, name: "merge")
        let before = try Self.customers(store)

        let pairs =
            try Self.json([
                "accounts", "duplicates", "--store", store, "--min-score", "0.95", "--limit", "0", "--format", "json",
            ]) as! [[String: Any]]
        #expect(pairs.count >= 8, "the demo plants about 3% of sales-led customers as duplicates")
        let ids = pairs.map {
            (keep: ($0["keep"] as! [String: Any])["id"] as! Int, merge: ($0["merge"] as! [String: Any])["id"] as! Int)
        }

        // By hand: a merge lowers the count by one exactly when both records are paying customers;
        // when only one pays, the surviving company is still one customer.
        let paying = try Self.payingAccounts()
        let bothPaying = ids.filter { paying.contains($0.keep) && paying.contains($0.merge) }
        #expect(!bothPaying.isEmpty, "some planted duplicates hold an active add-on of a paying customer")

        for pair in ids {
            let merge = try CLI.run([
                "accounts", "merge", String(pair.merge), String(pair.keep), "--store", store, "--actor", "test",
                "--reason", "planted duplicate",
            ])
            #expect(merge.status == 0, "\(merge.stderr)")
            #expect(merge.stdout.hasPrefix("Merged account \(pair.merge) into \(pair.keep) "))
        }
        #expect(try Self.customers(store) == before - bothPaying.count)
        let after =
            try Self.json([
                "accounts", "duplicates", "--store", store, "--min-score", "0.95", "--limit", "0", "--format", "json",
            ]) as! [Any]
        #expect(after.isEmpty, "merged records are no longer candidates")

        let undone = bothPaying[0]
        let unmerge = try CLI.run(["accounts", "unmerge", String(undone.merge), "--store", store])
        #expect(unmerge.status == 0, "\(unmerge.stderr)")
        #expect(unmerge.stdout.hasPrefix("Unmerged account \(undone.merge) from \(undone.keep) "))
        #expect(try Self.customers(store) == before - bothPaying.count + 1)
    }

    @Test(
        "bad merges exit 1 with one line naming the store and the reason; bad arguments exit 64",
        arguments: Backend.available)
    func refusals(_ backend: Backend) throws {
        let store = try Self.copy(backend, name: "refusals")
        let itself = try CLI.run(["accounts", "merge", "5", "5", "--store", store])
        #expect(itself.status == 1)
        #expect(itself.stderr == "fulcrum: error: \(store): refused: cannot merge account 5 into itself\n")
        let missing = try CLI.run(["accounts", "merge", "999999", "5", "--store", store])
        #expect(missing.status == 1)
        #expect(missing.stderr == "fulcrum: error: \(store): no account 999999 (the account to merge away)\n")
        let notMerged = try CLI.run(["accounts", "unmerge", "5", "--store", store])
        #expect(notMerged.status == 1)
        #expect(notMerged.stderr.contains("account 5 is not merged into another account"))
        for arguments in [
            ["accounts", "merge", "x", "5"], ["accounts", "merge", "5"],
            ["accounts", "duplicates", "--min-score", "2"],
            ["accounts", "duplicates", "--format", "xml"], ["accounts", "unmatched", "--limit", "-1"],
            ["accounts", "merge", "0", "5"],
        ] {
            let result = try CLI.run(arguments + ["--store", store])
            #expect(result.status == 64, "\(arguments): \(result.status) \(result.stderr)")
        }
        #expect(try Self.json(["accounts", "duplicates", "--store", store, "--format", "json"]) is [Any])
    }

    @Test(
        "unmatched lists every record without an account with a reason; free-mail leads are never matched by domain",
        arguments: Backend.available)
    func unmatched(_ backend: Backend) throws {
        let store = backend == .sqlite ? Self.store : try Self.copy(backend, name: "unmatched")
        let report =
            try Self.json(["accounts", "unmatched", "--store", store, "--format", "json", "--limit", "0"])
            as! [String: Any]
        if backend == .postgres {
            // The same records and reasons as on the SQLite file.
            let sqlite = try CLI.run([
                "accounts", "unmatched", "--store", Self.store, "--format", "json", "--limit", "0",
            ])
            let pg = try CLI.run(["accounts", "unmatched", "--store", store, "--format", "json", "--limit", "0"])
            #expect(pg.stdout == sqlite.stdout)
            // The identity pass through a staged copy: the same summary as on SQLite.
            let sqliteCopy = try Self.copy(.sqlite, name: "resolve")
            let a = try CLI.run(["accounts", "resolve", "--store", sqliteCopy])
            let b = try CLI.run(["accounts", "resolve", "--store", store])
            #expect(b.status == 0 && b.stdout == a.stdout, "\(b.stderr)")
        }
        let records = report["records"] as! [[String: Any]]
        #expect(report["total"] as! Int == records.count)
        #expect(!records.isEmpty)
        for r in records where r["table"] as! String == "people" {
            let code = r["reasonCode"] as! String
            #expect(["free_mail_domain", "matchable", "ambiguous_name"].contains(code), "\(r)")
            if code == "matchable" {
                #expect(
                    (r["reason"] as! String).contains("by company_name"), "a free-mail lead matched only by name: \(r)")
            }
        }
        let csv = try CLI.run(["accounts", "unmatched", "--store", store, "--format", "csv", "--limit", "3"])
        #expect(csv.status == 0)
        #expect(csv.stdout.hasPrefix("table,id,source,source_id,person_id,email,company_name,reason_code,reason\n"))
    }
}

@Suite("fulcrum accounts show", .serialized)
struct AccountsShowCLITests {
    static let store: String = {
        let path = try! scratchFolder() + "/demo.sqlite"
        let result = try! CLI.run(["demo", "--store", path])
        precondition(result.status == 0, result.stderr)
        return path
    }()

    @Test("by store id, domain or name: identity, MRR history that ends at the account's MRR, deals, tickets")
    func show() throws {
        let r = try CLI.run(["accounts", "show", "12", "--store", Self.store, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let account = object["account"] as! [String: Any]
        #expect(account["id"] as? Int == 12)
        let history = account["history"] as! [[String: Any]]
        #expect(!history.isEmpty)
        // The history ends at the account's MRR now (a churned account's last month shows 0 MRR after churn).
        let last = try #require(history.last)
        if last["month"] as? String == "2026-10" {
            #expect(last["mrrMinor"] as? Int == account["mrrMinor"] as? Int)
        } else {
            #expect(account["mrrMinor"] as? Int == 0)
        }
        let records = object["records"] as! [[String: Any]]
        #expect(records.contains { $0["id"] as? Int == 12 })
        // Every movement names the subscription events of its month that made it (start, change, trial or
        // discount end, cancellation, end).
        let moved = history.filter { $0["movement"] != nil }
        #expect(!moved.isEmpty)
        for m in moved { #expect(!((m["behind"] as? [String]) ?? []).isEmpty, "\(m)") }
        // LTV and CAC are the accounts-ltv report's line for the account.
        let economics = try #require(account["economics"] as? [String: Any])
        let ltv = try CLI.run([
            "report", "accounts-ltv", "--store", Self.store, "--limit", "100000", "--format", "json",
        ])
        let ranked = try JSONSerialization.jsonObject(with: Data(ltv.stdout.utf8)) as! [String: Any]
        let line = try #require((ranked["rows"] as! [[String: Any]]).first { $0["account"] as? String == "12" })
        let revenue = try #require(line["revenue_to_date"] as? Double)
        #expect(economics["revenueToDateMinor"] as? Int == Int((revenue * 100).rounded()))
        #expect(
            (economics["ltvMinor"] as? Int).map(Double.init) == (line["ltv"] as? Double).map { ($0 * 100).rounded() })
        // The timeline: the latest payments, tickets, touches, … newest first.
        let timeline = object["timeline"] as! [[String: Any]]
        #expect(timeline.contains { $0["kind"] as? String == "payment" }, "\(timeline.prefix(3))")
        let times = timeline.compactMap { $0["at"] as? String }
        #expect(times == times.sorted(by: >))
        let domain = try #require(account["domain"] as? String)
        let byDomain = try CLI.run(["accounts", "show", domain.uppercased(), "--store", Self.store])
        #expect(byDomain.status == 0, "\(byDomain.stderr)")
        #expect(byDomain.stdout.hasPrefix("Account 12:"), "\(byDomain.stdout.prefix(200))")
        #expect(byDomain.stdout.contains("MRR history") && byDomain.stdout.contains("Deals:"))
        for part in ["Behind each movement", "LTV and CAC", "Timeline ("] {
            #expect(byDomain.stdout.contains(part), "\(part)")
        }
    }

    @Test("an ambiguous or unknown account lists the candidates or says so, exit 1")
    func ambiguous() throws {
        let many = try CLI.run(["accounts", "show", "Analytics", "--store", Self.store])
        #expect(many.status == 1)
        #expect(many.stderr.contains("matches") && many.stderr.contains("show one by its store id"), "\(many.stderr)")
        let none = try CLI.run(["accounts", "show", "no-such-company-xyz", "--store", Self.store])
        #expect(none.status == 1)
        #expect(none.stderr.contains("no account matches 'no-such-company-xyz'"), "\(none.stderr)")
    }
}

extension AccountsShowCLITests {
    @Test("accounts list: search by name or domain, filter by segment, largest MRR first, limit")
    func list() throws {
        let r = try CLI.run([
            "accounts", "list", "--store", Self.store, "--search", "ANALYTICS", "--segment", "tech", "--limit", "4",
            "--format", "csv",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { String($0) }
        #expect(lines.first == "account_id,name,domain,segment,owner,status,mrr,customer_since,merged_records")
        let ltvFilter = try CLI.run(["accounts", "list", "--store", Self.store, "--by-ltv", "--search", "x"])
        #expect(ltvFilter.status == 64)
        #expect(lines.count == 5)
        var previous = Double.infinity
        for line in lines.dropFirst() {
            #expect(line.lowercased().contains("analytics"))
            #expect(line.contains(",Tech,"))
            let mrr = Double(line.split(separator: ",", omittingEmptySubsequences: false).reversed()[2])!
            #expect(mrr <= previous)
            previous = mrr
        }
    }
}
