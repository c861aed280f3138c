import Concurrency
import ModelFormat
import Numerics

/// The assignment step of Lloyd's k-means without measuring most distances, and without
/// changing which centre any row gets.
///
/// Two exact shortcuts, chosen for what segmentation data looks like after PCA: a few
/// leading components carry the cluster structure and a long tail of weaker components
/// carries mostly noise, so every row is far from every centre and distances differ by a
/// small fraction of their size.
///
/// 1. Hamerly's (2010) bounds: per row an upper bound on the distance to its own centre and
///    a lower bound on the distance to every other, loosened each iteration by how far the
///    centres moved. A row whose upper bound is below its lower bound (or half the gap from
///    its centre to the nearest other centre) keeps its label untouched. With distances
///    this alike the bounds are loose, so this spares only part of the rows.
/// 2. Head and tail: every other row compares centres on the first `head` columns exactly
///    and bounds the rest with the tail norms: for tails x, c, (‖x‖ − ‖c‖)² ≤ ‖x − c‖² ≤
///    (‖x‖ + ‖c‖)² (triangle inequality). Centres average the noise away, so their tails are
///    short and these intervals narrow; a centre whose interval starts above the smallest
///    upper end cannot win. Only centres left in doubt are measured in full. (On the
///    Arvato-shaped synthetic data, 254 components, k = 10: about 80 % of rows are settled
///    by 16 head columns alone, measured with scikit-learn's centres. Elkan's k bounds per
///    row, used before, spent most of their time loading whole rows for the distances they
///    could not rule out.)
///
/// 3. A second cut: centres the head leaves in doubt are measured on the next columns (to
///    column 64 by default) and bounded again with the norms beyond; only centres still in
///    doubt are measured to the end.
///
/// The rows are taken in blocks: bounds for the whole block first, then the row data the
/// bounds could not do without is requested ahead of use, so the loads (the assignment's real
/// cost: a row is 2 KB and mostly not in cache) overlap instead of waiting one after another.
///
/// The intervals also give Hamerly's bounds for the next iteration, measured or not.
extension KMeans {
    /// Columns compared exactly before the tail bound is tried.
    static let headColumns = 16

    /// Per-row state between iterations. Bounds are distances, not squared.
    struct RowState {
        var labels: [Int32]
        /// ≥ the distance to the assigned centre.
        var upper: [Double]
        /// ≤ the distance to every other centre.
        var lower: [Double]

        init(rows: Int) {
            labels = [Int32](repeating: -1, count: rows)
            upper = [Double](repeating: .infinity, count: rows)
            lower = [Double](repeating: 0, count: rows)
        }
    }

    /// One chunk's contribution to the centre update.
    struct PassPartial: Sendable {
        /// Either changes to the cluster sums (rows that moved) or, on a full pass, the sums.
        var sums: [Double]
        var counts: [Int]
        var changed: Int
    }

    /// Each row's first `head` columns, packed contiguously (the pruning test streams through
    /// them instead of touching one cache line per 2 KB row), and the norm of the rest.
    /// Data do not move between iterations or restarts, so this is made once per fit.
    ///
    /// A second cut at `middle` columns (≥ head) gives a tighter bound for the centres the
    /// head leaves in doubt: measuring columns head..<middle reads a few cache lines of the
    /// row, where the full distance reads all of them.
    struct RowHeads: Sendable {
        let head: Int
        let middle: Int
        /// rows x head.
        let values: [Double]
        /// Norm of each row beyond `head`.
        let tailNorms: [Double]
        /// Norm of each row beyond `middle`.
        let middleTailNorms: [Double]

        init(_ data: Matrix, head: Int, middle: Int? = nil) {
            let d = data.columns
            let middle = min(d, max(head, middle ?? middleColumns(head: head)))
            self.head = head
            self.middle = middle
            let all = data.values
            let parts: [(heads: [Double], tails: [Double], middleTails: [Double])] = Parallel.map(
                count: data.rows, workers: ReductionChunks.count
            ) { _, range in
                all.withUnsafeBufferPointer { x in
                    var heads = [Double]()
                    heads.reserveCapacity(range.count * head)
                    var tails = [Double]()
                    tails.reserveCapacity(range.count)
                    var middleTails = [Double]()
                    middleTails.reserveCapacity(range.count)
                    for i in range {
                        let row = x.baseAddress! + i * d
                        heads.append(contentsOf: UnsafeBufferPointer(start: row, count: head))
                        let beyondMiddle = DenseKernels.squaredNorm(row + middle, count: d - middle)
                        let between = DenseKernels.squaredNorm(row + head, count: middle - head)
                        tails.append((between + beyondMiddle).squareRoot())
                        middleTails.append(beyondMiddle.squareRoot())
                    }
                    return (heads, tails, middleTails)
                }
            }
            values = parts.flatMap(\.heads)
            tailNorms = parts.flatMap(\.tails)
            middleTailNorms = parts.flatMap(\.middleTails)
        }
    }

