import Foundation

/// Tick values a reader can work with: steps of 1, 2 or 5 times a power of ten, covering
/// the data's range.
struct NiceScale {
    let lower: Double
    let upper: Double
    let step: Double

    /// A scale covering `low...high` with at most `maxTicks` ticks.
    init(covering low: Double, _ high: Double, maxTicks: Int = 6) {
        var low = low.isFinite ? low : 0
        var high = high.isFinite ? high : 1
        if high < low { swap(&low, &high) }
        if high - low < 1e-12 {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= low == 0 ? 0 : pad
            high += pad
        }
        let step = NiceScale.smallestStep(covering: low, high, maxTicks: max(2, maxTicks))
        self.step = step
        self.lower = (low / step + 1e-9).rounded(.down) * step
        self.upper = (high / step - 1e-9).rounded(.up) * step
    }

    init(lower: Double, upper: Double, step: Double) {
        self.lower = lower
        self.upper = upper
        self.step = step
    }

    var ticks: [Double] {
        // Whole steps only: a scale whose upper end is fixed off-step (e.g. 366 columns) stops
        // its ticks at the last step inside it.
        let count = Int(((upper - lower) / step + 1e-9).rounded(.down))
        return (0...max(0, count)).map { lower + Double($0) * step }
    }

    /// The smallest step of 1, 2, 2.5 or 5 times a power of ten whose ticks, from a multiple
    /// of the step at or below `low` to one at or above `high`, number at most `maxTicks`.
    static func smallestStep(covering low: Double, _ high: Double, maxTicks: Int) -> Double {
        let raw = (high - low) / Double(maxTicks - 1)
        guard raw > 0, raw.isFinite else { return 1 }
        var magnitude = pow(10, log10(raw).rounded(.down))
        while true {
            for factor in [1, 2, 2.5, 5] {
                let step = factor * magnitude
                let ticks = (high / step - 1e-9).rounded(.up) - (low / step + 1e-9).rounded(.down) + 1
                if ticks <= Double(maxTicks) { return step }
            }
            magnitude *= 10
        }
    }

    /// Maps a value of this scale onto `from...to` pixels (either direction).
    func position(_ value: Double, from: Double, to: Double) -> Double {
        from + (value - lower) / (upper - lower) * (to - from)
    }
}

/// How an axis writes its tick values; percentages get the unit on every tick.
enum TickFormat {
    /// Shares 0–1 written as percentages.
    case percent
    /// Plain numbers.
    case number
    /// Multiples, e.g. lift: `2×`.
    case multiple

    func label(_ value: Double, step: Double) -> String {
        switch self {
        case .percent:
            return ReportFormat.fixed(value * 100, decimals: TickFormat.decimals(step * 100)) + "%"
        case .number:
            if abs(value) >= 10_000, step >= 1 { return TickFormat.compact(value) }
            return ReportFormat.fixed(value, decimals: TickFormat.decimals(step))
        case .multiple:
            return ReportFormat.fixed(value, decimals: TickFormat.decimals(step)) + "×"
        }
    }

    /// Just enough decimals to tell ticks `step` apart.
    static func decimals(_ step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        var decimals = 0
        var scaled = step
        while decimals < 6, abs(scaled - scaled.rounded()) > 1e-6 * max(1, scaled) {
            scaled *= 10
            decimals += 1
        }
        return decimals
    }

    /// Large counts with a thousands suffix: `250000` → `250k`, `1500000` → `1.5M`.
    static func compact(_ value: Double) -> String {
        let (divisor, suffix) = abs(value) >= 1_000_000 ? (1_000_000.0, "M") : (1000.0, "k")
        let scaled = value / divisor
        return ReportFormat.fixed(scaled, decimals: abs(scaled - scaled.rounded()) < 1e-9 ? 0 : 1) + suffix
    }
}

/// One axis of a chart: its scale, how ticks read, and what it measures with which unit.
struct AxisSpec {
    var scale: NiceScale
    var format: TickFormat
    var title: String

    /// The scale with as many ticks as fit along `length` pixels when labels need `labelWidth`.
    static func fitted(
        covering low: Double, _ high: Double, format: TickFormat, title: String, length: Double, horizontal: Bool,
        maxTicks: Int = 8
    ) -> AxisSpec {
        var ticks = maxTicks
        while true {
            let scale = NiceScale(covering: low, high, maxTicks: ticks)
            let labels = scale.ticks.map { format.label($0, step: scale.step) }
            let spacing = length / Double(max(1, labels.count - 1))
            let needed =
                horizontal
                ? (labels.map { TextWidth.of($0, size: ChartStyle.tickSize) }.max() ?? 0) + 10
                : ChartStyle.tickSize * 2
            if spacing >= needed || ticks <= 2 { return AxisSpec(scale: scale, format: format, title: title) }
            ticks -= 1
        }
    }

    var labels: [(value: Double, text: String)] {
        scale.ticks.map { ($0, format.label($0, step: scale.step)) }
    }

