import Testing

@testable import FulcrumCore

/// Properties every report must keep on a realistic company (a 400-account demo slice).
@Suite("Metric properties on the demo company")
struct MetricPropertyTests {
    static let context: MetricContext = {
        var inputs = MetricInputs(dataThrough: DemoCalendar.asOf)
        _ = DemoCompanyGenerator(size: .small, seed: 3, accountCount: 400).generate { batch in
            inputs.accounts += batch.accounts
            inputs.subscriptions += batch.subscriptions
            inputs.changes += batch.subscriptionChanges
            inputs.statusPeriods += batch.statusPeriods
            inputs.fxRates += batch.fxRates
            inputs.spend += batch.spend
            inputs.opportunities += batch.opportunities
            inputs.people += batch.people
            inputs.reps += batch.reps
        }
        return try! MetricContext(inputs: inputs)
    }()

    func run(_ report: String, by: Dimension? = nil, grain: PeriodGrain = .month, from: Month = Month(2023, 11)) throws
        -> ReportTable
    {
        try ReportCatalog.run(ReportQuery(report: report, by: by, grain: grain, from: from), context: Self.context)
    }

    func money(_ cell: ReportTable.Cell?) -> Int64 {
        if case .money(let m)? = cell { return m }
        return 0
    }
    func count(_ cell: ReportTable.Cell?) -> Int {
        if case .count(let c)? = cell { return c }
        return 0
    }

    @Test("movements plus FX adjustment add up to each month's MRR change, whole and by segment")
    func movementsSum() throws {
        let movements = try run("mrr-movements")
        let series = try run("mrr")
        for (row, s) in zip(movements.rows, series.rows) {
            let sum = (1...5).reduce(Int64(0)) { $0 + money(row.cells[$1]) }
            let opening = money(s.cells[series.columnIndex("opening_mrr")!])
            let fx = money(s.cells[series.columnIndex("fx_adjustment")!])
            #expect(opening + sum + fx == money(row.cells[6]))
        }
        // Segments add up to the total in every column.
        let bySegment = try run("mrr-movements", by: .segment)
        for column in ["new", "expansion", "contraction", "churn", "reactivation", "mrr"] {
            let i = bySegment.columnIndex(column)!
            for row in movements.rows {
                guard case .text(let month) = row.cells[0] else { continue }
                let parts = bySegment.rows.filter { $0.cells[0] == .text(month) }.reduce(Int64(0)) {
                    $0 + money($1.cells[i])
                }
                #expect(parts == money(row.cells[movements.columnIndex(column)!]), "\(column) \(month)")
            }
        }
    }

    @Test("GRR never exceeds 100% and never exceeds NRR")
    func grr() throws {
        for by in [nil, Dimension.segment] {
            let t = try run("retention", by: by)
            for row in t.rows {
                guard let g = row.cells[t.columnIndex("grr")!].n, let n = row.cells[t.columnIndex("nrr")!].n else {
                    continue
                }
                #expect(g <= 1 && g <= n + 1e-12)
            }
        }
    }

    @Test("cohort sizes match new customers; customers reconcile month to month")
    func cohorts() throws {
        let cohorts = try run("cohorts-logo")
        let customers = try run("customers")
        for row in customers.rows {
            guard case .text(let month) = row.cells[0] else { continue }
            #expect(count(cohorts.cell("customers", month)) == count(row.cells[customers.columnIndex("new")!]))
            let c = { (name: String) in count(row.cells[customers.columnIndex(name)!]) }
            #expect(c("opening") + c("new") + c("reactivated") - c("churned") == c("customers"))
        }
        let quarterly = try run("cohorts-logo", grain: .quarter, from: Month(2024, 1))
        for row in quarterly.rows where row.cells[0] != .text("all") {
            guard case .number(let first) = row.cells[3] else { continue }
            #expect(first <= 1)
        }
    }

