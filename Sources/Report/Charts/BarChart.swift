/// Horizontal bars, one labelled row per item, in the order given: sized so every label gets
/// its own line however many items there are (the chart grows downwards, not denser).
struct BarChart {
    struct Bar {
        var label: String
        var value: Double
        /// Drawn in the highlight colour, with `note` to the right (e.g. why a column was dropped).
        var highlighted = false
        var note: String? = nil
    }

    var bars: [Bar]
    var valueTitle: String
    var format: TickFormat
    /// The axis always reaches this far (e.g. 100% for shares), if set.
    var domainMax: Double? = nil
    var threshold: (value: Double, label: String)? = nil
    var legend: [Legend.Entry] = []
    var color = Palette.blue
    var highlightColor = Palette.vermillion
    var width = ChartStyle.width

    static let rowHeight = 15.0
    static let barHeight = 10.0
    static let labelSize = ChartStyle.labelSize
    /// Labels longer than this many characters are shortened with an ellipsis.
    static let maxLabelCharacters = 34

    func svg(id: String, title: String) -> String {
        let labels = bars.map {
            String($0.label.prefix(Self.maxLabelCharacters)) + ($0.label.count > Self.maxLabelCharacters ? "…" : "")
        }
        let labelWidth = labels.map { TextWidth.of($0, size: Self.labelSize, monospace: true) }.max() ?? 0
        let notes = bars.map { $0.note.map { TextWidth.fit($0, size: Self.labelSize, width: 200) } }
        let noteWidth = notes.compactMap { $0.map { TextWidth.of($0, size: Self.labelSize) } }.max() ?? 0
        let valueWidth = 48.0
        // Marker lines are named in the legend, not beside the line, where they would cross bars.
        let legend = Legend(entries: legend + (threshold.map { [.marker($0.label)] } ?? []))
        let plotLeft = labelWidth + 16
        let legendHeight = legend.height(width: width - plotLeft)
        let showTopAxis = bars.count > 25
        let top = 10 + legendHeight + (showTopAxis ? 22 : 0)
        var plot = PlotArea(left: plotLeft, top: top, width: 0, height: Double(bars.count) * Self.rowHeight)
        plot.width = width - plot.left - valueWidth - (noteWidth > 0 ? noteWidth + 12 : 0) - 8
        let maxValue = max(domainMax ?? 0, bars.map(\.value).max() ?? 0, threshold?.value ?? 0)
        let axis = AxisSpec.fitted(
            covering: 0, maxValue, format: format, title: valueTitle, length: plot.width, horizontal: true)
        var canvas = SVGCanvas(width: width, height: plot.bottom + 46)
        legend.draw(on: &canvas, left: plotLeft, top: 6, width: width - plotLeft)

        for (value, text) in axis.labels {
            let x = plot.x(value, axis)
            canvas.line(x, plot.top, x, plot.bottom, stroke: Palette.grid)
            canvas.text(text, x: x, y: plot.bottom + 16, size: ChartStyle.tickSize, anchor: .middle, role: "tick-x")
            if showTopAxis {
                canvas.text(text, x: x, y: plot.top - 8, size: ChartStyle.tickSize, anchor: .middle, role: "tick-x-top")
            }
        }
        canvas.line(plot.left, plot.top, plot.left, plot.bottom, stroke: Palette.axis)
        canvas.line(plot.left, plot.bottom, plot.right, plot.bottom, stroke: Palette.axis)
        canvas.text(
            valueTitle, x: plot.left + plot.width / 2, y: plot.bottom + 36, size: ChartStyle.titleSize, anchor: .middle,
            role: "axis-title")

        for (index, bar) in bars.enumerated() {
            let rowTop = plot.top + Double(index) * Self.rowHeight
            let barTop = rowTop + (Self.rowHeight - Self.barHeight) / 2
            let end = plot.x(max(0, bar.value), axis)
            let valueText = format.label(bar.value, step: format == .percent ? 0.001 : 0.01)
            canvas.rect(
                plot.left, barTop, end - plot.left, Self.barHeight, fill: bar.highlighted ? highlightColor : color,
                title: "\(bar.label): \(valueText)" + (bar.note.map { " (\($0))" } ?? ""))
            let baseline = rowTop + Self.rowHeight / 2 + Self.labelSize * 0.35
            canvas.text(
                labels[index], x: plot.left - 6, y: baseline, size: Self.labelSize, anchor: .end, role: "bar-label",
                monospace: true)
            canvas.text(
                valueText, x: end + 4, y: baseline, size: Self.labelSize - 1, role: "bar-value", fill: Palette.muted)
            if let note = notes[index] {
                canvas.text(
                    note, x: plot.right + valueWidth + 4, y: baseline, size: Self.labelSize, role: "bar-note",
                    fill: highlightColor)
            }
        }
        if let threshold {
            let x = plot.x(threshold.value, axis)
            canvas.line(x, plot.top - 2, x, plot.bottom, stroke: Palette.ink, width: 1.5, dash: Legend.markerDash)
        }
        return canvas.svg(id: id, title: title)
    }
}
