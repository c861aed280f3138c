/// An SVG drawing built element by element, with presentation attributes inline so a chart
/// looks the same wherever the page goes (screen, print, a mail attachment).
struct SVGCanvas {
    enum Anchor: String {
        case start, middle, end
    }

    let width: Double
    let height: Double
    private var body = ""

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    mutating func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1,
        dash: String? = nil
    ) {
        body += "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\""
        body += " stroke-width=\"\(n(width))\"" + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>"
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, title: String? = nil) {
        let shape =
            "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, w)))\" height=\"\(n(max(0, h)))\" fill=\"\(fill)\""
        if let title {
            body += shape + "><title>\(Markup.escape(title))</title></rect>"
        } else {
            body += shape + "/>"
        }
    }

    mutating func circle(_ cx: Double, _ cy: Double, radius: Double, fill: String, stroke: String, title: String? = nil)
    {
        let shape = "<circle cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"\(n(radius))\" fill=\"\(fill)\" stroke=\"\(stroke)\""
        if let title {
            body += shape + "><title>\(Markup.escape(title))</title></circle>"
        } else {
            body += shape + "/>"
        }
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2, dash: String? = nil) {
        guard !points.isEmpty else { return }
        let coordinates = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        body += "<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
        body += " stroke-linejoin=\"round\"" + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>"
    }

    /// Text at a baseline point. `role` becomes the element's class, which tests use to find
    /// labels of one kind and check they do not overlap.
    mutating func text(
        _ text: String, x: Double, y: Double, size: Double, anchor: Anchor = .start, role: String,
        fill: String = Palette.ink, monospace: Bool = false, bold: Bool = false, rotated: Bool = false
    ) {
        var attributes = "x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" class=\"\(role)\" fill=\"\(fill)\""
        if anchor != .start { attributes += " text-anchor=\"\(anchor.rawValue)\"" }
        if monospace { attributes += " font-family=\"\(TextWidth.monospaceFamily)\"" }
        if bold { attributes += " font-weight=\"bold\"" }
        if rotated { attributes += " transform=\"rotate(-90 \(n(x)) \(n(y)))\"" }
        body += "<text \(attributes)>\(Markup.escape(text))</text>"
    }

    /// The finished `<svg>`, sized in CSS pixels and scaling down with the page.
    func svg(id: String, title: String) -> String {
        let size = "viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\""
        return
            "<svg id=\"\(Markup.escape(id))\" class=\"chart\" \(size) role=\"img\" font-family=\"\(TextWidth.sansFamily)\">"
            + "<title>\(Markup.escape(title))</title>" + body + "</svg>"
    }

    /// Coordinates to 0.1 px: enough for the eye, and keeps long curves small.
    private func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let whole = tenths.magnitude / 10
        let fraction = tenths.magnitude % 10
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }
}

/// Colours that stay distinct for colour-blind readers and in greyscale print (Okabe–Ito).
enum Palette {
    static let ink = "#222222"
    static let muted = "#666666"
    static let grid = "#e3e3e3"
    static let axis = "#444444"
    static let blue = "#0072B2"
    static let orange = "#E69F00"
    static let vermillion = "#D55E00"
    static let green = "#009E73"
    static let sky = "#56B4E9"
    static let purple = "#CC79A7"
    static let grey = "#999999"
    static let series = [blue, vermillion, green, orange, purple, sky]
}

/// How wide text will be, estimated: the charts make room for labels from this, so it errs
/// on the wide side (DejaVu Sans, the usual Linux sans-serif, is a wide face).
enum TextWidth {
    static let sansFamily = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
    static let monospaceFamily = "DejaVu Sans Mono, Menlo, Consolas, monospace"

    static func of(_ text: String, size: Double, monospace: Bool = false) -> Double {
        Double(text.count) * size * (monospace ? 0.61 : 0.64)
    }

    /// `text` shortened with an ellipsis to fit `width`.
    static func fit(_ text: String, size: Double, width: Double, monospace: Bool = false) -> String {
        guard of(text, size: size, monospace: monospace) > width else { return text }
        let characters = max(1, Int(width / (size * (monospace ? 0.61 : 0.64))) - 1)
        return String(text.prefix(characters)) + "…"
    }
}
