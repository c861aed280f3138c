/// One row of a lift table: the next slice of people in order of predicted probability.
package struct LiftRow: Sendable, Hashable, Codable {
    /// Share of all people mailed up to and including this slice (0.1, 0.2, ... for deciles).
    package var mailedShare: Double
    package var rows: Int
    package var responders: Int
    /// Share of all responders reached by mailing up to this slice (the gain curve).
    package var gain: Double
    /// This slice's response rate over the overall rate.
    package var lift: Double
    /// Response rate of everyone mailed so far over the overall rate.
    package var cumulativeLift: Double
}

/// Decile lift and gain: what mailing the top x % by predicted probability buys.
package struct LiftTable: Sendable, Hashable, Codable {
    package var rows: [LiftRow]

    /// Sorts by probability, highest first (ties by row order), and cuts into `groups` slices.
    package init(probabilities: [Double], labels: [UInt8], groups: Int = 10) {
        precondition(probabilities.count == labels.count && groups >= 1)
        let n = probabilities.count
        let order = probabilities.indices.sorted {
            probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1)
        }
        let total = labels.reduce(0) { $0 + Int($1) }
        let baseRate = n > 0 ? Double(total) / Double(n) : 0
        var reached = 0
        var mailed = 0
        rows = (0..<groups).compactMap { g in
            let range = (g * n / groups)..<((g + 1) * n / groups)
            guard !range.isEmpty else { return nil }
            let responders = range.reduce(0) { $0 + Int(labels[order[$1]]) }
            reached += responders
            mailed += range.count
            let rate = Double(responders) / Double(range.count)
            let cumulativeRate = Double(reached) / Double(mailed)
            return LiftRow(mailedShare: Double(range.upperBound) / Double(n), rows: range.count,
                           responders: responders, gain: total > 0 ? Double(reached) / Double(total) : 0,
                           lift: baseRate > 0 ? rate / baseRate : 0,
                           cumulativeLift: baseRate > 0 ? cumulativeRate / baseRate : 0)
        }
    }
}
