import Foundation

/// A column's target distribution over its rendered values.
///
/// `ordered` values are drawn through the latent copula (a monotone map from a latent
/// score), so they correlate with the person's traits; `rare` values (unknown codes such
/// as 9 or `XX`) are drawn independently at their own rates, the way unknowns scatter in
/// the real files.
struct Marginal: Sendable {
    var ordered: [(token: String, probability: Double)]
    var rare: [(token: String, probability: Double)]

    var rareTotal: Double { rare.reduce(0) { $0 + $1.probability } }
}

/// Fits a discrete distribution to the statistics `schema.json` gives for a numeric column
/// (min, quartiles, max, mean): each quartile interval keeps a quarter of the mass, spread
/// over the domain values inside it, then tilted within intervals until the mean matches.
/// Unknown codes that sit off the quartiles, and a far-away minimum such as
/// GEBURTSJAHR's 0, become point masses whose size the mean decides.
enum MarginalFit {
    static func numeric(
        domain: [Int], stats: ArvatoSchema.Statistics, unknown: Set<Int>, render: (Int) -> String
    ) -> Marginal {
        let sorted = Array(Set(domain)).sorted()
        guard sorted.count > 1, let p25 = stats.p25, let p50 = stats.p50, let p75 = stats.p75,
            let mean = stats.mean
        else {
            let p = 1 / Double(max(1, sorted.count))
            return Marginal(ordered: sorted.map { (render($0), p) }, rare: [])
        }
        let quartiles = [p25, p50, p75]
        func isQuartile(_ v: Int) -> Bool { quartiles.contains { abs($0 - Double(v)) < 1e-9 } }

        // Point masses decided by the mean.
        var separated = sorted.filter { unknown.contains($0) && !isQuartile($0) }
        var minimumIsSeparated = false
        if separated.isEmpty, sorted[0] == Int(p25), sorted.count > 2 {
            let gap = Double(sorted[1] - sorted[0])
            if gap > 10 * max(1, p75 - p50) { separated = [sorted[0]]; minimumIsSeparated = true }
        }
        let rest = sorted.filter { !separated.contains($0) }
        guard rest.count > 0 else {
            let p = 1 / Double(sorted.count)
            return Marginal(ordered: sorted.map { (render($0), p) }, rare: [])
        }
        let separatedMean = separated.isEmpty
            ? 0 : Double(separated.reduce(0, +)) / Double(separated.count)

        func restDistribution(r: Double, tilt: Double) -> [Double] {
            // CDF knots of the remaining values once the point masses take `r`.
            var knots: [(x: Double, f: Double)] = [(Double(rest.first!), 0)]
            for (k, q) in quartiles.enumerated() {
                let below = separated.filter { Double($0) <= q }.count
                let share = separated.isEmpty ? 0 : r * Double(below) / Double(separated.count)
                var f = (Double(k + 1) / 4 - share) / (1 - r)
                f = min(max(f, knots.last!.f), 1)
                knots.append((min(max(q, Double(rest.first!)), Double(rest.last!)), f))
            }
            knots.append((Double(rest.last!), 1))
            return spread(values: rest, knots: knots, tilt: tilt)
        }
        func meanOf(_ p: [Double], r: Double) -> Double {
            var m = 0.0
            for (i, v) in rest.enumerated() { m += p[i] * Double(v) }
            return (1 - r) * m + r * separatedMean
        }

        var r = 0.0
        if !separated.isEmpty {
            let range: ClosedRange<Double> = minimumIsSeparated ? 0.25...0.6 : 0.002...0.2
            var lo = range.lowerBound, hi = range.upperBound
            let increasing = meanOf(restDistribution(r: hi, tilt: 0), r: hi)
                > meanOf(restDistribution(r: lo, tilt: 0), r: lo)
            for _ in 0..<50 {
                let mid = (lo + hi) / 2
                let m = meanOf(restDistribution(r: mid, tilt: 0), r: mid)
                if (m < mean) == increasing { lo = mid } else { hi = mid }
            }
            r = (lo + hi) / 2
        }
        // Tilt inside the intervals for what is left of the mean's gap.
        var lo = -8.0, hi = 8.0
        for _ in 0..<50 {
            let mid = (lo + hi) / 2
            if meanOf(restDistribution(r: r, tilt: mid), r: r) < mean { lo = mid } else { hi = mid }
        }
        let restP = restDistribution(r: r, tilt: (lo + hi) / 2)
        let ordered = rest.enumerated().map { (render($0.element), $0.offset < restP.count ? restP[$0.offset] * (1 - r) : 0) }
        let rare = separated.map { (render($0), r / Double(separated.count)) }
        if minimumIsSeparated {
            // A far-away minimum is ordinary data (a year of 0), not scattered noise.
            return Marginal(ordered: rare + ordered, rare: [])
        }
        return Marginal(ordered: ordered, rare: rare)
    }

    /// Spreads each knot interval's probability over the domain values inside it,
    /// endpoints shared half and half, with an exponential tilt `tilt` (in units of the
    /// domain's spread) and long tails decaying instead of flat.
    static func spread(values: [Int], knots: [(x: Double, f: Double)], tilt: Double) -> [Double] {
        var p = [Double](repeating: 0, count: values.count)
        let lo = Double(values.first!), hi = Double(values.last!)
        let unit = max(1, (hi - lo) / 4)
        let iqr = max(1, knots.count > 3 ? knots[3].x - knots[1].x : unit)
        for i in 1..<knots.count {
            let mass = knots[i].f - knots[i - 1].f
            guard mass > 1e-15 else { continue }
            let a = knots[i - 1].x, b = knots[i].x
            var weights: [(Int, Double)] = []
            let longTail = (b - a) > 4 * iqr
            for (j, v) in values.enumerated() {
                let x = Double(v)
                guard x >= a - 1e-9, x <= b + 1e-9 else { continue }
                var w = (a == b) ? 1.0 : ((abs(x - a) < 1e-9 || abs(x - b) < 1e-9) ? 0.5 : 1.0)
                if longTail {
                    // Mass thins out away from the quartile, as counts and years do.
                    let distance = i == 1 ? b - x : x - a
                    w *= exp(-distance / iqr)
                }
                w *= exp(tilt * (x - lo) / unit)
                weights.append((j, w))
            }
            if weights.isEmpty {
                let middle = (a + b) / 2
                let nearest = values.indices.min { abs(Double(values[$0]) - middle) < abs(Double(values[$1]) - middle) }!
                weights = [(nearest, 1)]
            }
            let total = weights.reduce(0) { $0 + $1.1 }
            for (j, w) in weights { p[j] += mass * w / total }
        }
        return p
    }

    /// Counts from `value_counts`, in the given order; `rareTokens` drawn independently.
    static func counted(order: [String], counts: [String: Int], rareTokens: Set<String>) -> Marginal {
        let total = Double(order.reduce(0) { $0 + (counts[$1] ?? 0) })
        guard total > 0 else {
            return Marginal(ordered: order.map { ($0, 1 / Double(order.count)) }, rare: [])
        }
        let ordered = order.filter { !rareTokens.contains($0) }.map { ($0, Double(counts[$0] ?? 0) / total) }
        let rare = order.filter { rareTokens.contains($0) }.map { ($0, Double(counts[$0] ?? 0) / total) }
        return Marginal(ordered: ordered, rare: rare)
    }
}
