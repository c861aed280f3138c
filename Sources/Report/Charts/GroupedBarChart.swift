/// Side-by-side horizontal bars per group (e.g. population share and customer share per
/// segment), with a note to the right of each group (e.g. ratio and label).
struct GroupedBarChart {
    struct Group {
        var label: String
        var values: [Double]
        var note: String
        var emphasised = false
    }

    var groups: [Group]
    var seriesNames: [String]
    var colors = [Palette.grey, Palette.blue]
    var valueTitle: String
    var format: TickFormat
    var width = ChartStyle.width

    static let barHeight = 11.0
    static let groupGap = 9.0
    static let labelSize = ChartStyle.labelSize
    static let maxLabelWidth = 230.0

    func svg(id: String, title: String) -> String {
        let labels = groups.map { TextWidth.fit($0.label, size: Self.labelSize, width: Self.maxLabelWidth) }
        let labelWidth = labels.map { TextWidth.of($0, size: Self.labelSize) }.max() ?? 0
        let noteWidth = groups.map { TextWidth.of($0.note, size: Self.labelSize) }.max() ?? 0
        let plotLeft = labelWidth + 16
        let valueWidth = 44.0
        let legend = Legend(
            entries: zip(seriesNames, colors).map { Legend.Entry(name: $0.0, color: $0.1) })
        let legendHeight = legend.height(width: width - plotLeft)
        let groupHeight = Double(seriesNames.count) * Self.barHeight + Self.groupGap
        let plot = PlotArea(
            left: plotLeft, top: 12 + legendHeight, width: width - plotLeft - valueWidth - noteWidth - 20,
            height: Double(groups.count) * groupHeight)
        let maxValue = groups.flatMap(\.values).max() ?? 1
        let axis = AxisSpec.fitted(
            covering: 0, maxValue, format: format, title: valueTitle, length: plot.width, horizontal: true)
        var canvas = SVGCanvas(width: width, height: plot.bottom + 46)
        legend.draw(on: &canvas, left: plotLeft, top: 6, width: width - plotLeft)
        for (value, text) in axis.labels {
            let x = plot.x(value, axis)
            canvas.line(x, plot.top, x, plot.bottom, stroke: Palette.grid)
            canvas.text(text, x: x, y: plot.bottom + 16, size: ChartStyle.tickSize, anchor: .middle, role: "tick-x")
        }
        canvas.line(plot.left, plot.top, plot.left, plot.bottom, stroke: Palette.axis)
        canvas.line(plot.left, plot.bottom, plot.right, plot.bottom, stroke: Palette.axis)
        canvas.text(
            valueTitle, x: plot.left + plot.width / 2, y: plot.bottom + 36, size: ChartStyle.titleSize, anchor: .middle,
            role: "axis-title")
        for (index, group) in groups.enumerated() {
            let groupTop = plot.top + Double(index) * groupHeight + Self.groupGap / 2
            let middle = groupTop + Double(seriesNames.count) * Self.barHeight / 2
            canvas.text(
                labels[index], x: plot.left - 6, y: middle + Self.labelSize * 0.35, size: Self.labelSize, anchor: .end,
                role: "group-label", bold: group.emphasised)
            var valueEnd = plot.left
            for (series, value) in group.values.enumerated() {
                let top = groupTop + Double(series) * Self.barHeight
                let end = plot.x(max(0, value), axis)
                valueEnd = max(valueEnd, end)
                let name = series < seriesNames.count ? seriesNames[series] : ""
                canvas.rect(
                    plot.left, top + 0.5, end - plot.left, Self.barHeight - 1, fill: colors[series % colors.count],
                    title: "\(group.label), \(name): \(format.label(value, step: 0.001))")
                canvas.text(
                    format.label(value, step: 0.001), x: end + 3, y: top + Self.barHeight - 2, size: 9,
                    role: "bar-value", fill: Palette.muted)
            }
            canvas.text(
                group.note, x: plot.right + valueWidth + 8, y: middle + Self.labelSize * 0.35, size: Self.labelSize,
                role: "group-note", bold: group.emphasised)
        }
        return canvas.svg(id: id, title: title)
    }
}