    /// Where the second cut goes by default: four heads in (64 columns for the usual 16).
    static func middleColumns(head: Int) -> Int { 4 * max(head, 1) }

    /// One assignment step over all rows in parallel chunks; `shifts` are how far each centre
    /// moved since the previous pass (ignored on the first).
    static func assignmentPass(
        _ data: Matrix, rowHeads: RowHeads, centres: Matrix, shifts: [Double], state: inout RowState,
        firstPass: Bool, fullSums: Bool, kernel: GramKernel = .best
    ) -> [PassPartial] {
        let n = data.rows, d = data.columns, k = centres.rows, head = rowHeads.head
        let geometry = CentreGeometry(centres, head: head, middle: rowHeads.middle)
        // Lower bounds fall by the largest move of any other centre.
        var largest = 0, largestShift = 0.0, secondShift = 0.0
        for (c, shift) in shifts.enumerated() {
            if shift > largestShift {
                secondShift = largestShift
                largestShift = shift
                largest = c
            } else if shift > secondShift {
                secondShift = shift
            }
        }
        let bounds = (largest: largest, largestShift: largestShift, secondShift: secondShift)
        return data.values.withUnsafeBufferPointer { x in
            centres.values.withUnsafeBufferPointer { c in
                rowHeads.tailNorms.withUnsafeBufferPointer { rowTails in
                  rowHeads.values.withUnsafeBufferPointer { rowHeadValues in
                    geometry.heads.withUnsafeBufferPointer { heads in
                      geometry.headsByColumn.withUnsafeBufferPointer { byColumn in
                        geometry.tailNorms.withUnsafeBufferPointer { centreTails in
                            shifts.withUnsafeBufferPointer { shifts in
                                state.labels.withUnsafeMutableBufferPointer { labels in
                                    state.upper.withUnsafeMutableBufferPointer { upper in
                                        state.lower.withUnsafeMutableBufferPointer { lower in
                                          rowHeads.middleTailNorms.withUnsafeBufferPointer { rowMiddleTails in
                                            geometry.middleTailNorms.withUnsafeBufferPointer { centreMiddleTails in
                                            let pass = Pass(
                                                data: x.baseAddress!, centres: c.baseAddress!,
                                                rowHeads: rowHeadValues.baseAddress!, rowTails: rowTails.baseAddress!,
                                                heads: heads.baseAddress!, headsByColumn: byColumn.baseAddress!, groups: geometry.groups,
                                                centreTails: centreTails.baseAddress!,
                                                rowMiddleTails: rowMiddleTails.baseAddress!, centreMiddleTails: centreMiddleTails.baseAddress!,
                                                middle: rowHeads.middle,
                                                halfGap: geometry.halfGap, shifts: shifts.baseAddress!,
                                                labels: labels.baseAddress!, upper: upper.baseAddress!, lower: lower.baseAddress!,
                                                k: k, d: d, head: head, largest: bounds.largest,
                                                largestShift: bounds.largestShift, secondShift: bounds.secondShift,
                                                firstPass: firstPass, fullSums: fullSums, kernel: kernel)
                                            return Parallel.map(count: n, workers: ReductionChunks.count) { _, range in
                                                pass.run(rows: range)
                                            }
                                            }
                                          }
                                        }
                                      }
                                    }
                                }
                            }
                        }
                    }
                  }
                }
            }
        }
    }

