import ModelFormat
import Numerics

extension KMeans {
    /// One k of a scan.
    package struct ScanEntry: Sendable, Hashable {
        package var k: Int
        package var inertia: Double
        /// Mean silhouette of the sampled rows under this k's labels.
        package var silhouette: Double
    }

    package struct Scan: Sendable {
        package var entries: [ScanEntry]
        /// The k with the highest silhouette (the smaller k on ties).
        ///
        /// Why silhouette and not the elbow: inertia always falls with k, and on a smooth
        /// curve the "largest second difference" lands on the first k of the range, whatever
        /// the data. The silhouette compares separation with cohesion on one fixed sample, so
        /// its values are comparable across k and can peak inside the range.
        package var suggestedK: Int
    }

    /// Fits k-means for every k in `kRange` (each with `initializations` restarts, on a sample
    /// and refined when `sampling` is given, as the final fit) and
    /// scores each by inertia and by the silhouette on one random sample of
    /// `silhouetteSample` rows, the same sample for every k.
    package static func scan(
        _ data: Matrix, kRange: ClosedRange<Int> = 4...16, initializations: Int = 3, sampling: SampledRestarts? = nil,
        maxIterations: Int = 300, tolerance: Double = 1e-4,
        silhouetteSample: Int = 10_000, seed: UInt64 = 0
    ) throws(SegmentationError) -> Scan {
        guard silhouetteSample >= 2 else {
            throw .invalidParameter(name: "silhouetteSample", value: "\(silhouetteSample)", expected: "at least 2")
        }
        guard kRange.lowerBound >= 2 else {
            throw .invalidParameter(name: "kRange", value: "\(kRange)", expected: "k ≥ 2 (a silhouette needs two clusters)")
        }
        guard kRange.upperBound <= data.rows else { throw .invalidClusterCount(k: kRange.upperBound, rows: data.rows) }
        let sample = Silhouette.sampleRows(count: data.rows, size: silhouetteSample, seed: seed ^ 0x5EED_5A3D_1E5C_0DE5)
        var sampled = Matrix(rows: sample.count, columns: data.columns)
        for (r, row) in sample.enumerated() {
            for j in 0..<data.columns { sampled[r, j] = data[row, j] }
        }
        let distances = Silhouette.PairwiseDistances(sampled)

        var entries: [ScanEntry] = []
        for k in kRange {
            let result = try fit(data, Configuration(
                clusterCount: k, initializations: initializations,
                maxIterations: maxIterations, tolerance: tolerance, seed: seed &+ UInt64(k)), sampling: sampling)
            let sampleLabels = sample.map { result.labels[$0] }
            entries.append(ScanEntry(k: k, inertia: result.inertia, silhouette: distances.score(labels: sampleLabels)))
        }
        var best = entries[0]
        for entry in entries.dropFirst() where entry.silhouette > best.silhouette { best = entry }
        return Scan(entries: entries, suggestedK: best.k)
    }
}
