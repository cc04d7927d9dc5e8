import FulcrumCore

/// A request parameter that cannot be used, named as the front end spells it (`--period` on the
/// command line, `period` in a URL), with the reason.
public struct ParameterError: Error, Sendable, CustomStringConvertible, Equatable {
    public var parameter: String
    public var reason: String

    public init(parameter: String, reason: String) {
        self.parameter = parameter
        self.reason = reason
    }

    public var description: String { parameter + ": " + reason }
}

/// The options every report takes, as text, exactly as a user gives them — command-line options and
/// URL query parameters alike — and their one parser into a `ReportQuery`. The CLI and the server
/// both go through `query(report:)`, so a value one accepts the other accepts, with the same words.
public struct ReportParameters: Sendable, Equatable {
    public var by: String?
    public var period: String = "month"
    public var from: String?
    public var to: String?
    public var compare: String?
    public var churnRecognition: String = "end-of-period"
    public var includeTrials = false
    public var grossMargin: Double = 0.8
    public var discountRate: Double = 0.10
    public var limit: Int = 20
    /// Attribution only: what is credited, by which model, time-decay's half-life in days.
    public var metric: String?
    public var model: String?
    public var halfLife: Double?

    public init() {}

    /// The names of the parameters, as the API spells them (the CLI puts `--` before each).
    public static let names = [
        "by", "period", "from", "to", "compare", "churn-recognition", "include-trials", "gross-margin",
        "discount-rate", "limit", "metric", "model", "half-life",
    ]

    /// Parameters from URL query items (`include-trials=true`); an unknown or malformed one is a
    /// `ParameterError` naming it. `extra` lists other names the caller handles itself (format, explain).
    public init(query items: [(String, String)], extra: Set<String> = []) throws {
        for (name, value) in items {
            switch name {
            case "by": by = value.isEmpty ? nil : value
            case "period": period = value
            case "from": from = value.isEmpty ? nil : value
            case "to": to = value.isEmpty ? nil : value
            case "compare": compare = value.isEmpty ? nil : value
            case "churn-recognition": churnRecognition = value
            case "include-trials": includeTrials = try Self.flag(value, name)
            case "gross-margin": grossMargin = try Self.number(value, name)
            case "discount-rate": discountRate = try Self.number(value, name)
            case "metric": metric = value.isEmpty ? nil : value
            case "model": model = value.isEmpty ? nil : value
            case "half-life": halfLife = try Self.number(value, name)
            case "limit":
                guard let n = Int(value) else {
                    throw ParameterError(parameter: name, reason: "'\(value)' is not a whole number")
                }
                limit = n
            default:
                guard extra.contains(name) else {
                    throw ParameterError(
                        parameter: name,
                        reason:
                            "not a parameter of this route; known: \((Self.names + extra.sorted()).joined(separator: ", "))"
                    )
                }
            }
        }
    }

    public static func flag(_ value: String, _ name: String) throws -> Bool {
        switch value.lowercased() {
        case "", "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ParameterError(parameter: name, reason: "'\(value)' is not true or false")
        }
    }

    static func number(_ value: String, _ name: String) throws -> Double {
        guard let x = Double(value), x.isFinite else {
            throw ParameterError(parameter: name, reason: "'\(value)' is not a number")
        }
        return x
    }

    /// A month in YYYY-MM form, or nil when not given.
    static func month(_ text: String?, _ name: String) throws -> Month? {
        guard let text else { return nil }
        guard let m = Month(iso: text), text.count == 7, (1...12).contains(m.month) else {
            throw ParameterError(parameter: name, reason: "'\(text)' is not a month in YYYY-MM form")
        }
        // Recurring-revenue records start long after 1970; a range reaching further back is a typo, and would
        // make cohort matrices of millions of empty cells.
        guard (1970...2999).contains(m.year) else {
            throw ParameterError(parameter: name, reason: "'\(text)' is outside 1970-01…2999-12")
        }
        return m
    }

    /// The query for report `report`. `spell` turns a parameter's name into the front end's spelling
    /// of it, for the errors (`{ "--" + $0 }` on the command line).
    public func query(report: String, spell: (String) -> String = { $0 }) throws -> ReportQuery {
        do {
            return try query(report: report)
        } catch let error as ParameterError {
            throw ParameterError(parameter: spell(error.parameter), reason: error.reason)
        }
    }

    private func query(report: String) throws -> ReportQuery {
        guard let grain = PeriodGrain(rawValue: period) else {
            throw ParameterError(parameter: "period", reason: "'\(period)' is not one of month, quarter, year")
        }
        var dimension: Dimension?
        if let by {
            guard let d = Dimension(name: by), d != .period else {
                throw ParameterError(
                    parameter: "by",
                    reason:
                        "'\(by)' is not a dimension; use segment, plan, channel, rep, cohort, campaign, owner, team, product, source, demo or custom:NAME"
                )
            }
            dimension = d
        }
        var comparison: Comparison?
        if let compare {
            guard let c = Comparison(rawValue: compare) else {
                throw ParameterError(parameter: "compare", reason: "'\(compare)' is not one of previous, year")
            }
            comparison = c
        }
        var settings = MetricSettings()
        switch churnRecognition {
        case "end-of-period": settings.revenue.churnRecognition = .endOfPaidPeriod
        case "cancel-date": settings.revenue.churnRecognition = .cancelDate
        default:
            throw ParameterError(
                parameter: "churn-recognition", reason: "'\(churnRecognition)' is not one of end-of-period, cancel-date"
            )
        }
        settings.revenue.includeTrials = includeTrials
        guard (0...1).contains(grossMargin) else {
            throw ParameterError(parameter: "gross-margin", reason: "\(grossMargin) is not between 0 and 1")
        }
        guard discountRate > 0, discountRate < 10 else {
            throw ParameterError(parameter: "discount-rate", reason: "\(discountRate) must be above 0")
        }
        guard limit >= 1 else { throw ParameterError(parameter: "limit", reason: "must be at least 1") }
        settings.grossMargin = grossMargin
        settings.annualDiscountRate = discountRate
        if let metric {
            guard ["pipeline", "bookings", "new-mrr"].contains(metric) else {
                throw ParameterError(
                    parameter: "metric", reason: "'\(metric)' is not one of pipeline, bookings, new-mrr")
            }
            settings.attributionMetric = metric
        }
        if let model {
            guard Attribution.Model(rawValue: model) != nil else {
                throw ParameterError(
                    parameter: "model",
                    reason:
                        "'\(model)' is not one of \(Attribution.Model.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            settings.attributionModel = model
        }
        if let halfLife {
            guard halfLife > 0, halfLife <= 3650 else {
                throw ParameterError(
                    parameter: "half-life", reason: "\(halfLife) must be above 0 and at most 3650 days")
            }
            settings.halfLifeDays = halfLife
        }
        return ReportQuery(
            report: report, by: dimension, grain: grain, from: try Self.month(from, "from"),
            to: try Self.month(to, "to"), compare: comparison, settings: settings, limit: limit)
    }
}
