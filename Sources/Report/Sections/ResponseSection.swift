/// Part 4: how well the response model ranks people, what mailing its top scores buys,
/// whether its probabilities can be taken at face value, and what it looks at.
enum ResponseSection {
    /// Features drawn in the gain chart; the table lists all the data holds.
    static let chartedFeatures = 30

    static func render(_ response: ReportData.Response) -> String {
        var out = Page.paragraph(
            response.models.map {
                "\($0.name): cross-validated ROC AUC \(ReportFormat.auc($0.cvAUCMean)) ± \(ReportFormat.auc($0.cvAUCSD))"
            }.joined(separator: "; ") + (response.models.isEmpty ? "No model was cross-validated." : ".")
                + (response.baseRate.map { " Overall response rate: \(ReportFormat.percent($0, decimals: 2))." } ?? ""))
        if let warning = response.smallNumbersWarning {
            out += Markup.text("p", warning, attributes: [("class", "warning")])
        }
        out += Markup.text("h3", "Ranking: ROC curves")
        out += roc(response.models)
        out += Markup.text("h3", "Lift and gain by decile")
        out += lift(response.lift)
        out += Markup.text("h3", "Calibration")
        out += reliability(response)
        out += Markup.text("h3", "What the model looks at")
        out += features(response.topFeatures)
        return out
    }

    private static func roc(_ models: [ReportData.Model]) -> String {
        let chart = LineChart(
            series: models.enumerated().map { index, model in
                .init(
                    name:
                        "\(model.name) (AUC \(ReportFormat.auc(model.cvAUCMean)) ± \(ReportFormat.auc(model.cvAUCSD)))",
                    points: model.roc.map { (x: $0.falsePositiveRate, y: $0.truePositiveRate) },
                    color: Palette.series[index % Palette.series.count], dash: index == 0 ? nil : "8 3")
            },
            x: .init(title: "false positive rate (% of non-responders mailed)", format: .percent, domain: (0, 1)),
            left: .init(title: "true positive rate (% of responders)", format: .percent, domain: (0, 1)),
            diagonal: "chance (AUC 0.5)", width: 600, height: 460, xGrid: true)
        return Page.figure(
            chart.svg(id: "chart-roc", title: "ROC curves"),
            caption: "Out-of-fold ROC curves from cross-validation; AUC is the mean over the folds ± its standard "
                + "deviation. The further a curve bows to the top left, the better the model ranks responders first.")
            + Markup.table(
                id: "models", caption: "Cross-validated models", header: ["Model", "ROC AUC (mean)", "SD over folds"],
                numericColumns: [1, 2],
                rows: models.map {
                    [Markup.escape($0.name), ReportFormat.auc($0.cvAUCMean), ReportFormat.auc($0.cvAUCSD)]
                })
    }

    private static func lift(_ rows: [ReportData.LiftRow]) -> String {
        let gain = [(x: 0.0, y: 0.0)] + rows.map { (x: $0.topShare, y: $0.responderShare) }
        let chart = LineChart(
            series: [
                .init(name: "responders reached (left axis)", points: gain, color: Palette.blue, markers: true),
                .init(
                    name: "lift (right axis)", points: rows.map { (x: $0.topShare, y: $0.lift) }, side: .right,
                    color: Palette.vermillion, dash: "8 3", markers: true),
            ],
            x: .init(title: "people mailed, best scores first (%)", format: .percent, domain: (0, 1)),
            left: .init(title: "responders reached (% of all)", format: .percent, domain: (0, 1)),
            right: .init(title: "lift (× the overall rate)", format: .multiple),
            diagonal: "random mailing", xGrid: true)
        return Page.figure(
            chart.svg(id: "chart-gain", title: "Cumulative gain and lift"),
            caption:
                "Mailing the best-scored share of people (x) reaches the blue share of all responders; lift is how "
                + "many times the overall response rate those people respond at.")
            + Markup.table(
                id: "lift", caption: "Cumulative gain and lift",
                header: ["People mailed", "Responders reached", "Lift", "Lowest score mailed"],
                numericColumns: [0, 1, 2, 3],
                rows: rows.map {
                    [
                        ReportFormat.percent($0.topShare), ReportFormat.percent($0.responderShare),
                        ReportFormat.lift($0.lift),
                        ReportFormat.probability($0.threshold),
                    ]
                })
    }

    private static func reliability(_ response: ReportData.Response) -> String {
        let chart = ReliabilityDiagram(
            bins: response.reliability.map {
                .init(predicted: $0.meanPredicted, observed: $0.observed, count: $0.count)
            })
        return Page.figure(
            chart.svg(id: "chart-reliability", title: "Reliability diagram"),
            caption: "Observed response rate against the mean predicted probability, per bin of predictions; on the "
                + "dashed diagonal, predictions are right on average. Expected calibration error: "
                + "\(ReportFormat.percent(response.expectedCalibrationError, decimals: 2)).")
            + Markup.table(
                id: "reliability", caption: "Calibration per bin",
                header: ["Bin", "Mean predicted", "Observed", "People"], numericColumns: [0, 1, 2, 3],
                rows: response.reliability.enumerated().map { index, bin in
                    [
                        "\(index + 1)", ReportFormat.percent(bin.meanPredicted, decimals: 2),
                        ReportFormat.percent(bin.observed, decimals: 2), ReportFormat.integer(bin.count),
                    ]
                })
    }

    private static func features(_ features: [ReportData.FeatureGain]) -> String {
        guard !features.isEmpty else { return Page.paragraph("The model recorded no feature gains.") }
        let charted = features.prefix(chartedFeatures)
        let table = Markup.table(
            id: "top-features", caption: "Top features by gain", header: ["Rank", "Feature", "Gain", "Description"],
            numericColumns: [0, 2],
            rows: features.enumerated().map { index, feature in
                [
                    "\(index + 1)", Page.code(feature.name), ReportFormat.percent(feature.gain, decimals: 2),
                    Markup.escape(feature.description ?? "–"),
                ]
            })
        let chart = BarChart(
            bars: charted.map { BarChart.Bar(label: $0.name, value: $0.gain) },
            valueTitle: "share of the model's total split gain (%)", format: .percent)
        return Page.figure(
            chart.svg(id: "chart-feature-gain", title: "Top features by gain"),
            caption:
                "The \(charted.count) features whose splits improved the boosted trees most, as a share of all gain.")
            + (features.count > 20 ? Page.folded("All \(features.count) features by gain", table) : table)
    }
}
