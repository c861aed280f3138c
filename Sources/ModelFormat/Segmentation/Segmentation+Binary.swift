import Numerics

// Binary encodings of the segmentation values (the bundle's `pca`, `centroids` and
// `segmentLabels` sections). Decoding checks every shape a later projection would index with.

extension PCAProjection: BinaryCodable {
    /// Writes the mean, the components, then both variance arrays.
    public func encode(to writer: inout BinaryWriter) {
        writer.write(mean)
        writer.write(components)
        writer.write(explainedVariance)
        writer.write(explainedVarianceRatio)
    }

    /// Reads a projection, refusing parts whose sizes disagree.
    public init(from reader: inout BinaryReader) throws(BundleError) {
        let start = reader.offset
        let mean = try reader.read([Double].self)
        let components = try reader.read(Matrix.self)
        let variance = try reader.read([Double].self)
        let ratio = try reader.read([Double].self)
        guard components.columns == mean.count, variance.count == components.rows, ratio.count == components.rows else {
            throw BundleError.malformed(
                section: nil, offset: start,
                problem: "\(components.rows)x\(components.columns) components do not match \(mean.count) means, "
                    + "\(variance.count) variances and \(ratio.count) ratios")
        }
        try ValueChecks.finite(mean, "mean")
        try ValueChecks.finite(components.values, "components")
        try ValueChecks.finite(variance, "explainedVariance")
        try ValueChecks.finite(ratio, "explainedVarianceRatio")
        self.init(mean: mean, components: components, explainedVariance: variance, explainedVarianceRatio: ratio)
    }
}

extension SegmentCentroids: BinaryCodable {
    /// Writes the centroids as a matrix.
    public func encode(to writer: inout BinaryWriter) {
        writer.write(centroids)
    }

    /// Reads the centroids, refusing an empty set.
    public init(from reader: inout BinaryReader) throws(BundleError) {
        let start = reader.offset
        let matrix = try reader.read(Matrix.self)
        guard matrix.rows > 0 else {
            throw BundleError.malformed(section: nil, offset: start, problem: "no centroids")
        }
        try ValueChecks.finite(matrix.values, "centroids")
        self.init(centroids: matrix)
    }
}

/// The label of every segment (clusters, then "insufficient data"), as the scorer prints it.
public struct SegmentLabels: Sendable, Hashable, BinaryCodable {
    /// One label per segment index, "insufficient data" last.
    public var labels: [String]

    /// Labels given per segment index.
    public init(labels: [String]) { self.labels = labels }

    /// Labels from a segment table, indexed by segment.
    public init(table: SegmentTable, segmentCount: Int) {
        var labels = [String](repeating: SegmentLabels.insufficientData, count: segmentCount)
        for row in table.rows where labels.indices.contains(row.cluster) { labels[row.cluster] = row.label.rawValue }
        self.labels = labels
    }

    /// What rows with too little data to segment are labelled.
    public static let insufficientData = SegmentTable.Label.insufficientData.rawValue

    /// Writes the labels as a string list.
    public func encode(to writer: inout BinaryWriter) { writer.write(labels) }

    /// Reads the labels, refusing empty ones and any with a control character (it would break
    /// an output line).
    public init(from reader: inout BinaryReader) throws(BundleError) {
        let labels = try reader.read([String].self)
        for (i, label) in labels.enumerated() { try ValueChecks.printableLine(label, "labels[\(i)]") }
        self.init(labels: labels)
    }
}
