/// The number of responders among mailed prospects: a sum of independent Bernoulli draws
/// (a Poisson-binomial variable), its mean and a central 90 % interval.
///
/// Up to ``exactLimit`` mails the interval is exact: the distribution is computed by the
/// O(n²) recurrence P_k(j) = P_{k-1}(j)(1 − p_k) + P_{k-1}(j − 1) p_k, and the bounds are the
/// 5 % and 95 % quantiles (the smallest counts whose cumulative probability reaches them).
/// Above it, where the exact sum costs too much and the normal approximation is good (the
/// variance is large), it is mean ± 1.645 · √Σ p(1 − p), the lower bound cut at 0.
package struct ResponderInterval: Sendable {
    package static let exactLimit = 2000
    /// The standard normal's 95 % quantile.
    static let z95 = 1.6448536269514722

    package private(set) var count = 0
    package private(set) var mean = 0.0
    package private(set) var variance = 0.0
    /// The probabilities, kept only while exact computing is possible.
    private var probabilities: [Double]? = []
    private let exactLimit: Int

    package init(exactLimit: Int = ResponderInterval.exactLimit) { self.exactLimit = exactLimit }

    package mutating func add(_ p: Double) {
        count += 1
        mean += p
        variance += p * (1 - p)
        if probabilities != nil {
            if count > exactLimit { probabilities = nil } else { probabilities!.append(p) }
        }
    }

    /// Whether ``bounds`` is exact (Poisson-binomial) or the normal approximation.
    package var isExact: Bool { probabilities != nil }

    /// The 5 % and 95 % quantiles of the number of responders.
    package var bounds: (low: Double, high: Double) {
        guard let probabilities else {
            let half = Self.z95 * variance.squareRoot()
            return (max(0, mean - half), mean + half)
        }
        let pmf = Self.distribution(probabilities)
        var cumulative = 0.0
        var low: Int?
        var high = probabilities.count
        for (k, mass) in pmf.enumerated() {
            cumulative += mass
            if low == nil, cumulative >= 0.05 - 1e-12 { low = k }
            if cumulative >= 0.95 - 1e-12 {
                high = k
                break
            }
        }
        return (Double(low ?? 0), Double(high))
    }

    /// P(exactly j responders), j = 0…n.
    package static func distribution(_ probabilities: [Double]) -> [Double] {
        var pmf = [Double](repeating: 0, count: probabilities.count + 1)
        pmf[0] = 1
        for (k, p) in probabilities.enumerated() {
            var j = k + 1
            while j > 0 {
                pmf[j] = pmf[j] * (1 - p) + pmf[j - 1] * p
                j -= 1
            }
            pmf[0] *= 1 - p
        }
        return pmf
    }
}
