/// Lines over a shared x axis, each against the left or the right y axis (two units in one
/// figure: inertia and silhouette, gain and lift), with dashed reference lines.
struct LineChart {
    enum Side {
        case left, right
    }

    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
        var side: Side = .left
        var color: String
        var dash: String? = nil
        /// Dots on the points, for series with few of them.
        var markers = false
    }

    /// What an axis measures; its range covers the data unless `domain` fixes it.
    struct AxisInput {
        var title: String
        var format: TickFormat
        var domain: (low: Double, high: Double)? = nil
        var includeZero = true
    }

    var series: [Series]
    var x: AxisInput
    var left: AxisInput
    var right: AxisInput? = nil
    /// Dashed vertical lines at x values, named in the legend.
    var verticalMarkers: [(x: Double, name: String)] = []
    /// Dashed horizontal lines at y values of one side, named in the legend.
    var horizontalMarkers: [(y: Double, side: Side, name: String)] = []
    /// A dashed line from the plot's bottom-left to its top-right corner (chance, perfect calibration).
    var diagonal: String? = nil
    var width = ChartStyle.width
    var height = 320.0
    var xGrid = false

    func svg(id: String, title: String) -> String {
        let markerColors = [Palette.ink, Palette.grey, Palette.purple]
        var entries = series.map { Legend.Entry(name: $0.name, color: $0.color, dash: $0.dash) }
        var markerIndex = 0
        func nextMarkerColor() -> String {
            defer { markerIndex += 1 }
            return markerColors[markerIndex % markerColors.count]
        }
        let verticalColors = verticalMarkers.map { _ in nextMarkerColor() }
        let horizontalColors = horizontalMarkers.map { _ in nextMarkerColor() }
        let diagonalColor = diagonal == nil ? "" : nextMarkerColor()
        entries += zip(verticalMarkers, verticalColors).map { .marker($0.0.name, color: $0.1) }
        entries += zip(horizontalMarkers, horizontalColors).map { .marker($0.0.name, color: $0.1) }
        if let diagonal { entries.append(.marker(diagonal, color: diagonalColor)) }
        let legend = Legend(entries: entries)

        let leftAxis = axis(left, side: .left, length: height, horizontal: false)
        let rightAxis = right.map { axis($0, side: .right, length: height, horizontal: false) }
        let plotLeft = leftAxis.widestLabel + 34
        let plotRight = width - (rightAxis.map { $0.widestLabel + 36 } ?? 20)
        let legendHeight = legend.height(width: plotRight - plotLeft)
        let plot = PlotArea(left: plotLeft, top: 12 + legendHeight, width: plotRight - plotLeft, height: height)
        let xValues = series.flatMap { $0.points.map(\.x) } + verticalMarkers.map(\.x)
        let xAxis = axis(x, values: xValues, length: plot.width, horizontal: true)

        var canvas = SVGCanvas(width: width, height: plot.bottom + 46)
        legend.draw(on: &canvas, left: plotLeft, top: 6, width: plot.width)
        plot.drawAxes(on: &canvas, x: xAxis, y: leftAxis, rightY: rightAxis, xGrid: xGrid)
        if diagonal != nil {
            canvas.line(
                plot.left, plot.bottom, plot.right, plot.top, stroke: diagonalColor, width: 1.5, dash: Legend.markerDash
            )
        }
        for (marker, color) in zip(verticalMarkers, verticalColors) {
            let px = plot.x(marker.x, xAxis)
            canvas.line(px, plot.top, px, plot.bottom, stroke: color, width: 1.5, dash: Legend.markerDash)
        }
        for (marker, color) in zip(horizontalMarkers, horizontalColors) {
            let py = plot.y(marker.y, marker.side == .left ? leftAxis : rightAxis ?? leftAxis)
            canvas.line(plot.left, py, plot.right, py, stroke: color, width: 1.5, dash: Legend.markerDash)
        }
        for line in series {
            let yAxis = line.side == .left ? leftAxis : rightAxis ?? leftAxis
            let points = line.points.map { (plot.x($0.x, xAxis), plot.y($0.y, yAxis)) }
            canvas.polyline(Self.thinned(points), stroke: line.color, width: 2, dash: line.dash)
            if line.markers {
                for (point, value) in zip(points, line.points) {
                    let text =
                        "\(line.name): \(x.format.label(value.x, step: 0.001)), \(yAxis.format.label(value.y, step: 0.0001))"
                    canvas.circle(point.0, point.1, radius: 3, fill: line.color, stroke: "#ffffff", title: text)
                }
            }
        }
        return canvas.svg(id: id, title: title)
    }

    /// Points closer than a pixel to the last one drawn add nothing but bytes (a ROC curve of
    /// 40 000 people has 40 000 points); the first and last are always kept.
    static func thinned(_ points: [(Double, Double)]) -> [(Double, Double)] {
        guard points.count > 2 else { return points }
        var kept = [points[0]]
        for point in points.dropFirst().dropLast() {
            let last = kept[kept.count - 1]
            if abs(point.0 - last.0) >= 1 || abs(point.1 - last.1) >= 1 { kept.append(point) }
        }
        kept.append(points[points.count - 1])
        return kept
    }

    private func axis(_ input: AxisInput, side: Side, length: Double, horizontal: Bool) -> AxisSpec {
        let values =
            series.filter { $0.side == side }.flatMap { $0.points.map(\.y) }
            + horizontalMarkers.filter { $0.side == side }.map(\.y)
        return axis(input, values: values, length: length, horizontal: horizontal)
    }

    private func axis(_ input: AxisInput, values: [Double], length: Double, horizontal: Bool) -> AxisSpec {
        let finite = values.filter(\.isFinite)
        var low = input.domain?.low ?? finite.min() ?? 0
        let high = input.domain?.high ?? finite.max() ?? 1
        if input.includeZero, input.domain == nil { low = min(low, 0) }
        return AxisSpec.fitted(
            covering: low, high, format: input.format, title: input.title, length: length, horizontal: horizontal,
            maxTicks: horizontal ? 11 : 7)
    }
}
