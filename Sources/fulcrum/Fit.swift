import ArgumentParser
import Foundation
import FulcrumCore

extension Fulcrum {
    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fit a retention model.", subcommands: [SBG.self])
    }
}

extension Fulcrum.Fit {
    /// The shifted-beta-geometric model of Fader & Hardie (2007) on a cohort's survivor counts.
    struct SBG: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sbg",
            abstract: "Fit a shifted-beta-geometric retention model to survivor counts.",
            discussion: "Example: fulcrum fit sbg --survivors 1000,631,468,382,326,289,262,241 --periods 12"
        )

        @Option(help: "Survivors at period 0, 1, 2, … (comma-separated, non-increasing, at least 3).")
        var survivors: String

        @Option(help: "Project survival for this many periods (default: the observed ones).")
        var periods: Int?

        @Option(help: "Discount rate per period for the discounted expected residual lifetime.")
        var discount: Double = 0.1

        @Option(help: "Output format: table or json.")
        var format: OutputFormat = .table

        func parsedSurvivors() throws -> [Int] {
            try survivors.split(separator: ",", omittingEmptySubsequences: false).enumerated().map { i, text in
                guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--survivors: value \(i + 1) ('\(text)') is not a whole number")
                }
                return n
            }
        }

        func validate() throws {
            _ = try parsedSurvivors()
            if let periods, periods < 1 { throw ValidationError("--periods must be at least 1") }
            if !(discount >= 0) { throw ValidationError("--discount must be zero or more") }
        }

        func run() throws {
            let counts = try parsedSurvivors()
            let fit: SBGFit
            do {
                fit = try ShiftedBetaGeometric.fit(survivors: counts)
            } catch {
                FileHandle.standardError.write(Data("fulcrum: error: --survivors: \(error)\n".utf8))
                throw ExitCode.failure
            }
            // No interior maximum, and the likelihood rises toward α, β → ∞: one constant churn rate fits best.
            let limit = fit.homogeneousLimit(survivors: counts)
            let model = limit?.model ?? fit.model
            let horizon = periods ?? (counts.count - 1)
            let survival = model.projectedSurvival(periods: horizon)
            let derl = model.discountedExpectedResidualLifetime(discountRate: discount, renewals: 0)
            switch format {
            case .json:
                struct Output: Encodable {
                    var alpha: Double, beta: Double, logLikelihood: Double, iterations: Int, converged: Bool
                    var survival: [Double], retention: [Double], expectedLifetime: Double?
                    var discountRate: Double, discountedExpectedResidualLifetime: Double
                    /// Set when the sBG has no interior maximum and one constant churn rate fits best; the projection uses it.
                    var constantChurn: Double?
                }
                let out = Output(
                    alpha: fit.alpha, beta: fit.beta, logLikelihood: fit.logLikelihood, iterations: fit.iterations,
                    converged: fit.converged, survival: survival,
                    retention: (1...max(1, horizon)).map { model.retention($0) },
                    expectedLifetime: model.expectedLifetime, discountRate: discount,
                    discountedExpectedResidualLifetime: derl,
                    constantChurn: limit?.theta)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(out), as: UTF8.self))
            case .table:
                print(
                    "alpha \(fit.alpha)\nbeta \(fit.beta)\nlog-likelihood \(fit.logLikelihood)\nconverged \(fit.converged) after \(fit.iterations) iterations"
                )
                if let limit {
                    print(
                        """
                        note: no interior maximum: the likelihood rises toward the sBG's homogeneous limit (α, β → ∞), \
                        so churn does not fall with tenure here; one constant churn rate fits best: \
                        θ = \(String(format: "%.4f", limit.theta)) per period (log-likelihood \(limit.logLikelihood)); the projection below uses it
                        """)
                }
                print("discounted expected residual lifetime at \(discount): \(derl) periods")
                var table = TextTable(headers: ["period", "observed", "projected survival", "retention"])
                for t in 0...horizon {
                    let observed = t < counts.count ? String(format: "%.4f", Double(counts[t]) / Double(counts[0])) : ""
                    table.append([
                        String(t), observed, String(format: "%.4f", survival[t]),
                        t == 0 ? "" : String(format: "%.4f", model.retention(t)),
                    ])
                }
                print(table.render())
            }
        }
    }
}
