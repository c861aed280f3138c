/// The fitted segmentation: standardised features → PCA → nearest centroid, plus one extra
/// segment for rows with too little data to place.
///
/// Segments `0..<clusterCount` are the k-means clusters; segment `clusterCount` is
/// "insufficient data" (rows whose missing share is above the cleaning threshold are never
/// forced into a cluster they do not resemble).
public struct SegmentModel: Sendable, Hashable, Codable {
    public var projection: PCAProjection
    public var centroids: SegmentCentroids

    public init(projection: PCAProjection, centroids: SegmentCentroids) {
        self.projection = projection
        self.centroids = centroids
    }

    public var clusterCount: Int { centroids.count }
    /// The index of the "insufficient data" segment.
    public var insufficientDataSegment: Int { centroids.count }
    public var segmentCount: Int { centroids.count + 1 }

    /// Human-readable name of a segment index.
    public func name(of segment: Int) -> String {
        segment == insufficientDataSegment ? "insufficient data" : "segment \(segment + 1)"
    }

    /// The segment of one row from its scaled features, projected by `projector` (built once
    /// from ``projection``); `centered` holds `projection.inputDimension` values and `scratch`
    /// `projection.outputDimension` values.
    @inline(__always)
    public func segment(
        scaled: UnsafeBufferPointer<Double>, sufficientData: Bool, projector: BlockedProjection,
        centered: UnsafeMutableBufferPointer<Double>, scratch: UnsafeMutableBufferPointer<Double>
    ) -> Int {
        guard sufficientData else { return insufficientDataSegment }
        projector.project(scaled, centered: centered, into: scratch)
        return centroids.nearest(UnsafeBufferPointer(scratch)).index
    }

    /// Segments of every row of a feature matrix (scaled part), on all cores.
    public func segments(of features: FeatureMatrix, maxRowMissingShare: Double) -> [Int] {
        let width = features.columns
        let dimension = projection.outputDimension
        let projector = BlockedProjection(projection)
        let blocks = features.scaled.withUnsafeBufferPointer { scaled in
            let all = UnsafeBufferPointerBox(scaled)
            return Parallel.mapBlocks(count: features.rows, blockSize: 4096) { rows -> [Int] in
                var scratch = [Double](repeating: 0, count: dimension)
                var centered = [Double](repeating: 0, count: width)
                return scratch.withUnsafeMutableBufferPointer { scratch in
                    centered.withUnsafeMutableBufferPointer { centered in
                        rows.map { r in
                            segment(
                                scaled: UnsafeBufferPointer(rebasing: all.buffer[(r * width)..<((r + 1) * width)]),
                                sufficientData: features.missingShare[r] <= maxRowMissingShare, projector: projector,
                                centered: centered, scratch: scratch)
                        }
                    }
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
