import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumImport
import FulcrumService

extension Fulcrum {
    /// `fulcrum experiment`: try a go-to-market change on a subset of accounts before rolling it out.
    struct Experiment: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Experiments on accounts: create, assign, check and analyze, or analyze outcomes from a file.",
            discussion: """
                Workflow: create (eligibility, arms, metric, dates, minimum effect; prints the sample size and \
                duration) → assign (deterministic, stratified, stable; CSV per arm and owner) → status → analyze \
                (fixed horizon unless a sequential design was chosen). Method and worked example: docs/experiments.md.
                """,
            subcommands: [Create.self, List.self, Assign.self, Status.self, Analyze.self])
    }
}

/// Experiment errors as one line naming the parameter, exit 1.
func experimentErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as ExperimentService.Problem {
        throw fail(e.description)
    } catch let e as CSVError {
        throw fail(e.description)
    }
}

extension Fulcrum.Experiment {
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an experiment and print its design.")

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Name (unique; never changed after creation).")
        var name: String

        @Option(help: "What the change should do, in a sentence.")
        var hypothesis: String

        @Option(help: "Arms with allocation weights, control first: control:1,treatment:1.")
        var arms = "control:1,treatment:1"

        @Option(help: "Primary metric: \(ExperimentMetric.allCases.map(\.rawValue).joined(separator: ", ")).")
        var metric: String

        @Option(help: "Guardrail metric (repeatable).")
        var guardrail: [String] = []

        @Option(
            help:
                "Eligibility condition (repeatable): segment=Tech|Consulting, status=prospect|customer|former, owner=REP, health=healthy|watch|at-risk, custom:FIELD=VALUE."
        )
        var eligible: [String] = []

        @Option(help: "First day of the experiment window, YYYY-MM-DD.")
        var start: String

        @Option(help: "Planned last day, YYYY-MM-DD.")
        var end: String

        @Option(
            name: .customLong("min-effect"),
            help: "Smallest absolute effect worth detecting on the primary metric (0.05 = 5 points for a rate).")
        var minEffect: Double

        @Option(help: "Significance level.")
        var alpha = 0.05

        @Option(help: "Planned power.")
        var power = 0.8

        @Option(help: "Interim analysis: none, obrien-fleming or pocock alpha spending.")
        var sequential = "none"

        @Option(help: "Planned looks for a sequential design (equally spaced).")
        var looks = 4

        @Flag(name: .customLong("stratify-size"), help: "Stratify by size band as well as segment.")
        var stratifySize = false

        @Option(help: "Output format: table or json.")
        var format: OutputFormat = .table

