/// Segment economics typed into a spreadsheet, for `fulcrum plan --economics FILE.csv`: one row per
/// segment with the header `segment,marketing_spend,cost_per_lead,lead_to_opportunity,
/// opportunity_to_won,asp,sales_cost_per_deal,annual_churn,gross_margin` (monthly amounts in dollars,
/// rates as fractions). Every value is checked where it stands; errors name file, line and column.
public struct EconomicsFile: Sendable {
    public struct Row: Sendable, Equatable {
        public var segment: String
        public var marketingSpend: Double
        public var costPerLead: Double
        public var leadToOpportunity: Double
        public var opportunityToWon: Double
        public var asp: Double
        public var salesCostPerDeal: Double
        public var annualChurn: Double
        public var grossMargin: Double
        public var line: Int
    }

    public static let columns = [
        "segment", "marketing_spend", "cost_per_lead", "lead_to_opportunity", "opportunity_to_won", "asp",
        "sales_cost_per_deal", "annual_churn", "gross_margin",
    ]

    public var rows: [Row]

    public static func read(path: String) throws(CSVError) -> EconomicsFile {
        let reader = try CSVReader(path: path)
        var columns: [CSVColumn] = []
        for name in Self.columns { columns.append(try reader.header.require(name)) }
        var rows: [Row] = []
        var seen: [String: Int] = [:]
        while let record = try reader.next() {
            let segment = trimSpaces(record[columns[0]])
            guard !segment.isEmpty else {
                throw reader.valueError("the segment is blank", record: record, column: columns[0])
            }
            if let first = seen[segment] {
                throw reader.valueError(
                    "segment '\(segment)' is listed twice (first on line \(first))", record: record, column: columns[0])
            }
            seen[segment] = record.line
            func number(_ c: Int, _ rule: Rule) throws(CSVError) -> Double {
                let column = columns[c]
                let text = trimSpaces(record[column])
                var cleaned = String(text.filter { $0 != "," })
                if cleaned.hasPrefix("$") { cleaned.removeFirst() }
                guard !text.isEmpty else {
                    throw reader.valueError("\(column.name) is blank", record: record, column: column)
                }
                guard let v = Double(cleaned), v.isFinite else {
                    throw reader.valueError("\(column.name) '\(text)' is not a number", record: record, column: column)
                }
                if let problem = rule.problem(v, name: column.name) {
                    throw reader.valueError(problem, record: record, column: column)
                }
                return v
            }
            rows.append(
                Row(
                    segment: segment, marketingSpend: try number(1, .nonNegative),
                    costPerLead: try number(2, .positive),
                    leadToOpportunity: try number(3, .fraction), opportunityToWon: try number(4, .fraction),
                    asp: try number(5, .nonNegative), salesCostPerDeal: try number(6, .nonNegative),
                    annualChurn: try number(7, .positiveFraction), grossMargin: try number(8, .positiveFraction),
                    line: record.line))
        }
        guard !rows.isEmpty else {
            throw CSVError(
                code: .invalidValue, file: reader.fileName, line: reader.header.line, column: 1,
                message: "no segments: the file has a header and no rows")
        }
        return EconomicsFile(rows: rows)
    }

    enum Rule {
        case nonNegative, positive, fraction, positiveFraction

        func problem(_ v: Double, name: String) -> String? {
            switch self {
            case .nonNegative: return v < 0 ? "\(name) must not be negative" : nil
            case .positive: return v <= 0 ? "\(name) must be more than 0" : nil
            case .fraction, .positiveFraction:
                if v > 1 && v <= 100 {
                    let percent = v == v.rounded() ? String(Int(v)) : String(v)
                    return "\(name) is a fraction between 0 and 1, not \(percent): write \(v / 100) for \(percent)%"
                }
                if v < 0 || v > 1 { return "\(name) must be a fraction between 0 and 1" }
                if self == .positiveFraction && v == 0 {
                    return name == "annual_churn"
                        ? "annual_churn must be more than 0 (lifetime value is churn's reciprocal)"
                        : "\(name) must be more than 0"
                }
                return nil
            }
        }
    }
}
