/// Every item as one thin vertical bar, sorted: the whole distribution at a glance when
/// there are too many items (e.g. 366 columns) to label each one.
struct ProfileStrip {
    var values: [Double]
    /// Items drawn in the highlight colour.
    var highlighted: Set<Int> = []
    var itemTitle: String
    var valueTitle: String
    var format: TickFormat
    var domainMax: Double? = nil
    var threshold: (value: Double, label: String)? = nil
    var legend: [Legend.Entry] = []
    var width = ChartStyle.width
    var height = 260.0

    /// `values` are drawn left to right in the order given (sort them first).
    func svg(id: String, title: String) -> String {
        let legend = Legend(entries: legend + (threshold.map { [.marker($0.label)] } ?? []))
        let maxValue = max(domainMax ?? 0, values.max() ?? 0, threshold?.value ?? 0)
        let yAxis = AxisSpec.fitted(
            covering: 0, maxValue, format: format, title: valueTitle, length: height, horizontal: false)
        let left = yAxis.widestLabel + 34
        let legendHeight = legend.height(width: width - left)
        let plot = PlotArea(left: left, top: 12 + legendHeight, width: width - left - 16, height: height)
        let count = Double(max(1, values.count))
        // The axis ends at the last item, with ticks at round counts inside it.
        let ticks = AxisSpec.fitted(
            covering: 0, count, format: .number, title: itemTitle, length: plot.width, horizontal: true, maxTicks: 10)
        let xAxis = AxisSpec(
            scale: NiceScale(lower: 0, upper: count, step: ticks.scale.step), format: .number, title: itemTitle)
        var canvas = SVGCanvas(width: width, height: plot.bottom + 46)
        legend.draw(on: &canvas, left: left, top: 6, width: width - left)
        plot.drawAxes(on: &canvas, x: xAxis, y: yAxis)
        let barWidth = plot.width / count
        for (index, value) in values.enumerated() {
            let top = plot.y(max(0, value), yAxis)
            let x = plot.x(Double(index), xAxis)
            // Thin bars would leave hairline gaps when scaled; let them touch.
            canvas.rect(
                x, top, barWidth + (barWidth < 3 ? 0.3 : -0.5), plot.bottom - top,
                fill: highlighted.contains(index) ? Palette.vermillion : Palette.blue)
        }
        if let threshold {
            let y = plot.y(threshold.value, yAxis)
            canvas.line(plot.left, y, plot.right, y, stroke: Palette.ink, width: 1.5, dash: Legend.markerDash)
        }
        return canvas.svg(id: id, title: title)
    }
}
