/// Part 1: the answer first: which segments to target and what the response model buys,
/// every figure taken from the sections below (``ReportData/ExecutiveSummary``).
enum SummarySection {
    /// Nil when the run neither segmented nor fitted a response model.
    static func render(_ data: ReportData) -> String? {
        guard data.segments != nil || data.response != nil else { return nil }
        let summary = ReportData.ExecutiveSummary(data)
        var items: [String] = []
        if data.segments != nil {
            items.append(
                summary.targets.isEmpty
                    ? "No segment holds customers above its population share (none is core or over-represented)."
                    : "Target " + summary.targets.map { "\($0.id) · \($0.name) (\($0.label))" }.joined(separator: ", ")
                        + ": \(ReportFormat.percent(summary.populationShare)) of the population, "
                        + "\(ReportFormat.percent(summary.customerShare)) of the customers.")
        }
        if let campaign = summary.targetCampaign, let perThousand = summary.targetRespondersPerThousand {
            items.append(
                "In the campaign file, their \(ReportFormat.integer(campaign.rows)) people had a mean predicted response "
                    + "probability of \(ReportFormat.percent(campaign.meanPredicted, decimals: 2)) (about "
                    + "\(ReportFormat.fixed(perThousand, decimals: 1)) responders per 1 000 mailed) and responded at "
                    + "\(ReportFormat.percent(campaign.observedRate, decimals: 2)).")
        }
        if let model = summary.model {
            var text = "Response model (\(model.name)): cross-validated ROC AUC \(ReportFormat.auc(model.cvAUCMean))"
            if let lift = summary.topDecileLift {
                text += "; the best-scored 10% respond at \(ReportFormat.lift(lift))× the overall rate"
                if let perThousand = summary.topDecileRespondersPerThousand {
                    text += ", about \(ReportFormat.fixed(perThousand, decimals: 1)) responders per 1 000 mailed"
                }
            }
            items.append(text + ".")
        }
        var out = "<ul id=\"summary-facts\">" + items.map { Markup.text("li", $0) }.joined() + "</ul>"
        if let warning = summary.warning {
            out += Markup.text("p", warning, attributes: [("class", "warning")])
        }
        return out
    }
}
