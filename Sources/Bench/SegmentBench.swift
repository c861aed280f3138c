import ArgumentParser
import Foundation
import Learning
import ModelFormat
import Numerics
import Training

/// `prospector-bench segment`: PCA + k-means, timed, in one of two modes.
///
/// - `--data DIR` (what `bench/run` uses): the real step on a `trainer synth` directory. The
///   cleaned population matrix is made as `trainer segment` makes it (``SegmentDataset``) and
///   written to `--dump` for bench/peer/segment_peer.py; then PCA + k-means are timed and
///   scored against the generator's truth: adjusted Rand index of the clusters against the
///   true segments (fitted rows), and Spearman of the customer over-representation
///   (``OverRepresentation``). Peak memory is that of the fit alone: the high-water mark is
///   reset once the data is prepared, as the peer's figure starts with the matrix loaded.
/// - otherwise: a synthetic Gaussian mixture (or `--input`, a raw float64 matrix); `--dump`
///   then names the file the matrix is written to.
struct SegmentBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Times PCA + k-means segmentation and prints one JSON line.")

    @Option(help: "A `trainer synth` directory: segment its cleaned AZDIAS and score against its truth.") var data: String?
    @Option(help: "Rows of the synthetic matrix.") var rows = 800_000
    @Option(help: "Columns of the matrix.") var cols = 360
    @Option(help: "Clusters for k-means (also the number of mixture components generated).") var k = 12
    @Option(name: .customLong("n-init"), help: "k-means restarts (on the sample when --sample-rows > 0).") var nInit = SegmentationOptions().initializations
    @Option(help: "Rows the restarts run on, the --refine best continued on all rows, as the trainer does (0: every restart on all rows, scikit-learn's n_init).") var sampleRows = SegmentationOptions().sampleRows
    @Option(help: "Best distinct sample solutions continued on all rows.") var refine = SegmentationOptions().refined
    @Option(help: "Seed for data generation and k-means.") var seed: UInt64 = 42
    @Option(help: "Explained-variance target choosing the number of components.") var variance = 0.9
    @Option(name: .customLong("max-iter"), help: "k-means iteration cap per restart.") var maxIter = 300
    @Option(help: "k-means tolerance (relative to mean column variance).") var tol = 1e-4
    @Option(help: "Read the matrix from this raw float64 file (rows x cols, row-major) instead of generating it.") var input: String?
    @Option(help: "With --data: directory for the peer's files (see SegmentDataset). Otherwise: raw float64 file to write the matrix to.") var dump: String?
    @Option(help: "Write the fitted cluster of every row here, little-endian int64 in row order (`numpy.fromfile(path, \"<i8\")`).") var labels: String?

    func run() throws {
        if let data {
            try runOnDataset(data)
        } else {
            try runOnMixture()
        }
    }

    private func runOnDataset(_ directory: String) throws {
        let work = dump ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("prospector-segment-\(getpid())")
        let dataset = try SegmentDataset.prepare(directory: directory, work: work)
        let truth = try SegmentTruth.load(directory: directory)
        let trueSegments = try truth.segments(of: dataset.populationLNR)
        let peakReset = PeakMemory.resetHighWaterMark()

        let timing = try fit(dataset.population)
        let peak = PeakMemory.megabytes() ?? .nan
        try writeLabels(timing)
        if dump != nil { try writeSeedRows(timing.clusters.restartSeedRows, work: work) }

        // Customers placed by the fitted model, as the trainer places them; shares over all
        // rows, the insufficient ones being segment k.
        let model = SegmentModel(projection: timing.pca.projection, centroids: timing.clusters.centroids)
        let customers = try SegmentDataset.customers(work: work, columns: dataset.population.columns)
        if dump == nil { try? FileManager.default.removeItem(atPath: work) }
        let customerSegments = model.segments(of: FeatureMatrix(
            rows: customers.rows, columns: customers.columns, scaled: customers.values,
            missingShare: [Double](repeating: 0, count: customers.rows)), maxRowMissingShare: 1)
        let clusters = timing.clusters.labels.map { Int($0) }
        let insufficient = k
        let ratios = OverRepresentation.ratios(
            populationSegments: clusters + [Int](repeating: insufficient, count: dataset.populationTotal - clusters.count),
            customerSegments: customerSegments + [Int](repeating: insufficient, count: dataset.customerTotal - customers.rows),
            segmentCount: k + 1)
        let clusterRatios = Array(ratios[0..<k])

        var fields = timing.fields(k: k, nInit: nInit) + [("sample_rows", "\(sampleRows)"), ("refine", "\(refine)")]
        let ari = format(ClusterMetrics.adjustedRandIndex(trueSegments, clusters), digits: 4)
        let spearman = format(OverRepresentation.rankCorrelationOverTrueSegments(
            trueSegments: trueSegments, clusters: clusters, trueRatios: truth.customerRatios, clusterRatios: clusterRatios), digits: 4)
        fields += [
            ("ari", ari),
            ("spearman", spearman),
            // The peer refits from the rows this fit started from (kmeans_seed_rows.json); for
            // this side those figures are its own.
            ("ari_same_starts", ari),
            ("spearman_same_starts", spearman),
            ("inertia_same_starts", "\(timing.clusters.inertia)"),
            ("spearman_clusters", format(OverRepresentation.rankCorrelationOverClusters(
                trueSegments: trueSegments, clusters: clusters, trueRatios: truth.customerRatios, clusterRatios: clusterRatios), digits: 4)),
            ("cluster_ratios", "[" + clusterRatios.map { format($0, digits: 3) }.joined(separator: ",") + "]"),
            ("peak_mb", format(peak)),
            ("peak_is_fit_only", peakReset ? "true" : "false"),
            ("population_total", "\(dataset.populationTotal)"),
            ("customer_rows", "\(customers.rows)"),
            ("prepare_seconds", format(dataset.prepareSeconds)),
        ]
        print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    }

    private func runOnMixture() throws {
        let generationStart = Date()
        let data: Matrix
        if let input {
            data = try RawMatrixFile.read(path: input, columns: cols)
        } else {
            data = SyntheticMixture(clusters: k, seed: seed).generate(rows: rows, columns: cols)
        }
        let generationSeconds = Date().timeIntervalSince(generationStart)
        if let dump { try RawMatrixFile.write(data, path: dump) }

        let timing = try fit(data)
        try writeLabels(timing)
        var fields = timing.fields(k: k, nInit: nInit)
        fields += [
            ("peak_mb", format(PeakMemory.megabytes() ?? 0)),
            ("generate_seconds", format(generationSeconds)),
        ]
        print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    }

    /// The rows each k-means restart started from, for the peer to start from the same rows:
    /// `{"restarts": [[row, ...], ...]}`, rows indexing population.f64.
    private func writeSeedRows(_ rows: [[Int]], work: String) throws {
        let json = "{\"restarts\":[" + rows.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",") + "]}\n"
        try Data(json.utf8).write(to: URL(fileURLWithPath: work).appendingPathComponent(SegmentDataset.seedRowsFile))
    }

    private func writeLabels(_ timing: SegmentFitTiming) throws {
        guard let labels else { return }
        try RawMatrixFile.write(integers: timing.clusters.labels.map { Int64($0) }, path: labels)
    }

    /// The timed part: PCA fit + projection, then k-means (the `seconds` both sides report).
    private func fit(_ data: Matrix) throws -> SegmentFitTiming {
        let start = Date()
        let cpuStart = ProcessorTime.seconds
        let pca = try PCA.fit(data, components: .explainedVariance(variance))
        let projected = PCA.transform(data, with: pca.projection)
        let pcaSeconds = Date().timeIntervalSince(start)
        let pcaCPUSeconds = ProcessorTime.seconds - cpuStart
        let clusteringStart = Date()
        var options = SegmentationOptions()
        (options.initializations, options.sampleRows, options.refined) = (nInit, sampleRows, refine)
        let clusters = try KMeans.fit(projected, KMeans.Configuration(
            clusterCount: k, initializations: nInit, maxIterations: maxIter, tolerance: tol, seed: seed), sampling: options.sampling)
        let end = Date()
        return SegmentFitTiming(
            pca: pca, clusters: clusters, rows: data.rows, columns: data.columns,
            seconds: end.timeIntervalSince(start), pcaSeconds: pcaSeconds,
            kmeansSeconds: end.timeIntervalSince(clusteringStart),
            cpuSeconds: ProcessorTime.seconds - cpuStart, pcaCPUSeconds: pcaCPUSeconds)
    }
}

