extension ReportData {
    /// The answer the page leads with: which segments to target, how much of the population
    /// and of the customers they hold, and how well the response model ranks people.
    package struct ExecutiveSummary: Sendable, Hashable {
        /// The `core` and `over-represented` segments, core first, then by falling ratio.
        package var targets: [Segment]
        /// Sum of the targets' population shares (0–1).
        package var populationShare: Double
        /// Sum of the targets' customer shares (0–1).
        package var customerShare: Double
        /// The first cross-validated model (the one that scores), if any.
        package var model: Model?
        /// The lift of the best-scored 10 % (the lift row whose share rounds to 10 %), if any.
        package var topDecileLift: Double?
        /// Responders per 1 000 mailed in the best-scored 10 %: base rate × top-decile lift × 1 000.
        package var topDecileRespondersPerThousand: Double?
        /// The targets' rows in the campaign file, their pooled mean predicted probability and
        /// observed response rate (nil without per-segment campaign figures or rows).
        package var targetCampaign: CampaignResponse?
        /// Expected responders per 1 000 of the targets mailed: their mean predicted probability × 1 000.
        package var targetRespondersPerThousand: Double? { targetCampaign.map { $0.meanPredicted * 1000 } }
        /// The response section's small-numbers note, repeated up front.
        package var warning: String?

        package init(_ data: ReportData) {
            let rank = ["core": 0, "over-represented": 1]
            targets = (data.segments?.rows ?? [])
                .filter { rank[$0.label] != nil }
                .sorted { (rank[$0.label]!, -($0.ratio ?? 0), $0.id) < (rank[$1.label]!, -($1.ratio ?? 0), $1.id) }
            populationShare = targets.reduce(0) { $0 + $1.populationShare }
            customerShare = targets.reduce(0) { $0 + $1.customerShare }
            model = data.response?.models.first
            // The cut falls on whole people, so the first decile's share is near 0.1, rarely exactly (0.0996).
            let topDecile = data.response?.lift.first { ($0.topShare * 100).rounded() == 10 }
            topDecileLift = topDecile?.lift
            if let lift = topDecileLift, let base = data.response?.baseRate {
                topDecileRespondersPerThousand = base * lift * 1000
            }
            warning = data.response?.smallNumbersWarning
            let campaign = targets.compactMap(\.campaign)
            let rows = campaign.reduce(0) { $0 + $1.rows }
            if campaign.count == targets.count, rows > 0 {
                targetCampaign = .init(
                    rows: rows, meanPredicted: campaign.reduce(0) { $0 + $1.meanPredicted * Double($1.rows) } / Double(rows),
                    observedRate: campaign.reduce(0) { $0 + $1.observedRate * Double($1.rows) } / Double(rows))
            }
        }
    }
}
