/// A scored prospect that may be mailed.
///
/// Ordered by expected profit, which for one cost and value is the order of the probability;
/// ties go to the earlier row, so the list is the same on every run.
package struct Candidate: Sendable, Hashable {
    package var probability: Double
    /// 1-based row number in the input (after the header).
    package var row: Int
    /// Segment index (clusters, then insufficient data).
    package var segment: Int
    package var id: String

    package init(probability: Double, row: Int, segment: Int, id: String) {
        self.probability = probability
        self.row = row
        self.segment = segment
        self.id = id
    }

    /// Whether `self` is mailed before `other`.
    @inline(__always)
    package func ranksBefore(_ other: Candidate) -> Bool {
        probability != other.probability ? probability > other.probability : row < other.row
    }
}