/// What one timed PCA + k-means fit produced, and the JSON fields both modes print.
struct SegmentFitTiming {
    var pca: PCA.Fit
    var clusters: KMeans.Result
    var rows: Int
    var columns: Int
    var seconds: Double
    var pcaSeconds: Double
    var kmeansSeconds: Double
    var cpuSeconds: Double
    var pcaCPUSeconds: Double

    func fields(k: Int, nInit: Int) -> [(String, String)] {
        [
            ("step", "\"segment\""),
            ("seconds", format(seconds)),
            ("pca_seconds", format(pcaSeconds)),
            ("kmeans_seconds", format(kmeansSeconds)),
            ("cpu_seconds", format(cpuSeconds)),
            ("pca_cpu_seconds", format(pcaCPUSeconds)),
            ("components", "\(pca.projection.outputDimension)"),
            ("explained_variance", format(pca.projection.explainedVarianceRatio.reduce(0, +))),
            ("inertia", "\(clusters.inertia)"),
            ("rows", "\(rows)"),
            ("cols", "\(columns)"),
            ("k", "\(k)"),
            ("n_init", "\(nInit)"),
            ("iterations", "\(clusters.iterations)"),
            ("restart_inertias", "[" + clusters.restartInertias.map { "\($0)" }.joined(separator: ",") + "]"),
            ("restart_seed_rows", "[" + clusters.restartSeedRows.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }
                .joined(separator: ",") + "]"),
        ]
    }
}

