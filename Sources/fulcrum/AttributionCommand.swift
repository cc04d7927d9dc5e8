import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumImport

extension Attribution.Model: ExpressibleByArgument {}

extension Fulcrum {
    /// `fulcrum attribution --touches FILE --journeys FILE`: attribution of journeys brought from elsewhere
    /// (a web-analytics export), streamed: memory grows with channels², not journeys (docs/attribution.md).
    struct AttributionFiles: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "attribution",
            abstract: "Attribute conversions of journeys from CSV files to channels, by every model.",
            discussion: """
                --touches has columns journey_id,seq,channel (and occurred_at for time-decay); --journeys has \
                journey_id,converted,value (converted 1 or 0; converted_at optional). Both list journeys in the same \
                order, each journey's touches together. CSV output: model,channel,conversions,value.
                """)

        @Option(help: "Touches: journey_id,seq,channel[,occurred_at].")
        var touches: String

        @Option(help: "Journeys: journey_id,converted,value[,converted_at].")
        var journeys: String

        @Option(
            name: .customLong("model"),
            help: "Model (repeat for several): first, last, linear, position, time-decay, markov. Default: all.")
        var models: [Attribution.Model] = []

        @Option(name: .customLong("half-life"), help: "Time-decay half-life in days.")
        var halfLife: Double = 7

        @Option(help: "Output format: table, csv or json.")
        var format: String = "table"

        func validate() throws {
            guard ["table", "csv", "json"].contains(format) else {
                throw ValidationError("--format: '\(format)' is not one of table, csv, json")
            }
            guard halfLife > 0, halfLife.isFinite else { throw ValidationError("--half-life: must be above 0 days") }
        }

        func run() throws {
            let files: JourneyFiles
            do {
                files = try JourneyFiles(touchesPath: touches, journeysPath: journeys)
            } catch {
                FileHandle.standardError.write(Data("fulcrum: error: \(error)\n".utf8))
                throw ExitCode.failure
            }
            var chosen =
                models.isEmpty ? Attribution.Model.allCases.filter { $0 != .timeDecay || files.hasTimes } : models
            chosen = chosen.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            if chosen.contains(.timeDecay), !files.hasTimes {
                FileHandle.standardError.write(
                    Data(
                        "fulcrum: error: --model time-decay: \(touches) has no occurred_at column, so touches have no age\n"
                            .utf8))
                throw ExitCode(64)
            }
            var tally = AttributionTally(channels: [], halfLifeDays: halfLife)
            var journey = JourneyFiles.Journey()
            var known = 0
            do {
                while try files.next(into: &journey) {
                    if files.channels.count > known {
                        tally.addChannels(files.channels[known...])
                        known = files.channels.count
                    }
                    tally.add(
                        path: journey.path, ages: journey.ages, converted: journey.converted, value: journey.value)
                }
            } catch {
                FileHandle.standardError.write(Data("fulcrum: error: \(error)\n".utf8))
                throw ExitCode.failure
            }
            let table = AttributionOutput.table(
                tally, models: chosen, withoutTouches: files.journeysWithoutTouches,
                valueWithoutTouches: files.valueWithoutTouches, halfLife: halfLife)
            switch format {
            case "csv":
                FileHandle.standardOutput.write(Data(table.renderCSV().utf8))
                FileHandle.standardError.write(Data(table.settings.map { "# \($0.name): \($0.value)\n" }.joined().utf8))
            case "json": print(table.renderJSON())
            default: print(table.renderTable())
            }
        }
    }
}

/// The attribution result as a report table: one row per model and channel.
enum AttributionOutput {
    static func table(
        _ tally: AttributionTally, models: [Attribution.Model], withoutTouches: Int, valueWithoutTouches: Double,
        halfLife: Double
    ) -> ReportTable {
        var table = ReportTable(
            report: "attribution", title: "Attribution of imported journeys", currency: "the journeys' value units",
            columns: [
                .init("model", .text, key: true), .init("channel", .text, key: true),
                .init("conversions", .number), .init("value", .number),
            ],
            settings: [
                .init(
                    "journeys",
                    "\(tally.journeys) with touches, \(tally.convertedJourneys) converted; attributed value \(DecimalText.text(tally.totalValue, places: 2))"
                ),
                .init(
                    "without touches",
                    "\(withoutTouches) journeys, converted value \(DecimalText.text(valueWithoutTouches, places: 2)) (not attributable; not in the totals)"
                ),
                .init("position", "40% first touch, 40% last, 20% spread over the touches between"),
                .init(
                    "time-decay",
                    "weight 2^(−age ÷ \(DecimalText.text(halfLife, places: 2, trim: true)) days), age = conversion (or last touch) − touch"
                ),
                .init(
                    "markov",
                    "first-order chain over start, channels, conversion, null; credit = removal effect ÷ Σ removal effects × total, solved exactly"
                ),
            ])
        let solution = models.contains(.markov) ? tally.chain.solve() : nil
        if let solution {
            table.settings.append(
                .init("conversion probability", DecimalText.text(solution.conversionProbability, places: 6, trim: true))
            )
        }
        for model in models {
            let credits = tally.credits(model, solution: solution)
            for (i, channel) in tally.channels.enumerated() {
                table.rows.append(
                    .init([
                        .text(model.rawValue), .text(channel), .number(credits.conversions[i]),
                        .number(credits.values[i]),
                    ]))
            }
        }
        return table
    }
}
