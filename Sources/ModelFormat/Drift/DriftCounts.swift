import Foundation

/// How many rows fell into each bin of each attribute, and into each segment: the observed
/// side of a PSI. Counted per worker, added together, compared with the reference.
public struct DriftCounts: Sendable {
    public let layout: DriftLayout
    public private(set) var bins: [Int]
    public private(set) var segments: [Int]
    public private(set) var rows = 0

    public init(layout: DriftLayout) {
        self.layout = layout
        bins = [Int](repeating: 0, count: layout.binCount)
        segments = [Int](repeating: 0, count: layout.segmentCount)
    }

    public init(reference: ReferenceDistribution) { self.init(layout: DriftLayout(reference)) }

    /// Counts one row: its inputs as read (NaN = missing) and its segment index.
    @inline(__always)
    public mutating func add(inputs: UnsafeBufferPointer<Double>, segment: Int) {
        let layout = layout
        bins.withUnsafeMutableBufferPointer { layout.count(inputs, into: $0) }
        if segment >= 0 && segment < segments.count { segments[segment] += 1 }
        rows += 1
    }

    public mutating func add(_ other: DriftCounts) {
        precondition(other.layout === layout, "counts of different references")
        for i in bins.indices { bins[i] += other.bins[i] }
        for i in segments.indices { segments[i] += other.segments[i] }
        rows += other.rows
    }

    public mutating func subtract(_ other: DriftCounts) {
        precondition(other.layout === layout, "counts of different references")
        for i in bins.indices { bins[i] -= other.bins[i] }
        for i in segments.indices { segments[i] -= other.segments[i] }
        rows -= other.rows
    }

    public mutating func reset() {
        for i in bins.indices { bins[i] = 0 }
        for i in segments.indices { segments[i] = 0 }
        rows = 0
    }

    /// The observed share of each of attribute `a`'s bins (all 0 before any row).
    public func shares(attribute a: Int) -> [Double] {
        let range = layout.binStart[a]..<layout.binStart[a + 1]
        guard rows > 0 else { return [Double](repeating: 0, count: range.count) }
        return bins[range].map { Double($0) / Double(rows) }
    }

    /// The population stability index of attribute `a` against the reference (nil before any row).
    public func psi(attribute a: Int) -> Double? {
        guard rows > 0 else { return nil }
        return PSI.index(expected: layout.reference.attributes[a].shares, actual: shares(attribute: a))
    }

    /// The observed share of each segment (nil before any row).
    public var segmentShares: [Double]? {
        guard rows > 0 else { return nil }
        return segments.map { Double($0) / Double(rows) }
    }
}

/// Counts the rows one ``RowScorer`` scores, every `every`-th row only: sampling keeps the
/// scorer's per-row cost low (a row's inputs are binned, a few hundred binary searches).
public final class DriftTally {
    public var counts: DriftCounts
    public let every: Int
    private var countdown: Int

    public init(layout: DriftLayout, every: Int = 1) {
        counts = DriftCounts(layout: layout)
        self.every = max(1, every)
        countdown = 1
    }

    public convenience init(reference: ReferenceDistribution, every: Int = 1) {
        self.init(layout: DriftLayout(reference), every: every)
    }

    @inline(__always)
    public func observe(inputs: UnsafeBufferPointer<Double>, segment: Int) {
        countdown -= 1
        guard countdown == 0 else { return }
        countdown = every
        counts.add(inputs: inputs, segment: segment)
    }

    /// Hands the counts over and starts again from zero.
    public func take() -> DriftCounts {
        let taken = counts
        counts.reset()
        return taken
    }
}

/// The population stability index: Σ (actual − expected) · ln(actual / expected) over the
/// bins, with both shares floored at ``floor`` so an empty bin gives a large but finite term.
/// Usual reading: below 0.1 stable, 0.1–0.25 watch, above 0.25 act (`DriftData`).
public enum PSI {
    public static let floor = 1e-4

    public static func index(expected: [Double], actual: [Double]) -> Double {
        var sum = 0.0
        for (e, a) in zip(expected, actual) {
            let e = max(e, floor)
            let a = max(a, floor)
            sum += (a - e) * log(a / e)
        }
        return sum
    }
}
