import Foundation
import FulcrumCore
import FulcrumStore

/// Prediction on a store: training the churn model and keeping it in the store, and scoring the
/// customers of today with it — account health, churn risk, the drivers behind each score and a
/// next step. One path for the CLI and the server.
public enum PredictionService {
    /// The store holds no model of that kind yet.
    public struct NoModel: Error, CustomStringConvertible {
        public var kind: String
        public init(kind: String) { self.kind = kind }
        public var description: String {
            "the store has no \(kind) model yet: run `fulcrum model train \(kind)` first"
        }
    }

    static let churnNeeds: Set<MetricInputs.Need> = [
        .billing, .tickets, .surveys, .referrals, .accountMonthTallies, .reps,
    ]

    public static func churnContext(store: any Store) throws -> MetricContext {
        try ReportInputs.context(store: store, needs: churnNeeds, query: ReportQuery(report: "model"))
    }

    /// Trains the churn or expansion model on the customer panel and saves the kept one in the store.
    public static func trainCustomerModel(store: any Store, outcome label: AccountFeatures.Outcome, createdOn: String)
        throws -> ChurnModel.Outcome
    {
        try keep(
            ChurnModel.train(try churnContext(store: store), createdOn: createdOn, outcome: label), in: store,
            createdOn: createdOn)
    }

    /// Saves a trained outcome's kept model in the store under its kind, with its notes and drivers.
    static func keep(_ outcome: ChurnModel.Outcome, in store: any Store, createdOn: String) throws
        -> ChurnModel.Outcome
    {
        var kept = outcome.best
        kept.notes = notes(outcome)
        kept.drivers = outcome.drivers
        try store.saveModel(kind: kept.kind, trainedAt: createdOn, json: try encode(kept))
        var result = outcome
        result.best = kept
        return result
    }

    /// What a reader should know about the training data.
    static func notes(_ o: ChurnModel.Outcome) -> [String] {
        var notes: [String] = []
        let k = o.panel.names.count
        for (j, name) in o.panel.names.enumerated() {
            let known = o.train.lazy.filter { !o.panel.x[$0 * k + j].isNaN }.count
            if known * 10 < o.train.count {
                notes.append(
                    "\(name): known on \(known) of \(o.train.count) training rows; the model can barely learn from it")
            }
        }
        notes.append(
            "custom fields are not features: the store keeps only their current value, which may postdate the prediction date"
        )
        return notes
    }

    public static func model(store: any Store, kind: String) throws -> TrainedModel {
        guard let json = try store.model(kind: kind) else { throw NoModel(kind: kind) }
        return try TrainedModel.decode(Data(json.utf8))
    }

    static func encode(_ model: TrainedModel) throws -> String { String(decoding: try model.json(), as: UTF8.self) }

    /// One customer's churn outlook at the last complete month's end.
    public struct AccountRisk: Sendable, Codable {
        public var accountId: Int64
        public var name: String
        public var segment: String
        public var owner: String
        /// MRR at the month's end, minor units of the reporting currency.
        public var mrrMinor: Int64
        /// Probability of churning in the next three months.
        public var churnProbability: Double
        /// 0–100: 100 × (1 − p ÷ (6 × the base rate)), floored at 0 (docs/prediction.md).
        public var health: Int
        /// healthy (≥ 75), watch (50–74), at risk (< 50).
        public var band: String
        /// Health three months earlier, when the account was paying then.
        public var healthBefore: Int?
        /// The features pushing this account's risk up most, with their values.
        public var drivers: [String]
        public var nextStep: String
        /// Expected MRR lost = probability × MRR (minor units).
        public var expectedLossMinor: Int64
    }

    /// Scores every paying customer at `month` (default: the last complete month) with the stored churn model.
    public static func churnRisks(store: any Store, model: TrainedModel, month: Month? = nil) throws -> (
        month: Month, currency: String, risks: [AccountRisk]
    ) {
        let context = try churnContext(store: store)
        let at = month ?? context.lastCompleteMonth(atOrBefore: context.dataMonth)
        return (at, context.currency, risks(context, model: model, at: at))
    }

