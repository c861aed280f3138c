import Concurrency
import Foundation
import ModelFormat
import Numerics

/// k-means (Lloyd) with greedy k-means++ seeding and several restarts, following
/// scikit-learn's `KMeans(algorithm="lloyd")` step for step, random draws included
/// (``NumPyRandomState``): with the same seed it finds scikit-learn's clusters.
///
/// The labels, centres and stopping rule are those of plain Lloyd; the assignment step
/// rules centres out by bounds instead of measuring every distance (KMeansAssignment.swift).
package enum KMeans {
    package struct Configuration: Sendable, Hashable {
        package var clusterCount: Int
        /// Restarts, each with its own k-means++ seeding; the lowest inertia wins.
        package var initializations: Int
        package var maxIterations: Int
        /// Stop when Σ‖centre shift‖² ≤ tolerance × mean column variance (scikit-learn's `tol`).
        package var tolerance: Double
        /// Seeds the k-means++ draws as `numpy.random.RandomState(seed)`: scikit-learn's
        /// `KMeans(random_state=seed)` with the same settings starts from the same rows.
        package var seed: UInt64

        package init(clusterCount: Int, initializations: Int = 3, maxIterations: Int = 300, tolerance: Double = 1e-4, seed: UInt64 = 0) {
            self.clusterCount = clusterCount
            self.initializations = initializations
            self.maxIterations = maxIterations
            self.tolerance = tolerance
            self.seed = seed
        }
    }

    package struct Result: Sendable {
        package var centroids: SegmentCentroids
        /// Cluster of each row.
        package var labels: [Int32]
        /// Sum of squared distances of rows to their centres.
        package var inertia: Double
        /// Lloyd iterations of the winning restart.
        package var iterations: Int
        /// Inertia of every restart, in order. The winner has the lowest, save that a lower
        /// inertia with the same clustering (rounding) keeps the earlier restart, as in scikit-learn.
        package var restartInertias: [Double]
        /// The rows k-means++ chose as initial centres, one list per restart, in order: another
        /// implementation started from the same rows must reach the same clusters (bench/).
        package var restartSeedRows: [[Int]] = []
    }

    /// `restartFinished` is told how many restarts are done after each one (for progress displays).
    package static func fit(
        _ data: Matrix, _ configuration: Configuration, restartFinished: (_ done: Int) -> Void = { _ in }
    ) throws(SegmentationError) -> Result {
        let n = data.rows, d = data.columns, k = configuration.clusterCount
        guard n >= 1 && d >= 1 else { throw .emptyInput(rows: n, columns: d) }
        guard k >= 1 && k <= n else { throw .invalidClusterCount(k: k, rows: n) }
        guard configuration.initializations >= 1 else {
            throw .invalidParameter(name: "initializations", value: "\(configuration.initializations)", expected: "at least 1")
        }
        guard configuration.maxIterations >= 1 else {
            throw .invalidParameter(name: "maxIterations", value: "\(configuration.maxIterations)", expected: "at least 1")
        }
        guard configuration.tolerance >= 0 && configuration.tolerance.isFinite else {
            throw .invalidParameter(name: "tolerance", value: "\(configuration.tolerance)", expected: "a finite number ≥ 0")
        }
        let absoluteTolerance = try meanColumnVariance(data) * configuration.tolerance
        let rowHeads = RowHeads(data, head: min(headColumns, d))

        // One stream for all restarts, drawn in scikit-learn's order.
        var random = NumPyRandomState(seed: configuration.seed)
        var best: Result? = nil
        var inertias: [Double] = []
        var seedRows: [[Int]] = []
        for _ in 0..<configuration.initializations {
            let rows = seedRowsPlusPlus(data, clusterCount: k, rowHeads: rowHeads, generator: &random)
            let run = lloyd(data, initialCentres: data.selecting(rows: rows), maxIterations: configuration.maxIterations,
                            tolerance: absoluteTolerance, rowHeads: rowHeads)
            inertias.append(run.inertia)
            seedRows.append(rows)
            restartFinished(inertias.count)
            // As scikit-learn: a lower inertia that is the same clustering (rounding) keeps the earlier one.
            if best == nil || (run.inertia < best!.inertia && !sameClustering(run.labels, best!.labels, clusterCount: k)) {
                best = run
            }
        }
        best!.restartInertias = inertias
        best!.restartSeedRows = seedRows
        return best!
    }

    // MARK: - Seeding

    /// Greedy k-means++ (Arthur & Vassilvitskii 2007, as in scikit-learn): each new centre
    /// is the best of 2 + ⌊ln k⌋ candidates drawn with probability ∝ D², where best means
    /// the lowest resulting potential Σ min D².
    ///
    /// A candidate only matters to a row if it is closer than the row's current nearest
    /// centre. The head and tail bound of the assignment step (``RowHeads``: exact distance
    /// over the first columns plus (‖x_tail‖ − ‖c_tail‖)²) is a lower bound on the distance;
    /// where it already reaches the current D², min(D², distance) is D² and the row is not
    /// read. Once a few centres are placed that holds for most rows, so most of the matrix is
    /// no longer streamed once per centre. The potentials are those of measuring every row,
    /// up to rounding.
    static func seedPlusPlus(
        _ data: Matrix, clusterCount k: Int, rowHeads: RowHeads? = nil, generator: inout some KMeansPlusPlusRandomness,
        kernel: GramKernel = .best
    ) -> Matrix {
        data.selecting(rows: seedRowsPlusPlus(data, clusterCount: k, rowHeads: rowHeads, generator: &generator, kernel: kernel))
    }

    /// The rows ``seedPlusPlus`` takes as centres, in the order chosen.
    static func seedRowsPlusPlus(
        _ data: Matrix, clusterCount k: Int, rowHeads: RowHeads? = nil, generator: inout some KMeansPlusPlusRandomness,
        kernel: GramKernel = .best
    ) -> [Int] {
        let n = data.rows
        let rowHeads = rowHeads ?? RowHeads(data, head: min(headColumns, data.columns))
        let trials = 2 + Int(log(Double(k)))
        let first = generator.firstCentre(amongRows: n)
        var chosen = [first]
        var (closest, potential) = distancesToRow(data, first, kernel: kernel)
        var cumulative = [Double](repeating: 0, count: n)
        var candidateDistances = [Double](repeating: 0, count: n * trials)
        for _ in 1..<max(k, 1) {
            var running = 0.0
            for i in 0..<n {
                running += closest[i]
                cumulative[i] = running
            }
            let candidates = drawCandidates(cumulative: cumulative, potential: potential, trials: trials, generator: &generator)
            let potentials = measureCandidates(
                candidates, data, rowHeads: rowHeads, closest: closest, into: &candidateDistances, kernel: kernel)
            var bestTrial = 0
            for t in 1..<trials where potentials[t] < potentials[bestTrial] { bestTrial = t }
            potential = potentials[bestTrial]
            closest.withUnsafeMutableBufferPointer { near in
                candidateDistances.withUnsafeBufferPointer { src in
                    near.baseAddress!.update(from: src.baseAddress! + bestTrial * n, count: n)
                }
            }
            chosen.append(candidates[bestTrial])
        }
        return chosen
    }

    /// Every row's squared distance to row `centre`, and their sum (the first potential).
    private static func distancesToRow(_ data: Matrix, _ centre: Int, kernel: GramKernel) -> (distances: [Double], sum: Double) {
        let n = data.rows, d = data.columns
        let values = data.values
        var closest = [Double](repeating: 0, count: n)
        var potential = 0.0
        let centreRow = data.row(centre)
        closest.withUnsafeMutableBufferPointer { out in
            let target = DisjointWriteBuffer(base: out.baseAddress!, count: n)
            let partials = Parallel.map(count: n, workers: ReductionChunks.count) { _, range in
                var sum = 0.0
                values.withUnsafeBufferPointer { x in
                    centreRow.withUnsafeBufferPointer { c in
                        for i in range {
                            let distance = DenseKernels.squaredDistance(x.baseAddress! + i * d, c.baseAddress!, count: d, kernel: kernel)
                            target.base[i] = distance
                            sum += distance
                        }
                    }
                }
                return sum
            }
            potential = partials.reduce(0, +)
        }

        return (closest, potential)
    }

    /// `trials` candidate rows drawn with probability proportional to D² (`cumulative` holds
    /// its running sums, `potential` their total), as scikit-learn draws them.
    private static func drawCandidates(
        cumulative: [Double], potential: Double, trials: Int, generator: inout some KMeansPlusPlusRandomness
    ) -> [Int] {
        let n = cumulative.count
        var candidates: [Int] = []
        for _ in 0..<trials {
            let draw = generator.nextUnit() * potential
            // numpy.searchsorted(cumsum, draw), side="left", clipped to n - 1.
            var low = 0, high = n
            while low < high {
                let mid = (low + high) / 2
                if cumulative[mid] < draw { low = mid + 1 } else { high = mid }
            }
            candidates.append(min(low, n - 1))
        }
        return candidates
    }

    /// Each candidate's potential (the sum over rows of min(D², distance to the candidate)),
    /// with the per-row minima in `candidateDistances` (candidate `t`'s at `t * n`). Rows whose
    /// head and tail bound already reaches D² are not read.
    private static func measureCandidates(
        _ candidates: [Int], _ data: Matrix, rowHeads: RowHeads, closest current: [Double],
        into candidateDistances: inout [Double], kernel: GramKernel
    ) -> [Double] {
        let n = data.rows, d = data.columns, head = rowHeads.head, trials = candidates.count
        let values = data.values
        let candidateRows = candidates.flatMap { data.row($0) }
        let candidateHeads = candidates.flatMap { rowHeads.values[($0 * head)..<(($0 + 1) * head)] }
        let candidateTails = candidates.map { rowHeads.tailNorms[$0] }
        var potentials = [Double](repeating: 0, count: trials)
        candidateDistances.withUnsafeMutableBufferPointer { out in
            let target = DisjointWriteBuffer(base: out.baseAddress!, count: out.count)
            let partials = Parallel.map(count: n, workers: ReductionChunks.count) { _, range in
                var sums = [Double](repeating: 0, count: trials)
                values.withUnsafeBufferPointer { x in
                  rowHeads.values.withUnsafeBufferPointer { rowHeadValues in
                    rowHeads.tailNorms.withUnsafeBufferPointer { rowTails in
                      candidateRows.withUnsafeBufferPointer { cand in
                        candidateHeads.withUnsafeBufferPointer { candHeads in
                          current.withUnsafeBufferPointer { near in
                            for i in range {
                                let rowHead = rowHeadValues.baseAddress! + i * head
                                let nearest = near[i]
                                // Rounding in the bound must never skip a row exact
                                // arithmetic would measure: hence the slack.
                                let limit = nearest * (1 + CentreGeometry.slack)
                                for t in 0..<trials {
                                    var distance = nearest
                                    let s = DenseKernels.squaredDistance(rowHead, candHeads.baseAddress! + t * head, count: head)
                                    let gap = rowTails[i] - candidateTails[t]
                                    if s + gap * gap < limit {
                                        let full = DenseKernels.squaredDistance(
                                            x.baseAddress! + i * d, cand.baseAddress! + t * d, count: d, kernel: kernel)
                                        distance = min(nearest, full)
                                    }
                                    target.base[t * n + i] = distance
                                    sums[t] += distance
                                }
                            }
                          }
                        }
                      }
                    }
                  }
                }
                return sums
            }
            for partial in partials { for t in 0..<trials { potentials[t] += partial[t] } }
        }
        return potentials
    }

    // MARK: - Lloyd iterations

    /// Lloyd's iterations from `initialCentres` (see ``assignmentPass`` for how the
    /// assignment step avoids most distances). `rowHeads` are shared by the restarts; made
    /// here (with `head` columns) when not given.
    static func lloyd(
        _ data: Matrix, initialCentres: Matrix, maxIterations: Int, tolerance: Double,
        head: Int = headColumns, rowHeads: RowHeads? = nil
    ) -> Result {
        let n = data.rows, d = data.columns, k = initialCentres.rows
        let rowHeads = rowHeads ?? RowHeads(data, head: min(head, d))
        var centres = initialCentres
        var state = RowState(rows: n)
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        var shifts = [Double](repeating: 0, count: k)
        var strictlyConverged = false
        var needFullSums = true
        var iterations = 0

        for iteration in 0..<maxIterations {
            iterations = iteration + 1
            let partials = assignmentPass(data, rowHeads: rowHeads, centres: centres, shifts: shifts, state: &state,
                                          firstPass: iteration == 0, fullSums: needFullSums)
            if needFullSums {
                sums = [Double](repeating: 0, count: k * d)
                counts = [Int](repeating: 0, count: k)
            }
            var changed = 0
            for partial in partials {
                for j in 0..<(k * d) { sums[j] += partial.sums[j] }
                for c in 0..<k { counts[c] += partial.counts[c] }
                changed += partial.changed
            }
            needFullSums = false

            // Centres from sums; an empty cluster takes the row farthest from its centre.
            var newSums = sums
            var newCounts = counts
            let empty = (0..<k).filter { newCounts[$0] == 0 }
            if !empty.isEmpty {
                let far = farthestRows(data, centres: centres, labels: state.labels, count: empty.count)
                for (cluster, row) in zip(empty, far) {
                    let old = Int(state.labels[row])
                    for j in 0..<d {
                        newSums[old * d + j] -= data[row, j]
                        newSums[cluster * d + j] = data[row, j]
                    }
                    newCounts[old] -= 1
                    newCounts[cluster] = 1
                }
                // Labels were not changed, so the running sums no longer match them.
                needFullSums = true
            }
            var shiftTotal = 0.0
            for c in 0..<k {
                var shiftSquared = 0.0
                if newCounts[c] > 0 {
                    let scale = 1 / Double(newCounts[c])
                    for j in 0..<d {
                        let value = newSums[c * d + j] * scale
                        let delta = value - centres[c, j]
                        shiftSquared += delta * delta
                        centres[c, j] = value
                    }
                }
                shifts[c] = shiftSquared.squareRoot()
                shiftTotal += shiftSquared
            }
            if iteration > 0 && changed == 0 {
                strictlyConverged = true
                break
            }
            if shiftTotal <= tolerance { break }
        }
        if !strictlyConverged {
            // Final assignment to the final centres, as scikit-learn does after a `tol` stop.
            _ = assignmentPass(data, rowHeads: rowHeads, centres: centres, shifts: shifts, state: &state,
                               firstPass: false, fullSums: false)
        }
        let inertia = inertiaOf(data, centres: centres, labels: state.labels)
        return Result(centroids: SegmentCentroids(centroids: centres), labels: state.labels,
                      inertia: inertia, iterations: iterations, restartInertias: [inertia])
    }

    /// Whether two labellings are one partition with the clusters renumbered.
    static func sameClustering(_ a: [Int32], _ b: [Int32], clusterCount k: Int) -> Bool {
        var mapping = [Int32](repeating: -1, count: k)
        for (x, y) in zip(a, b) {
            if mapping[Int(x)] == -1 { mapping[Int(x)] = y } else if mapping[Int(x)] != y { return false }
        }
        return true
    }

    /// The `count` rows farthest from their assigned centres, farthest first (ties: lower row).
    private static func farthestRows(_ data: Matrix, centres: Matrix, labels: [Int32], count: Int) -> [Int] {
        let d = data.columns
        var distances = [Double](repeating: 0, count: data.rows)
        data.values.withUnsafeBufferPointer { x in
            centres.values.withUnsafeBufferPointer { c in
                for i in 0..<data.rows {
                    distances[i] = DenseKernels.squaredDistance(x.baseAddress! + i * d, c.baseAddress! + Int(labels[i]) * d, count: d)
                }
            }
        }
        let order = (0..<data.rows).sorted { distances[$0] > distances[$1] || (distances[$0] == distances[$1] && $0 < $1) }
        return Array(order.prefix(count))
    }

    /// Σ squared distance of each row to its centre, summed per chunk then in chunk order.
    static func inertiaOf(_ data: Matrix, centres: Matrix, labels: [Int32]) -> Double {
        let d = data.columns
        let values = data.values, centreValues = centres.values
        let partials: [Double] = Parallel.map(count: data.rows, workers: ReductionChunks.count) { _, range in
            var sum = 0.0
            values.withUnsafeBufferPointer { x in
                centreValues.withUnsafeBufferPointer { c in
                    for i in range {
                        sum += DenseKernels.squaredDistance(
                            x.baseAddress! + i * d, c.baseAddress! + Int(labels[i]) * d, count: d, kernel: .best)
                    }
                }
            }
            return sum
        }
        return partials.reduce(0, +)
    }

    /// Mean over columns of the population variance (ddof 0), as scikit-learn scales `tol`.
    /// Also where non-finite input is caught.
    static func meanColumnVariance(_ data: Matrix) throws(SegmentationError) -> Double {
        let n = data.rows, d = data.columns
        let mean = try PCA.columnMeans(data)
        let values = data.values
        let partials: [Double] = Parallel.map(count: n, workers: ReductionChunks.count) { _, range in
            var sum = 0.0
            values.withUnsafeBufferPointer { x in
                mean.withUnsafeBufferPointer { mu in
                    for i in range {
                        let row = x.baseAddress! + i * d
                        for j in 0..<d {
                            let deviation = row[j] - mu[j]
                            sum += deviation * deviation
                        }
                    }
                }
            }
            return sum
        }
        return partials.reduce(0, +) / Double(n) / Double(d)
    }
}