    /// One pass's operands as pointers, valid while ``assignmentPass`` runs. Workers read all
    /// of it and write `labels`, `upper`, `lower` only at their own rows.
    private struct Pass: @unchecked Sendable {
        let data: UnsafePointer<Double>
        let centres: UnsafePointer<Double>
        let rowHeads: UnsafePointer<Double>
        let rowTails: UnsafePointer<Double>
        let heads: UnsafePointer<Double>
        let headsByColumn: UnsafePointer<Double>
        let groups: Int
        let centreTails: UnsafePointer<Double>
        let rowMiddleTails: UnsafePointer<Double>
        let centreMiddleTails: UnsafePointer<Double>
        let middle: Int
        let halfGap: [Double]
        let shifts: UnsafePointer<Double>
        let labels: UnsafeMutablePointer<Int32>
        let upper: UnsafeMutablePointer<Double>
        let lower: UnsafeMutablePointer<Double>
        let k: Int, d: Int, head: Int
        let largest: Int, largestShift: Double, secondShift: Double
        let firstPass: Bool, fullSums: Bool
        let kernel: GramKernel

        /// Rows per block: the bounds of a whole block are worked out first, the rows the
        /// head leaves in doubt are prefetched, then measured. Loading a row that is not in
        /// cache is what the assignment waits on; requested together, the loads overlap.
        static let blockRows = 32

        func run(rows range: Range<Int>) -> PassPartial {
            var counts = [Int](repeating: 0, count: k)
            var changed = 0
            var sums = [Double](repeating: 0, count: k * d)
            let block = Self.blockRows
            // Per pending row: low, high, partial (3k); then k for the exact distances.
            let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 3 * k * block + k)
            let pending = UnsafeMutablePointer<Int>.allocate(capacity: block)
            let pendingStage = UnsafeMutablePointer<CentreGeometry.HeadStage>.allocate(capacity: block)
            let oldLabels = UnsafeMutablePointer<Int32>.allocate(capacity: block)
            defer {
                scratch.deallocate()
                pending.deallocate()
                pendingStage.deallocate()
                oldLabels.deallocate()
            }
            let measuredHeads = UnsafeMutablePointer<Double>.allocate(capacity: 4 * groups)
            defer { measuredHeads.deallocate() }
            sums.withUnsafeMutableBufferPointer { sumBuffer in
                let sums = sumBuffer.baseAddress!
                var start = range.lowerBound
                while start < range.upperBound {
                    let rows = start..<min(start + block, range.upperBound)
                    var waiting = boundsTest(rows, pending: pending, oldLabels: oldLabels)
                    waiting = headStage(
                        waiting, pending: pending, pendingStage: pendingStage, scratch: scratch, measuredHeads: measuredHeads)
                    middleStage(waiting, pending: pending, pendingStage: pendingStage, scratch: scratch)
                    finishPending(waiting, pending: pending, pendingStage: pendingStage, scratch: scratch)
                    accumulate(rows, oldLabels: oldLabels, sums: sums, counts: &counts, changed: &changed)
                    start = rows.upperBound
                }
            }
            return PassPartial(sums: sums, counts: counts, changed: changed)
        }

        /// Hamerly's test over a block of rows (after moving their bounds by the centres'
        /// shifts): the rows it cannot settle go to `pending`, their packed heads requested.
        /// Returns how many are pending; `oldLabels` keeps the block's labels before the pass.
        @inline(__always)
        private func boundsTest(
            _ rows: Range<Int>, pending: UnsafeMutablePointer<Int>, oldLabels: UnsafeMutablePointer<Int32>
        ) -> Int {
            var waiting = 0
            for i in rows {
                let old = Int(labels[i])
                oldLabels[i - rows.lowerBound] = Int32(old)
                if !firstPass {
                    let u = upper[i] + shifts[old]
                    let l = lower[i] - (old == largest ? secondShift : largestShift)
                    upper[i] = u
                    lower[i] = l
                    if u <= max(l, halfGap[old]) { continue }
                }
                pending[waiting] = i
                waiting += 1
                CentreGeometry.prefetch(rowHeads + i * head, count: head)
            }
            return waiting
        }

