/// The dense inner loops shared by PCA (covariance, projection) and k-means (distances).
///
/// Operands are packed into "panels": 4 interleaved vectors, element l of vector t at
/// `panel[4 * l + t]`, so the 4x4 micro-kernel reads both operands sequentially and keeps
/// its 16 sums in registers. Every product of the segmentation step (XᵀX, X Vᵀ) is a sum of
/// such 4x4 tiles.
enum DenseKernels {
    static let panelWidth = 4

    /// `c[s * ldc + t] += Σ_l a[4l + s] · b[4l + t]` for s, t in 0..<4.
    @inline(__always)
    static func accumulateTile(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, length: Int,
        into c: UnsafeMutablePointer<Double>, rowStride ldc: Int
    ) {
        var c0 = SIMD4<Double>.zero, c1 = SIMD4<Double>.zero
        var c2 = SIMD4<Double>.zero, c3 = SIMD4<Double>.zero
        let rawB = UnsafeRawPointer(b)
        for l in 0..<length {
            let bv = rawB.loadUnaligned(fromByteOffset: 32 * l, as: SIMD4<Double>.self)
            let base = 4 * l
            c0 += a[base] * bv
            c1 += a[base + 1] * bv
            c2 += a[base + 2] * bv
            c3 += a[base + 3] * bv
        }
        addRow(c0, to: c)
        addRow(c1, to: c + ldc)
        addRow(c2, to: c + 2 * ldc)
        addRow(c3, to: c + 3 * ldc)
    }

    /// Like `accumulateTile` but overwrites a 4x4 scratch tile (row stride 4).
    @inline(__always)
    static func tile(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, length: Int, into c: UnsafeMutablePointer<Double>) {
        c.update(repeating: 0, count: 16)
        accumulateTile(a, b, length: length, into: c, rowStride: 4)
    }

    @inline(__always)
    private static func addRow(_ v: SIMD4<Double>, to p: UnsafeMutablePointer<Double>) {
        let raw = UnsafeMutableRawPointer(p)
        let sum = raw.loadUnaligned(as: SIMD4<Double>.self) + v
        raw.storeBytes(of: sum, as: SIMD4<Double>.self)
    }

    /// Squared Euclidean distance between two vectors of length `count`.
    @inline(__always)
    static func squaredDistance(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
        var acc0 = SIMD4<Double>.zero, acc1 = SIMD4<Double>.zero
        let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
        var j = 0
        while j + 8 <= count {
            let d0 = rx.loadUnaligned(fromByteOffset: 8 * j, as: SIMD4<Double>.self)
                - ry.loadUnaligned(fromByteOffset: 8 * j, as: SIMD4<Double>.self)
            let d1 = rx.loadUnaligned(fromByteOffset: 8 * j + 32, as: SIMD4<Double>.self)
                - ry.loadUnaligned(fromByteOffset: 8 * j + 32, as: SIMD4<Double>.self)
            acc0 += d0 * d0
            acc1 += d1 * d1
            j += 8
        }
        var sum = (acc0 + acc1).sum()
        while j < count {
            let diff = x[j] - y[j]
            sum += diff * diff
            j += 1
        }
        return sum
    }
}

/// A buffer that concurrent workers write at disjoint indices (each row by one worker).
/// The caller owns the memory and keeps it alive across the parallel region.
struct DisjointWriteBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    let count: Int
}

/// Chunk count for parallel reductions. Fixed (not the core count) so that partial sums
/// are combined in the same order, and results are bit-identical, on any machine.
enum ReductionChunks {
    static let count = 16
}
