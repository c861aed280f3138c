import CKernels

/// The dense inner loops shared by PCA (covariance, projection) and k-means (distances).
///
/// Public, not `package`, only for the `@inlinable` loops: the compiler inlines an inlinable
/// function into another module only when it is public (an `@inlinable package` function stays
/// a call, measured with Swift 6.3), and these run once per row and centre.
///
/// Operands are packed into "panels": 4 interleaved vectors, element l of vector t at
/// `panel[4 * l + t]`, so the 4x4 micro-kernel reads both operands sequentially and keeps
/// its 16 sums in registers. Every product of the segmentation step (XᵀX, X Vᵀ) is a sum of
/// such 4x4 tiles.
public enum DenseKernels {
    package static let panelWidth = 4

    /// `c[s * ldc + t] += Σ_l a[4l + s] · b[4l + t]` for s, t in 0..<4, where `a` is given
    /// duplicated (`duplicate(panel:)`): element (l, s) at both `8l + 2s` and `8l + 2s + 1`.
    ///
    /// Written with 2-wide vectors because the default x86-64 target is SSE2: each product
    /// is then one load-and-multiply, with no broadcast shuffles in the inner loop.
    @inlinable @inline(__always)
    public static func accumulateTile(
        duplicated a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, length: Int,
        into c: UnsafeMutablePointer<Double>, rowStride ldc: Int
    ) {
        var c00 = SIMD2<Double>.zero, c01 = SIMD2<Double>.zero
        var c10 = SIMD2<Double>.zero, c11 = SIMD2<Double>.zero
        var c20 = SIMD2<Double>.zero, c21 = SIMD2<Double>.zero
        var c30 = SIMD2<Double>.zero, c31 = SIMD2<Double>.zero
        let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
        for l in 0..<length {
            let b0 = rawB.loadUnaligned(fromByteOffset: 32 * l, as: SIMD2<Double>.self)
            let b1 = rawB.loadUnaligned(fromByteOffset: 32 * l + 16, as: SIMD2<Double>.self)
            let a0 = rawA.loadUnaligned(fromByteOffset: 64 * l, as: SIMD2<Double>.self)
            c00 += a0 * b0
            c01 += a0 * b1
            let a1 = rawA.loadUnaligned(fromByteOffset: 64 * l + 16, as: SIMD2<Double>.self)
            c10 += a1 * b0
            c11 += a1 * b1
            let a2 = rawA.loadUnaligned(fromByteOffset: 64 * l + 32, as: SIMD2<Double>.self)
            c20 += a2 * b0
            c21 += a2 * b1
            let a3 = rawA.loadUnaligned(fromByteOffset: 64 * l + 48, as: SIMD2<Double>.self)
            c30 += a3 * b0
            c31 += a3 * b1
        }
        addRow(SIMD4(lowHalf: c00, highHalf: c01), to: c)
        addRow(SIMD4(lowHalf: c10, highHalf: c11), to: c + ldc)
        addRow(SIMD4(lowHalf: c20, highHalf: c21), to: c + 2 * ldc)
        addRow(SIMD4(lowHalf: c30, highHalf: c31), to: c + 3 * ldc)
    }

    /// Writes panel `a` (length l, 4 wide) with every element twice, the operand layout
    /// `accumulateTile(duplicated:...)` reads.
    @inlinable @inline(__always)
    public static func duplicate(panel a: UnsafePointer<Double>, length: Int, into target: UnsafeMutablePointer<Double>) {
        for index in 0..<(4 * length) {
            target[2 * index] = a[index]
            target[2 * index + 1] = a[index]
        }
    }

    @inlinable @inline(__always)
    static func addRow(_ v: SIMD4<Double>, to p: UnsafeMutablePointer<Double>) {
        let raw = UnsafeMutableRawPointer(p)
        let sum = raw.loadUnaligned(as: SIMD4<Double>.self) + v
        raw.storeBytes(of: sum, as: SIMD4<Double>.self)
    }

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
    /// Rows per packed block when accumulating XᵀX: 128 rows x 400 columns of panels is
    /// ~400 KB, which stays in a core's L2 while every column pair is multiplied.
    package static let gramBlockRows = 128

    /// Adds Σ_r (x_r − centre)(x_r − centre)ᵀ over `range` of the row-major n x p matrix `x`
    /// to `upper` (padded x padded, padded = 4·⌈p/4⌉; whole 4 x 4 tiles on and above the
    /// diagonal), and Σ_r (x_r − centre) to `sums` (p). Rows go in blocks of `gramBlockRows`,
    /// each packed into column panels and multiplied by `kernel`; blocks are added in order.
    package static func accumulateCentredGram(
        _ x: UnsafePointer<Double>, columns p: Int, rows range: Range<Int>, centre: UnsafePointer<Double>,
        upper: UnsafeMutablePointer<Double>, sums: UnsafeMutablePointer<Double>, kernel: GramKernel
    ) {
        let panels = (p + 3) / 4
        let padded = panels * 4
        let blockRows = gramBlockRows
        let packed = UnsafeMutablePointer<Double>.allocate(capacity: padded * blockRows)
        let duplicated = UnsafeMutablePointer<Double>.allocate(capacity: 8 * blockRows)
        defer { packed.deallocate(); duplicated.deallocate() }
        var start = range.lowerBound
        while start < range.upperBound {
            let rows = min(blockRows, range.upperBound - start)
            // Column panel q holds columns 4q..<4q+4 of the centred block.
            packed.update(repeating: 0, count: padded * rows)
            for r in 0..<rows {
                let row = x + (start + r) * p
                for j in 0..<p {
                    let value = row[j] - centre[j]
                    packed[(j >> 2) * rows * 4 + r * 4 + (j & 3)] = value
                    sums[j] += value
                }
            }
            switch kernel {
            case .avx2FMA:
                ck_covariance_block_avx2(packed, rows, panels, upper, padded)
            case .sse2:
                for ip in 0..<panels {
                    duplicate(panel: packed + ip * rows * 4, length: rows, into: duplicated)
                    for jp in ip..<panels {
                        accumulateTile(
                            duplicated: duplicated, packed + jp * rows * 4, length: rows,
                            into: upper + (ip * 4) * padded + jp * 4, rowStride: padded)
                    }
                }
            }
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
    /// PCA's projection tiles: one 4-wide panel `a` times `count` panels from `b`, `stride`
    /// doubles apart, all of `length` elements, added to `c` (`ck_panel_products_avx2`).
    /// Call only when `GramKernel.isSupported(.avx2FMA)`.
    @inlinable @inline(__always)
    public static func panelProductsAVX2(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, length: Int, count: Int, stride: Int,
        into c: UnsafeMutablePointer<Double>, rowStride ldc: Int
    ) {
        ck_panel_products_avx2(a, b, length, count, stride, c, ldc)
    }

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
