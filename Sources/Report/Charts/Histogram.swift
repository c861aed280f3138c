/// Counts over contiguous bins, with an optional threshold line; bins beyond the threshold
/// are drawn in the highlight colour.
///
/// When one bin dwarfs all others (most rows miss nothing), the axis is cut above the
/// others so they stay readable; the cut bar carries its count.
struct Histogram {
    var binEdges: [Double]
    var counts: [Int]
    var xTitle: String
    var yTitle: String
    var xFormat: TickFormat
    var threshold: (value: Double, label: String)? = nil
    var width = ChartStyle.width
    var height = 280.0

    func svg(id: String, title: String) -> String {
        let legend = Legend(entries: threshold.map { [.marker($0.label)] } ?? [])
        let sorted = counts.sorted(by: >)
        let largest = Double(sorted.first ?? 0)
        let second = Double(sorted.dropFirst().first ?? 0)
        let cut = second > 0 && largest > 4 * second
        let maxCount = cut ? second * 1.4 : largest
        let yAxis = AxisSpec.fitted(
            covering: 0, max(1, maxCount), format: .number, title: yTitle, length: height, horizontal: false)
        let left = yAxis.widestLabel + 34
        let legendHeight = legend.height(width: width - left)
        let plot = PlotArea(left: left, top: 12 + legendHeight, width: width - left - 16, height: height)
        let low = binEdges.first ?? 0
        let high = binEdges.last ?? 1
        let xAxis = AxisSpec.fitted(
            covering: low, high, format: xFormat, title: xTitle, length: plot.width, horizontal: true, maxTicks: 11)
        var canvas = SVGCanvas(width: width, height: plot.bottom + 46)
        legend.draw(on: &canvas, left: left, top: 6, width: width - left)
        plot.drawAxes(on: &canvas, x: xAxis, y: yAxis)
        for (index, count) in counts.enumerated() where index + 1 < binEdges.count {
            let x0 = plot.x(binEdges[index], xAxis)
            let x1 = plot.x(binEdges[index + 1], xAxis)
            let clipped = cut && Double(count) > yAxis.scale.upper
            let top = clipped ? plot.top : plot.y(Double(count), yAxis)
            let beyond = threshold.map { binEdges[index] >= $0.value } ?? false
            let range =
                "\(xFormat.label(binEdges[index], step: 0.001))–\(xFormat.label(binEdges[index + 1], step: 0.001))"
            canvas.rect(
                x0 + 0.5, top, x1 - x0 - 1, plot.bottom - top, fill: beyond ? Palette.vermillion : Palette.blue,
                title: "\(range): \(ReportFormat.integer(count))")
            if clipped {
                // A white zigzag across the bar marks the cut; the true count stands beside it.
                let middle = plot.top + 10
                canvas.polyline(
                    [(x0 - 2, middle + 3), ((x0 + x1) / 2, middle - 3), (x1 + 2, middle + 3)], stroke: "#ffffff",
                    width: 3)
                canvas.text(
                    "\(ReportFormat.integer(count)) (bar cut)", x: x1 + 5, y: plot.top + 14, size: ChartStyle.labelSize,
                    role: "bar-value")
            }
        }
        if let threshold {
            let x = plot.x(threshold.value, xAxis)
            canvas.line(x, plot.top, x, plot.bottom, stroke: Palette.ink, width: 1.5, dash: Legend.markerDash)
        }
        return canvas.svg(id: id, title: title)
    }
}
