import Tabular

/// Reads a transform's inputs from the rows of a parsed ``Table`` (stage 1 for the trainer).
///
/// Text cells are resolved once per distinct dictionary entry (not per row), through the
/// same ``FieldReading`` rules the scorer's ``RecordReader`` applies to raw bytes.
public struct TableRowReader: Sendable {
    private enum Source: Sendable {
        case numeric(Column)
        /// Per dictionary code, the input value (NaN where the text means nothing).
        case resolvedText(codes: [UInt16], values: [Double], missing: MissingMask)
    }

    /// Inputs each row gives.
    public let inputCount: Int
    private let sources: [Source]

    /// Rows per block that keep a block of a few hundred inputs inside the L2 cache.
    public static let blockRows = 256

    /// Binds `transform`'s inputs to `table`'s columns by name.
    public init(transform: CleaningTransform, table: Table) throws(FeatureReadError) {
        var sources: [Source] = []
        sources.reserveCapacity(transform.inputs.count)
        for input in transform.inputs {
            guard let index = table.columnNames.firstIndex(of: input.name) else {
                throw .missingColumn(input.name)
            }
            let column = table.columns[index]
            switch (column.storage, input.reading) {
            case (.text(let codes, let dictionary), _):
                let reading = FieldReading(input.reading)
                let values = dictionary.map { text in
                    var bytes = Array(text.utf8)
                    return bytes.withUnsafeMutableBufferPointer { reading.value(of: UnsafeBufferPointer($0)) }
                }
                sources.append(.resolvedText(codes: codes, values: values, missing: column.missing))
            case (_, .number):
                sources.append(.numeric(column))
            case (_, .category), (_, .year):
                // A text column that happened to hold only numbers in this table: read each
                // number's text, as the scorer would see it.
                sources.append(Self.numericAsText(column, reading: FieldReading(input.reading)))
            }
        }
        self.sources = sources
        self.inputCount = sources.count
    }

    private static func numericAsText(_ column: Column, reading: FieldReading) -> Source {
        // Few distinct values: resolve them through a small dictionary of their texts.
        var dictionary: [Double: UInt16] = [:]
        var values: [Double] = []
        var codes = [UInt16](repeating: 0, count: column.count)
        for row in 0..<column.count {
            guard let v = column.double(row: row) else { continue }
            let code: UInt16
            if let known = dictionary[v] {
                code = known
            } else {
                code = UInt16(truncatingIfNeeded: values.count)
                dictionary[v] = code
                let text = v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
                var bytes = Array(text.utf8)
                values.append(bytes.withUnsafeMutableBufferPointer { reading.value(of: UnsafeBufferPointer($0)) })
            }
            codes[row] = code
        }
        return .resolvedText(codes: codes, values: values, missing: column.missing)
    }

    /// Hands each row of `rows` to `body` with its raw inputs (``inputCount`` values, NaN =
    /// missing), read ``blockRows`` rows at a time into one reused buffer: the loop every pass
    /// over a table's rows shares (feature matrices, statistics, the cleaning's counts, drift
    /// references). `body` may change the values in place, as cleaning does.
    public func forEachRow(in rows: Range<Int>, _ body: (_ row: Int, _ inputs: UnsafeMutableBufferPointer<Double>) -> Void) {
        let width = inputCount
        var buffer = [Double](repeating: 0, count: width * Self.blockRows)
        withColumnViews { views in
            buffer.withUnsafeMutableBufferPointer { block in
                for start in stride(from: rows.lowerBound, to: rows.upperBound, by: Self.blockRows) {
                    let end = min(rows.upperBound, start + Self.blockRows)
                    Self.read(rows: start..<end, of: views, into: block)
                    for k in 0..<(end - start) {
                        body(start + k, UnsafeMutableBufferPointer(rebasing: block[(k * width)..<((k + 1) * width)]))
                    }
                }
            }
        }
    }

    /// One input's storage as pointers, valid inside ``withColumnViews(_:)``.
    private struct ColumnView {
        enum Values {
            case int8(UnsafePointer<Int8>)
            case int16(UnsafePointer<Int16>)
            case int32(UnsafePointer<Int32>)
            case int64(UnsafePointer<Int64>)
            case double(UnsafePointer<Double>)
            /// Per row a dictionary code, and per code the input value.
            case resolved(codes: UnsafePointer<UInt16>, values: UnsafePointer<Double>)
            /// Nothing to read (text where a number is expected, or no values at all): NaN.
            case none
        }
        var values: Values
        /// The missing mask's words (nil when no row is missing).
        var missing: UnsafePointer<UInt64>?
    }

    /// Runs `body` with a view of every input's storage. Two cores reading the same columns
    /// would otherwise retain and release each column's arrays on every block, and those
    /// shared reference counts cost more than the reading.
    private func withColumnViews<R>(_ body: (UnsafeBufferPointer<ColumnView>) -> R) -> R {
        var views: [ColumnView] = []
        views.reserveCapacity(sources.count)
        return collectViews(from: 0, into: &views, body)
    }

