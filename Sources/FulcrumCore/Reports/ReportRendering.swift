/// Renders a ReportTable as a text table, RFC 4180 CSV, JSON or an explain listing.
/// Pure string building, so the CLI, the API and the tests print identical figures.
extension ReportTable {
    /// Aligned text with money in whole units, ratios as percentages, partial periods
    /// starred, then the settings and notes.
    public func renderTable() -> String {
        var table = TextTable(
            headers: columns.map(\.name),
            alignments: columns.map { $0.kind == .text ? .left : .right })
        for row in rows {
            var cells = zip(columns, row.cells).map { column, cell in
                ReportTable.display(cell, kind: column.kind, currency: currency)
            }
            if row.partial, !cells.isEmpty { cells[0] += " *" }
            table.append(cells)
        }
        var out = title + " (amounts in " + currency + ")\n" + table.render()
        if rows.contains(where: \.partial) {
            out += "\n* partial period: data ends inside it, its numbers will still change."
        }
        out += "\n\nSettings:\n" + settings.map { "  " + $0.name + ": " + $0.value }.joined(separator: "\n")
        if !notes.isEmpty { out += "\n" + notes.map { "Note: " + $0 }.joined(separator: "\n") }
        return out
    }

    /// Whether the rows are periods (the first column a month, quarter, year or cohort), so a row
    /// can be a partial period whose numbers will still change.
    public var isPeriodic: Bool {
        ["month", "quarter", "year", "period", "cohort"].contains(columns.first?.name ?? "")
    }

    /// CSV with a header row: money in major units of the report currency (negative stays a
    /// number), ratios as fractions, blank cells empty. Text cells are neutralized like the
    /// store's CSV export. A periodic report ends with a `partial` column (true for a period the
    /// data ends inside, as the table's `*` and the JSON's `partial`).
    public func renderCSV() -> String {
        let periodic = isPeriodic
        var out = (columns.map { CSVText.cell($0.name) } + (periodic ? ["partial"] : [])).joined(separator: ",") + "\n"
        for row in rows {
            out +=
                (zip(columns, row.cells).map { column, cell in
                    ReportTable.plain(cell, kind: column.kind, currency: currency, csv: true)
                } + (periodic ? [row.partial ? "true" : "false"] : []))
                .joined(separator: ",") + "\n"
        }
        return out
    }

    /// One JSON object: report, title, currency, settings, columns, their kinds (text, money, count,
    /// percent, multiple, number), rows (objects keyed by
    /// column name, money in major units, plus `partial`) and notes. With `explain`, each row
    /// has an `explain` object: per explained column its rule, the cell's kind, the records
    /// (`record`, `source_ids`, `account`, `amount`) and a ratio's `denominator`.
    public func renderJSON(explain: Bool = false, labels: [String: RecordLabel] = [:]) -> String {
        var out = "{\n  \"report\": " + JSONText.string(report) + ",\n  \"title\": " + JSONText.string(title)
        out += ",\n  \"currency\": " + JSONText.string(currency) + ",\n  \"settings\": {"
        out += settings.map { "\n    " + JSONText.string($0.name) + ": " + JSONText.string($0.value) }.joined(
            separator: ",")
        out +=
            "\n  },\n  \"columns\": [" + columns.map { JSONText.string($0.name) }.joined(separator: ", ")
            + "],\n  \"kinds\": [" + columns.map { JSONText.string($0.kind.rawValue) }.joined(separator: ", ")
            + "],\n  \"rows\": ["
        out += rows.map { row in
            var fields = zip(columns, row.cells).map { column, cell in
                JSONText.string(column.name) + ": " + ReportTable.json(cell, kind: column.kind, currency: currency)
            }
            fields.append("\"partial\": " + (row.partial ? "true" : "false"))
            if explain {
                let ex = columns.indices.compactMap { i -> String? in
                    guard i < row.explain.count, !row.explain[i].isEmpty else { return nil }
                    return JSONText.string(columns[i].name) + ": "
                        + explainJSON(row.explain[i], kind: columns[i].kind, labels: labels)
                }
                fields.append("\"explain\": {" + ex.joined(separator: ", ") + "}")
            }
            return "\n    {" + fields.joined(separator: ", ") + "}"
        }.joined(separator: ",")
        out += "\n  ],\n  \"notes\": [" + notes.map(JSONText.string).joined(separator: ", ") + "]\n}"
        return out
    }

