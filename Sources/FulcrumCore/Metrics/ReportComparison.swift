/// `--compare previous|year`: a report beside the same report over an earlier range.
/// Rows are matched on their keys, the earlier period label moved forward by the shift;
/// a row present on only one side is kept with the other side blank.
enum ReportComparison {
    static func join(_ now: ReportTable, _ then: ReportTable, shiftMonths: Int, grain: PeriodGrain?, label: String)
        -> ReportTable
    {
        let keyIdx = now.columns.indices.filter { now.columns[$0].isKey }
        let valueIdx = now.columns.indices.filter { !now.columns[$0].isKey && now.columns[$0].kind != .text }
        let textIdx = now.columns.indices.filter { !now.columns[$0].isKey && now.columns[$0].kind == .text }
        func keyOf(_ row: ReportTable.Row, shifted: Bool) -> [String] {
            keyIdx.enumerated().map { n, i in
                guard case .text(let t) = row.cells[i] else { return "" }
                if shifted, n == 0, let grain, let m = month(ofLabel: t, grain) {
                    return grain.label(m.adding(shiftMonths))
                }
                return t
            }
        }
        var table = now
        table.title =
            now.title + ", compared with the \(label == "year" ? "same period a year earlier" : "previous period")"
        table.columns = keyIdx.map { now.columns[$0] } + textIdx.map { now.columns[$0] }
        for i in valueIdx {
            let c = now.columns[i]
            table.columns += [c, .init(c.name + "_" + label, c.kind), .init(c.name + "_change", c.kind)]
        }
        var earlier: [[String]: ReportTable.Row] = [:]
        var order: [[String]] = []
        for row in then.rows {
            let k = keyOf(row, shifted: true)
            if earlier[k] == nil { order.append(k) }
            earlier[k] = row
        }
        var seen: Set<[String]> = []
        func combine(_ current: ReportTable.Row?, _ previous: ReportTable.Row?, key: [String]) -> ReportTable.Row {
            var cells: [ReportTable.Cell] = key.map { .text($0) }
            var ex: [Explanation] = key.map { _ in .none }
            for i in textIdx {
                cells.append(current?.cells[i] ?? previous?.cells[i] ?? .blank)
                ex.append(.none)
            }
            for i in valueIdx {
                let a = current?.cells[i] ?? .blank
                let b = previous?.cells[i] ?? .blank
                var change: ReportTable.Cell = .blank
                switch (a, b) {
                case (.money(let x), .money(let y)): change = .money(x - y)
                case (.count(let x), .count(let y)): change = .count(x - y)
                default: if let x = a.doubleValue, let y = b.doubleValue { change = .number(x - y) }
                }
                cells += [a, b, change]
                func explained(_ row: ReportTable.Row?) -> Explanation {
                    row.map { i < $0.explain.count ? $0.explain[i] : .none } ?? .none
                }
                ex += [
                    explained(current), explained(previous), .difference(explained(current), explained(previous)),
                ]
            }
            return .init(cells, partial: current?.partial ?? false, explain: ex)
        }
        table.rows = []
        for row in now.rows {
            let k = keyOf(row, shifted: false)
            seen.insert(k)
            table.rows.append(combine(row, earlier[k], key: k))
        }
        for k in order where !seen.contains(k) { table.rows.append(combine(nil, earlier[k], key: k)) }
        table.settings.append(
            .init(
                "compare",
                "\(label): each row beside the same report \(shiftMonths) month(s) earlier; _change = now − then (percent columns in points)"
            ))
        return table
    }

    static func month(ofLabel label: String, _ grain: PeriodGrain) -> Month? {
        switch grain {
        case .month: return Month(iso: label)
        case .quarter:
            let parts = label.split(separator: "-")
            guard parts.count == 2, let y = Int(parts[0]), parts[1].hasPrefix("Q"), let q = Int(parts[1].dropFirst()),
                (1...4).contains(q)
            else { return nil }
            return Month(y, (q - 1) * 3 + 1)
        case .year: return Int(label).map { Month($0, 1) }
        }
    }
}
