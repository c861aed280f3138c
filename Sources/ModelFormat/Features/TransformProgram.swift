import Numerics

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
    // counts in the missing share. The bit test runs in a C kernel (AVX2 when the CPU has it).
    private let unknownBits: UnsafeBufferPointer<UInt64>
    private let unknownStart: UnsafeBufferPointer<Int32>
    private let unknownEnd: UnsafeBufferPointer<Int32>
    private let unknownCodes: UnsafeBufferPointer<Double>
    private let counted: UnsafeBufferPointer<Bool>
    private let countedTotal: Int
    /// The inputs with codes in `unknownCodes` (searched after the bit test).
    private let searched: UnsafeBufferPointer<Int32>

    // Stage 3, per feature, with the features grouped by kind (`kindEnd[k]` ends kind k's
    // run): each kind is one branch-free loop instead of a switch per feature. `feature[p]` is
    // the feature the p-th entry writes; `input`, `parameter` and `tableLength` are in the same
    // order. The features are independent, so the order they are computed in changes no bit.
    private let kindEnd: UnsafeBufferPointer<Int>
    /// The value features as runs of consecutive features copied from consecutive inputs
    /// (run r copies `valueRunLength[r]` inputs from `valueRunInput[r]` to the features from
    /// `valueRunFeature[r]`): a few block copies instead of a gather and a scatter per feature.
    private let valueRunFeature: UnsafeBufferPointer<Int32>
    private let valueRunInput: UnsafeBufferPointer<Int32>
    private let valueRunLength: UnsafeBufferPointer<Int32>
    private let feature: UnsafeBufferPointer<Int32>
    private let input: UnsafeBufferPointer<Int32>
    /// Indicator code, or the start of the feature's slice of `tables`.
    private let parameter: UnsafeBufferPointer<Double>
    private let tableLength: UnsafeBufferPointer<Int32>
    private let tables: UnsafeBufferPointer<Double>
    // Per feature, in feature order.
    private let fill: UnsafeBufferPointer<Double>
    private let mean: UnsafeBufferPointer<Double>
    private let inverseScale: UnsafeBufferPointer<Double>

    private static func owned<T>(_ array: [T]) -> UnsafeBufferPointer<T> {
        UnsafeBufferPointer(OwnedBuffer.copy(array))
    }

    deinit {
        for pointer in [
            UnsafeMutableRawPointer(mutating: unknownBits.baseAddress),
            UnsafeMutableRawPointer(mutating: unknownStart.baseAddress), UnsafeMutableRawPointer(mutating: unknownEnd.baseAddress),
            UnsafeMutableRawPointer(mutating: unknownCodes.baseAddress), UnsafeMutableRawPointer(mutating: counted.baseAddress),
            UnsafeMutableRawPointer(mutating: searched.baseAddress),
            UnsafeMutableRawPointer(mutating: kindEnd.baseAddress), UnsafeMutableRawPointer(mutating: feature.baseAddress),
            UnsafeMutableRawPointer(mutating: valueRunFeature.baseAddress),
            UnsafeMutableRawPointer(mutating: valueRunInput.baseAddress), UnsafeMutableRawPointer(mutating: valueRunLength.baseAddress),
            UnsafeMutableRawPointer(mutating: input.baseAddress),
            UnsafeMutableRawPointer(mutating: parameter.baseAddress), UnsafeMutableRawPointer(mutating: tableLength.baseAddress),
            UnsafeMutableRawPointer(mutating: tables.baseAddress), UnsafeMutableRawPointer(mutating: fill.baseAddress),
            UnsafeMutableRawPointer(mutating: mean.baseAddress), UnsafeMutableRawPointer(mutating: inverseScale.baseAddress),
        ] {
            pointer?.deallocate()
        }
    }

    enum Kind: Int, CaseIterable {
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
        searched = Self.owned((0..<start.count).filter { start[$0] < end[$0] }.map { Int32($0) })
        counted = Self.owned(transform.inputs.map(\.countsTowardMissingShare))
        countedTotal = transform.inputs.filter(\.countsTowardMissingShare).count

        var entries: [(kind: Kind, feature: Int32, input: Int32, parameter: Double, length: Int32)] = []
        var tables: [Double] = []
        for (j, spec) in transform.features.enumerated() {
            let j = Int32(j)
            switch spec.recipe {
            case .value(let i): entries.append((.value, j, Int32(i), 0, 0))
            case .indicator(let i, let code): entries.append((.indicator, j, Int32(i), code, 0))
            case .tensDigit(let i): entries.append((.tensDigit, j, Int32(i), 0, 0))
            case .unitsDigit(let i): entries.append((.unitsDigit, j, Int32(i), 0, 0))
            case .lookup(let i, let table):
                entries.append((.lookup, j, Int32(i), Double(tables.count), Int32(table.count)))
                tables.append(contentsOf: table)
            case .missingShare: entries.append((.missingShare, j, 0, 0, 0))
            }
        }
        // Stable: within a kind, features stay in their order (sequential writes).
        var grouped: [(kind: Kind, feature: Int32, input: Int32, parameter: Double, length: Int32)] = []
        var ends: [Int] = []
        for kind in Kind.allCases {
            grouped += entries.filter { $0.kind == kind }
            ends.append(grouped.count)
        }
        self.kindEnd = Self.owned(ends)
        var runs: [(feature: Int32, input: Int32, length: Int32)] = []
        for entry in grouped[0..<ends[Kind.value.rawValue]] {
            if let last = runs.last, last.feature + last.length == entry.feature, last.input + last.length == entry.input {
                runs[runs.count - 1].length += 1
            } else {
                runs.append((entry.feature, entry.input, 1))
            }
        }
        self.valueRunFeature = Self.owned(runs.map(\.feature))
        self.valueRunInput = Self.owned(runs.map(\.input))
        self.valueRunLength = Self.owned(runs.map(\.length))
        self.feature = Self.owned(grouped.map(\.feature))
        self.input = Self.owned(grouped.map(\.input))
        self.parameter = Self.owned(grouped.map(\.parameter))
        self.tableLength = Self.owned(grouped.map(\.length))
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
        clean(inputs, portable: false)
    }

    /// ``clean(_:)`` with the choice of the bit test's kernel: the portable loop, or AVX2 when
    /// the CPU has it (the same bits; tests compare them).
    @inline(__always)
    func clean(_ inputs: UnsafeMutableBufferPointer<Double>, portable: Bool) -> Double {
        precondition(
            inputs.count == inputCount, "TransformProgram: a row of \(inputs.count) inputs, the transform reads \(inputCount)")
        guard let values = inputs.baseAddress else { return 0 }
        // The codes with a bit, for every input at once; then the few inputs with other codes
        // are searched. Those codes have no bit, so a value that equals one was left as it is.
        var missing = DenseKernels.cleanUnknownCodes(
            values, masks: unknownBits.baseAddress!, counted: counted.baseAddress!, count: inputCount, portable: portable)
        let codes = unknownCodes
        for s in searched {
            let i = Int(s)
            let v = values[i]
            guard !v.isNaN else { continue }
            for k in Int(unknownStart[i])..<Int(unknownEnd[i]) where codes[k] == v {
                values[i] = .nan
                missing &+= counted[i] ? 1 : 0
                break
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
        guard raw.count > 0 else {
            // The scaled values are computed from the raw ones: a scratch row stands in.
            guard scaled.count > 0 else { return share }
            withUnsafeTemporaryAllocation(of: Double.self, capacity: featureCount) { scratch in
                features(inputs: UnsafeBufferPointer(inputs), share: share, into: scratch.baseAddress!)
                scale(scratch.baseAddress!, into: scaled.baseAddress!)
            }
            return share
        }
        features(inputs: UnsafeBufferPointer(inputs), share: share, into: raw.baseAddress!)
        if scaled.count > 0 { scale(raw.baseAddress!, into: scaled.baseAddress!) }
        return share
    }

    /// Stage 3's raw features of one cleaned row, kind by kind, into `raw` (``featureCount`` values).
    @inline(__always)
    private func features(inputs: UnsafeBufferPointer<Double>, share: Double, into raw: UnsafeMutablePointer<Double>) {
        // (No inputs, no value features.)
        if let inputBase = inputs.baseAddress {
            for r in 0..<valueRunLength.count {
                (raw + Int(valueRunFeature[r])).update(from: inputBase + Int(valueRunInput[r]), count: Int(valueRunLength[r]))
            }
        }
        var p = kindEnd[Kind.value.rawValue]
        var end = kindEnd[Kind.indicator.rawValue]
        while p < end {
            let v = inputs[Int(input[p])]
            raw[Int(feature[p])] = v.isNaN ? .nan : (v == parameter[p] ? 1 : 0)
            p += 1
        }
        end = kindEnd[Kind.tensDigit.rawValue]
        while p < end {
            let v = inputs[Int(input[p])]
            raw[Int(feature[p])] = v.isNaN ? .nan : (v / 10).rounded(.towardZero)
            p += 1
        }
        end = kindEnd[Kind.unitsDigit.rawValue]
        while p < end {
            let v = inputs[Int(input[p])]
            raw[Int(feature[p])] = v.isNaN ? .nan : v.truncatingRemainder(dividingBy: 10)
            p += 1
        }
        end = kindEnd[Kind.lookup.rawValue]
        while p < end {
            if let v = inputs[Int(input[p])].wholeNumberIndex(below: Int(tableLength[p])) {
                raw[Int(feature[p])] = tables[Int(parameter[p]) + v]
            } else {
                raw[Int(feature[p])] = .nan
            }
            p += 1
        }
        end = kindEnd[Kind.missingShare.rawValue]
        while p < end {
            raw[Int(feature[p])] = share
            p += 1
        }
    }

    /// Fill and scale: `scaled[j] = ((raw[j] or its fill when missing) − mean[j]) / scale[j]`.
    @inline(__always)
    private func scale(_ raw: UnsafePointer<Double>, into scaled: UnsafeMutablePointer<Double>) {
        let fill = UnsafeRawPointer(self.fill.baseAddress!), mean = UnsafeRawPointer(self.mean.baseAddress!)
        let inverseScale = UnsafeRawPointer(self.inverseScale.baseAddress!)
        let raw = UnsafeRawPointer(raw), out = UnsafeMutableRawPointer(scaled)
        // Four features at a time (the same operations per lane, so the same bits), with the
        // missing values replaced by a blend instead of a branch.
        typealias Lanes = SIMD4<Double>
        var j = 0
        while j + 4 <= featureCount {
            let offset = j * MemoryLayout<Double>.stride
            let value = raw.loadUnaligned(fromByteOffset: offset, as: Lanes.self)
            let filled = value.replacing(with: fill.loadUnaligned(fromByteOffset: offset, as: Lanes.self), where: value .!= value)
            let result = (filled - mean.loadUnaligned(fromByteOffset: offset, as: Lanes.self))
                * inverseScale.loadUnaligned(fromByteOffset: offset, as: Lanes.self)
            out.storeBytes(of: result, toByteOffset: offset, as: Lanes.self)
            j += 4
        }
        while j < featureCount {
            let offset = j * MemoryLayout<Double>.stride
            let value = raw.load(fromByteOffset: offset, as: Double.self)
            let filled = value.isNaN ? fill.load(fromByteOffset: offset, as: Double.self) : value
            out.storeBytes(
                of: (filled - mean.load(fromByteOffset: offset, as: Double.self)) * inverseScale.load(fromByteOffset: offset, as: Double.self),
                toByteOffset: offset, as: Double.self)
            j += 1
        }
    }

    /// Whether a row with this missing share has enough data to be segmented.
    @inline(__always)
    public func hasSufficientData(missingShare: Double) -> Bool { missingShare <= maxRowMissingShare }
}
