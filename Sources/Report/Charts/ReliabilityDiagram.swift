/// Predicted probability against the observed response rate per bin: points on the diagonal
/// are well calibrated. Circle area shows how many people each bin holds.
struct ReliabilityDiagram {
    struct Bin {
        var predicted: Double
        var observed: Double
        var count: Int
    }

    var bins: [Bin]
    var width = 520.0
    var height = 400.0

    func svg(id: String, title: String) -> String {
        let legend = Legend(entries: [
            Legend.Entry(name: "model (circle area ∝ people)", color: Palette.blue),
            .marker("perfect calibration"),
        ])
        // Response rates are small; both axes share a range fitted to the data, not 0–100%.
        let high = max(bins.map { max($0.predicted, $0.observed) }.max() ?? 0, 1e-4)
        let probe = AxisSpec.fitted(covering: 0, high, format: .percent, title: "", length: height, horizontal: false)
        let plotLeft = probe.widestLabel + 34
        let legendHeight = legend.height(width: width - plotLeft - 16)
        let plot = PlotArea(left: plotLeft, top: 12 + legendHeight, width: width - plotLeft - 16, height: height)
        let xAxis = AxisSpec.fitted(
            covering: 0, high, format: .percent, title: "mean predicted probability (%)", length: plot.width,
            horizontal: true)
        // Same scale on both axes, so the diagonal is the identity.
        let yAxis = AxisSpec(scale: xAxis.scale, format: .percent, title: "observed response rate (%)")
        var canvas = SVGCanvas(width: width, height: plot.bottom + 46)
        legend.draw(on: &canvas, left: plotLeft, top: 6, width: plot.width)
        plot.drawAxes(on: &canvas, x: xAxis, y: yAxis, xGrid: true)
        canvas.line(
            plot.left, plot.bottom, plot.right, plot.top, stroke: Palette.ink, width: 1.5, dash: Legend.markerDash)
        let points = bins.map { (plot.x($0.predicted, xAxis), plot.y($0.observed, yAxis)) }
        canvas.polyline(points, stroke: Palette.blue, width: 1.5)
        let largest = Double(bins.map(\.count).max() ?? 1)
        for (bin, point) in zip(bins, points) {
            let radius = 3 + 7 * (Double(bin.count) / max(1, largest)).squareRoot()
            canvas.circle(
                point.0, point.1, radius: radius, fill: Palette.blue + "99", stroke: Palette.blue,
                title: "predicted \(ReportFormat.percent(bin.predicted, decimals: 2)), observed "
                    + "\(ReportFormat.percent(bin.observed, decimals: 2)), \(ReportFormat.integer(bin.count)) people")
        }
        return canvas.svg(id: id, title: title)
    }
}
