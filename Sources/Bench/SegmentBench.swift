import ArgumentParser
import Foundation
import Learning
import ModelFormat

/// `prospector-bench segment`: PCA + k-means on a synthetic Gaussian mixture (or on a raw
/// little-endian float64 matrix file), timed. `--dump` writes the exact matrix used so
/// bench/peer/segment_peer.py can run scikit-learn on identical data.
struct SegmentBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Times PCA + k-means segmentation and prints one JSON line.")

    @Option(help: "Rows of the synthetic matrix.") var rows = 800_000
    @Option(help: "Columns of the matrix.") var cols = 360
    @Option(help: "Clusters for k-means (also the number of mixture components generated).") var k = 12
    @Option(name: .customLong("n-init"), help: "k-means restarts.") var nInit = 3
    @Option(help: "Seed for data generation and k-means.") var seed: UInt64 = 42
    @Option(help: "Explained-variance target choosing the number of components.") var variance = 0.9
    @Option(name: .customLong("max-iter"), help: "k-means iteration cap per restart.") var maxIter = 300
    @Option(help: "k-means tolerance (relative to mean column variance).") var tol = 1e-4
    @Option(help: "Read the matrix from this raw float64 file (rows x cols, row-major) instead of generating it.") var input: String?
    @Option(help: "Write the matrix to this raw float64 file before timing.") var dump: String?

    func run() throws {
        let generationStart = Date()
        let data: Matrix
        if let input {
            data = try RawMatrixFile.read(path: input, columns: cols)
        } else {
            data = SyntheticMixture(clusters: k, seed: seed).generate(rows: rows, columns: cols)
        }
        let generationSeconds = Date().timeIntervalSince(generationStart)
        if let dump { try RawMatrixFile.write(data, path: dump) }

        let start = Date()
        let cpuStart = ProcessorTime.seconds
        let fit = try PCA.fit(data, components: .explainedVariance(variance))
        let projected = PCA.transform(data, with: fit.projection)
        let pcaSeconds = Date().timeIntervalSince(start)
        let pcaCPUSeconds = ProcessorTime.seconds - cpuStart
        let clusteringStart = Date()
        let clusters = try KMeans.fit(projected, KMeans.Configuration(
            clusterCount: k, initializations: nInit, maxIterations: maxIter, tolerance: tol, seed: seed))
        let end = Date()
        let cpuSeconds = ProcessorTime.seconds - cpuStart

        let fields: [(String, String)] = [
            ("step", "\"pca_kmeans\""),
            ("seconds", format(end.timeIntervalSince(start))),
            ("pca_seconds", format(pcaSeconds)),
            ("kmeans_seconds", format(end.timeIntervalSince(clusteringStart))),
            ("components", "\(fit.projection.outputDimension)"),
            ("inertia", "\(clusters.inertia)"),
            ("peak_mb", format(PeakMemory.megabytes() ?? 0)),
            ("cpu_seconds", format(cpuSeconds)),
            ("pca_cpu_seconds", format(pcaCPUSeconds)),
            ("rows", "\(data.rows)"),
            ("cols", "\(data.columns)"),
            ("k", "\(k)"),
            ("n_init", "\(nInit)"),
            ("iterations", "\(clusters.iterations)"),
            ("restart_inertias", "[" + clusters.restartInertias.map { "\($0)" }.joined(separator: ",") + "]"),
            ("explained_variance", format(fit.projection.explainedVarianceRatio.reduce(0, +))),
            ("generate_seconds", format(generationSeconds)),
        ]
        print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    }

    private func format(_ value: Double) -> String { String(format: "%.3f", value) }
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
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw Failure.unwritable(path: path, reason: "cannot create the file")
        }
        defer { try? handle.close() }
        let piece = 1 << 26
        do {
            try matrix.values.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let end = min(bytes.count, offset + piece)
                    try handle.write(contentsOf: Data(bytes[offset..<end]))
                    offset = end
                }
            }
        } catch {
            throw Failure.unwritable(path: path, reason: "\(error.localizedDescription)")
        }
    }
}
