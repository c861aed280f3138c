import CKernels

/// The dense inner loops shared by PCA (covariance, projection) and k-means (distances).
///
/// Public, not `package`, only for the `@inlinable` loops: the compiler inlines an inlinable
/// function into another module only when it is public (an `@inlinable package` function stays
/// a call, measured with Swift 6.3), and these run once per row and centre.
///
/// The products of the segmentation step (XᵀX, X Vᵀ) are 6 x 16 tiles of Float32 products
/// summed in Float64 (``projectBlockFloat32``, CKernels/ProjectionBlock.c): operands packed
/// into panels of interleaved vectors, so the micro-kernel reads both sequentially and keeps
/// its sums in registers.
public enum DenseKernels {
    /// Squared Euclidean distance between two vectors of length `count`.
    @inlinable @inline(__always)
    public static func squaredDistance(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
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

extension DenseKernels {
    /// Σ x², the squared norm of a vector of length `count`.
    @inlinable @inline(__always)
    public static func squaredNorm(_ x: UnsafePointer<Double>, count: Int) -> Double {
        dot(x, x, count: count)
    }

    /// Σ a[j]·b[j] in eight interleaved partial sums (two 4-wide accumulators): one running
    /// sum would make every add wait for the one before. Fixed order, so the result does not
    /// depend on the thread or the machine.
    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
        var acc0 = SIMD4<Double>.zero, acc1 = SIMD4<Double>.zero
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var j = 0
        while j + 8 <= count {
            acc0 += ra.loadUnaligned(fromByteOffset: 8 * j, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: 8 * j, as: SIMD4<Double>.self)
            acc1 += ra.loadUnaligned(fromByteOffset: 8 * j + 32, as: SIMD4<Double>.self)
                * rb.loadUnaligned(fromByteOffset: 8 * j + 32, as: SIMD4<Double>.self)
            j += 8
        }
        var sum = (acc0 + acc1).sum()
        while j < count {
            sum += a[j] * b[j]
            j += 1
        }
        return sum
    }
}

extension DenseKernels {
    /// Rows per packed block when accumulating XᵀX: 256 rows x 400 columns in Float32, packed
    /// two ways, is ~800 KB, which stays in a core's L2 while every column pair is multiplied;
    /// long enough that adding each tile's sums to the Float64 result costs little.
    package static let gramBlockRows = 256

    /// Adds Σ_r (x_r − centre)(x_r − centre)ᵀ over `range` of the row-major n x p matrix `x`
    /// to `upper` (padded x padded, padded = 4·⌈p/4⌉; every element on and above the diagonal,
    /// some below), and Σ_r (x_r − centre) to `sums` (p, in Float64). Rows go in blocks of
    /// `gramBlockRows`: each centred block is rounded to Float32, its products summed in
    /// Float32 over at most 128 rows (``projectBlockFloat32``'s kernel with the block packed
    /// as both operands), those sums added in Float64; blocks are added in order.
    package static func accumulateCentredGram(
        _ x: UnsafePointer<Double>, columns p: Int, rows range: Range<Int>, centre: UnsafePointer<Double>,
        upper: UnsafeMutablePointer<Double>, sums: UnsafeMutablePointer<Double>, kernel: GramKernel
    ) {
        let padded = (p + 3) / 4 * 4
        let blockRows = gramBlockRows
        let narrow = projectionRowPanel, wide = projectionComponentPanel
        let narrowPanels = (p + narrow - 1) / narrow, widePanels = (p + wide - 1) / wide
        // The block by columns twice: panels of 6 columns and panels of 16, element (r, column) at
        // `panel · width · rows + width · r + column % width`; columns past p stay zero.
        let byNarrow = UnsafeMutablePointer<Float>.allocate(capacity: narrowPanels * narrow * blockRows)
        let byWide = UnsafeMutablePointer<Float>.allocate(capacity: widePanels * wide * blockRows)
        defer { byNarrow.deallocate(); byWide.deallocate() }
        var start = range.lowerBound
        while start < range.upperBound {
            let rows = min(blockRows, range.upperBound - start)
            byNarrow.update(repeating: 0, count: narrowPanels * narrow * rows)
            byWide.update(repeating: 0, count: widePanels * wide * rows)
            for r in 0..<rows {
                let row = x + (start + r) * p
                for j in 0..<p {
                    let value = row[j] - centre[j]
                    sums[j] += value
                    let rounded = Float(value)
                    byNarrow[(j / narrow) * narrow * rows + narrow * r + j % narrow] = rounded
                    byWide[(j / wide) * wide * rows + wide * r + j % wide] = rounded
                }
            }
            projectBlockFloat32(
                byNarrow, rowCount: p, axes: byWide, components: p, length: rows, into: upper, rowStride: padded,
                kernel: kernel, mode: CK_PRODUCTS_ADD | CK_PRODUCTS_UPPER)
            start += rows
        }
    }
}

extension DenseKernels {
    /// `squaredDistance` with the kernel named (the AVX2 one is 4 lanes wide with FMA; the
    /// Swift one is limited to SSE2 by the default target).
    @inlinable @inline(__always)
    public static func squaredDistance(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int, kernel: GramKernel) -> Double {
        kernel == .avx2FMA ? ck_squared_distance_avx2(x, y, count) : squaredDistance(x, y, count: count)
    }

