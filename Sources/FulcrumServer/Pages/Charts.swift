import FulcrumCore

/// SVG charts drawn on the server: no script, no external library. Each has a title and description
/// for screen readers, labelled axes, a legend where there is more than one series, and a `<title>`
/// on every mark so hovering shows its exact value.
enum Charts {
    struct Series {
        var name: String
        var values: [Double]
        /// CSS class giving the colour (`s0`…`s5`, `pos`, `neg`).
        var style: String
    }

    static let width = 720.0
    static let height = 280.0
    static let left = 78.0
    static let right = 34.0
    static let top = 16.0
    static let bottom = 44.0

    /// A line chart over labelled periods (MRR by month), with the area under the first series shaded.
    static func line(
        title: String, labels: [String], series: [Series], format: (Double) -> String, id: String
    ) -> String {
        let all = series.flatMap(\.values)
        guard !labels.isEmpty, let maxValue = all.max() else { return empty(title) }
        let scale = Scale(min: min(0, all.min() ?? 0), max: maxValue)
        let plotW = width - left - right
        let step = labels.count > 1 ? plotW / Double(labels.count - 1) : 0
        var svg = open(title: title, id: id)
        svg += axes(scale: scale, format: format)
        svg += xLabels(labels, x: { left + Double($0) * step })
        for (k, s) in series.enumerated() {
            let points = s.values.enumerated().map { i, v in (left + Double(i) * step, scale.y(v)) }
            let path = points.map { "\(fmt($0.0)),\(fmt($0.1))" }.joined(separator: " ")
            if k == 0, let first = points.first, let last = points.last {
                svg +=
                    "<polygon class=\"area \(s.style)\" points=\"\(fmt(first.0)),\(fmt(scale.y(0))) \(path) \(fmt(last.0)),\(fmt(scale.y(0)))\"/>"
            }
            svg += "<polyline class=\"line \(s.style)\" points=\"\(path)\"/>"
            for (i, p) in points.enumerated() {
                svg +=
                    "<circle class=\"dot \(s.style)\" cx=\"\(fmt(p.0))\" cy=\"\(fmt(p.1))\" r=\"3.5\"><title>\(HTML.escape("\(labels[i]) · \(s.name): \(format(s.values[i]))"))</title></circle>"
            }
        }
        svg += legend(series)
        return svg + "</svg>"
    }

    /// Bars per period, positive series stacked up and negative ones down (MRR movements over time).
    static func stackedBars(
        title: String, labels: [String], series: [Series], format: (Double) -> String, id: String
    ) -> String {
        guard !labels.isEmpty, !series.isEmpty else { return empty(title) }
        var tops = [Double](repeating: 0, count: labels.count)
        var bottoms = [Double](repeating: 0, count: labels.count)
        for s in series {
            for (i, v) in s.values.enumerated() where i < labels.count {
                if v >= 0 { tops[i] += v } else { bottoms[i] += v }
            }
        }
        let scale = Scale(min: bottoms.min() ?? 0, max: max(tops.max() ?? 0, 1))
        let plotW = width - left - right
        let slot = plotW / Double(labels.count)
        let barW = max(2, slot * 0.7)
        var svg = open(title: title, id: id)
        svg += axes(scale: scale, format: format)
        svg += xLabels(labels, x: { left + slot * (Double($0) + 0.5) })
        var up = [Double](repeating: 0, count: labels.count)
        var down = [Double](repeating: 0, count: labels.count)
        for s in series {
            for (i, v) in s.values.enumerated() where i < labels.count && v != 0 {
                let base = v >= 0 ? up[i] : down[i]
                let y1 = scale.y(base)
                let y2 = scale.y(base + v)
                if v >= 0 { up[i] += v } else { down[i] += v }
                let x = left + slot * Double(i) + (slot - barW) / 2
                svg +=
                    "<rect class=\"bar \(s.style)\" x=\"\(fmt(x))\" y=\"\(fmt(min(y1, y2)))\" width=\"\(fmt(barW))\" height=\"\(fmt(max(0.5, abs(y2 - y1))))\"><title>\(HTML.escape("\(labels[i]) · \(s.name): \(format(v))"))</title></rect>"
            }
        }
        svg +=
            "<line class=\"zero\" x1=\"\(fmt(left))\" x2=\"\(fmt(width - right))\" y1=\"\(fmt(scale.y(0)))\" y2=\"\(fmt(scale.y(0)))\"/>"
        svg += legend(series)
        return svg + "</svg>"
    }