    /// `kind` is the cell's (money, count, percent, …), so a reader knows how the records' figure compares with it.
    private func explainJSON(_ e: Explanation, kind: Kind, labels: [String: RecordLabel]) -> String {
        func items(_ items: [Explanation.Item], money: Bool) -> String {
            "["
                + items.map { item in
                    let label = labels[item.record]
                    var f = ["\"record\": " + JSONText.string(item.record)]
                    f.append(
                        "\"source_ids\": [" + (label?.sourceIds ?? []).map(JSONText.string).joined(separator: ", ")
                            + "]")
                    f.append("\"account\": " + (label?.account.map(JSONText.string) ?? "null"))
                    if let a = item.amount { f.append("\"amount\": " + amountText(a, money: money)) }
                    return "{" + f.joined(separator: ", ") + "}"
                }.joined(separator: ", ") + "]"
        }
        var f = [
            "\"rule\": " + JSONText.string(e.rule.rawValue), "\"kind\": " + JSONText.string(kind.rawValue),
            "\"records\": " + items(e.items, money: e.moneyItems),
        ]
        if e.rule == .ratio { f.append("\"denominator\": " + items(e.denominator, money: e.moneyDenominator)) }
        return "{" + f.joined(separator: ", ") + "}"
    }

    /// An item's amount as CSV and JSON give it: money in major units, other amounts as decimals.
    func amountText(_ amount: Double, money: Bool) -> String {
        // Ten decimals: shares of a conversion stay exact enough that hundreds of them add up to the cell.
        guard money else { return DecimalText.text(amount, places: 10, trim: true) }
        if amount == amount.rounded() { return DecimalText.major(Int64(amount), currency: currency) }
        // A fractional credit (an attribution share of a deal) keeps its fraction, so the parts still add up.
        let exponent = Currency.exponent(of: currency)
        return DecimalText.text(amount / Double(Currency.power10(exponent)), places: exponent + 6, trim: true)
    }

