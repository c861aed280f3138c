/// The cleaning transform flattened into plain arrays: the one implementation of stages 2
/// and 3 (unknown codes to missing, missing share, features, fill and scale).
///
/// ``CleaningTransform`` is the readable, storable description; executing its enums and
/// nested arrays row after row would retain and release on every cell. A program is built
/// once per table or stream (``CleaningTransform/program()``) and then runs with no
/// allocation or reference counting per row.
public final class TransformProgram: @unchecked Sendable {
    /// Inputs a row must give.
    public let inputCount: Int
    /// Features a row produces.
    public let featureCount: Int
    /// Rows whose missing share is above this are "insufficient data".
    public let maxRowMissingShare: Double

    // Immutable after init and owned by this object (freed in deinit): plain pointers, so
    // the per-row loops carry no bounds checks or reference counting. Shared read-only by
    // concurrent workers, hence the unchecked Sendable.

    // Stage 2, per input: the unknown codes that are whole numbers in -1...62 as bits of
    // `unknownBits` (bit c + 1 for code c: one test instead of a search, and every Arvato
    // code is such a number), the others as a range of `unknownCodes`, and whether the input
    // counts in the missing share.
    private let unknownBits: UnsafeBufferPointer<UInt64>
    private let unknownStart: UnsafeBufferPointer<Int32>
    private let unknownEnd: UnsafeBufferPointer<Int32>
    private let unknownCodes: UnsafeBufferPointer<Double>
    private let counted: UnsafeBufferPointer<Bool>
    private let countedTotal: Int

    // Stage 3, per feature.
    private let kind: UnsafeBufferPointer<Kind>
    private let input: UnsafeBufferPointer<Int32>
    /// Indicator code, or the start of the feature's slice of `tables`.
    private let parameter: UnsafeBufferPointer<Double>
    private let tableLength: UnsafeBufferPointer<Int32>
    private let tables: UnsafeBufferPointer<Double>
    private let fill: UnsafeBufferPointer<Double>
    private let mean: UnsafeBufferPointer<Double>
    private let inverseScale: UnsafeBufferPointer<Double>