    /// Bars side by side per label, one per series (the same channels under several models).
    static func groupedBars(
        title: String, labels: [String], series: [Series], format: (Double) -> String, id: String
    ) -> String {
        guard !labels.isEmpty, !series.isEmpty else { return empty(title) }
        let all = series.flatMap(\.values)
        let scale = Scale(min: min(0, all.min() ?? 0), max: max(all.max() ?? 1, 1))
        let plotW = width - left - right
        let slot = plotW / Double(labels.count)
        let barW = max(1, slot * 0.8 / Double(series.count))
        var svg = open(title: title, id: id)
        svg += axes(scale: scale, format: format)
        svg += xLabels(labels, x: { left + slot * (Double($0) + 0.5) }, every: 1)
        for (k, s) in series.enumerated() {
            for (i, v) in s.values.enumerated() where i < labels.count {
                let x = left + slot * Double(i) + slot * 0.1 + barW * Double(k)
                let y1 = scale.y(0)
                let y2 = scale.y(v)
                svg +=
                    "<rect class=\"bar \(s.style)\" x=\"\(fmt(x))\" y=\"\(fmt(min(y1, y2)))\" width=\"\(fmt(barW))\" height=\"\(fmt(max(0.5, abs(y2 - y1))))\"><title>\(HTML.escape("\(labels[i]) · \(s.name): \(format(v))"))</title></rect>"
            }
        }
        svg += legend(series)
        return svg + "</svg>"
    }

    /// A waterfall from an opening to a closing total through signed steps (a month's MRR movements).
    static func waterfall(
        title: String, opening: (String, Double), steps: [(String, Double)], closing: (String, Double),
        format: (Double) -> String, id: String
    ) -> String {
        var running = opening.1
        var bars: [(label: String, from: Double, to: Double, style: String, value: Double)] = [
            (opening.0, 0, opening.1, "total", opening.1)
        ]
        for (label, v) in steps {
            bars.append((label, running, running + v, v >= 0 ? "pos" : "neg", v))
            running += v
        }
        bars.append((closing.0, 0, closing.1, "total", closing.1))
        let lo = min(0, bars.map { min($0.from, $0.to) }.min() ?? 0)
        let hi = max(1, bars.map { max($0.from, $0.to) }.max() ?? 1)
        // Start the axis near the smallest total so that the movements, small beside MRR, stay visible.
        let floor = lo < 0 ? lo : max(0, min(opening.1, closing.1, running) - (hi - min(opening.1, closing.1)) * 1.5)
        let scale = Scale(min: floor, max: hi)
        let plotW = width - left - right
        let slot = plotW / Double(bars.count)
        let barW = slot * 0.62
        var svg = open(title: title, id: id)
        svg += axes(scale: scale, format: format)
        svg += xLabels(bars.map(\.label), x: { left + slot * (Double($0) + 0.5) }, every: 1)
        for (i, b) in bars.enumerated() {
            let from = max(b.from, scale.min)
            let y1 = scale.y(from)
            let y2 = scale.y(b.to)
            let x = left + slot * Double(i) + (slot - barW) / 2
            svg +=
                "<rect class=\"bar \(b.style)\" x=\"\(fmt(x))\" y=\"\(fmt(min(y1, y2)))\" width=\"\(fmt(barW))\" height=\"\(fmt(max(1, abs(y2 - y1))))\"><title>\(HTML.escape("\(b.label): \(format(b.value))"))</title></rect>"
            svg +=
                "<text class=\"value\" x=\"\(fmt(x + barW / 2))\" y=\"\(fmt(min(y1, y2) - 5))\" text-anchor=\"middle\">\(HTML.escape(format(b.value)))</text>"
        }
        if floor > 0 {
            svg +=
                "<text class=\"note\" x=\"\(fmt(width - right))\" y=\"\(fmt(top + 10))\" text-anchor=\"end\">axis starts at \(HTML.escape(format(floor)))</text>"
        }
        return svg + "</svg>"
    }

    // MARK: parts

    struct Scale {
        var min: Double
        var max: Double
        var ticks: [Double]