    /// The records behind every explained cell. As text: one heading per cell (the row's keys, the
    /// column, the value and how the records make it), then one line per record with its amount, its
    /// source ids and its account. As CSV: one row per record with the columns
    /// keys…, `column`, `value`, `rule`, `part` (items or denominator), `record`, `source_ids`, `account`, `amount`.
    public func renderExplain(csv: Bool, labels: [String: RecordLabel] = [:]) -> String {
        let keyIndexes = columns.indices.filter { columns[$0].isKey }
        let keyNames = keyIndexes.map { columns[$0].name }
        var lines: [String] = []
        if csv {
            lines.append(
                (keyNames + ["column", "value", "rule", "part", "record", "source_ids", "account", "amount"])
                    .map(CSVText.cell).joined(separator: ","))
        }
        for row in rows {
            let keys = keyIndexes.map { ReportTable.plain(row.cells[$0], kind: .text, currency: currency, csv: false) }
            for i in columns.indices where !columns[i].isKey && i < row.explain.count && !row.explain[i].isEmpty {
                let e = row.explain[i]
                let parts: [(String, [Explanation.Item], Bool)] =
                    e.rule == .ratio
                    ? [("numerator", e.items, e.moneyItems), ("denominator", e.denominator, e.moneyDenominator)]
                    : [("items", e.items, e.moneyItems)]
                if csv {
                    let plainValue = ReportTable.plain(
                        row.cells[i], kind: columns[i].kind, currency: currency, csv: false)
                    // The value is a number (written as is, negatives included, as in the plain CSV); the rest is text.
                    let valueCell = columns[i].kind == .text ? CSVText.cell(plainValue) : plainValue
                    for (part, items, money) in parts {
                        for item in items {
                            let label = labels[item.record]
                            lines.append(
                                (keys.map(CSVText.cell) + [
                                    CSVText.cell(columns[i].name), valueCell, e.rule.rawValue, part,
                                    CSVText.cell(item.record),
                                    CSVText.cell((label?.sourceIds ?? []).joined(separator: " ")),
                                    CSVText.cell(label?.account ?? ""),
                                    item.amount.map { amountText($0, money: money) } ?? "",
                                ])
                                .joined(separator: ","))
                        }
                    }
                } else {
                    let value = ReportTable.display(row.cells[i], kind: columns[i].kind, currency: currency)
                    lines.append(keys.joined(separator: " ") + "  " + columns[i].name + " = " + value + " " + how(e))
                    for (part, items, money) in parts {
                        if e.rule == .ratio { lines.append("    " + part + ":") }
                        for item in items { lines.append("    " + itemLine(item, money: money, labels: labels)) }
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// How the records make the value, for the text heading.
    private func how(_ e: Explanation) -> String {
        func part(_ items: [Explanation.Item]) -> String {
            items.contains { $0.amount != nil } ? "the sum of \(items.count)" : "\(items.count) records"
        }
        switch e.rule {
        case .sum: return "(sum of \(e.items.count) record\(e.items.count == 1 ? "" : "s")):"
        case .count: return "(count of \(e.items.count) record\(e.items.count == 1 ? "" : "s")):"
        case .mean: return "(mean of \(e.items.count) record\(e.items.count == 1 ? "" : "s")):"
        case .ratio: return "(ratio: " + part(e.items) + " ÷ " + part(e.denominator) + "):"
        case .from: return "(computed from \(e.items.count) record\(e.items.count == 1 ? "" : "s")):"
        }
    }

    private func itemLine(_ item: Explanation.Item, money: Bool, labels: [String: RecordLabel]) -> String {
        var parts: [String] = []
        if let a = item.amount {
            let text = amountText(a, money: money)
            parts.append(String(repeating: " ", count: max(0, 12 - text.count)) + text)
        }
        parts.append(item.record)
        if let label = labels[item.record] {
            if !label.sourceIds.isEmpty { parts.append(label.sourceIds.joined(separator: " ")) }
            if let account = label.account { parts.append(account) }
        }
        return parts.joined(separator: "  ")
    }

    /// A cell as the text table shows it (money with its symbol, percentages, multiples).
    public static func display(_ cell: Cell, kind: Kind, currency: String) -> String {
        switch (cell, kind) {
        case (.blank, _): return ""
        case (.text(let t), _): return t
        case (.money(let m), _): return Format.money(m, currency: currency)
        case (.count(let c), _): return Format.grouped(Int64(c))
        case (.number(let v), .percent): return Format.percent(v)
        case (.number(let v), .multiple): return DecimalText.text(v, places: 1) + "x"
        case (.number(let v), .statistic):
            return v != 0 && abs(v) < 0.0005 ? (v < 0 ? "> -0.001" : "< 0.001") : DecimalText.text(v, places: 3)
        case (.number(let v), .money):
            return Format.money(Int64(v.rounded(.toNearestOrAwayFromZero)), currency: currency)
        case (.number(let v), _): return DecimalText.text(v, places: 1)
        }
    }

    /// A cell as CSV and JSON give it: money in major units, ratios as fractions, blank empty.
    public static func plain(_ cell: Cell, kind: Kind, currency: String, csv: Bool) -> String {
        switch cell {
        case .blank: return ""
        case .text(let t): return csv ? CSVText.cell(t) : t
        case .money(let m): return DecimalText.major(m, currency: currency)
        case .count(let c): return String(c)
        case .number(let v):
            if kind == .money {
                return DecimalText.major(Int64(v.rounded(.toNearestOrAwayFromZero)), currency: currency)
            }
            return DecimalText.text(v, places: 6, trim: true)
        }
    }

    static func json(_ cell: Cell, kind: Kind, currency: String) -> String {
        switch cell {
        case .blank: return "null"
        case .text(let t): return JSONText.string(t)
        default: return plain(cell, kind: kind, currency: currency, csv: false)
        }
    }
}

/// Decimal text without Foundation.
public enum DecimalText {
    /// Minor units as major units with the currency's exponent: 12345 USD → "123.45", -4000 → "-40.00".
    public static func major(_ minor: Int64, currency: String) -> String {
        let exponent = Currency.exponent(of: currency)
        guard exponent > 0 else { return String(minor) }
        var scale: Int64 = 1
        for _ in 0..<exponent { scale *= 10 }
        let magnitude = minor.magnitude
        let fraction = String(magnitude % UInt64(scale))
        return (minor < 0 ? "-" : "") + String(magnitude / UInt64(scale)) + "."
            + String(repeating: "0", count: exponent - fraction.count) + fraction
    }

    /// `value` rounded half away from zero to `places` decimals; trailing zeros dropped when `trim`.
    public static func text(_ value: Double, places: Int, trim: Bool = false) -> String {
        guard value.isFinite else { return "" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else { return String(value) }
        let units = UInt64(scaled)
        let whole = units / UInt64(scale)
        var fraction = places > 0 ? String(units % UInt64(scale)) : ""
        fraction = String(repeating: "0", count: max(0, places - fraction.count)) + fraction
        if trim { while fraction.hasSuffix("0") { fraction.removeLast() } }
        let sign = value < 0 && units > 0 ? "-" : ""
        return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }
}
