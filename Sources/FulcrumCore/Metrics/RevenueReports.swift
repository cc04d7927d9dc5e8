/// The revenue reports: MRR movements, the MRR/ARR series, customers and churn.
/// All read one `RevenueRollup`, so their figures agree by construction.
enum RevenueReports {
    /// Key columns: the period, then the slice when `--by` is given.
    static func keyColumns(_ query: ReportQuery) -> [ReportTable.Column] {
        [ReportTable.Column(query.grain == .month ? "month" : query.grain.rawValue, .text, key: true)]
            + (query.by.map { [ReportTable.Column($0.description, .text, key: true)] } ?? [])
    }

    static func keyCells(_ period: Period, _ key: String, _ query: ReportQuery) -> [ReportTable.Cell] {
        [.text(period.label)] + (query.by == nil ? [] : [.text(key)])
    }

    static func settings(_ context: MetricContext) -> [ReportTable.Setting] {
        let r = context.settings.revenue
        return [
            .init(
                "MRR",
                "in force at the end of each month's last day; end dates exclusive; all intervals normalized to a month"
            ),
            .init(
                "churn recognition",
                r.churnRecognition == .endOfPaidPeriod ? "end of the paid period (default)" : "cancel date"),
            .init(
                "statuses",
                "past_due \(r.statusTreatment.pastDue.rawValue), paused \(r.statusTreatment.paused.rawValue), unpaid \(r.statusTreatment.unpaid.rawValue)"
            ),
            .init("trials", r.includeTrials ? "counted in MRR" : "excluded from MRR (reported as trial MRR)"),
            .init(
                "discounts",
                "forever and repeating reduce MRR while they apply (expiry is expansion); once-off never changes MRR"),
            .init(
                "FX",
                "each month at that month's rate into \(r.reportingCurrency); past months never restated; FX changes are not movements"
            ),
            .init("accounts", "merged duplicates count once, under the surviving account"),
            .init("data through", context.inputs.dataThrough.iso),
        ]
    }

    /// `mrr-movements`: new, expansion, contraction, churn, reactivation and closing MRR per period.
    static func movements(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let periods = try context.periods(query)
        let rollup = RevenueRollup(context: context, periods: periods, by: query.by, explain: explain)
        var table = ReportTable(
            report: "mrr-movements", title: "MRR movements", currency: context.currency,
            columns: keyColumns(query)
                + ["new", "expansion", "contraction", "churn", "reactivation", "mrr"].map { .init($0, .money) },
            settings: settings(context),
            notes: ["opening MRR + movements + FX adjustment = closing MRR; the FX adjustment is in the `mrr` report."])
        for key in rollup.keys {
            for (i, p) in periods.enumerated() {
                let c = rollup.cells[key]![i]
                var ex: [Explanation] = keyCells(p, key, query).map { _ in .none }
                if explain {
                    for kind in [MovementKind.new, .expansion, .contraction, .churn, .reactivation] {
                        ex.append(RevenueRollup.summed(c.ids[kind] ?? []))
                    }
                    ex.append(RevenueRollup.summed(c.customerIds))
                }
                table.rows.append(
                    .init(
                        keyCells(p, key, query) + [
                            .money(c.new), .money(c.expansion), .money(c.contraction),
                            .money(c.churn), .money(c.reactivation), .money(c.mrr),
                        ],
                        partial: p.partial, explain: ex))
            }
        }
        return table
    }

    /// `mrr`: MRR, ARR, customers, ARPA, net new MRR, FX adjustment and MRR growth per period.
    static func series(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let periods = try context.periods(query)
        let rollup = RevenueRollup(context: context, periods: periods, by: query.by, explain: explain)
        var table = ReportTable(
            report: "mrr", title: "MRR and ARR", currency: context.currency,
            columns: keyColumns(query) + [
                .init("opening_mrr", .money), .init("net_new_mrr", .money), .init("fx_adjustment", .money),
                .init("mrr", .money),
                .init("arr", .money), .init("customers", .count), .init("arpa", .money), .init("mrr_growth", .percent),
            ],
            settings: settings(context),
            notes: ["ARR = 12 × MRR; ARPA = MRR ÷ customers; MRR growth = closing ÷ opening MRR − 1."])
        for key in rollup.keys {
            for (i, p) in periods.enumerated() {
                let c = rollup.cells[key]![i]
                let netNew = c.new + c.expansion + c.contraction + c.churn + c.reactivation
                var ex: [Explanation] = []
                if explain {
                    let movements = [MovementKind.new, .expansion, .contraction, .churn, .reactivation].flatMap {
                        Explanation.accountAmounts(c.ids[$0] ?? [])
                    }
                    let mrr = RevenueRollup.summed(c.customerIds)
                    let opening = RevenueRollup.opening(c)
                    ex =
                        keyCells(p, key, query).map { _ in .none } + [
                            opening, .sum(movements), RevenueRollup.summed(c.ids[.fxAdjustment] ?? []), mrr,
                            .sum(mrr.items.map { .init($0.record, $0.amount! * 12) }),
                            RevenueRollup.counted(c.customerIds),
                            .ratio(mrr, over: RevenueRollup.counted(c.customerIds)),
                            .ratio(.sum(mrr.items + Explanation.negated(opening.items)), over: opening),
                        ]
                }
                table.rows.append(
                    .init(
                        keyCells(p, key, query) + [
                            .money(c.openingMRR), .money(netNew), .money(c.fxAdjustment), .money(c.mrr),
                            .money(c.mrr * 12), .count(c.customers),
                            c.customers > 0 ? .money(roundMinor(Double(c.mrr) / Double(c.customers))) : .blank,
                            .ratio(Double(c.mrr - c.openingMRR), Double(c.openingMRR)),
                        ], partial: p.partial, explain: ex))
            }
        }
        return table
    }

