import Features
import ModelFormat

/// Builds the customer-vs-population table from segment assignments.
enum SegmentTableBuilder {
    /// Attributes listed per segment as distinguishing it.
    static let topDeviations = 5

    /// Numbered afresh (``SegmentNumbering/fresh(populationShares:)``); a retrain following a
    /// previous bundle renumbers it (``SegmentTable/renumbered(_:)``).
    static func build(
        model: SegmentModel, transform: CleaningTransform, summary: CleaningSummary,
        populationSegments: [Int], customerSegments: [Int]
    ) -> SegmentTable {
        var populationCounts = [Int](repeating: 0, count: model.segmentCount)
        var customerCounts = [Int](repeating: 0, count: model.segmentCount)
        for s in populationSegments { populationCounts[s] += 1 }
        for s in customerSegments { customerCounts[s] += 1 }
        let populationTotal = Double(max(1, populationSegments.count))
        let customerTotal = Double(max(1, customerSegments.count))
        let numbers = SegmentNumbering.fresh(
            populationShares: (0..<model.clusterCount).map { Double(populationCounts[$0]) / populationTotal })

        // Which column (and so which information level) each feature came from.
        var level: [String: String] = [:]
        for column in summary.columns {
            for feature in column.features { level[feature] = column.informationLevel }
        }

        var rows: [SegmentTable.Row] = []
        for segment in 0..<model.segmentCount {
            let p = Double(populationCounts[segment]) / populationTotal
            let c = Double(customerCounts[segment]) / customerTotal
            let ratio = p > 0 ? c / p : (c > 0 ? .infinity : 1)
            var deviations: [SegmentTable.Deviation] = []
            if segment < model.clusterCount {
                let back = model.standardisedCentroid(segment)
                deviations = back.indices
                    .sorted { abs(back[$0]) > abs(back[$1]) || (abs(back[$0]) == abs(back[$1]) && $0 < $1) }
                    .prefix(topDeviations)
                    .map { j in
                        let name = transform.features[j].name
                        return SegmentTable.Deviation(feature: name, standardDeviations: back[j], informationLevel: level[name])
                    }
            }
            rows.append(
                SegmentTable.Row(
                    number: numbers.number(ofSegment: segment), cluster: segment, populationCount: populationCounts[segment],
                    customerCount: customerCounts[segment], populationShare: p, customerShare: c, ratio: ratio,
                    distinguishing: deviations))
        }
        return SegmentTable(rows: rows)
    }
}
