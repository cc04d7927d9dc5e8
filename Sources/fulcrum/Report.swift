import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumService
import FulcrumStore

extension Fulcrum {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a report from the store.",
            discussion: """
                Reports: headline, \(ReportCatalog.ids.joined(separator: ", ")). A metric id from `fulcrum metrics` \
                prints the report that carries it. Every report prints the settings its definitions depend on.
                """)

        @Argument(
            help:
                "Report id or metric id; several ids are computed from one read of the store (with --output DIR for csv or json)."
        )
        var ids: [String]

        @Option(help: "Write each report to DIR/ID.csv, .json or .txt (CSV settings to DIR/ID.settings.txt).")
        var output: String?

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var options: ReportOptions

        var id: String { ids[0] }

        func validate() throws {
            guard !ids.isEmpty else {
                throw ValidationError("name a report: \(ReportCatalog.ids.joined(separator: ", "))")
            }
            for id in ids {
                guard id == "headline" || (try? ReportCatalog.entry(id)) != nil else {
                    throw ValidationError(
                        "unknown report '\(id)'; available: headline, \(ReportCatalog.ids.joined(separator: ", ")) (or a metric id from `fulcrum metrics`)"
                    )
                }
                // A request the report cannot answer whatever the data (a slice or comparison it does not take)
                // is a usage error, like every other malformed argument: exit 64.
                if id != "headline", let problem = ReportCatalog.usageProblem(try options.query(report: id)) {
                    throw ValidationError(problem.description)
                }
            }
            if ids.count > 1 || output != nil {
                guard !ids.contains("headline") else {
                    throw ValidationError("headline prints on its own: run `fulcrum report headline` separately")
                }
                guard output != nil || options.format == "table" else {
                    throw ValidationError(
                        "--output: several reports as \(options.format) need a folder to write one file each (--output DIR)"
                    )
                }
            }
            if id == "headline" {
                // The headline is one fixed snapshot; options it would silently ignore are errors.
                let ignored: [(String, Bool)] = [
                    ("--compare", options.compare != nil), ("--by", options.by != nil), ("--from", options.from != nil),
                    ("--to", options.to != nil),
                ]
                if let name = ignored.first(where: { $0.1 })?.0 {
                    throw ValidationError(
                        "\(name): the headline report is a fixed snapshot at the last complete month and does not take \(name); use `fulcrum report mrr`, `customers` or `cac` for ranges, slices and comparisons"
                    )
                }
            }
        }

        func run() throws {
            let store = try storeOptions.openStoreForReading()
            if id == "headline" {
                try HeadlineCommand.print(
                    store: store, format: options.format,
                    settings: try options.query(report: id).settings.revenue, explain: options.explain)
            } else if ids.count > 1 || output != nil {
                try ReportPrinter.run(
                    ids: ids, options: options, store: store, storePath: storeOptions.resolvedPath.path, output: output)
            } else {
                try ReportPrinter.run(id: id, options: options, store: store, storePath: storeOptions.resolvedPath.path)
            }
        }
    }
}

/// Renders the headline report (HeadlineReport) from a store.
enum HeadlineCommand {
    static let reportIds = ["headline"]

    /// Prints the headline with the definition settings given (`--include-trials`, `--churn-recognition`),
    /// and says which ones it used.
    /// `format`: table, json or csv (as every report; JSON and CSV have every report's shape).
    static func print(
        store: any Store, format: String, settings: RevenueSettings = RevenueSettings(), explain: Bool = false
    ) throws {
        let report: HeadlineReport
        do {
            report = try runReportingErrors {
                try HeadlineService.compute(store: store, settings: settings, explain: explain)
            }
        } catch let error as RevenueError {
            FileHandle.standardError.write(Data("fulcrum: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        if explain {
            // The records behind each cell, as every report explains them (its own table layout aside).
            let table = report.table(settings: settings)
            let labels = try store.recordLabels(table.explainedRecords)
            ReportPrinter.print(table, format: format, explain: true, labels: labels)
            return
        }
        switch format {
        case "json":
            Swift.print(report.table(settings: settings).renderJSON())
        case "csv":
            let table = report.table(settings: settings)
            FileHandle.standardOutput.write(Data(table.renderCSV().utf8))
            FileHandle.standardError.write(Data(table.settings.map { "# \($0.name): \($0.value)\n" }.joined().utf8))
        default:
            Swift.print(
                "Headline, \(report.asOf.iso) (data through \(report.dataThrough.iso)); amounts in \(report.currency)")
            var table = TextTable(headers: [
                "segment", "customers", "MRR", "ARR", "logo churn TTM", "new customers TTM", "CAC (simple)",
            ])
            for row in report.rows + [report.total] {
                table.append([
                    row.segment, Format.grouped(Int64(row.customers)),
                    Format.money(row.mrrMinor, currency: report.currency),
                    Format.money(row.arrMinor, currency: report.currency), Format.percent(row.logoChurn),
                    Format.grouped(Int64(row.newCustomers)),
                    row.cacMinor.map { Format.money($0, currency: report.currency) } ?? "—",
                ])
            }
            Swift.print(table.render())
            Swift.print(
                """

                Definitions: MRR at the end of \(report.asOf.iso), trials \(settings.includeTrials ? "included (--include-trials)" : "excluded"), \
                churn dated \(settings.churnRecognition == .cancelDate ? "at the cancel date (--churn-recognition cancel-date)" : "at the end of the paid period"), \
                past_due counted, paused/unpaid excluded, FX at each month's rate; TTM = \(report.asOf.adding(-11).iso)…\(report.asOf.iso); \
                logo churn = churned ÷ customers at the start of the TTM; CAC (simple) = marketing spend ÷ new customers, \
                untagged marketing spend allocated by segment share. See docs/metrics.md.
                """)
        }
    }
}