    /// `customers`: customer counts and their movements per period.
    static func customers(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let periods = try context.periods(query)
        let rollup = RevenueRollup(context: context, periods: periods, by: query.by, explain: explain)
        var table = ReportTable(
            report: "customers", title: "Customers", currency: context.currency,
            columns: keyColumns(query)
                + ["opening", "new", "reactivated", "churned", "customers"].map { .init($0, .count) },
            settings: settings(context),
            notes: [
                "A customer is an account with MRR > 0 at the end of the period; opening + new + reactivated − churned = customers."
            ])
        for key in rollup.keys {
            for (i, p) in periods.enumerated() {
                let c = rollup.cells[key]![i]
                var ex: [Explanation] = []
                if explain {
                    ex =
                        keyCells(p, key, query).map { _ in .none } + [
                            RevenueRollup.counted(c.openingIds), RevenueRollup.counted(c.ids[.new] ?? []),
                            RevenueRollup.counted(c.ids[.reactivation] ?? []),
                            RevenueRollup.counted(c.ids[.churn] ?? []),
                            RevenueRollup.counted(c.customerIds),
                        ]
                }
                table.rows.append(
                    .init(
                        keyCells(p, key, query) + [
                            .count(c.openingCustomers), .count(c.newCustomers),
                            .count(c.reactivatedCustomers), .count(c.churnedCustomers), .count(c.customers),
                        ], partial: p.partial, explain: ex))
            }
        }
        return table
    }

    /// `churn`: logo churn, gross and net MRR churn and the quick ratio per period.
    static func churn(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let periods = try context.periods(query)
        let rollup = RevenueRollup(context: context, periods: periods, by: query.by, explain: explain)
        var table = ReportTable(
            report: "churn", title: "Churn and quick ratio", currency: context.currency,
            columns: keyColumns(query) + [
                .init("opening_customers", .count), .init("churned", .count), .init("logo_churn", .percent),
                .init("opening_mrr", .money), .init("gross_mrr_churn", .percent), .init("net_mrr_churn", .percent),
                .init("quick_ratio", .multiple),
            ],
            settings: settings(context),
            notes: [
                "logo churn = accounts churned in the period ÷ customers at its start (a churn-and-return counts each time): churn events, as the headline's logo churn TTM (with --period year the same span); the retention report's logo_retention is a twelve-month cohort figure instead (the customers of twelve months before, still paying), so 1 − logo_retention differs from a yearly logo churn",
                "gross MRR churn = −(churn + contraction) ÷ opening MRR; net MRR churn = (−(churn + contraction) − expansion − reactivation) ÷ opening MRR",
                "quick ratio = (new + expansion + reactivation) ÷ |churn + contraction|",
            ])
        for key in rollup.keys {
            for (i, p) in periods.enumerated() {
                let c = rollup.cells[key]![i]
                let open = Double(c.openingMRR)
                var ex: [Explanation] = []
                if explain {
                    let churned = RevenueRollup.counted(c.ids[.churn] ?? [])
                    let customers = RevenueRollup.counted(c.openingIds)
                    let opening = RevenueRollup.opening(c)
                    let lost = Explanation.sum(
                        Explanation.negated(
                            Explanation.accountAmounts((c.ids[.churn] ?? []) + (c.ids[.contraction] ?? []))))
                    let gained = Explanation.accountAmounts(
                        (c.ids[.new] ?? []) + (c.ids[.expansion] ?? []) + (c.ids[.reactivation] ?? []))
                    let regained = Explanation.negated(
                        Explanation.accountAmounts((c.ids[.expansion] ?? []) + (c.ids[.reactivation] ?? [])))
                    ex =
                        keyCells(p, key, query).map { _ in .none } + [
                            customers, churned, .ratio(churned, over: customers), opening, .ratio(lost, over: opening),
                            .ratio(.sum(lost.items + regained), over: opening), .ratio(.sum(gained), over: lost),
                        ]
                }
                table.rows.append(
                    .init(
                        keyCells(p, key, query) + [
                            .count(c.openingCustomers), .count(c.churnedCustomers),
                            .ratio(Double(c.churnedCustomers), Double(c.openingCustomers)),
                            .money(c.openingMRR), .ratio(Double(c.lost), open),
                            .ratio(Double(c.lost - c.expansion - c.reactivation), open),
                            .ratio(Double(c.gained), Double(c.lost)),
                        ], partial: p.partial, explain: ex))
            }
        }
        return table
    }
}