        func definition() throws -> ExperimentDefinition {
            func metricNamed(_ text: String, _ parameter: String) throws -> ExperimentMetric {
                guard let m = ExperimentMetric(rawValue: text) else {
                    throw ValidationError(
                        "\(parameter): '\(text)' is not one of \(ExperimentMetric.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                return m
            }
            var parsedArms: [ExperimentDefinition.Arm] = []
            for part in arms.split(separator: ",") {
                let pieces = part.split(separator: ":", maxSplits: 1).map(String.init)
                let weight = pieces.count == 2 ? Double(pieces[1]) : 1
                guard !pieces[0].isEmpty, let weight, weight > 0 else {
                    throw ValidationError("--arms: '\(part)' is not NAME:WEIGHT (e.g. control:1)")
                }
                parsedArms.append(.init(name: pieces[0], weight: weight))
            }
            var eligibility = ExperimentDefinition.Eligibility()
            for condition in eligible {
                let pieces = condition.split(separator: "=", maxSplits: 1).map(String.init)
                guard pieces.count == 2, !pieces[1].isEmpty else {
                    throw ValidationError("--eligible: '\(condition)' is not FIELD=VALUE (e.g. segment=Tech)")
                }
                let values = pieces[1].split(separator: "|").map(String.init)
                switch pieces[0] {
                case "segment": eligibility.segments += values
                case "status":
                    for v in values where !["prospect", "customer", "former"].contains(v) {
                        throw ValidationError("--eligible: status '\(v)' is not one of prospect, customer, former")
                    }
                    eligibility.statuses += values
                case "owner": eligibility.owners += values
                case "health":
                    for v in values where !["healthy", "watch", "at-risk"].contains(v) {
                        throw ValidationError("--eligible: health '\(v)' is not one of healthy, watch, at-risk")
                    }
                    eligibility.health += values
                default:
                    guard pieces[0].hasPrefix("custom:"), pieces[0].count > 7 else {
                        throw ValidationError(
                            "--eligible: '\(pieces[0])' is not one of segment, status, owner, health, custom:FIELD")
                    }
                    eligibility.customFields[String(pieces[0].dropFirst(7)), default: []] += values
                }
            }
            guard let startDay = Day(iso: start) else { throw ValidationError("--start: '\(start)' is not YYYY-MM-DD") }
            guard let endDay = Day(iso: end) else { throw ValidationError("--end: '\(end)' is not YYYY-MM-DD") }
            guard let spending = AlphaSpending(rawValue: sequential) else {
                throw ValidationError("--sequential: '\(sequential)' is not one of none, obrien-fleming, pocock")
            }
            guard alpha > 0 && alpha < 0.5 else { throw ValidationError("--alpha: \(alpha) is not between 0 and 0.5") }
            guard power > 0 && power < 1 else { throw ValidationError("--power: \(power) is not between 0 and 1") }
            guard minEffect != 0 else { throw ValidationError("--min-effect: must not be 0") }
            guard looks >= 1 && looks <= 20 else { throw ValidationError("--looks: \(looks) is not between 1 and 20") }
            let today = Day(iso: ISO8601DateFormatter().string(from: Date()).prefix(10))!
            return ExperimentDefinition(
                name: name, hypothesis: hypothesis, eligibility: eligibility, arms: parsedArms,
                primaryMetric: try metricNamed(metric, "--metric"),
                guardrails: try guardrail.map { try metricNamed($0, "--guardrail") }, start: startDay,
                plannedEnd: endDay, minimumEffect: minEffect, alpha: alpha, power: power, sequential: spending,
                looks: spending == .none ? 1 : looks, stratifyBySize: stratifySize, createdOn: today)
        }

        func validate() throws {
            guard !name.isEmpty else { throw ValidationError("--name: must not be empty") }
            _ = try definition()
        }

        func run() throws {
            let e = try definition()
            let store = try storeOptions.openStoreForWriting()
            let design = try experimentErrors { try runReportingErrors { try ExperimentService.create(store, e) } }
            if format == .json {
                struct Out: Encodable {
                    var experiment: ExperimentDefinition
                    var design: ExperimentDesign
                }
                print(try ServiceJSON.encode(Out(experiment: e, design: design), snakeCase: true))
                return
            }
            print("Created experiment '\(e.name)': \(e.hypothesis)")
            print(ExperimentText.design(e, design))
            print("Next: fulcrum experiment assign \(e.name) --out assignments.csv")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the experiments in the store.")

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Output format: table or json.")
        var format: OutputFormat = .table

        func run() throws {
            let store = try storeOptions.openStoreForReading()
            let all = try experimentErrors { try runReportingErrors { try ExperimentService.all(store) } }
            if format == .json {
                print(try ServiceJSON.encode(all, snakeCase: true))
                return
            }
            var table = TextTable(
                headers: ["name", "metric", "arms", "window", "design", "hypothesis"],
                alignments: [.left, .left, .left, .left, .left, .left])
            for e in all {
                table.append([
                    e.name, e.primaryMetric.rawValue,
                    e.arms.map { "\($0.name):\(DecimalText.text($0.weight, places: 2, trim: true))" }.joined(
                        separator: ","),
                    "\(e.start.iso)…\(e.plannedEnd.iso)",
                    e.sequential == .none ? "fixed horizon" : "\(e.sequential.rawValue) × \(e.looks)", e.hypothesis,
                ])
            }
            print(all.isEmpty ? "No experiments (create one: fulcrum experiment create)" : table.render())
        }
    }

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign eligible accounts to arms (deterministic, stratified, stable) and write them as CSV.")

        @Argument(help: "Experiment name.")
        var name: String

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Write the CSV here (default: standard output).")
        var out: String?

        func run() throws {
            let store = try storeOptions.openStoreForWriting()
            let rows = try experimentErrors {
                try runReportingErrors { try ExperimentService.assign(store, name: name) }
            }
            var csv = "experiment,arm,owner,owner_email,account_id,account,segment,stratum,new\n"
            for r in rows {
                csv +=
                    [r.experiment, r.arm, r.owner, r.ownerEmail, String(r.accountId), r.account, r.segment, r.stratum]
                    .map { CSVText.cell($0) }.joined(separator: ",") + ",\(r.new ? 1 : 0)\n"
            }
            let fresh = rows.filter(\.new).count
            if let out {
                do { try csv.write(toFile: out, atomically: true, encoding: .utf8) } catch {
                    throw fail("\(out): cannot write the assignments: \(error.localizedDescription)")
                }
                var perArm: [String: Int] = [:]
                for r in rows { perArm[r.arm, default: 0] += 1 }
                let arms = perArm.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                print("\(rows.count) accounts assigned (\(fresh) new): \(arms) → \(out)")
            } else {
                print(csv, terminator: "")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Design, assignment per arm, sample-ratio check and how far the window has run.")

        @Argument(help: "Experiment name.")
        var name: String

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Output format: table or json.")
        var format: OutputFormat = .table

        func run() throws {
            let store = try storeOptions.openStoreForReading()
            let s = try experimentErrors { try runReportingErrors { try ExperimentService.status(store, name: name) } }
            if format == .json {
                print(try ServiceJSON.encode(s, snakeCase: true))
                return
            }
            print("Experiment '\(name)' (\(s.phase)): \(s.experiment.hypothesis)")
            print(
                "Window \(s.experiment.start.iso)…\(s.experiment.plannedEnd.iso); data through \(s.dataThrough) (\(Int((s.informationFraction * 100).rounded()))% of the window)"
            )
            print(ExperimentText.design(s.experiment, s.design))
            let arms = s.experiment.arms.map { "\($0.name) \(s.assigned[$0.name] ?? 0)" }.joined(separator: ", ")
            print("Assigned: \(arms)")
            if let srm = s.srm {
                print(
                    "Sample ratio: χ² = \(DecimalText.text(srm.statistic, places: 3)), p = \(DecimalText.text(srm.pValue, places: 4)) — "
                        + (srm.mismatch ? "MISMATCH: the assignment is broken" : "consistent with the planned split"))
            }
        }
    }

    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Analyze a stored experiment, or outcomes from a file (--outcomes).")

        @Argument(help: "Experiment name (omit with --outcomes).")
        var name: String?

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Outcomes file (CSV, one row per account) instead of a stored experiment.")
        var outcomes: String?

        @Option(help: "With --outcomes: the column naming each row's arm.")
        var arm: String?

        @Option(help: "With --outcomes: the control arm (default: the first arm in the file).")
        var control: String?

        @Option(help: "With --outcomes: a stratum column (Cochran–Mantel–Haenszel for 1/0 metrics).")
        var strata: String?

        @Option(help: "With --outcomes: pre-period column for CUPED (one for all metrics, or one per --metric).")
        var pre: [String] = []

        @Option(help: "With --outcomes: an outcome column (repeatable).")
        var metric: [String] = []

        @Option(help: "Significance level for --outcomes.")
        var alpha = 0.05

        @Option(help: "Output format: table or json.")
        var format: OutputFormat = .table

        func validate() throws {
            if outcomes != nil {
                guard name == nil else { throw ValidationError("give an experiment NAME or --outcomes, not both") }
                guard arm != nil else { throw ValidationError("--outcomes needs --arm COLUMN") }
                guard !metric.isEmpty else { throw ValidationError("--outcomes needs at least one --metric COLUMN") }
            } else {
                guard name != nil else { throw ValidationError("give an experiment NAME, or --outcomes FILE") }
                guard arm == nil, control == nil, strata == nil, pre.isEmpty, metric.isEmpty else {
                    throw ValidationError("--arm, --control, --strata, --pre and --metric go with --outcomes")
                }
            }
        }

        func run() throws {
            if let outcomes {
                let analysis = try experimentErrors {
                    try ExperimentFile.analyze(
                        path: outcomes, arm: arm!, control: control, strata: strata, pre: pre, metrics: metric,
                        alpha: alpha)
                }
                if format == .json {
                    print(try ServiceJSON.encode(ExperimentText.fileJSON(analysis), snakeCase: true))
                } else {
                    print(ExperimentText.analysis(analysis), terminator: "")
                }
                return
            }
            let store = try storeOptions.openStoreForReading()
            let result = try experimentErrors {
                try runReportingErrors {
                    try reportingMetricErrors { try ExperimentService.analyze(store, name: name!) }
                }
            }
            if format == .json {
                print(try ServiceJSON.encode(result, snakeCase: true))
                return
            }
            var out = "Experiment '\(result.experiment)': \(result.hypothesis)\n"
            out += "Window \(result.window) (data through \(result.dataThrough)); \(result.design)\n\n"
            out += ExperimentText.analysis(result.analysis)
            out += "\nDecision: \(result.decision) — \(result.reading)\n"
            for g in result.guardrails {
                out += "Guardrail \(g.metric) (\(g.arm)): \(g.harmed ? "HARM — " : "")\(g.reading)\n"
            }
            print(out, terminator: "")
        }
    }
}

/// Text and JSON shapes of experiment output.
enum ExperimentText {
    static func number(_ v: Double, _ places: Int = 4) -> String { DecimalText.text(v, places: places) }

    static func design(_ e: ExperimentDefinition, _ d: ExperimentDesign) -> String {
        let base =
            e.primaryMetric.isBinary
            ? "baseline \(e.primaryMetric.rawValue) rate \(Format.percent(d.baseline.mean))"
            : "baseline \(e.primaryMetric.rawValue) mean \(number(d.baseline.mean, 2)) (sd \(number(d.baseline.standardDeviation, 2)))"
        var out =
            "Design: \(base) over \(d.baseline.accounts) eligible accounts in \(d.baseline.window); minimum effect \(number(e.minimumEffect)) at α = \(e.alpha), power \(e.power)"
        if d.controlArm == Int.max {
            out += "\n  the baseline does not vary, so no sample size can detect the effect"
            return out
        }
        out +=
            "\n  needs \(Format.grouped(Int64(d.controlArm))) accounts in \(e.control) (\(Format.grouped(Int64(d.total))) in all); "
        out +=
            "eligible now \(Format.grouped(Int64(d.eligibleNow))), new eligible accounts \(number(d.monthlyFlow, 1)) a month"
        if let months = d.monthsNeeded {
            out += months == 0 ? "; enough today" : "; about \(number(months, 1)) months more of new accounts"
        } else {
            out += "; no new eligible accounts arrive, so the experiment cannot reach its size"
        }
        return out
    }

    static func analysis(_ a: ExperimentAnalysis) -> String {
        var out = "Sample ratio: \(a.srm.observed.map(String.init).joined(separator: " / ")) against "
        out +=
            "\(a.srm.expected.map { number($0, 1) }.joined(separator: " / ")) planned; χ² = \(number(a.srm.statistic, 3)), "
        out += "p = \(number(a.srm.pValue)) \(a.srm.mismatch ? "— MISMATCH: assignment is broken" : "")\n"
        var table = TextTable(
            headers: ["metric", "arm", "n", "control", "treatment", "difference", "95% CI", "relative", "test", "p"],
            alignments: [.left, .left, .right, .right, .right, .right, .left, .right, .left, .right])
        for c in a.comparisons {
            let n = c.arms.map { "\($0.measured)" }.joined(separator: "/")
            let means = (c.arms.first { $0.arm == c.control }?.mean ?? 0, c.arms.first { $0.arm == c.arm }?.mean ?? 0)
            var tests: [(String, Double, Double, Double, Double?)] = []
            if let z = c.zTest { tests.append(("z-test", z.difference, z.ciLow, z.ciHigh, z.pValue)) }
            if let w = c.welch { tests.append(("Welch", w.difference, w.ciLow, w.ciHigh, w.pValue)) }
            if let m = c.mannWhitney { tests.append(("Mann–Whitney", .nan, .nan, .nan, m.pValue)) }
            if let k = c.cmh { tests.append(("CMH (\(k.strata) strata)", .nan, .nan, .nan, k.pValue)) }
            if let u = c.cuped {
                tests.append(
                    (
                        "CUPED (var ×\(number(u.varianceRatio, 3)))", u.welch.difference, u.welch.ciLow, u.welch.ciHigh,
                        u.welch.pValue
                    ))
            }
            let relative = c.zTest?.relativeLift ?? c.welch?.relativeLift
            for (i, t) in tests.enumerated() {
                table.append([
                    i == 0 ? c.metric : "", i == 0 ? "\(c.arm) vs \(c.control)" : "", i == 0 ? n : "",
                    i == 0 ? number(means.0) : "", i == 0 ? number(means.1) : "", t.1.isNaN ? "" : number(t.1),
                    t.2.isNaN ? "" : "[\(number(t.2)), \(number(t.3))]",
                    i == 0 ? relative.map { Format.percent($0) } ?? "" : "", t.0, t.4.map { number($0) } ?? "",
                ])
            }
        }
        return out + table.render() + "\n"
    }

    /// Per metric (and treatment arm), each test under its own name.
    struct FileJSON: Encodable {
        var arms: [String]
        var control: String
        var srm: ExperimentStatistics.SampleRatioTest
        var metrics: [ExperimentAnalysis.Comparison]
    }

    static func fileJSON(_ a: ExperimentAnalysis) -> FileJSON {
        FileJSON(arms: a.arms, control: a.control, srm: a.srm, metrics: a.comparisons)
    }
}