    private static func owned<T>(_ array: [T]) -> UnsafeBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
        _ = buffer.initialize(from: array)
        return UnsafeBufferPointer(rebasing: buffer[0..<array.count])
    }

    deinit {
        for pointer in [
            UnsafeMutableRawPointer(mutating: unknownBits.baseAddress),
            UnsafeMutableRawPointer(mutating: unknownStart.baseAddress), UnsafeMutableRawPointer(mutating: unknownEnd.baseAddress),
            UnsafeMutableRawPointer(mutating: unknownCodes.baseAddress), UnsafeMutableRawPointer(mutating: counted.baseAddress),
            UnsafeMutableRawPointer(mutating: kind.baseAddress), UnsafeMutableRawPointer(mutating: input.baseAddress),
            UnsafeMutableRawPointer(mutating: parameter.baseAddress), UnsafeMutableRawPointer(mutating: tableLength.baseAddress),
            UnsafeMutableRawPointer(mutating: tables.baseAddress), UnsafeMutableRawPointer(mutating: fill.baseAddress),
            UnsafeMutableRawPointer(mutating: mean.baseAddress), UnsafeMutableRawPointer(mutating: inverseScale.baseAddress),
        ] {
            pointer?.deallocate()
        }
    }

    enum Kind: UInt8 {
        case value, indicator, tensDigit, unitsDigit, lookup, missingShare
    }

    init(_ transform: CleaningTransform) {
        inputCount = transform.inputs.count
        featureCount = transform.features.count
        maxRowMissingShare = transform.maxRowMissingShare
        var bits: [UInt64] = [], start: [Int32] = [], end: [Int32] = [], codes: [Double] = []
        for column in transform.inputs {
            var mask: UInt64 = 0
            start.append(Int32(codes.count))
            for code in column.unknownCodes.sorted() {
                if let bit = Self.bit(of: code) { mask |= bit } else { codes.append(code) }
            }
            end.append(Int32(codes.count))
            bits.append(mask)
        }
        unknownBits = Self.owned(bits)
        unknownStart = Self.owned(start)
        unknownEnd = Self.owned(end)
        unknownCodes = Self.owned(codes)
        counted = Self.owned(transform.inputs.map(\.countsTowardMissingShare))
        countedTotal = transform.inputs.filter(\.countsTowardMissingShare).count

        var kind: [Kind] = [], input: [Int32] = [], parameter: [Double] = [], length: [Int32] = [], tables: [Double] = []
        for spec in transform.features {
            switch spec.recipe {
            case .value(let i): kind.append(.value); input.append(Int32(i)); parameter.append(0); length.append(0)
            case .indicator(let i, let code): kind.append(.indicator); input.append(Int32(i)); parameter.append(code); length.append(0)
            case .tensDigit(let i): kind.append(.tensDigit); input.append(Int32(i)); parameter.append(0); length.append(0)
            case .unitsDigit(let i): kind.append(.unitsDigit); input.append(Int32(i)); parameter.append(0); length.append(0)
            case .lookup(let i, let table):
                kind.append(.lookup); input.append(Int32(i)); parameter.append(Double(tables.count)); length.append(Int32(table.count))
                tables.append(contentsOf: table)
            case .missingShare: kind.append(.missingShare); input.append(0); parameter.append(0); length.append(0)
            }
        }
        self.kind = Self.owned(kind)
        self.input = Self.owned(input)
        self.parameter = Self.owned(parameter)
        self.tableLength = Self.owned(length)
        self.tables = Self.owned(tables)
        fill = Self.owned(transform.features.map(\.fillValue))
        mean = Self.owned(transform.features.map(\.mean))
        inverseScale = Self.owned(transform.features.map { 1 / $0.scale })
    }

    /// The bit standing for `code` in `unknownBits`, if it is a whole number in -1...62.
    @inline(__always)
    static func bit(of code: Double) -> UInt64? {
        guard code >= -1, code <= 62 else { return nil }
        let whole = Int(code)
        return Double(whole) == code ? 1 << UInt64(whole + 1) : nil
    }

    /// Stage 2 in place; returns the row's missing share. `inputs` holds exactly
    /// ``inputCount`` values (checked: the loops below read through unchecked pointers).
    @inline(__always)
    public func clean(_ inputs: UnsafeMutableBufferPointer<Double>) -> Double {
        precondition(
            inputs.count == inputCount, "TransformProgram: a row of \(inputs.count) inputs, the transform reads \(inputCount)")
        var missing = 0
        let codes = unknownCodes
        do {
            for i in 0..<inputCount {
                var v = inputs[i]
                if let bit = Self.bit(of: v) {
                    // A value with a bit can only equal a code kept as a bit.
                    if unknownBits[i] & bit != 0 {
                        v = .nan
                        inputs[i] = v
                    }
                } else {
                    let lo = Int(unknownStart[i]), hi = Int(unknownEnd[i])
                    if lo < hi, !v.isNaN {
                        for k in lo..<hi where codes[k] == v {
                            v = .nan
                            inputs[i] = v
                            break
                        }
                    }
                }
                if counted[i], v.isNaN { missing += 1 }
            }
        }
        return countedTotal == 0 ? 0 : Double(missing) / Double(countedTotal)
    }

    /// Stages 2 and 3 for one row; `raw` and `scaled` hold ``featureCount`` values each, or are
    /// empty to skip them (checked, like the inputs' count). Returns the row's missing share.
    @inline(__always)
    @discardableResult
    public func apply(
        inputs: UnsafeMutableBufferPointer<Double>,
        raw: UnsafeMutableBufferPointer<Double>,
        scaled: UnsafeMutableBufferPointer<Double>
    ) -> Double {
        precondition(
            (raw.isEmpty || raw.count == featureCount) && (scaled.isEmpty || scaled.count == featureCount),
            "TransformProgram: output rows of \(raw.count) raw and \(scaled.count) scaled values, the transform makes \(featureCount)")
        let share = clean(inputs)
        let wantRaw = raw.count > 0
        let wantScaled = scaled.count > 0
        do {
            for j in 0..<featureCount {
                let v = inputs[Int(input[j])]
                let value: Double
                switch kind[j] {
                case .value:
                    value = v
                case .indicator:
                    value = v.isNaN ? .nan : (v == parameter[j] ? 1 : 0)
                case .tensDigit:
                    value = v.isNaN ? .nan : (v / 10).rounded(.towardZero)
                case .unitsDigit:
                    value = v.isNaN ? .nan : v.truncatingRemainder(dividingBy: 10)
                case .lookup:
                    // Integral test by conversion (in range, so `Int(v)` cannot trap).
                    if v >= 0, v < Double(tableLength[j]), Double(Int(v)) == v {
                        value = tables[Int(parameter[j]) + Int(v)]
                    } else {
                        value = .nan
                    }
                case .missingShare:
                    value = share
                }
                if wantRaw { raw[j] = value }
                if wantScaled { scaled[j] = ((value.isNaN ? fill[j] : value) - mean[j]) * inverseScale[j] }
            }
        }
        return share
    }

    /// Whether a row with this missing share has enough data to be segmented.
    @inline(__always)
    public func hasSufficientData(missingShare: Double) -> Bool { missingShare <= maxRowMissingShare }
}
