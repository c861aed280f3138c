/// The fitted cleaning transform: the one and only path from a row's raw fields to features.
///
/// Fitted on the population by the `Features` library and stored in the model bundle; the
/// trainer applies it to whole tables and the scorer to single records, both through
/// ``TransformProgram/apply(inputs:raw:scaled:)`` (built by ``program()``), so train and serve cannot drift apart.
///
/// A row passes three stages:
/// 1. reading: each ``InputColumn`` becomes a number (done by ``TableRowReader`` or ``RecordReader``);
/// 2. cleaning: unknown codes become missing; the row's missing share is counted;
/// 3. features: each ``FeatureSpec`` gives a raw value (NaN = missing, what trees consume)
///    and a scaled value (median-filled and standardised, what PCA and the logistic model consume).
public struct CleaningTransform: Sendable, Hashable {
    /// The data's id column (`LNR`); it is echoed, never a feature.
    public var idColumn: String
    /// The data columns read, and how each field becomes a number.
    public var inputs: [InputColumn]
    /// The features made from the inputs, in model order.
    public var features: [FeatureSpec]
    /// Rows whose missing share is above this have too little data to segment.
    public var maxRowMissingShare: Double

    /// A transform from its fitted parts.
    public init(idColumn: String, inputs: [InputColumn], features: [FeatureSpec], maxRowMissingShare: Double) {
        self.idColumn = idColumn
        self.inputs = inputs
        self.features = features
        self.maxRowMissingShare = maxRowMissingShare
    }

    /// The features' names, in model order.
    public var featureNames: [String] { features.map(\.name) }

    /// The transform compiled for execution: build it once per table or stream.
    public func program() -> TransformProgram { TransformProgram(self) }

    /// Convenience for one row held in arrays (tests, examples); runs the same program.
    /// `inputs` holds one value per input column (a precondition).
    public func apply(inputs: [Double]) -> (raw: [Double], scaled: [Double], missingShare: Double) {
        precondition(
            inputs.count == self.inputs.count, "CleaningTransform.apply: \(inputs.count) values for \(self.inputs.count) inputs")
        let program = program()
        var cleaned = inputs
        var raw = [Double](repeating: 0, count: features.count)
        var scaled = [Double](repeating: 0, count: features.count)
        let share = cleaned.withUnsafeMutableBufferPointer { i in
            raw.withUnsafeMutableBufferPointer { r in
                scaled.withUnsafeMutableBufferPointer { s in program.apply(inputs: i, raw: r, scaled: s) }
            }
        }
        return (raw, scaled, share)
    }
}
