import Foundation

/// How many rows fell into each bin of each attribute, and into each segment: the observed
/// side of a PSI. Counted per worker, added together, compared with the reference.
public struct DriftCounts: Sendable {
    /// Where each attribute's bins start in ``bins``; counts of different layouts never mix.
    public let layout: DriftLayout
    /// Rows per bin, all attributes' bins end to end (see ``DriftLayout``).
    public private(set) var bins: [Int]
    /// Rows per segment index.
    public private(set) var segments: [Int]
    /// Rows counted.
    public private(set) var rows = 0

    /// Zero counts over `layout`'s bins and segments.
    public init(layout: DriftLayout) {
        self.layout = layout
        bins = [Int](repeating: 0, count: layout.binCount)
        segments = [Int](repeating: 0, count: layout.segmentCount)
    }

    /// Zero counts over the bins of `reference` (a new layout: share one layout when counts are
    /// to be added together).
    public init(reference: ReferenceDistribution) { self.init(layout: DriftLayout(reference)) }

    /// Counts one row: its inputs as read (NaN = missing) and its segment index.
    @inline(__always)
    public mutating func add(inputs: UnsafeBufferPointer<Double>, segment: Int) {
        let layout = layout
        bins.withUnsafeMutableBufferPointer { layout.count(inputs, into: $0) }
        if segment >= 0 && segment < segments.count { segments[segment] += 1 }
        rows += 1
    }

    /// Adds counts of the same layout (a worker's, or a past window's).
    public mutating func add(_ other: DriftCounts) {
        precondition(other.layout === layout, "counts of different references")
        for i in bins.indices { bins[i] += other.bins[i] }
        for i in segments.indices { segments[i] += other.segments[i] }
        rows += other.rows
    }

    /// Takes away counts of the same layout, as when a window slides past them.
    public mutating func subtract(_ other: DriftCounts) {
        precondition(other.layout === layout, "counts of different references")
        for i in bins.indices { bins[i] -= other.bins[i] }
        for i in segments.indices { segments[i] -= other.segments[i] }
        rows -= other.rows
    }

    /// Back to zero, keeping the layout.
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
    /// The counts so far.
    public var counts: DriftCounts
    /// One row in `every` is counted (1: every row).
    public let every: Int
    private var countdown: Int

    /// A tally over `layout`'s bins; `every` below 1 counts every row. The first row is counted.
    public init(layout: DriftLayout, every: Int = 1) {
        counts = DriftCounts(layout: layout)
        self.every = max(1, every)
        countdown = 1
    }

    /// A tally over the bins of `reference`.
    public convenience init(reference: ReferenceDistribution, every: Int = 1) {
        self.init(layout: DriftLayout(reference), every: every)
    }

    /// Counts the row if it is the `every`-th since the last one counted.
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
    /// The smallest share a bin counts with: an empty bin would otherwise make the index infinite.
    public static let floor = 1e-4

    /// The index of `actual` shares against `expected` ones, bin by bin (0 when they agree).
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