        /// The head stage of the pending rows: those it settles get their label; the others
        /// stay pending (compacted to the front), their middle columns requested. Returns how
        /// many stay.
        @inline(__always)
        private func headStage(
            _ waiting: Int, pending: UnsafeMutablePointer<Int>, pendingStage: UnsafeMutablePointer<CentreGeometry.HeadStage>,
            scratch: UnsafeMutablePointer<Double>, measuredHeads: UnsafeMutablePointer<Double>
        ) -> Int {
            let exact = scratch + 3 * k * Self.blockRows
            let byColumn = kernel == .avx2FMA
            var kept = 0
            for w in 0..<waiting {
                let i = pending[w]
                let bounds = scratch + 3 * k * kept
                if byColumn { DenseKernels.headDistancesAVX2(rowHeads + i * head, columns: headsByColumn, length: head, groups: groups, into: measuredHeads) }
                let stage = CentreGeometry.headStage(
                    rowHead: rowHeads + i * head, tail: rowTails[i], k: k, head: head,
                    heads: heads, tailNorms: centreTails, scratch: bounds, headDistances: byColumn ? measuredHeads : nil)
                if stage.candidates == 1 {
                    let nearest = CentreGeometry.finish(
                        stage, row: data + i * d, centres: centres, k: k, columns: d, head: head, scratch: bounds, exact: exact,
                        kernel: kernel)
                    labels[i] = Int32(nearest.label)
                    upper[i] = nearest.upper
                    lower[i] = nearest.lower
                } else {
                    pending[kept] = i
                    pendingStage[kept] = stage
                    kept += 1
                    CentreGeometry.prefetch(data + i * d + head, count: middle - head)
                }
            }
            return kept
        }

        /// The middle columns of all waiting rows; the rest of the rows still in doubt is
        /// requested before any is measured.
        @inline(__always)
        private func middleStage(
            _ waiting: Int, pending: UnsafeMutablePointer<Int>, pendingStage: UnsafeMutablePointer<CentreGeometry.HeadStage>,
            scratch: UnsafeMutablePointer<Double>
        ) {
            for w in 0..<waiting {
                let i = pending[w]
                let stage = CentreGeometry.middleStage(
                    pendingStage[w], row: data + i * d, centres: centres, k: k, columns: d, head: head, scratch: scratch + 3 * k * w,
                    middle: middle, middleTail: rowMiddleTails[i], middleTailNorms: centreMiddleTails, kernel: kernel)
                pendingStage[w] = stage
                if stage.candidates > 1 { CentreGeometry.prefetch(data + i * d + stage.measured, count: d - stage.measured) }
            }
        }

        /// The waiting rows measured to the end: their labels and bounds.
        @inline(__always)
        private func finishPending(
            _ waiting: Int, pending: UnsafeMutablePointer<Int>, pendingStage: UnsafeMutablePointer<CentreGeometry.HeadStage>,
            scratch: UnsafeMutablePointer<Double>
        ) {
            let exact = scratch + 3 * k * Self.blockRows
            for w in 0..<waiting {
                let i = pending[w]
                let nearest = CentreGeometry.finish(
                    pendingStage[w], row: data + i * d, centres: centres, k: k, columns: d, head: head,
                    scratch: scratch + 3 * k * w, exact: exact, kernel: kernel)
                labels[i] = Int32(nearest.label)
                upper[i] = nearest.upper
                lower[i] = nearest.lower
            }
        }