    public static func risks(_ context: MetricContext, model: TrainedModel, at month: Month) -> [AccountRisk] {
        let segments = model.features.filter { $0.hasPrefix("segment=") }.map { String($0.dropFirst(8)) }
        let now = AccountFeatures.build(context, months: [month], segments: segments)
        let before = AccountFeatures.build(context, months: [month.adding(-3)], segments: segments)
        let k = now.names.count
        let base = model.metrics.positives > 0 ? Double(model.metrics.positives) / Double(model.metrics.rows) : 0.05
        func health(_ p: Double) -> Int { max(0, Int((100 * (1 - p / (6 * base))).rounded())) }
        var earlier: [Int64: Int] = [:]
        for i in 0..<before.rowCount {
            earlier[before.accounts[i]] = health(model.probability(before.x[(i * k)..<(i * k + k)]))
        }
        let reps = Dictionary(context.inputs.reps.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var out: [AccountRisk] = []
        for i in 0..<now.rowCount {
            let row = now.x[(i * k)..<(i * k + k)]
            let p = model.probability(row)
            let contributions = model.contributions(row)
            let pushing = contributions.indices.filter { contributions[$0] > 0 }.sorted {
                contributions[$0] > contributions[$1]
            }
            let drivers = shown(pushing, names: now.names, row: row)
            let a = now.accounts[i]
            let account = context.account(a)
            let h = health(p)
            let mrr = context.ledger.mrr(account: a, month: month)
            out.append(
                AccountRisk(
                    accountId: a, name: account?.name ?? "account \(a)", segment: account?.segment ?? "(none)",
                    owner: account?.ownerRepId.flatMap { reps[$0] } ?? "", mrrMinor: mrr, churnProbability: p,
                    health: h,
                    band: h >= 75 ? "healthy" : h >= 50 ? "watch" : "at risk", healthBefore: earlier[a],
                    drivers: drivers, nextStep: nextStep(pushing.first.map { now.names[$0] }),
                    expectedLossMinor: Int64((p * Double(mrr)).rounded())))
        }
        return out.sorted {
            $0.expectedLossMinor != $1.expectedLossMinor
                ? $0.expectedLossMinor > $1.expectedLossMinor : $0.accountId < $1.accountId
        }
    }

    /// The first three features pushing a score up, as "name value"; a one-hot column (`segment=Tech`) is named
    /// only when the account has that value (its absence raising a score reads as noise to a person).
    static func shown(_ pushing: [Int], names: [String], row: ArraySlice<Double>) -> [String] {
        pushing.filter { !names[$0].contains("=") || row[row.startIndex + $0] == 1 }.prefix(3).map { j in
            names[j].contains("=") ? names[j] : "\(names[j]) \(describe(row[row.startIndex + j]))"
        }
    }

    static func describe(_ v: Double) -> String {
        v.isNaN ? "(unknown)" : v == v.rounded() ? String(Int(v)) : DecimalText.text(v, places: 2)
    }

    /// A suggested action for the feature that pushes the risk most.
    static func nextStep(_ feature: String?) -> String {
        switch feature {
        case "urgent_tickets_90d"?, "tickets_90d"?, "hours_to_resolve_90d"?:
            "review open support issues with the account; escalate the urgent ones"
        case "active_users"?, "active_users_trend"?, "seat_utilization"?, "events_per_day"?:
            "usage is falling: book an adoption session and find the inactive teams"
        case "detractors_120d"?, "nps_last"?, "csat_180d"?: "call the detractor within a week and close the loop"
        case "months_to_renewal"?, "annual_plan"?: "renewal is near: schedule the renewal conversation now"
        case "cancel_scheduled"?: "a cancellation is scheduled: call the decision maker before the period ends"
        case "failed_payments_90d"?: "payments failed: confirm billing details with finance"
        case "contractions_6m"?: "the account has downgraded: review value delivered against the plan"
        default: "check in with the account owner"
        }
    }

    /// The at-risk list as a report table (table, CSV and JSON print it like every report).
    public static func riskTable(
        _ risks: [AccountRisk], month: Month, model: TrainedModel, currency: String, limit: Int
    ) -> ReportTable {
        var table = ReportTable(
            report: "accounts-at-risk", title: "Customers by expected MRR lost in the next 3 months, at \(month.iso)",
            currency: currency,
            columns: [
                .init("account", .text, key: true), .init("segment", .text), .init("owner", .text),
                .init("mrr", .money), .init("churn_90d", .percent), .init("health", .count), .init("band", .text),
                .init("health_3m_before", .count), .init("expected_mrr_lost", .money), .init("drivers", .text),
                .init("next_step", .text),
            ],
            settings: [
                .init(
                    "model",
                    "\(model.kind) (\(model.algorithm.rawValue)), trained \(model.createdOn); test ROC AUC \(model.metrics.rocAUC.map { DecimalText.text($0, places: 3) } ?? "n/a"), \(model.validation)"
                ),
                .init(
                    "health",
                    "100 × (1 − p ÷ (6 × base rate)), floored at 0; base rate = the model's test churn rate; healthy ≥ 75, watch 50–74, at risk < 50"
                ),
                .init("drivers", "the features pushing the account's log-odds up most, with their values"),
            ])
        for r in risks.prefix(limit) {
            table.rows.append(
                .init([
                    .text(r.name), .text(r.segment), .text(r.owner), .money(r.mrrMinor), .number(r.churnProbability),
                    .count(r.health), .text(r.band), r.healthBefore.map { .count($0) } ?? .blank,
                    .money(r.expectedLossMinor), .text(r.drivers.joined(separator: "; ")), .text(r.nextStep),
                ]))
        }
        return table
    }

    // MARK: Conversion

    static let conversionNeeds: Set<MetricInputs.Need> = [
        .billing, .opportunities, .people, .driverTouches, .referrals, .firstResponses, .reps,
    ]

    public static func conversionContext(store: any Store, storePath: String) throws -> MetricContext {
        var query = ReportQuery(report: "model")
        query.settings.lifecycle = try ReportPlan.lifecycleSettings(config: nil, storePath: storePath)
        return try ReportInputs.context(store: store, needs: conversionNeeds, query: query)
    }

    /// Trains the lead conversion model (an opportunity within 90 days) or the win model (a won deal within
    /// 90 days) and saves the kept one in the store.
    public static func trainConversion(
        store: any Store, storePath: String, createdOn: String, outcome: LeadFeatures.Outcome = .opportunity
    ) throws -> ChurnModel.Outcome {
        try keep(
            ConversionModel.train(
                try conversionContext(store: store, storePath: storePath), createdOn: createdOn, outcome: outcome),
            in: store, createdOn: createdOn)
    }

    static let trialNeeds: Set<MetricInputs.Need> = [.billing, .people, .driverTouches, .referrals, .tickets, .reps]

    public static func trialContext(store: any Store) throws -> MetricContext {
        try ReportInputs.context(store: store, needs: trialNeeds, query: ReportQuery(report: "model"))
    }

    /// Trains the trial-conversion model and saves the kept one in the store.
    public static func trainTrial(store: any Store, createdOn: String) throws -> ChurnModel.Outcome {
        try keep(
            TrialModel.train(try trialContext(store: store), createdOn: createdOn), in: store, createdOn: createdOn)
    }

    /// Every kind of model trained from a store, in the order the docs present them.
    public static let storeKinds = [
        ChurnModel.kind, "expansion", ConversionModel.kind, ConversionModel.winKind, TrialModel.kind,
    ]

    /// The models the store holds, one row per kind (blank measures where none is trained yet).
    public static func modelsTable(store: any Store) -> ReportTable {
        var table = ReportTable(
            report: "models", title: "Models kept in the store", currency: "USD",
            columns: [
                .init("kind", .text, key: true), .init("algorithm", .text), .init("trained_on", .text),
                .init("training_rows", .count), .init("test_rows", .count), .init("roc_auc", .statistic),
                .init("pr_auc", .statistic), .init("brier", .statistic), .init("top_drivers", .text),
                .init("validation", .text),
            ],
            settings: [
                .init("measures", "on the test rows, out of time (docs/prediction.md)"),
                .init("top drivers", "the three features whose shuffling costs the most test ROC AUC"),
            ])
        for kind in storeKinds {
            guard let m = try? model(store: store, kind: kind) else {
                table.rows.append(
                    .init(
                        [.text(kind), .blank, .blank, .blank, .blank, .blank, .blank, .blank, .blank, .blank]))
                table.notes.append("no \(kind) model yet: run `fulcrum model train \(kind)`")
                continue
            }
            let drivers = (m.drivers ?? []).prefix(3).map { "\($0.feature) (\($0.direction))" }
            table.rows.append(
                .init([
                    .text(kind), .text(m.algorithm.rawValue), .text(m.createdOn), .count(m.trainingRows),
                    .count(m.metrics.rows), .optional(m.metrics.rocAUC), .optional(m.metrics.prAUC),
                    .number(m.metrics.brier), .text(drivers.joined(separator: "; ")), .text(m.validation),
                ]))
        }
        return table
    }

    // MARK: Next steps

    /// One entry of the next-steps list: a customer at risk or a lead ready to buy, with the value at stake.
    public struct NextStep: Sendable, Codable {
        /// "at risk" (a customer) or "ready to buy" (an open lead).
        public var kind: String
        public var accountId: Int64
        public var account: String
        public var owner: String
        public var segment: String
        public var probability: Double
        /// Annual value at stake, minor units: 12 × MRR for a customer, the segment's average first-year
        /// value of a new customer for a lead.
        public var annualValueMinor: Int64
        /// probability × annual value.
        public var expectedValueMinor: Int64
        public var drivers: [String]
        public var action: String
    }

    /// At-risk customers (stored churn model) and ready-to-buy leads (stored conversion model), by expected
    /// value; each model is used when the store holds it. `owner` filters by the owner's name (any case).
    public static func nextSteps(store: any Store, storePath: String, owner: String?) throws -> (
        currency: String, steps: [NextStep], notes: [String]
    ) {
        var steps: [NextStep] = []
        var notes: [String] = []
        var currency = "USD"
        if let churn = try? model(store: store, kind: ChurnModel.kind) {
            let context = try churnContext(store: store)
            currency = context.currency
            let month = context.lastCompleteMonth(atOrBefore: context.dataMonth)
            for r in risks(context, model: churn, at: month) where r.band != "healthy" {
                let annual = r.mrrMinor * 12
                steps.append(
                    NextStep(
                        kind: "at risk", accountId: r.accountId, account: r.name, owner: r.owner, segment: r.segment,
                        probability: r.churnProbability, annualValueMinor: annual,
                        expectedValueMinor: Int64((r.churnProbability * Double(annual)).rounded()), drivers: r.drivers,
                        action: r.nextStep))
            }
        } else {
            notes.append("no churn model in the store: run `fulcrum model train churn` to list customers at risk")
        }
        if let conversion = try? model(store: store, kind: ConversionModel.kind) {
            let context = try conversionContext(store: store, storePath: storePath)
            currency = context.currency
            steps += leads(context, model: conversion)
        } else {
            notes.append(
                "no conversion model in the store: run `fulcrum model train conversion` to list leads ready to buy")
        }
        if let trial = try? model(store: store, kind: TrialModel.kind) {
            let context = try trialContext(store: store)
            currency = context.currency
            steps += trials(context, model: trial)
        } else {
            notes.append(
                "no trial model in the store: run `fulcrum model train trial` to list trials likely to convert")
        }
        if let owner {
            steps = steps.filter { $0.owner.lowercased().contains(owner.lowercased()) }
        }
        steps.sort {
            $0.expectedValueMinor != $1.expectedValueMinor
                ? $0.expectedValueMinor > $1.expectedValueMinor : ($0.kind, $0.accountId) < ($1.kind, $1.accountId)
        }
        return (currency, steps, notes)
    }

    /// Open leads scored since the horizon began (no outcome yet), valued at their segment's average
    /// first-year value of a new customer over the last twelve months.
    static func leads(_ context: MetricContext, model: TrainedModel) -> [NextStep] {
        let segments = model.features.filter { $0.hasPrefix("segment=") }.map { String($0.dropFirst(8)) }
        let channels = model.features.filter { $0.hasPrefix("channel=") }.map { String($0.dropFirst(8)) }
        let panel = LeadFeatures.build(context, segments: segments, channels: channels)
        let k = panel.names.count
        let through = context.inputs.dataThrough
        // First-year value of new customers by segment, last twelve months.
        var total: [String: (Int64, Int)] = [:]
        let since = context.dataMonth.adding(-11)
        for m in context.ledger.movements where m.kind == .new && m.month >= since {
            let segment = context.account(m.accountId)?.segment ?? "(none)"
            let old = total[segment] ?? (0, 0)
            total[segment] = (old.0 + m.amountMinor * 12, old.1 + 1)
        }
        let reps = Dictionary(context.inputs.reps.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var out: [NextStep] = []
        for i in 0..<panel.rowCount where panel.days[i] + LeadFeatures.horizonDays > through {
            let row = panel.x[(i * k)..<(i * k + k)]
            let p = model.probability(row)
            let a = panel.accounts[i]
            let account = context.account(a)
            let segment = account?.segment ?? "(none)"
            let value = total[segment].map { $0.1 > 0 ? $0.0 / Int64($0.1) : 0 } ?? 0
            let contributions = model.contributions(row)
            let pushing = contributions.indices.filter { contributions[$0] > 0 }.sorted {
                contributions[$0] > contributions[$1]
            }
            let responded = row[row.startIndex + LeadFeatures.numericNames.firstIndex(of: "responded")!] == 1
            let webinar = row[row.startIndex + LeadFeatures.numericNames.firstIndex(of: "webinars")!] > 0
            out.append(
                NextStep(
                    kind: "ready to buy", accountId: a, account: account?.name ?? "account \(a)",
                    owner: account?.ownerRepId.flatMap { reps[$0] } ?? "", segment: segment, probability: p,
                    annualValueMinor: value, expectedValueMinor: Int64((p * Double(value)).rounded()),
                    drivers: shown(pushing, names: panel.names, row: row),
                    action: !responded
                        ? "no person has answered this lead: call today"
                        : webinar
                            ? "follow up on the webinar and book a discovery call"
                            : "qualify: book a discovery call"))
        }
        return out
    }

    /// Trials still running, valued at a year of their plan's price (12 × its monthly price in the report
    /// currency at the trial's start).
    static func trials(_ context: MetricContext, model: TrainedModel) -> [NextStep] {
        let segments = model.features.filter { $0.hasPrefix("segment=") }.map { String($0.dropFirst(8)) }
        let channels = model.features.filter { $0.hasPrefix("channel=") }.map { String($0.dropFirst(8)) }
        let panel = TrialFeatures.build(context, segments: segments, channels: channels)
        let k = panel.names.count
        let reps = Dictionary(context.inputs.reps.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let mrrColumn = TrialFeatures.numericNames.firstIndex(of: "mrr_log")!
        let cancelColumn = TrialFeatures.numericNames.firstIndex(of: "cancel_requested")!
        // Still running: not ended by the data's last day (an unlabelled row may have ended early).
        let through = context.inputs.dataThrough
        let ended = Set(
            context.inputs.subscriptions.lazy.filter { $0.endedOn.map { $0 <= through } ?? false }.map(\.id))
        var out: [NextStep] = []
        for i in 0..<panel.rowCount where panel.y[i].isNaN && !ended.contains(panel.subscriptions[i]) {
            let row = panel.x[(i * k)..<(i * k + k)]
            let p = model.probability(row)
            let a = panel.accounts[i]
            let account = context.account(a)
            let monthly = row[row.startIndex + mrrColumn]
            let value = monthly.isNaN ? 0 : Int64((exp(monthly) * 100 * 12).rounded())
            let contributions = model.contributions(row)
            let pushing = contributions.indices.filter { contributions[$0] > 0 }.sorted {
                contributions[$0] > contributions[$1]
            }
            out.append(
                NextStep(
                    kind: "trial", accountId: a, account: account?.name ?? "account \(a)",
                    owner: account?.ownerRepId.flatMap { reps[$0] } ?? "", segment: account?.segment ?? "(none)",
                    probability: p, annualValueMinor: value, expectedValueMinor: Int64((p * Double(value)).rounded()),
                    drivers: shown(pushing, names: panel.names, row: row),
                    action: row[row.startIndex + cancelColumn] == 1
                        ? "asked to cancel during the trial: call to learn why before it ends"
                        : "offer an onboarding call before the trial ends"))
        }
        return out
    }

    /// The next-steps list as a report table.
    public static func nextStepsTable(_ steps: [NextStep], currency: String, notes: [String], limit: Int) -> ReportTable
    {
        var table = ReportTable(
            report: "next-steps",
            title: "Next steps: customers at risk, leads ready to buy and trials, by expected value",
            currency: currency,
            columns: [
                .init("account", .text, key: true), .init("kind", .text), .init("owner", .text),
                .init("segment", .text), .init("probability", .percent), .init("annual_value", .money),
                .init("expected_value", .money), .init("drivers", .text), .init("next_step", .text),
                .init("account_id", .text),
            ],
            settings: [
                .init(
                    "at risk",
                    "paying customers outside the healthy band; probability = churn in the next 3 months; annual value = 12 × MRR"
                ),
                .init(
                    "ready to buy",
                    "leads still without an opportunity, scored at their seventh day, within \(LeadFeatures.horizonDays) days of it; probability = a new-business opportunity in those days; annual value = the segment's average first-year value (12 × first MRR) of new customers over the last 12 months"
                ),
                .init(
                    "trial",
                    "trials still running, scored at their day \(TrialFeatures.scoreAfterDays) (stored trial model); probability = the trial converts to paid; annual value = 12 × the plan's monthly price"
                ),
                .init("expected value", "probability × annual value"),
            ])
        table.notes = notes
        for s in steps.prefix(limit) {
            table.rows.append(
                .init([
                    .text(s.account), .text(s.kind), .text(s.owner), .text(s.segment), .number(s.probability),
                    .money(s.annualValueMinor), .money(s.expectedValueMinor), .text(s.drivers.joined(separator: "; ")),
                    .text(s.action), .text(String(s.accountId)),
                ]))
        }
        return table
    }
}

// MARK: Predicted LTV

extension PredictionService {
    /// Expected discounted MRR of the months after `month` for an account paying `mrrMinor` whose churn model
    /// gives `churn90` (the probability of churning within three months): monthly survival s = (1 − p)^(1/3),
    /// r = s ÷ (1 + monthly discount), residual = MRR × r ÷ (1 − r) — the sum of MRR × rᵏ over k ≥ 1.
    public static func predictedResidual(mrrMinor: Int64, churn90: Double, monthlyDiscount: Double) -> Double {
        let survival = pow(max(0, 1 - churn90), 1.0 / 3)
        let r = survival / (1 + monthlyDiscount)
        return r < 1 ? Double(mrrMinor) * r / (1 - r) : 0
    }

    /// The `accounts-ltv` table with the churn model's view beside the retention model's: each account's
    /// 90-day churn probability, predicted residual value and predicted LTV = gross margin × (revenue to date +
    /// predicted residual). Accounts not paying at the month have no probability and no residual.
    public static func withPredictedLTV(
        _ table: ReportTable, risks: [AccountRisk], model: TrainedModel, settings: MetricSettings, month: Month
    ) -> ReportTable {
        var out = table
        let byAccount = Dictionary(risks.map { (String($0.accountId), $0) }, uniquingKeysWith: { a, _ in a })
        guard let key = table.columnIndex("account"), let revenue = table.columnIndex("revenue_to_date") else {
            return table
        }
        out.columns += [
            .init("churn_90d", .percent), .init("predicted_residual", .money), .init("predicted_ltv", .money),
        ]
        for i in out.rows.indices {
            guard case .text(let id) = out.rows[i].cells[key] else { continue }
            let toDate = out.rows[i].cells[revenue].doubleValue ?? 0
            let risk = byAccount[id]
            let residual = risk.map {
                predictedResidual(
                    mrrMinor: $0.mrrMinor, churn90: $0.churnProbability, monthlyDiscount: settings.monthlyDiscountRate)
            }
            out.rows[i].cells += [
                risk.map { .number($0.churnProbability) } ?? .blank,
                .money(Int64((residual ?? 0).rounded(.toNearestOrAwayFromZero))),
                .money(Int64((settings.grossMargin * (toDate + (residual ?? 0))).rounded(.toNearestOrAwayFromZero))),
            ]
            if !out.rows[i].explain.isEmpty { out.rows[i].explain += [.none, .none, .none] }
        }
        out.settings.append(
            .init(
                "predicted LTV",
                "from the stored churn model (\(model.algorithm.rawValue), trained \(model.createdOn)) at \(month.iso): churn_90d = its probability of churning within 3 months; predicted residual = MRR × r ÷ (1 − r), r = (1 − churn_90d)^(1/3) ÷ (1 + monthly discount); predicted LTV = gross margin × (revenue to date + predicted residual); blank churn and 0 residual for an account not paying"
            ))
        return out
    }
}