    var widestLabel: Double {
        labels.map { TextWidth.of($0.text, size: ChartStyle.tickSize) }.max() ?? 0
    }
}

/// Sizes shared by the charts, so every figure reads alike.
enum ChartStyle {
    /// Chart width in CSS pixels: the page's text column, and about 0.8 of an A4 page's width
    /// in print, so 11 px labels still print at a readable 8–9 px.
    static let width = 880.0
    static let tickSize = 11.0
    static let labelSize = 11.0
    static let titleSize = 12.0
    static let legendSize = 12.0
}

/// The rectangle the data is drawn in.
struct PlotArea {
    var left: Double
    var top: Double
    var width: Double
    var height: Double

    var right: Double { left + width }
    var bottom: Double { top + height }

    func x(_ value: Double, _ axis: AxisSpec) -> Double { axis.scale.position(value, from: left, to: right) }
    func y(_ value: Double, _ axis: AxisSpec) -> Double { axis.scale.position(value, from: bottom, to: top) }

    /// Grid, axis lines, tick labels and axis titles for an x axis below and y axes beside.
    func drawAxes(on canvas: inout SVGCanvas, x: AxisSpec, y: AxisSpec, rightY: AxisSpec? = nil, xGrid: Bool = false) {
        for (value, _) in y.labels {
            canvas.line(left, self.y(value, y), right, self.y(value, y), stroke: Palette.grid)
        }
        if xGrid {
            for (value, _) in x.labels {
                canvas.line(self.x(value, x), top, self.x(value, x), bottom, stroke: Palette.grid)
            }
        }
        canvas.line(left, bottom, right, bottom, stroke: Palette.axis)
        canvas.line(left, top, left, bottom, stroke: Palette.axis)
        for (value, text) in x.labels {
            let px = self.x(value, x)
            canvas.line(px, bottom, px, bottom + 4, stroke: Palette.axis)
            canvas.text(text, x: px, y: bottom + 16, size: ChartStyle.tickSize, anchor: .middle, role: "tick-x")
        }
        for (value, text) in y.labels {
            let py = self.y(value, y)
            canvas.line(left - 4, py, left, py, stroke: Palette.axis)
            canvas.text(text, x: left - 7, y: py + 4, size: ChartStyle.tickSize, anchor: .end, role: "tick-y")
        }
        canvas.text(
            x.title, x: left + width / 2, y: bottom + 36, size: ChartStyle.titleSize, anchor: .middle,
            role: "axis-title")
        canvas.text(
            y.title, x: left - y.widestLabel - 16, y: top + height / 2, size: ChartStyle.titleSize, anchor: .middle,
            role: "axis-title", rotated: true)
        if let rightY {
            canvas.line(right, top, right, bottom, stroke: Palette.axis)
            for (value, text) in rightY.labels {
                let py = self.y(value, rightY)
                canvas.line(right, py, right + 4, py, stroke: Palette.axis)
                canvas.text(text, x: right + 7, y: py + 4, size: ChartStyle.tickSize, role: "tick-y2")
            }
            let titleX = right + rightY.widestLabel + 24
            canvas.text(
                rightY.title, x: titleX, y: top + height / 2, size: ChartStyle.titleSize, anchor: .middle,
                role: "axis-title", rotated: true)
        }
    }
}

/// A row of colour swatches with names above a chart, wrapping when it runs out of width.
struct Legend {
    struct Entry {
        var name: String
        var color: String
        var dash: String? = nil

        /// A dashed reference line (threshold, cut, chance).
        static func marker(_ name: String, color: String = Palette.ink) -> Entry {
            Entry(name: name, color: color, dash: Legend.markerDash)
        }
    }

    static let markerDash = "5 3"

    var entries: [Entry]

    /// Height the legend takes at `width`.
    func height(width: Double) -> Double { Double(lines(width: width).count) * 18 }

    func draw(on canvas: inout SVGCanvas, left: Double, top: Double, width: Double) {
        for (row, line) in lines(width: width).enumerated() {
            var x = left
            let y = top + Double(row) * 18 + 12
            for entry in line {
                canvas.line(x, y - 4, x + 22, y - 4, stroke: entry.color, width: 3, dash: entry.dash)
                canvas.text(entry.name, x: x + 28, y: y, size: ChartStyle.legendSize, role: "legend")
                x += itemWidth(entry)
            }
        }
    }

    private func itemWidth(_ entry: Entry) -> Double {
        28 + TextWidth.of(entry.name, size: ChartStyle.legendSize) + 18
    }

    private func lines(width: Double) -> [[Entry]] {
        var lines: [[Entry]] = []
        var current: [Entry] = []
        var used = 0.0
        for entry in entries {
            let item = itemWidth(entry)
            if !current.isEmpty, used + item > width {
                lines.append(current)
                current = []
                used = 0
            }
            current.append(entry)
            used += item
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
