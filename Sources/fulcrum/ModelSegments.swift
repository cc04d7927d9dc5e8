import ArgumentParser
import FulcrumCore
import FulcrumService

extension BucketOutcomes.Outcome: ExpressibleByArgument {}

extension Fulcrum.Model {
    /// `fulcrum model buckets`: the few profiles whose accounts really differ (seed 003).
    struct Buckets: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Customer buckets: the few segments, industries, sizes or countries that really differ.",
            discussion: """
                For each outcome — conversion (a lead opens an opportunity within 90 days), win (the first closed \
                new-business deal is won), churn and expansion (within 12 months of the first paid month) — a CHAID \
                tree over the profile dimensions: levels that do not differ are merged, a split needs p < --alpha \
                after Bonferroni for the groupings and the dimensions tried. Each bucket: accounts, rate, and the \
                difference from every other account with a 95% interval. Method: docs/prediction.md.
                """)

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Outcome: conversion, win, churn or expansion (repeatable; default: all).")
        var outcome: [BucketOutcomes.Outcome] = []

        @Option(help: "Dimension: segment, industry, size, country or custom:FIELD (repeatable; default: all).")
        var by: [String] = []

        @Option(help: "Smallest bucket, in accounts.")
        var minSize = 30

        @Option(help: "Significance a split must reach after its corrections.")
        var alpha = 0.05

        @Option(help: "Conditions per bucket at most.")
        var depth = 3

        @Option(help: "Output format: table, csv or json.")
        var format = "table"

        func validate() throws {
            guard ["table", "csv", "json"].contains(format) else {
                throw ValidationError("--format: '\(format)' is not one of table, csv, json")
            }
            guard minSize >= 1 else { throw ValidationError("--min-size: must be at least 1") }
            guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha: must be between 0 and 1") }
            guard depth >= 1 else { throw ValidationError("--depth: must be at least 1") }
            if let bad = by.first(where: { !BucketOutcomes.isDimension($0) }) {
                throw ValidationError(SegmentationService.UnknownDimension(name: bad).description)
            }
        }

        func run() throws {
            let store = try storeOptions.openStoreForReading()
            let table = try reportingMetricErrors {
                let context = try SegmentationService.context(store: store, storePath: storeOptions.resolvedPath.path)
                return try SegmentationService.bucketsTable(
                    context, outcomes: outcome.isEmpty ? BucketOutcomes.Outcome.allCases : outcome,
                    dimensions: by.isEmpty ? nil : by,
                    settings: CustomerBuckets.Settings(alpha: alpha, minBucket: minSize, maxDepth: depth))
            }
            ReportPrinter.print(table, format: format, explain: false)
        }
    }

    /// `fulcrum model indicators`: direct feedback and process metrics beside each outcome, per stage.
    struct Indicators: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Motivational indicators: feedback, process and profile measures against each stage's outcome.",
            discussion: """
                Stages: lead (known 7 days after a lead arrived; outcome: an opportunity within 90 days) and customer \
                (known at quarter-ends; outcomes: churn and expansion within 3 months). Each indicator: the outcome \
                rate where it is low and where it is high, the difference with a 95% interval (cluster-robust by \
                account), and its correlation with the direct feedback (NPS, CSAT, tickets). Method: docs/prediction.md.
                """)

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Stage: lead or customer (repeatable; default: both).")
        var stage: [String] = []

        @Option(help: "Output format: table, csv or json.")
        var format = "table"

        func validate() throws {
            guard ["table", "csv", "json"].contains(format) else {
                throw ValidationError("--format: '\(format)' is not one of table, csv, json")
            }
            if let bad = stage.first(where: { !IndicatorStages.stages.contains($0) }) {
                throw ValidationError("--stage: '\(bad)' is not one of lead, customer")
            }
        }

        func run() throws {
            let store = try storeOptions.openStoreForReading()
            let table = try reportingMetricErrors {
                let context = try SegmentationService.context(store: store, storePath: storeOptions.resolvedPath.path)
                return SegmentationService.indicatorsTable(
                    context, stages: stage.isEmpty ? IndicatorStages.stages : stage)
            }
            ReportPrinter.print(table, format: format, explain: false)
        }
    }
}

extension Fulcrum.Model {
    /// `fulcrum model list`: which models the store keeps and how well each did on its test rows.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The models kept in the store: kind, algorithm, training date, test measures, top drivers.")

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Output format: table, csv or json.")
        var format = "table"

        func validate() throws {
            guard ["table", "csv", "json"].contains(format) else {
                throw ValidationError("--format: '\(format)' is not one of table, csv, json")
            }
        }

        func run() throws {
            let store = try storeOptions.openStoreForReading()
            ReportPrinter.print(PredictionService.modelsTable(store: store), format: format, explain: false)
        }
    }
}