        /// The block's rows added to their centre's sum (all of them on a full pass, else only
        /// the rows that moved, from the old centre's sum to the new one's).
        @inline(__always)
        private func accumulate(
            _ rows: Range<Int>, oldLabels: UnsafeMutablePointer<Int32>, sums: UnsafeMutablePointer<Double>,
            counts: inout [Int], changed: inout Int
        ) {
            for i in rows {
                let row = data + i * d
                let old = Int(oldLabels[i - rows.lowerBound]), label = Int(labels[i])
                if fullSums {
                    DenseKernels.add(row, to: sums + label * d, count: d, kernel: kernel)
                    counts[label] += 1
                    if label != old { changed += 1 }
                } else if label != old {
                    DenseKernels.move(row, from: sums + old * d, into: sums + label * d, count: d, kernel: kernel)
                    counts[label] += 1
                    counts[old] -= 1
                    changed += 1
                }
            }
        }
    }

    /// What one pass needs to know about the centres.
    struct CentreGeometry: Sendable {
        let k: Int
        let head: Int
        /// k x head: the centres' first columns, packed.
        let heads: [Double]
        /// The same by column, k padded to whole groups of four: head x 4·groups, what
        /// `DenseKernels.headDistancesAVX2` reads.
        let headsByColumn: [Double]
        let groups: Int
        /// Norm of each centre beyond the head.
        let tailNorms: [Double]
        /// Norm of each centre beyond `middle` columns (see ``RowHeads``).
        let middleTailNorms: [Double]
        /// Half the distance from each centre to its nearest other centre.
        let halfGap: [Double]

        /// Relative slack on the pruning test, so rounding in the bounds can never rule out a
        /// centre that exact arithmetic would keep.
        static let slack = 1e-12

        init(_ centres: Matrix, head: Int, middle: Int? = nil) {
            let k = centres.rows, d = centres.columns
            let middle = min(d, max(head, middle ?? KMeans.middleColumns(head: head)))
            self.k = k
            self.head = head
            var heads = [Double](repeating: 0, count: k * head)
            var tailNorms = [Double](repeating: 0, count: k)
            var middleTailNorms = [Double](repeating: 0, count: k)
            var halfGap = [Double](repeating: .infinity, count: k)
            centres.values.withUnsafeBufferPointer { c in
                for a in 0..<k {
                    let centre = c.baseAddress! + a * d
                    for j in 0..<head { heads[a * head + j] = centre[j] }
                    var between = 0.0, beyond = 0.0
                    for j in head..<middle { between += centre[j] * centre[j] }
                    for j in middle..<d { beyond += centre[j] * centre[j] }
                    tailNorms[a] = (between + beyond).squareRoot()
                    middleTailNorms[a] = beyond.squareRoot()
                    for b in (a + 1)..<max(a + 1, k) {
                        let half = DenseKernels.squaredDistance(centre, c.baseAddress! + b * d, count: d).squareRoot() / 2
                        halfGap[a] = min(halfGap[a], half)
                        halfGap[b] = min(halfGap[b], half)
                    }
                }
            }
            self.heads = heads
            let groups = (k + 3) / 4
            var byColumn = [Double](repeating: 0, count: head * 4 * groups)
            for c in 0..<k { for j in 0..<head { byColumn[j * 4 * groups + c] = heads[c * head + j] } }
            self.headsByColumn = byColumn
            self.groups = groups
            self.tailNorms = tailNorms
            self.middleTailNorms = middleTailNorms
            self.halfGap = halfGap
        }

        /// The nearest centre to `row` (ties: the lower index, as a plain scan), with an
        /// upper bound on its distance and a lower bound on every other centre's.
        /// `rowHead` is the row's first `head` columns (packed, see ``RowHeads``), `tail` the
        /// norm of the rest; `heads` and `tailNorms` are this geometry's; `scratch` holds 4k values.
        /// Centres the head leaves in doubt are measured up to column `middle` and bounded
        /// with the norms beyond it (`middleTail`, `middleTailNorms`); only those still in
        /// doubt are measured to the end.
        static func nearest(
            row: UnsafePointer<Double>, rowHead: UnsafePointer<Double>, tail: Double, centres: UnsafePointer<Double>, k: Int, columns d: Int,
            head: Int, heads: UnsafePointer<Double>, tailNorms: UnsafePointer<Double>, scratch: UnsafeMutablePointer<Double>,
            middle: Int? = nil, middleTail: Double = 0, middleTailNorms: UnsafePointer<Double>? = nil,
            kernel: GramKernel = .best
        ) -> (label: Int, upper: Double, lower: Double) {
            var stage = headStage(rowHead: rowHead, tail: tail, k: k, head: head, heads: heads, tailNorms: tailNorms, scratch: scratch)
            if let middle, let middleTailNorms {
                stage = middleStage(
                    stage, row: row, centres: centres, k: k, columns: d, head: head, scratch: scratch,
                    middle: middle, middleTail: middleTail, middleTailNorms: middleTailNorms, kernel: kernel)
            }
            return finish(stage, row: row, centres: centres, k: k, columns: d, head: head, scratch: scratch, exact: scratch + 3 * k, kernel: kernel)
        }

        /// What the bounds decided so far: how many centres are still in doubt, the last of
        /// them, the limit a centre's lower bound must not pass to be one, and how many
        /// leading columns of those centres are measured (their sums in the scratch).
        struct HeadStage {
            var candidates: Int
            var only: Int
            var limit: Double
            var measured: Int
        }

        /// Interval bounds of every centre from the head columns and the tail norms, into
        /// `scratch` (low, high, head distance: k each). Reads only packed heads, not the row.
        @inline(__always)
        /// `headDistances`, when given, are the squared head distances already measured
        /// (four centres at a time by `DenseKernels.headDistancesAVX2` from ``headsByColumn``).
        static func headStage(
            rowHead: UnsafePointer<Double>, tail: Double, k: Int, head: Int,
            heads: UnsafePointer<Double>, tailNorms: UnsafePointer<Double>, scratch: UnsafeMutablePointer<Double>,
            headDistances: UnsafePointer<Double>? = nil
        ) -> HeadStage {
            let low = scratch, high = scratch + k, partial = scratch + 2 * k
            var bestHigh = Double.infinity
            for c in 0..<k {
                let s = headDistances?[c] ?? DenseKernels.squaredDistance(rowHead, heads + c * head, count: head)
                partial[c] = s
                let a = tail - tailNorms[c], b = tail + tailNorms[c]
                low[c] = s + a * a
                high[c] = s + b * b
                bestHigh = min(bestHigh, high[c])
            }
            return survivors(low: low, k: k, bestHigh: bestHigh, measured: head)
        }

        /// Narrows ``headStage`` when more than one centre is in doubt: those are measured to
        /// column `middle` and bounded beyond it with the norms there (`middleTail`,
        /// `middleTailNorms`).
        @inline(__always)
        static func middleStage(
            _ stage: HeadStage, row: UnsafePointer<Double>, centres: UnsafePointer<Double>, k: Int, columns d: Int, head: Int,
            scratch: UnsafeMutablePointer<Double>, middle: Int, middleTail: Double, middleTailNorms: UnsafePointer<Double>,
            kernel: GramKernel
        ) -> HeadStage {
            guard stage.candidates > 1 && middle > stage.measured else { return stage }
            let low = scratch, high = scratch + k, partial = scratch + 2 * k
            var bestHigh = Double.infinity
            for c in 0..<k where low[c] <= stage.limit {
                let s = partial[c] + DenseKernels.squaredDistance(
                    row + stage.measured, centres + c * d + stage.measured, count: middle - stage.measured, kernel: kernel)
                partial[c] = s
                let a = middleTail - middleTailNorms[c], b = middleTail + middleTailNorms[c]
                low[c] = max(low[c], s + a * a)
                high[c] = min(high[c], s + b * b)
                bestHigh = min(bestHigh, high[c])
            }
            // bestHigh only fell, so centres out of doubt before stay out.
            return survivors(low: low, k: k, bestHigh: bestHigh, measured: middle)
        }

        /// The centres still in doubt once columns up to `measured` are known: those whose
        /// lower bound does not exceed the smallest upper bound (with the rounding slack).
        @inline(__always)
        private static func survivors(low: UnsafeMutablePointer<Double>, k: Int, bestHigh: Double, measured: Int) -> HeadStage {
            let limit = bestHigh * (1 + Self.slack)
            var candidates = 0, only = 0
            for c in 0..<k where low[c] <= limit {
                candidates += 1
                only = c
            }
            return HeadStage(candidates: candidates, only: only, limit: limit, measured: measured)
        }

        /// The label and bounds once the stages are done: with one centre left, from the
        /// bounds alone; otherwise the centres still in doubt are measured to the end.
        /// `exact` holds k values.
        @inline(__always)
        static func finish(
            _ stage: HeadStage, row: UnsafePointer<Double>, centres: UnsafePointer<Double>, k: Int, columns d: Int, head: Int,
            scratch: UnsafeMutablePointer<Double>, exact: UnsafeMutablePointer<Double>, kernel: GramKernel
        ) -> (label: Int, upper: Double, lower: Double) {
            let low = scratch, high = scratch + k, partial = scratch + 2 * k
            let candidates = stage.candidates, limit = stage.limit, measured = stage.measured
            var label = stage.only
            var upper: Double
            if candidates == 1 {
                upper = high[label]
            } else {
                upper = .infinity
                for c in 0..<k {
                    guard low[c] <= limit else { exact[c] = -1; continue }
                    let distance = measured == head
                        ? DenseKernels.squaredDistance(row, centres + c * d, count: d, kernel: kernel)
                        : partial[c] + DenseKernels.squaredDistance(row + measured, centres + c * d + measured, count: d - measured, kernel: kernel)
                    exact[c] = distance
                    if distance < upper {
                        upper = distance
                        label = c
                    }
                }
            }
            var lower = Double.infinity
            for c in 0..<k where c != label {
                lower = min(lower, candidates > 1 && exact[c] >= 0 ? exact[c] : low[c])
            }
            return (label, upper.squareRoot(), lower.squareRoot())
        }

        /// Asks for the cache lines of `count` doubles from `start`, without waiting for them.
        @inline(__always)
        static func prefetch(_ start: UnsafePointer<Double>, count: Int) {
            guard count > 0 else { return }
            var line = UnsafeRawPointer(start)
            let end = UnsafeRawPointer(start + count)
            while line < end {
                DenseKernels.prefetch(line)
                line += 64
            }
            DenseKernels.prefetch(end - 1)
        }
    }
}
