import Concurrency

/// The fitted segmentation: standardised features → PCA → nearest centroid (computed without
/// the projection, see ``FoldedCentroids``), plus one extra
/// segment for rows with too little data to place.
///
/// Segments `0..<clusterCount` are the k-means clusters; segment `clusterCount` is
/// "insufficient data" (rows whose missing share is above the cleaning threshold are never
/// forced into a cluster they do not resemble).
public struct SegmentModel: Sendable, Hashable {
    /// From standardised features to the PCA's coordinates.
    public var projection: PCAProjection
    /// The k-means centres in those coordinates.
    public var centroids: SegmentCentroids

    /// A model from its fitted parts (the centroids in the projection's coordinates).
    public init(projection: PCAProjection, centroids: SegmentCentroids) {
        self.projection = projection
        self.centroids = centroids
    }

    /// Number of clusters (k), the "insufficient data" segment not counted.
    public var clusterCount: Int { centroids.count }
    /// The index of the "insufficient data" segment.
    public var insufficientDataSegment: Int { centroids.count }
    /// Number of segments: the clusters plus "insufficient data".
    public var segmentCount: Int { centroids.count + 1 }

    /// Cluster `cluster`'s centre back in the standardised feature space: mean + Cᵀ z.
    public func standardisedCentroid(_ cluster: Int) -> [Double] {
        var back = projection.mean
        for component in 0..<projection.outputDimension {
            let z = centroids.centroids[cluster, component]
            for j in 0..<projection.inputDimension { back[j] += z * projection.components[component, j] }
        }
        return back
    }

    /// The centres folded back through the projection (see ``FoldedCentroids``): build once
    /// per table or model, then segment any number of rows with it.
    public func folded() -> FoldedCentroids {
        FoldedCentroids(projection: projection, centroids: centroids)
    }

    /// The segment of one row from its scaled features; `folded` is this model's ``folded()``.
    @inline(__always)
    public func segment(scaled: UnsafeBufferPointer<Double>, sufficientData: Bool, folded: FoldedCentroids) -> Int {
        guard sufficientData else { return insufficientDataSegment }
        return folded.nearest(scaled)
    }

    /// Segments of every row of a feature matrix (scaled part), on all cores.
    public func segments(of features: FeatureMatrix, maxRowMissingShare: Double) -> [Int] {
        let width = features.columns
        let folded = folded()
        let blocks = features.scaled.withUnsafeBufferPointer { scaled in
            let all = UnsafeBufferPointerBox(scaled)
            return Parallel.mapBlocks(count: features.rows, blockSize: 4096) { rows -> [Int] in
                rows.map { r in
                    segment(
                        scaled: UnsafeBufferPointer(rebasing: all.buffer[(r * width)..<((r + 1) * width)]),
                        sufficientData: features.missingShare[r] <= maxRowMissingShare, folded: folded)
                }
            }
        }
        return blocks.flatMap { $0 }
    }
}

/// Lets read-only workers share a buffer the caller keeps alive for the whole call.
struct UnsafeBufferPointerBox: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<Double>
    init(_ buffer: UnsafeBufferPointer<Double>) { self.buffer = buffer }
}
