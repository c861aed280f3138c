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
        buffer.withUnsafeMutableBufferPointer { block in
            for start in stride(from: rows.lowerBound, to: rows.upperBound, by: Self.blockRows) {
                let end = min(rows.upperBound, start + Self.blockRows)
                read(rows: start..<end, into: block)
                for k in 0..<(end - start) {
                    body(start + k, UnsafeMutableBufferPointer(rebasing: block[(k * width)..<((k + 1) * width)]))
                }
            }
        }
    }

    /// Writes the inputs of `rows` into `out`, row-major (`rows.count x inputCount`, NaN =
    /// missing). Filled one column at a time, so each column's storage is decoded in one
    /// tight loop; keep blocks small (``blockRows``) so the block stays in cache.
    public func read(rows: Range<Int>, into out: UnsafeMutableBufferPointer<Double>) {
        let width = inputCount
        for i in 0..<width {
            switch sources[i] {
            case .numeric(let column):
                switch column.storage {
                case .int8(let v): Self.fill(v, rows, i, width, out)
                case .int16(let v): Self.fill(v, rows, i, width, out)
                case .int32(let v): Self.fill(v, rows, i, width, out)
                case .int64(let v): Self.fill(v, rows, i, width, out)
                case .double(let v):
                    v.withUnsafeBufferPointer { v in
                        for (k, row) in rows.enumerated() { out[k * width + i] = v[row] }
                    }
                case .text:
                    for k in 0..<rows.count { out[k * width + i] = .nan }
                }
                Self.markMissing(column.missing, rows, i, width, out)
            case .resolvedText(let codes, let values, let missing):
                codes.withUnsafeBufferPointer { codes in
                    values.withUnsafeBufferPointer { values in
                        for (k, row) in rows.enumerated() { out[k * width + i] = values[Int(codes[row])] }
                    }
                }
                Self.markMissing(missing, rows, i, width, out)
            }
        }
    }

    @inline(__always)
    private static func fill<T: BinaryInteger>(
        _ values: [T], _ rows: Range<Int>, _ i: Int, _ width: Int, _ out: UnsafeMutableBufferPointer<Double>
    ) {
        values.withUnsafeBufferPointer { v in
            var o = i
            for row in rows {
                out[o] = Double(v[row])
                o += width
            }
        }
    }

    @inline(__always)
    private static func markMissing(
        _ mask: MissingMask, _ rows: Range<Int>, _ i: Int, _ width: Int, _ out: UnsafeMutableBufferPointer<Double>
    ) {
        guard mask.count > 0, !rows.isEmpty else { return }
        mask.words.withUnsafeBufferPointer { words in
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
