/// The drift section: PSI per attribute against the population, the bins of the attributes
/// that moved, and the segment shares; drawn with the report's charts and stylesheet.
enum DriftSection {
    /// Attributes drawn in the PSI chart and listed with their bins.
    static let chartedAttributes = 30
    static let detailedAttributes = 10

    static func render(_ drift: DriftData) -> String {
        let sorted = drift.byPSI
        let act = sorted.filter { $0.psi >= DriftData.act }.count
        let watch = sorted.filter { $0.psi >= DriftData.watch && $0.psi < DriftData.act }.count
        var out = Page.paragraph(
            "\(ReportFormat.integer(drift.rows)) rows of \(drift.file) scored (\(ReportFormat.integer(drift.rowsWithErrors)) "
                + "with errors), compared with \(ReportFormat.integer(drift.populationRows)) population rows: "
                + "\(act) attributes to act on (PSI ≥ 0.25), \(watch) to watch (PSI ≥ 0.1), "
                + "\(sorted.count - act - watch) stable.")
        let shown = Array(sorted.prefix(chartedAttributes))
        let chart = BarChart(
            bars: shown.map {
                BarChart.Bar(label: $0.name, value: $0.psi, highlighted: $0.psi >= DriftData.watch, note: DriftData.level($0.psi))
            },
            valueTitle: "population stability index", format: .number, domainMax: DriftData.act,
            threshold: (DriftData.act, "act at 0.25"),
            legend: [Legend.Entry(name: "stable", color: Palette.blue), Legend.Entry(name: "watch / act (≥ 0.1)", color: Palette.vermillion)])
        out += Page.figure(
            chart.svg(id: "chart-drift-psi", title: "Population stability index per attribute"),
            caption: "The \(shown.count) attributes that moved most, largest PSI first: Σ (file − population) · "
                + "ln(file / population) over the attribute's bins (codes, or deciles of the population for numbers, "
                + "and missing). Red from 0.1 (watch); the line marks 0.25 (act).")
        for attribute in sorted.prefix(detailedAttributes) where attribute.psi >= DriftData.watch {
            let rows = attribute.bins.indices.map { b in
                [attribute.bins[b], ReportFormat.percent(attribute.expected[b]), ReportFormat.percent(attribute.actual[b])]
            }
            out += Page.folded(
                "\(attribute.name): PSI \(ReportFormat.fixed(attribute.psi, decimals: 3)) (\(DriftData.level(attribute.psi)))",
                Markup.table(
                    id: "drift-bins-\(attribute.name)", caption: "Share per bin of \(attribute.name)",
                    header: ["bin", "population", "file"], numericColumns: [1, 2], rows: rows))
        }
        let segments = GroupedBarChart(
            groups: drift.segments.map {
                GroupedBarChart.Group(
                    label: "\($0.number) · \($0.label)", values: [$0.population, $0.file],
                    note: "\($0.file >= $0.population ? "+" : "")\(ReportFormat.fixed(($0.file - $0.population) * 100, decimals: 1)) pt")
            },
            seriesNames: ["population share", "file share"], valueTitle: "share of people (%)", format: .percent)
        out += Page.figure(
            segments.svg(id: "chart-drift-segments", title: "Segment shares: population and file"),
            caption: "Share of the population (grey) and of the file's rows (blue) in each segment (0 = insufficient data); "
                + "right: the difference in percentage points.")
        out += Markup.table(
            id: "drift-attributes", caption: "PSI of every attribute",
            header: ["attribute", "PSI", "level"], numericColumns: [1],
            rows: sorted.map { [$0.name, ReportFormat.fixed($0.psi, decimals: 4), DriftData.level($0.psi)] })
        return out
    }
}

/// A stand-alone page holding the drift section, in the report's style.
package enum DriftPage {
    package static func render(_ drift: DriftData) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
        out += Markup.text("title", "Drift · \(drift.bundleId)")
        out += "<style>\n" + Stylesheet.css + "</style></head><body><header>"
        out += Markup.text("h1", "Drift against the population")
        out += Markup.element(
            "p", Markup.escape("Bundle ") + Page.code(drift.bundleId) + Markup.escape(" · file \(drift.file)"),
            attributes: [("class", "subtitle")])
        out += "</header><main>"
        out += Page.section(id: "drift", number: 1, title: "Drift", content: DriftSection.render(drift), unavailable: "")
        out += "</main>"
        return out + "</body></html>\n"
    }
}
