import Foundation

/// Maps a model's probability to a calibrated one, fitted on out-of-fold predictions.
public enum ProbabilityCalibrator: Sendable, Hashable {
    /// Probabilities are used as they are.
    case none
    /// Platt scaling on the log-odds: `sigmoid(a * logit(p) + b)`.
    case platt(a: Double, b: Double)
    /// Isotonic (monotone) step function, linearly interpolated between the points
    /// `(thresholds[i], values[i])` and held constant outside them (as scikit-learn does).
    case isotonic(thresholds: [Double], values: [Double])

    /// The calibrated probability of the trees' probability `p`.
    public func apply(_ p: Double) -> Double {
        switch self {
        case .none:
            return p
        case let .platt(a, b):
            return Logistic.sigmoid(a * Logistic.logit(p) + b)
        case let .isotonic(xs, ys):
            guard let first = xs.first, let last = xs.last else { return p }
            if p.isNaN { return p }
            if p <= first { return ys[0] }
            if p >= last { return ys[ys.count - 1] }
            // First index with xs[hi] > p; xs is non-decreasing.
            var lo = 0
            var hi = xs.count - 1
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if xs[mid] <= p { lo = mid } else { hi = mid }
            }
            let span = xs[hi] - xs[lo]
            if span <= 0 { return ys[hi] }
            let t = (p - xs[lo]) / span
            return ys[lo] + t * (ys[hi] - ys[lo])
        }
    }
}
