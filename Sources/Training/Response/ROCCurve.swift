/// The receiver operating characteristic of scores against 0/1 labels, thinned for charts.
package enum ROCCurve {
    package struct Point: Sendable, Hashable {
        package var falsePositiveRate: Double
        package var truePositiveRate: Double
    }

    /// Points at every distinct score (ties move together), from (0, 0) to (1, 1), thinned to
    /// about `maxPoints` by keeping every n-th point and both ends.
    package static func points(scores: [Double], labels: [UInt8], maxPoints: Int = 200) -> [Point] {
        let positives = labels.reduce(0) { $0 + Int($1) }
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return [] }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var all = [Point(falsePositiveRate: 0, truePositiveRate: 0)]
        var tp = 0
        var fp = 0
        var i = 0
        while i < order.count {
            let score = scores[order[i]]
            while i < order.count, scores[order[i]] == score {
                if labels[order[i]] == 1 { tp += 1 } else { fp += 1 }
                i += 1
            }
            all.append(Point(falsePositiveRate: Double(fp) / Double(negatives), truePositiveRate: Double(tp) / Double(positives)))
        }
        guard all.count > maxPoints else { return all }
        let step = Double(all.count - 1) / Double(maxPoints - 1)
        return (0..<maxPoints).map { all[min(all.count - 1, Int((Double($0) * step).rounded()))] }
    }
}
