/// Part 2: how many principal components the segmentation works in, and what the first
/// ones are made of.
enum PrincipalComponentsSection {
    static func render(_ pca: ReportData.PrincipalComponents) -> String {
        let ratios = pca.explainedVarianceRatio
        let cumulative = ratios.reduce(into: [Double]()) { $0.append(($0.last ?? 0) + $1) }
        let kept =
            pca.chosenComponents > 0 && pca.chosenComponents <= cumulative.count
            ? cumulative[pca.chosenComponents - 1] : .nan
        var summary =
            "The segmentation keeps \(pca.chosenComponents) of \(ratios.count) principal components, "
            + "explaining \(ReportFormat.percent(kept)) of the variance"
        if let target = pca.varianceTarget { summary += " (target: \(ReportFormat.percent(target)))" }
        var out = Page.paragraph(summary + ".")

        let points = ratios.indices.map { (x: Double($0 + 1), y: ratios[$0]) }
        let chart = LineChart(
            series: [
                .init(
                    name: "per component (left axis)", points: points, color: Palette.blue, markers: ratios.count <= 40),
                .init(
                    name: "cumulative (right axis)",
                    points: cumulative.indices.map { (Double($0 + 1), cumulative[$0]) },
                    side: .right, color: Palette.vermillion),
            ],
            x: .init(title: "principal component (number)", format: .number, domain: (1, Double(max(2, ratios.count)))),
            left: .init(title: "explained variance (%)", format: .percent),
            right: .init(title: "cumulative explained variance (%)", format: .percent, domain: (0, 1)),
            verticalMarkers: [(Double(pca.chosenComponents), "cut: \(pca.chosenComponents) components kept")],
            horizontalMarkers: pca.varianceTarget.map {
                [($0, .right, "target: \(ReportFormat.percent($0)) cumulative")]
            } ?? [])
        out += Page.figure(
            chart.svg(id: "chart-explained-variance", title: "Explained variance per principal component"),
            caption: "Share of the standardised features' variance each component explains (blue, left axis) and the "
                + "running total (red, right axis); components left of the cut are kept.")
        out += Page.folded(
            "Explained variance of all \(ratios.count) components",
            Markup.table(
                id: "explained-variance", caption: "Explained variance per component",
                header: ["Component", "Explained", "Cumulative"], numericColumns: [0, 1, 2],
                rows: ratios.indices.map {
                    [
                        "\($0 + 1)", ReportFormat.percent(ratios[$0], decimals: 2),
                        ReportFormat.percent(cumulative[$0], decimals: 2),
                    ]
                }))

        if !pca.topAttributes.isEmpty {
            out += Markup.text("h3", "What the first components are made of")
            out += Page.paragraph(
                "The attributes with the largest loadings (weights) in each component; the sign says in which direction "
                    + "the attribute moves along it.")
        }
        for component in pca.topAttributes {
            let share =
                component.component >= 1 && component.component <= ratios.count
                ? " (\(ReportFormat.percent(ratios[component.component - 1])) of the variance)" : ""
            out += Markup.table(
                id: "loadings-\(component.component)", caption: "Component \(component.component)\(share)",
                header: ["Attribute", "Loading", "Description"], numericColumns: [1],
                rows: component.attributes.map {
                    [Page.code($0.name), ReportFormat.loading($0.loading), Markup.escape($0.description ?? "–")]
                })
        }
        return out
    }
}