    @Test("CAC × new customers = spend, and segment spend adds up to the total")
    func cac() throws {
        let total = try run("cac", grain: .quarter, from: Month(2024, 1))
        for row in total.rows {
            let n = Int64(count(row.cells[total.columnIndex("new_customers")!]))
            guard n > 0 else { continue }
            for (cacColumn, spendColumn) in [
                ("cac_simple", "marketing_spend"), ("cac_fully_loaded", "fully_loaded_spend"),
            ] {
                let cac = money(row.cells[total.columnIndex(cacColumn)!])
                let spend = money(row.cells[total.columnIndex(spendColumn)!])
                // CAC is rounded to the cent
                #expect(abs(cac * n - spend) <= (n + 1) / 2, "\(cacColumn): \(cac) × \(n) vs \(spend)")
            }
        }
        let bySegment = try run("cac", by: .segment, grain: .quarter, from: Month(2024, 1))
        for row in total.rows {
            guard case .text(let q) = row.cells[0] else { continue }
            let i = bySegment.columnIndex("fully_loaded_spend")!
            let parts = bySegment.rows.filter { $0.cells[0] == .text(q) }.reduce(Int64(0)) { $0 + money($1.cells[i]) }
            #expect(parts == money(row.cells[total.columnIndex("fully_loaded_spend")!]))
        }
    }

    @Test("the headline and the metric reports agree on customers, MRR and CAC")
    func headlineAgrees() throws {
        let i = Self.context.inputs
        let headline = try HeadlineReport.compute(
            accounts: i.accounts, billing: i.subscriptions, changes: i.changes,
            statusPeriods: i.statusPeriods, fxRates: i.fxRates, spend: i.spend, dataThrough: i.dataThrough)
        let mrr = try run("mrr", from: headline.asOf)
        #expect(mrr.cell("mrr", headline.asOf.iso) == .money(headline.total.mrrMinor))
        #expect(mrr.cell("customers", headline.asOf.iso) == .count(headline.total.customers))
        let ue = try ReportCatalog.run(ReportQuery(report: "unit-economics", to: headline.asOf), context: Self.context)
        #expect(ue.cell("cac_simple", "Total") == headline.total.cacMinor.map { .money($0) })
        #expect(ue.cell("new_customers", "Total") == .count(headline.total.newCustomers))
    }
}

extension MetricPropertyTests {
    @Test("the magic number has one definition: growth's quarter equals unit-economics' window ending that quarter")
    func oneMagicNumber() throws {
        let growth = try run("growth", grain: .quarter, from: Month(2025, 1))
        for (quarter, last) in [("2025-Q4", Month(2025, 12)), ("2026-Q2", Month(2026, 6))] {
            let unit = try ReportCatalog.run(
                ReportQuery(report: "unit-economics", to: last), context: Self.context)
            let a = growth.cell("magic_number", quarter)?.doubleValue
            let b = unit.values("magic_number").first?.doubleValue
            #expect(a != nil && b != nil)
            if let a, let b { #expect(abs(a - b) < 1e-9, "\(quarter): growth \(a) vs unit-economics \(b)") }
        }
    }
}

extension MetricPropertyTests {
    @Test("two churn figures that legitimately differ say so side by side (events vs cohort)")
    func churnFiguresExplainEachOther() throws {
        let retention = try run("retention")
        let churn = try run("churn")
        #expect(retention.notes.contains { $0.contains("cohort figure") && $0.contains("churn events") })
        #expect(churn.notes.contains { $0.contains("churn events") && $0.contains("logo_retention") })
    }
}

extension MetricPropertyTests {
    @Test("cohort matrices show the whole history by default; a monthly cohort's column 0 is 100%")
    func cohortsWholeHistory() throws {
        let logo = try ReportCatalog.run(ReportQuery(report: "cohorts-logo"), context: Self.context)
        let first = Self.context.firstPaidMonth.values.min()!
        #expect(logo.rows.first?.cells.first == .text(first.iso))
        for row in logo.rows where row.cells[0] != .text("all") {
            if case .count(let n) = row.cells[1], n > 0 { #expect(row.cells[3] == .number(1)) }
        }
        #expect(logo.settings.contains { $0.name == "column 0" })
    }
}