    /// Views of `sources[i...]` appended to `views`, each array's pointer taken inside its own
    /// `withUnsafeBufferPointer`, so they all stay valid while `body` runs.
    private func collectViews<R>(
        from i: Int, into views: inout [ColumnView], _ body: (UnsafeBufferPointer<ColumnView>) -> R
    ) -> R {
        guard i < sources.count else { return views.withUnsafeBufferPointer(body) }
        func next(_ values: ColumnView.Values, _ missing: MissingMask, _ views: inout [ColumnView]) -> R {
            missing.words.withUnsafeBufferPointer { words in
                views.append(ColumnView(values: values, missing: missing.count > 0 ? words.baseAddress : nil))
                return collectViews(from: i + 1, into: &views, body)
            }
        }
        switch sources[i] {
        case .numeric(let column):
            switch column.storage {
            case .int8(let v): return v.withUnsafeBufferPointer { next($0.baseAddress.map { .int8($0) } ?? .none, column.missing, &views) }
            case .int16(let v): return v.withUnsafeBufferPointer { next($0.baseAddress.map { .int16($0) } ?? .none, column.missing, &views) }
            case .int32(let v): return v.withUnsafeBufferPointer { next($0.baseAddress.map { .int32($0) } ?? .none, column.missing, &views) }
            case .int64(let v): return v.withUnsafeBufferPointer { next($0.baseAddress.map { .int64($0) } ?? .none, column.missing, &views) }
            case .double(let v): return v.withUnsafeBufferPointer { next($0.baseAddress.map { .double($0) } ?? .none, column.missing, &views) }
            case .text: return next(.none, column.missing, &views)
            }
        case .resolvedText(let codes, let values, let missing):
            return codes.withUnsafeBufferPointer { codes in
                values.withUnsafeBufferPointer { values in
                    guard let c = codes.baseAddress, let v = values.baseAddress else { return next(.none, missing, &views) }
                    return next(.resolved(codes: c, values: v), missing, &views)
                }
            }
        }
    }

    /// Writes the inputs of `rows` into `out`, row-major (`rows.count x inputCount`, NaN =
    /// missing). Filled one column at a time, so each column's storage is decoded in one
    /// tight loop; keep blocks small (``blockRows``) so the block stays in cache.
    private static func read(rows: Range<Int>, of views: UnsafeBufferPointer<ColumnView>, into out: UnsafeMutableBufferPointer<Double>) {
        let width = views.count
        for i in 0..<width {
            let view = views[i]
            switch view.values {
            case .int8(let v): fill(v, rows, i, width, out)
            case .int16(let v): fill(v, rows, i, width, out)
            case .int32(let v): fill(v, rows, i, width, out)
            case .int64(let v): fill(v, rows, i, width, out)
            case .double(let v):
                for (k, row) in rows.enumerated() { out[k * width + i] = v[row] }
            case .resolved(let codes, let values):
                for (k, row) in rows.enumerated() { out[k * width + i] = values[Int(codes[row])] }
            case .none:
                for k in 0..<rows.count { out[k * width + i] = .nan }
            }
            if let words = view.missing { markMissing(words, rows, i, width, out) }
        }
    }

    @inline(__always)
    private static func fill<T: BinaryInteger>(
        _ v: UnsafePointer<T>, _ rows: Range<Int>, _ i: Int, _ width: Int, _ out: UnsafeMutableBufferPointer<Double>
    ) {
        var o = i
        for row in rows {
            out[o] = Double(v[row])
            o += width
        }
    }

    /// NaN in column `i` of the block for each row of `rows` whose bit is set in `words`.
    @inline(__always)
    private static func markMissing(
        _ words: UnsafePointer<UInt64>, _ rows: Range<Int>, _ i: Int, _ width: Int, _ out: UnsafeMutableBufferPointer<Double>
    ) {
        guard !rows.isEmpty else { return }
        var w = rows.lowerBound >> 6
        while w << 6 < rows.upperBound {
            var bits = words[w]
            while bits != 0 {
                let row = w << 6 | bits.trailingZeroBitCount
                bits &= bits - 1
                if row >= rows.lowerBound && row < rows.upperBound { out[(row - rows.lowerBound) * width + i] = .nan }
            }
            w += 1
        }
    }
}

/// How one field's bytes become an input number: shared by ``TableRowReader`` (for text
/// dictionaries) and ``RecordReader`` (for every field).
struct FieldReading: Sendable {
    private enum Kind: Sendable {
        case number
        case category(ByteStringTable)
        case year
    }

    private let kind: Kind

    init(_ reading: InputColumn.Reading) {
        switch reading {
        case .number:
            kind = .number
        case .category(let vocabulary):
            kind = .category(ByteStringTable(vocabulary))
        case .year:
            kind = .year
        }
    }

    var isNumber: Bool {
        if case .number = kind { return true }
        return false
    }

    /// The input value of a non-empty field (NaN when the text means nothing here).
    func value(of bytes: UnsafeBufferPointer<UInt8>) -> Double {
        guard bytes.count > 0 else { return .nan }
        switch kind {
        case .number:
            switch CSVTokenizer.value(of: CSVField(start: 0, end: bytes.count), in: bytes) {
            case .integer(let v): return Double(v)
            case .double(let v): return v
            case .missing, .token: return .nan
            }
        case .category(let lookup):
            return lookup.index(of: bytes).map(Double.init) ?? .nan
        case .year:
            return InputColumn.year(of: bytes) ?? .nan
        }
    }
}

/// Why a header cannot feed a transform: an input it does not provide, or a column it names
/// twice (which of the two is meant cannot be known, and picking one changes the scores).
public enum FeatureReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The header lacks a column the transform reads.
    case missingColumn(String)
    /// `name` is a column the transform reads; `positions` are its 1-based header positions.
    case duplicateColumn(String, positions: [Int])

    /// Which column is wrong, for the user.
    public var description: String {
        switch self {
        case .missingColumn(let name): "required column \(name) is not in the input"
        case .duplicateColumn(let name, let positions):
            "column \(name) appears \(positions.count) times in the header (fields "
                + positions.map(String.init).joined(separator: ", ") + ") and must appear once"
        }
    }
}
