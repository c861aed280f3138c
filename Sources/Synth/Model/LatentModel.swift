import Foundation

/// The hidden truth behind every generated person: a segment, and continuous traits
/// drawn around the segment's profile. Columns are noisy monotone views of the traits.
public struct LatentModel: Sendable {
    public static let traitNames = ["wealth", "age", "urbanity", "online_affinity", "mobility"]
    public static var traitCount: Int { traitNames.count }

    /// Spread of traits around the segment mean.
    public static let withinSpread = 0.55

    public struct Segment: Sendable {
        public var id: Int
        public var traitMeans: [Double]
        public var populationShare: Double
        public var customerShare: Double
        public var mailoutShare: Double
        /// How strongly customers are drawn from this segment (its score on the customer direction).
        public var customerAffinity: Double
        /// The segment's own shift of the response log-odds.
        public var responseOffset: Double
    }

    public var segments: [Segment]

    /// Traits in which customers differ from the population: older, wealthier,
    /// less urban, somewhat more online, less mobile.
    static let customerDirection = [0.55, 0.6, -0.35, 0.3, -0.3]

    init(segmentCount: Int, random: inout SynthRandom) {
        var segments: [Segment] = []
        var weights: [Double] = []
        for id in 0..<segmentCount {
            let means = (0..<Self.traitCount).map { _ in random.normal() * 1.0 }
            let affinity = zip(means, Self.customerDirection).reduce(0) { $0 + $1.0 * $1.1 }
            weights.append(0.4 + random.uniform())
            segments.append(
                Segment(
                    id: id, traitMeans: means, populationShare: 0, customerShare: 0, mailoutShare: 0,
                    customerAffinity: affinity, responseOffset: 0.5 * affinity + 0.45 * random.normal()))
        }
        let total = weights.reduce(0, +)
        var customerWeights: [Double] = []
        for i in segments.indices {
            segments[i].populationShare = weights[i] / total
            customerWeights.append(segments[i].populationShare * exp(1.1 * segments[i].customerAffinity))
        }
        let customerTotal = customerWeights.reduce(0, +)
        for i in segments.indices {
            segments[i].customerShare = customerWeights[i] / customerTotal
            // A mailing targets people who look like customers, but not only them.
            segments[i].mailoutShare = 0.4 * segments[i].populationShare + 0.6 * segments[i].customerShare
        }
        self.segments = segments
    }

    /// Mean trait vector under the given segment shares.
    func meanTraits(_ share: (Segment) -> Double) -> [Double] {
        var m = [Double](repeating: 0, count: Self.traitCount)
        for s in segments {
            for d in m.indices { m[d] += share(s) * s.traitMeans[d] }
        }
        return m
    }

    /// Population covariance of the traits (between-segment plus within-segment).
    func populationCovariance() -> [[Double]] {
        let m = meanTraits(\.populationShare)
        let n = Self.traitCount
        var c = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for s in segments {
            for i in 0..<n {
                for j in 0..<n {
                    c[i][j] += s.populationShare * (s.traitMeans[i] - m[i]) * (s.traitMeans[j] - m[j])
                }
            }
        }
        for i in 0..<n { c[i][i] += Self.withinSpread * Self.withinSpread }
        return c
    }
}
