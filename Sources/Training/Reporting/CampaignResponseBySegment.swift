import Report

/// Links the two halves of the analysis: per segment, how the campaign file's people were
/// predicted (out of fold) and how they responded, so the report says whether the segments
/// customers over-represent also respond.
enum CampaignResponseBySegment {
    /// `segments`, `probabilities` and `labels` are per campaign row; the result is keyed by segment.
    static func measure(segments: [Int], probabilities: [Double], labels: [UInt8]) -> [Int: ReportData.CampaignResponse] {
        var sums: [Int: (rows: Int, predicted: Double, responders: Int)] = [:]
        for (row, segment) in segments.enumerated() where row < probabilities.count && row < labels.count {
            sums[segment, default: (0, 0, 0)].rows += 1
            sums[segment]!.predicted += probabilities[row]
            sums[segment]!.responders += Int(labels[row])
        }
        return sums.mapValues {
            .init(rows: $0.rows, meanPredicted: $0.predicted / Double($0.rows), observedRate: Double($0.responders) / Double($0.rows))
        }
    }
}
