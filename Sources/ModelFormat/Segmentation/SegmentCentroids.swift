import Numerics

/// Fitted k-means centres in PCA space: a row's segment is its nearest centre.
public struct SegmentCentroids: Sendable, Hashable {
    /// One centre per row (k x d), d = the PCA projection's output dimension.
    public var centroids: Matrix

    /// Centres given one per row, in the PCA's coordinates.
    public init(centroids: Matrix) {
        self.centroids = centroids
    }

    /// Number of centres (k).
    public var count: Int { centroids.rows }
    /// Coordinates per centre: the PCA's output dimension.
    public var dimension: Int { centroids.columns }

    /// The nearest centre to a projected row (length d) and its squared Euclidean distance.
    /// Ties go to the lower index, as in scikit-learn.
    public func nearest(_ projected: UnsafeBufferPointer<Double>) -> (index: Int, distanceSquared: Double) {
        precondition(projected.count == dimension, "SegmentCentroids.nearest: \(projected.count) values for dimension \(dimension)")
        let d = dimension
        var best = (index: 0, distanceSquared: Double.infinity)
        centroids.values.withUnsafeBufferPointer { centres in
            for c in 0..<count {
                let centre = centres.baseAddress! + c * d
                var sum = 0.0
                for j in 0..<d {
                    let diff = projected[j] - centre[j]
                    sum += diff * diff
                }
                if sum < best.distanceSquared { best = (c, sum) }
            }
        }
        return best
    }

    /// The nearest centre to a projected row held in an array.
    public func nearest(_ projected: [Double]) -> (index: Int, distanceSquared: Double) {
        projected.withUnsafeBufferPointer { nearest($0) }
    }
}