        init(min lo: Double, max hi: Double) {
            // A flat series (min = max) still gets a scale: the span is at least a millionth of the values.
            let span = Swift.max(hi - lo, Swift.max(abs(hi), abs(lo), 1) * 1e-6)
            let raw = span / 4
            let magnitude = Math.pow(10, (Math.log(raw) / Math.log(10)).rounded(.down))
            let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
            let start = (lo / step).rounded(.down) * step
            let end = (hi / step).rounded(.up) * step
            min = start
            max = Swift.max(end, start + step)
            var t: [Double] = []
            var v = start
            while v <= max + step / 2, t.count < 20 {
                t.append(v)
                v += step
            }
            ticks = t
        }

        func y(_ v: Double) -> Double {
            let plotH = Charts.height - Charts.top - Charts.bottom
            return Charts.top + plotH * (1 - (v - min) / (max - min))
        }
    }

    static func open(title: String, id: String) -> String {
        "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"\(id)-t\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"\(id)-t\">\(HTML.escape(title))</title>"
    }

    static func axes(scale: Scale, format: (Double) -> String) -> String {
        var svg = ""
        for t in scale.ticks {
            let y = scale.y(t)
            svg +=
                "<line class=\"grid\" x1=\"\(fmt(left))\" x2=\"\(fmt(width - right))\" y1=\"\(fmt(y))\" y2=\"\(fmt(y))\"/>"
            svg +=
                "<text class=\"tick\" x=\"\(fmt(left - 8))\" y=\"\(fmt(y + 4))\" text-anchor=\"end\">\(HTML.escape(format(t)))</text>"
        }
        svg +=
            "<line class=\"axis\" x1=\"\(fmt(left))\" x2=\"\(fmt(left))\" y1=\"\(fmt(top))\" y2=\"\(fmt(height - bottom))\"/>"
        return svg
    }

    static func xLabels(_ labels: [String], x: (Int) -> Double, every: Int? = nil) -> String {
        let stride = every ?? max(1, Int((Double(labels.count) / 12).rounded(.up)))
        var svg = ""
        let last = labels.count - 1
        for (i, label) in labels.enumerated() where i % stride == 0 || i == last {
            // A regular label too close to the last one would overlap it.
            if i != last, last - i < stride { continue }
            svg +=
                "<text class=\"tick\" x=\"\(fmt(x(i)))\" y=\"\(fmt(height - bottom + 18))\" text-anchor=\"middle\">\(HTML.escape(label))</text>"
        }
        return svg
    }

    static func legend(_ series: [Series]) -> String {
        guard series.count > 1 else { return "" }
        var svg = ""
        var x = left
        for s in series {
            svg +=
                "<rect class=\"swatch \(s.style)\" x=\"\(fmt(x))\" y=\"\(fmt(height - 16))\" width=\"10\" height=\"10\"/>"
            svg += "<text class=\"legend\" x=\"\(fmt(x + 14))\" y=\"\(fmt(height - 7))\">\(HTML.escape(s.name))</text>"
            x += 22 + Double(s.name.count) * 6.6
        }
        return svg
    }

    static func empty(_ title: String) -> String {
        "<p class=\"muted\">\(HTML.escape(title)): no data in this range.</p>"
    }

    static func fmt(_ v: Double) -> String { DecimalText.text(v, places: 1, trim: true) }

    /// Compact money for axes: $1.2M, $350k.
    static func compactMoney(_ major: Double, currency: String) -> String {
        let symbol = Format.money(0, currency: currency).replacingZeros()
        let a = abs(major)
        let sign = major < 0 ? "-" : ""
        if a >= 1e6 { return sign + symbol + DecimalText.text(a / 1e6, places: a >= 1e7 ? 0 : 1, trim: true) + "M" }
        if a >= 1e3 { return sign + symbol + DecimalText.text(a / 1e3, places: a >= 1e4 ? 0 : 1, trim: true) + "k" }
        return sign + symbol + DecimalText.text(a, places: 0)
    }
}

extension String {
    /// "$0.00" → "$", "0.00 €" → "€": the currency sign alone.
    fileprivate func replacingZeros() -> String {
        String(filter { !"0123456789.,".contains($0) }).trimmingCharacters()
    }

    fileprivate func trimmingCharacters() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