    /// `target[j] += row[j]` for j in 0..<count.
    @inlinable @inline(__always)
    public static func add(_ row: UnsafePointer<Double>, to target: UnsafeMutablePointer<Double>, count: Int, kernel: GramKernel) {
        if kernel == .avx2FMA {
            ck_add_row_avx2(target, row, count)
        } else {
            for j in 0..<count { target[j] += row[j] }
        }
    }

    /// Moves `row` from the sum `from` to the sum `into`.
    @inlinable @inline(__always)
    public static func move(
        _ row: UnsafePointer<Double>, from: UnsafeMutablePointer<Double>, into: UnsafeMutablePointer<Double>, count: Int, kernel: GramKernel
    ) {
        if kernel == .avx2FMA {
            ck_move_row_avx2(into, from, row, count)
        } else {
            for j in 0..<count {
                into[j] += row[j]
                from[j] -= row[j]
            }
        }
    }
}

extension DenseKernels {
    /// The AVX half of `FoldedCentroids`' row scores (ModelFormat): for every centre lane l of
    /// `groups` groups of four, `out[4 g + l] = Σ_j (row[j] − mean[j]) · weights[(g p + j) 4 + l]`,
    /// multiplied then added in increasing j (never fused), so the bits equal the portable loop's.
    /// Call only when `GramKernel.isSupported(.avx2FMA)`.
    @inlinable @inline(__always)
    public static func foldedDotsAVX(
        _ row: UnsafePointer<Double>, mean: UnsafePointer<Double>, weights: UnsafePointer<Double>,
        features p: Int, groups: Int, into out: UnsafeMutablePointer<Double>
    ) {
        ck_folded_dots_avx(row, mean, weights, p, groups, out)
    }
}

extension DenseKernels {
    /// PCA's projection of one block of packed rows in Float32 products, the sums in Float64
    /// (`ck_project_block_f32_avx2`, or the portable form with `.sse2`): `out[r · ldo + t] =
    /// Σ_j rows(r, j) · axes(t, j)`. Layouts: see ``projectionRowPanel`` and CKernels.h.
    @inlinable @inline(__always)
    public static func projectBlockFloat32(
        _ rows: UnsafePointer<Float>, rowCount: Int, axes: UnsafePointer<Float>, components: Int, length p: Int,
        into out: UnsafeMutablePointer<Double>, rowStride ldo: Int, kernel: GramKernel, mode: Int32 = 0
    ) {
        if kernel == .avx2FMA {
            ck_project_block_f32_avx2(rows, rowCount, axes, components, p, out, ldo, mode)
        } else {
            ck_project_block_f32_portable(rows, rowCount, axes, components, p, out, ldo, mode)
        }
    }

    /// Rows per panel of ``projectBlockFloat32``'s `rows` (element (j, r) at `6j + r`).
    public static var projectionRowPanel: Int { Int(CK_PROJECTION_ROWS) }
    /// Components per panel of its `axes` (element (j, t) at `16j + t`).
    public static var projectionComponentPanel: Int { Int(CK_PROJECTION_COMPONENTS) }

    /// Squared distances from `x` (length `length`) to 4·`groups` vectors stored by column
    /// (element j of vector c at `columns[j * 4 * groups + c]`), into `out`
    /// (`ck_head_distances_avx2`). Call only when `GramKernel.isSupported(.avx2FMA)`.
    @inlinable @inline(__always)
    public static func headDistancesAVX2(
        _ x: UnsafePointer<Double>, columns: UnsafePointer<Double>, length: Int, groups: Int,
        into out: UnsafeMutablePointer<Double>
    ) {
        ck_head_distances_avx2(x, columns, length, groups, out)
    }

    /// Asks for the cache line holding `address` ahead of its use (a hint; never faults).
    @inlinable @inline(__always)
    public static func prefetch(_ address: UnsafeRawPointer) {
        ck_prefetch(address)
    }
}

extension DenseKernels {
    /// Stage 2's unknown-code test for the codes kept as bits (`TransformProgram` in
    /// ModelFormat): every value that is a whole number c in -1...62 with bit c + 1 of its
    /// mask set becomes NaN; returns how many counted values are NaN afterwards
    /// (`ck_clean_unknown_codes`). AVX2 when the CPU has it, unless `portable`; both give the
    /// same bits.
    @inlinable @inline(__always)
    public static func cleanUnknownCodes(
        _ values: UnsafeMutablePointer<Double>, masks: UnsafePointer<UInt64>, counted: UnsafePointer<Bool>, count: Int,
        portable: Bool = false
    ) -> Int {
        counted.withMemoryRebound(to: UInt8.self, capacity: count) {
            ck_clean_unknown_codes(values, masks, $0, count, portable ? 1 : 0)
        }
    }
}
