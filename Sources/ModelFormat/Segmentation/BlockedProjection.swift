/// A `PCAProjection` laid out to compute sixteen components at once: how every row is projected
/// when it is segmented (`SegmentModel`, the trainer's tables and the scorer's records alike).
///
/// `PCAProjection.project` sums each component over the features in one accumulator, so every
/// add waits for the one before: with a few hundred components of a few hundred features that
/// chain is most of a row's cost. Here the components are stored in blocks of sixteen, interleaved
/// by feature, and sixteen independent sums advance together in vector registers. Each sum still
/// starts at 0 and adds `(row[j] - mean[j]) * axis[j]` for j in increasing order, as separate
/// multiply and add, so every component has the same bits as `PCAProjection.project` gives.
public final class BlockedProjection: @unchecked Sendable {
    typealias Lanes = SIMD16<Double>
    static let width = 16
    public let inputDimension: Int
    public let outputDimension: Int
    private let blocks: Int
    // Owned, immutable after init, read concurrently by the workers.
    private let mean: UnsafeMutableBufferPointer<Double>
    /// blocks × inputDimension × 16, zero-padded past the last component.
    private let axes: UnsafeMutableRawPointer

    public init(_ projection: PCAProjection) {
        let p = projection.inputDimension
        let c = projection.outputDimension
        inputDimension = p
        outputDimension = c
        blocks = (c + Self.width - 1) / Self.width
        mean = .allocate(capacity: max(1, p))
        _ = mean.initialize(from: projection.mean)
        axes = .allocate(byteCount: max(1, blocks * p) * MemoryLayout<Lanes>.stride, alignment: 64)
        let lanes = axes.bindMemory(to: Double.self, capacity: max(1, blocks * p) * Self.width)
        projection.components.values.withUnsafeBufferPointer { values in
            for b in 0..<blocks {
                for j in 0..<p {
                    for k in 0..<Self.width {
                        let component = b * Self.width + k
                        lanes[(b * p + j) * Self.width + k] = component < c ? values[component * p + j] : 0
                    }
                }
            }
        }
    }

    deinit {
        mean.deallocate()
        axes.deallocate()
    }

    /// Projects `row` into `output`; `centered` is scratch of `inputDimension` values.
    @inline(__always)
    public func project(
        _ row: UnsafeBufferPointer<Double>, centered: UnsafeMutableBufferPointer<Double>,
        into output: UnsafeMutableBufferPointer<Double>
    ) {
        let p = inputDimension
        for j in 0..<p { centered[j] = row[j] - mean[j] }
        let lanes = UnsafeRawPointer(axes)
        for b in 0..<blocks {
            var sum = Lanes(repeating: 0)
            let block = lanes + b * p * MemoryLayout<Lanes>.stride
            for j in 0..<p {
                let axis = block.load(fromByteOffset: j * MemoryLayout<Lanes>.stride, as: Lanes.self)
                let product = Lanes(repeating: centered[j]) * axis
                sum = sum + product
            }
            let first = b * Self.width
            for k in 0..<min(Self.width, outputDimension - first) { output[first + k] = sum[k] }
        }
    }
}
