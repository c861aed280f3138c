import Concurrency
import Tabular

/// Features of many rows, row-major: what the learners consume.
public struct FeatureMatrix: Sendable, Hashable {
    /// Rows transformed.
    public var rows: Int
    /// Features per row.
    public var columns: Int
    /// Raw features (NaN = missing), `rows x columns`; empty if not asked for.
    public var raw: [Double]
    /// Filled and standardised features, `rows x columns`; empty if not asked for.
    public var scaled: [Double]
    /// Each row's missing share.
    public var missingShare: [Double]

    /// A matrix from its parts (empty by default, filled by the transform).
    public init(rows: Int = 0, columns: Int = 0, raw: [Double] = [], scaled: [Double] = [], missingShare: [Double] = []) {
        self.rows = rows
        self.columns = columns
        self.raw = raw
        self.scaled = scaled
        self.missingShare = missingShare
    }

    /// Which of the two forms to compute: the trees want raw features, PCA the scaled ones.
    public struct Parts: OptionSet, Sendable {
        /// The option bits.
        public let rawValue: Int
        /// Parts from their option bits.
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Raw features (NaN = missing).
        public static let raw = Parts(rawValue: 1)
        /// Filled and standardised features.
        public static let scaled = Parts(rawValue: 2)
        /// Both forms.
        public static let both: Parts = [.raw, .scaled]
    }
}

extension CleaningTransform {
    /// Applies the transform to rows of `table` (all by default), on all cores, row by row
    /// through ``TransformProgram/apply(inputs:raw:scaled:)``: the same code the scorer runs per record.
    public func transform(
        table: Table, rows: Range<Int>? = nil, parts: FeatureMatrix.Parts = .both
    ) throws(FeatureReadError) -> FeatureMatrix {
        var matrix = FeatureMatrix(rows: 0, columns: features.count, raw: [], scaled: [], missingShare: [])
        try transform(table: table, rows: rows, parts: parts, into: &matrix)
        return matrix
    }

    /// The same, writing into `matrix` and reusing its storage when the sizes match (a caller
    /// applying the transform slice by slice then allocates once).
    public func transform(
        table: Table, rows: Range<Int>? = nil, parts: FeatureMatrix.Parts = .both, into matrix: inout FeatureMatrix
    ) throws(FeatureReadError) {
        let reader = try TableRowReader(transform: self, table: table)
        let range = rows ?? 0..<table.rowCount
        let n = range.count
        let f = features.count
        // Every element is written below: no need to zero gigabytes first.
        func storage(_ old: inout [Double], _ count: Int) -> [Double] {
            if old.count == count { return old } else { return Self.uninitialized(count) }
        }
        var raw = storage(&matrix.raw, parts.contains(.raw) ? n * f : 0)
        var scaled = storage(&matrix.scaled, parts.contains(.scaled) ? n * f : 0)
        var shares = storage(&matrix.missingShare, n)
        matrix = FeatureMatrix(rows: 0, columns: f, raw: [], scaled: [], missingShare: [])
        raw.withUnsafeMutableBufferPointer { rawAll in
            scaled.withUnsafeMutableBufferPointer { scaledAll in
                shares.withUnsafeMutableBufferPointer { shareAll in
                    // Blocks write disjoint rows of the output buffers.
                    let out = OutputBuffers(raw: rawAll, scaled: scaledAll, shares: shareAll)
                    let program = self.program()
                    _ = Parallel.mapBlocks(count: n, blockSize: 4096) { block in
                        let tableRows = (range.lowerBound + block.lowerBound)..<(range.lowerBound + block.upperBound)
                        reader.forEachRow(in: tableRows) { tableRow, row in
                            let i = tableRow - range.lowerBound
                            out.shares[i] = program.apply(
                                inputs: row, raw: out.rowSlice(out.raw, i, f), scaled: out.rowSlice(out.scaled, i, f))
                        }
                        return 0
                    }
                }
            }
        }
        matrix = FeatureMatrix(rows: n, columns: f, raw: raw, scaled: scaled, missingShare: shares)
    }

    private static func uninitialized(_ count: Int) -> [Double] {
        [Double](filling: count) { _, initialized in initialized = count }
    }
}

/// Raw pointers into the output arrays, shared by the workers of one `transform` call.
private struct OutputBuffers: @unchecked Sendable {
    let raw: UnsafeMutableBufferPointer<Double>
    let scaled: UnsafeMutableBufferPointer<Double>
    let shares: UnsafeMutableBufferPointer<Double>

    @inline(__always)
    func rowSlice(_ buffer: UnsafeMutableBufferPointer<Double>, _ row: Int, _ width: Int) -> UnsafeMutableBufferPointer<Double> {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return UnsafeMutableBufferPointer(start: nil, count: 0) }
        return UnsafeMutableBufferPointer(start: base + row * width, count: width)
    }
}