private func format(_ value: Double, digits: Int = 3) -> String {
    value.isFinite ? String(format: "%.\(digits)f", value) : "null"
}

extension PeakMemory {
    /// Resets `VmHWM` to the current resident size (Linux ≥ 4.0: "5" to /proc/self/clear_refs),
    /// so a later reading covers only what follows. False where that is not possible.
    static func resetHighWaterMark() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }
}

/// User + system CPU time of this process: on a shared machine, wall time alone hides
/// whether a step was slow or just waiting for a core.
enum ProcessorTime {
    static var seconds: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func value(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return value(usage.ru_utime) + value(usage.ru_stime)
    }
}

/// Raw little-endian float64 matrices, the interchange with the numpy peer (`numpy.fromfile`).
enum RawMatrixFile {
    enum Failure: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case badSize(path: String, bytes: Int, columns: Int)
        case unwritable(path: String, reason: String)

        var description: String {
            switch self {
            case let .unreadable(path, reason): return "\(path): cannot read (\(reason))"
            case let .badSize(path, bytes, columns):
                return "\(path): \(bytes) bytes is not a whole number of rows of \(columns) float64 values; check --cols"
            case let .unwritable(path, reason): return "\(path): cannot write (\(reason))"
            }
        }
    }

    static func read(path: String, columns: Int) throws -> Matrix {
        let bytes: Data
        do { bytes = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw Failure.unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        let rowBytes = columns * 8
        guard columns > 0, bytes.count % rowBytes == 0 else { throw Failure.badSize(path: path, bytes: bytes.count, columns: columns) }
        // x86-64 and arm64 are little-endian, like the file: the bytes are the doubles.
        var values = [Double](repeating: 0, count: bytes.count / 8)
        values.withUnsafeMutableBytes { target in _ = bytes.copyBytes(to: target) }
        return Matrix(rows: bytes.count / rowBytes, columns: columns, values: values)
    }

    /// Written in 64 MiB pieces: on Linux one write(2) moves at most 2 GiB - 4 KiB, and
    /// Foundation's `Data.write(to:)` here then repeats the head of the buffer instead of
    /// continuing (seen with an 800 000 x 360 matrix: the last 7 % of rows were row 0 on).
    static func write(_ matrix: Matrix, path: String) throws {
        try matrix.values.withUnsafeBytes { try write(bytes: $0, path: path) }
    }

    /// Little-endian int64 values (`numpy.fromfile(path, "<i8")`).
    static func write(integers: [Int64], path: String) throws {
        try integers.withUnsafeBytes { try write(bytes: $0, path: path) }
    }

    private static func write(bytes: UnsafeRawBufferPointer, path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw Failure.unwritable(path: path, reason: "cannot create the file")
        }
        defer { try? handle.close() }
        let piece = 1 << 26
        do {
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + piece)
                try handle.write(contentsOf: Data(bytes[offset..<end]))
                offset = end
            }
        } catch {
            throw Failure.unwritable(path: path, reason: "\(error.localizedDescription)")
        }
    }
}
