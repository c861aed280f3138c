/// The fitted cleaning transform: the one and only path from a row's raw fields to features.
///
/// Fitted on the population by the `Features` library and stored in the model bundle; the
/// trainer applies it to whole tables and the scorer to single records, both through
/// ``apply(inputs:raw:scaled:)``, so train and serve cannot drift apart.
///
/// A row passes three stages:
/// 1. reading: each ``InputColumn`` becomes a number (done by ``TableRowReader`` or ``RecordReader``);
/// 2. cleaning: unknown codes become missing; the row's missing share is counted;
/// 3. features: each ``FeatureSpec`` gives a raw value (NaN = missing, what trees consume)
///    and a scaled value (median-filled and standardised, what PCA and the logistic model consume).
public struct CleaningTransform: Sendable, Hashable, Codable {
    /// The data's id column (`LNR`); it is echoed, never a feature.
    public var idColumn: String
    public var inputs: [InputColumn]
    public var features: [FeatureSpec]
    /// Rows whose missing share is above this have too little data to segment.
    public var maxRowMissingShare: Double

    public init(idColumn: String, inputs: [InputColumn], features: [FeatureSpec], maxRowMissingShare: Double) {
        self.idColumn = idColumn
        self.inputs = inputs
        self.features = features
        self.maxRowMissingShare = maxRowMissingShare
    }

    public var featureNames: [String] { features.map(\.name) }

    /// Stage 2: maps unknown codes to missing in place and returns the missing share of
    /// the counted inputs.
    @inline(__always)
    public func clean(_ inputs: UnsafeMutableBufferPointer<Double>) -> Double {
        var counted = 0
        var missing = 0
        for i in 0..<self.inputs.count {
            let column = self.inputs[i]
            var v = inputs[i]
            if !v.isNaN, !column.unknownCodes.isEmpty, column.unknownCodes.sortedContains(v) {
                v = .nan
                inputs[i] = v
            }
            if column.countsTowardMissingShare {
                counted += 1
                if v.isNaN { missing += 1 }
            }
        }
        return counted == 0 ? 0 : Double(missing) / Double(counted)
    }

    /// Stages 2 and 3 for one row. `inputs` holds the row's read inputs (it is cleaned in
    /// place); `raw` and `scaled` receive one value per feature (either may be empty to skip it).
    /// Returns the row's missing share.
    @discardableResult
    @inline(__always)
    public func apply(
        inputs: UnsafeMutableBufferPointer<Double>,
        raw: UnsafeMutableBufferPointer<Double>,
        scaled: UnsafeMutableBufferPointer<Double>
    ) -> Double {
        let share = clean(inputs)
        let cleaned = UnsafeBufferPointer(inputs)
        let wantRaw = raw.count > 0
        let wantScaled = scaled.count > 0
        for j in 0..<features.count {
            let spec = features[j]
            let value = spec.recipe.evaluate(cleaned, missingShare: share)
            if wantRaw { raw[j] = value }
            if wantScaled { scaled[j] = ((value.isNaN ? spec.fillValue : value) - spec.mean) / spec.scale }
        }
        return share
    }

    /// Convenience for one row held in arrays (tests, examples).
    public func apply(inputs: [Double]) -> (raw: [Double], scaled: [Double], missingShare: Double) {
        var cleaned = inputs
        var raw = [Double](repeating: 0, count: features.count)
        var scaled = [Double](repeating: 0, count: features.count)
        let share = cleaned.withUnsafeMutableBufferPointer { i in
            raw.withUnsafeMutableBufferPointer { r in
                scaled.withUnsafeMutableBufferPointer { s in apply(inputs: i, raw: r, scaled: s) }
            }
        }
        return (raw, scaled, share)
    }

    /// Whether a row with this missing share has enough data to be segmented.
    public func hasSufficientData(missingShare: Double) -> Bool { missingShare <= maxRowMissingShare }
}

extension Array where Element == Double {
    /// Binary search in a sorted array (unknown codes are few and sorted).
    @inline(__always)
    func sortedContains(_ value: Double) -> Bool {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) >> 1
            let m = self[mid]
            if m == value { return true }
            if m < value { low = mid + 1 } else { high = mid }
        }
        return false
    }
}
