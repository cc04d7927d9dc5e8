import Foundation
import FulcrumCore
import FulcrumStore

/// Customer buckets and the motivational-indicator table on a store (seed 003), as report tables
/// for the CLI and the API. The computation is FulcrumCore's (CustomerBuckets, IndicatorStages).
public enum SegmentationService {
    static let needs = PredictionService.churnNeeds.union(PredictionService.conversionNeeds)

    public static func context(store: any Store, storePath: String) throws -> MetricContext {
        var query = ReportQuery(report: "model")
        query.settings.lifecycle = try ReportPlan.lifecycleSettings(config: nil, storePath: storePath)
        return try ReportInputs.context(store: store, needs: needs, query: query)
    }

    /// A dimension name buckets cannot use.
    public struct UnknownDimension: Error, CustomStringConvertible {
        public var name: String
        public init(name: String) { self.name = name }
        public var description: String {
            "--by: '\(name)' is not a profile dimension; use segment, industry, size, country or custom:FIELD"
        }
    }

    // MARK: Buckets

    public static func bucketsTable(
        _ context: MetricContext, outcomes: [BucketOutcomes.Outcome], dimensions names: [String]?,
        settings: CustomerBuckets.Settings
    ) throws -> ReportTable {
        let names = names ?? BucketOutcomes.dimensionNames(context)
        if let bad = names.first(where: { !BucketOutcomes.isDimension($0) }) { throw UnknownDimension(name: bad) }
        var table = ReportTable(
            report: "model-buckets", title: "Customer buckets: the profiles that really differ",
            currency: context.currency,
            columns: [
                .init("outcome", .text, key: true), .init("bucket", .text, key: true), .init("accounts", .count),
                .init("outcomes", .count), .init("rate", .percent), .init("rest_rate", .percent),
                .init("difference_pp", .number), .init("ci_low_pp", .number), .init("ci_high_pp", .number),
            ],
            settings: [
                .init("dimensions", names.joined(separator: ", ")),
                .init(
                    "method",
                    "CHAID: levels merge while a 2×2 chi-square p > \(settings.alphaMerge) or a group has fewer than \(settings.minBucket) accounts; a node splits on the dimension with the smallest p × groupings (Bonferroni) × dimensions tried × nodes at its depth, if below \(settings.alpha); at most \(settings.maxDepth) conditions"
                ),
                .init("difference", "bucket rate − rate of every other account, percentage points, 95% Wald interval"),
            ])
        for outcome in outcomes {
            let units = BucketOutcomes.units(context, outcome: outcome)
            table.settings.append(.init(outcome.rawValue, outcome.meaning))
            guard !units.isEmpty else {
                table.notes.append("\(outcome.rawValue): no account has a known outcome yet")
                continue
            }
            let (dims, values) = BucketOutcomes.dimensions(context, accounts: units.map(\.account), names: names)
            let result = CustomerBuckets.find(
                outcome: units.map(\.happened), values: values, dimensions: dims, settings: settings)
            for b in result.buckets {
                table.rows.append(
                    .init([
                        .text(outcome.rawValue), .text(b.name), .count(b.units), .count(b.outcomes), .number(b.rate),
                        .optional(b.restRate), .optional(b.difference.map { $0 * 100 }),
                        .optional(b.low.map { $0 * 100 }), .optional(b.high.map { $0 * 100 }),
                    ]))
            }
            table.notes.append(
                "\(outcome.rawValue): \(result.units) accounts, rate \(Format.percent(result.rate)); "
                    + describe(result.tests))
        }
        return table
    }

    /// The splits made and the dimensions that made no difference, in words.
    static func describe(_ tests: [CustomerBuckets.Test]) -> String {
        let chosen = tests.filter(\.chosen).map {
            "split \($0.within) by \($0.dimension) into \($0.groups.count) (p \(pText($0.adjustedP)))"
        }
        var none: [String: [String]] = [:]
        for t in tests where !t.chosen { none[t.within, default: []].append("\(t.dimension) p \(pText(t.adjustedP))") }
        let quiet = none.keys.sorted().map { "within \($0) no difference by \(none[$0]!.joined(separator: ", "))" }
        let parts = chosen + quiet
        return parts.isEmpty ? "too few accounts to test" : parts.joined(separator: "; ")
    }

    static func pText(_ p: Double) -> String { p < 0.0001 ? "< 0.0001" : DecimalText.text(p, places: 4) }

    // MARK: Indicators

    public static func indicatorsTable(_ context: MetricContext, stages: [String]) -> ReportTable {
        let sections = IndicatorStages.sections(context, stages: stages)
        let feedback = IndicatorStages.customerFeedback
        var table = ReportTable(
            report: "model-indicators", title: "Motivational indicators by lifecycle stage",
            currency: context.currency,
            columns: [
                .init("stage", .text, key: true), .init("outcome", .text, key: true),
                .init("indicator", .text, key: true), .init("kind", .text), .init("rows", .count),
                .init("cut", .text), .init("rate_low", .percent), .init("rate_mid", .percent),
                .init("rate_high", .percent), .init("difference_pp", .number), .init("ci_low_pp", .number),
                .init("ci_high_pp", .number), .init("p", .statistic),
            ] + feedback.map { .init("corr_\($0)", .statistic) },
            settings: [
                .init(
                    "cut",
                    "flags 0 vs 1; counts zero for a quarter of the rows or more: 0 vs > 0; else the lower vs the upper quartile (the middle half as rate_mid)"
                ),
                .init(
                    "difference",
                    "rate_high − rate_low in percentage points; 95% interval and p cluster-robust by account (CR1)"),
                .init(
                    "corr",
                    "Pearson correlation with the direct feedback measures (customers: last NPS, CSAT over 180 days, tickets over 90 days)"
                ),
            ])
        for s in sections {
            table.settings.append(.init("\(s.stage) \(s.outcome)", s.meaning))
            table.notes.append(
                "\(s.stage) \(s.outcome): \(s.rows) rows of \(s.accounts) accounts, base rate \(Format.percent(s.baseRate))"
                    + (s.feedback.isEmpty ? "; no direct feedback is known at this stage" : ""))
            for r in s.table {
                let corr: [ReportTable.Cell] = feedback.map { f in
                    guard let i = s.feedback.firstIndex(of: f) else { return .blank }
                    return .optional(r.correlations[i])
                }
                table.rows.append(
                    .init(
                        [
                            .text(s.stage), .text(s.outcome), .text(r.indicator), .text(r.kind.rawValue),
                            .count(r.known), .text(r.cut), .number(r.rateLow), .optional(r.rateMid),
                            .number(r.rateHigh), .number(r.difference * 100), .optional(r.low.map { $0 * 100 }),
                            .optional(r.high.map { $0 * 100 }), .optional(r.p),
                        ] + corr))
            }
        }
        return table
    }
}
