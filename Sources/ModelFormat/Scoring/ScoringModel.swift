/// Everything needed to score a row, decoded from one bundle and checked to fit together:
/// the value the scorer swaps on reload and `trainer predict` uses.
///
/// A row goes fields → ``RecordReader`` → ``TransformProgram`` → (PCA → nearest centroid →
/// segment, trees → calibrated probability); the trainer's table path shares every stage
/// after reading, so both give the same numbers bit for bit.
public final class ScoringModel: Sendable {
    /// The bundle's id, printed with scores and in logs to tell which model answered.
    public let bundleId: String
    /// The bundle's manifest: provenance, input schema, metrics.
    public let manifest: BundleManifest
    /// From fields to features.
    public let transform: CleaningTransform
    /// From features to a segment index.
    public let segments: SegmentModel
    /// One label per segment, "insufficient data" last.
    public let segmentLabels: [String]
    /// The number every output prints for each segment.
    public let segmentNumbers: SegmentNumbers
    /// The response model's trees.
    public let booster: TreeEnsemble
    /// ``booster`` laid out for prediction, shared read-only by every stream and worker.
    public let trees: FlatTreeEnsemble
    /// From the trees' probability to a calibrated one.
    public let calibrator: ProbabilityCalibrator
    /// Compiled once, shared read-only by every stream and worker.
    public let program: TransformProgram
    /// The centroids folded through the PCA, shared the same way.
    public let folded: FoldedCentroids
    /// The population's reference distribution for drift monitoring; nil for bundles
    /// written before it existed (they are served as before, without PSI).
    public let reference: ReferenceDistribution?
    /// ``reference`` laid out for counting, shared by every tally.
    public let driftLayout: DriftLayout?
    /// Reason codes (SHAP of the trees per attribute); nil for bundles whose trees have no
    /// node statistics (written before format 1.1).
    public let reasonModel: ReasonModel?

    /// Decodes the sections a scorer needs and checks that they fit together (feature counts,
    /// dimensions, one label per segment).
    ///
    /// - Parameters:
    ///   - bundle: A bundle read from disk or just assembled.
    ///   - path: The name errors report the bundle under.
    /// - Throws: ``BundleError`` when a section is missing or malformed, or the sections do not
    ///   fit together (``BundleError/inconsistentModels(path:problem:)``).
    public init(bundle: ModelBundle, path: String) throws(BundleError) {
        let transform = try bundle.section(BundleSection.transform, as: CleaningTransform.self)
        let projection = try bundle.section(BundleSection.pca, as: PCAProjection.self)
        let centroids = try bundle.section(BundleSection.centroids, as: SegmentCentroids.self)
        let labels = try bundle.section(BundleSection.segmentLabels, as: SegmentLabels.self).labels
        let booster = try bundle.section(BundleSection.booster, as: TreeEnsemble.self)
        let calibrator = try bundle.section(BundleSection.calibration, as: ProbabilityCalibrator.self)
        let reference: ReferenceDistribution? =
            bundle.sections[BundleSection.reference] == nil
            ? nil : try bundle.section(BundleSection.reference, as: ReferenceDistribution.self)
        func inconsistent(_ problem: String) -> BundleError { .inconsistentModels(path: path, problem: problem) }
        let features = transform.features.count
        guard projection.inputDimension == features else {
            throw inconsistent("PCA reads \(projection.inputDimension) features, the transform makes \(features)")
        }
        guard centroids.dimension == projection.outputDimension else {
            throw inconsistent("centroids have \(centroids.dimension) coordinates, PCA keeps \(projection.outputDimension) components")
        }
        guard labels.count == centroids.count + 1 else {
            throw inconsistent("\(labels.count) segment labels for \(centroids.count) clusters + insufficient data")
        }
        let numbers = bundle.sections[BundleSection.segmentNumbers] == nil
            ? SegmentNumbers.sequential(clusterCount: centroids.count)
            : try bundle.section(BundleSection.segmentNumbers, as: SegmentNumbers.self)
        if let problem = numbers.problem(clusterCount: centroids.count) { throw inconsistent(problem) }
        guard booster.featureCount == features else {
            throw inconsistent("the trees read \(booster.featureCount) features, the transform makes \(features)")
        }
        if let reference {
            guard reference.attributes.map(\.name) == transform.inputs.map(\.name) else {
                throw inconsistent("the reference distribution's attributes are not the transform's inputs")
            }
            guard reference.segmentShares.count == labels.count else {
                throw inconsistent("the reference distribution has \(reference.segmentShares.count) segment shares for \(labels.count) segments")
            }
        }
        let expected = BundleManifest.InputSchema(transform: transform)
        guard bundle.manifest.inputSchema == expected else {
            throw inconsistent("the manifest's input schema does not match the transform's inputs")
        }
        self.bundleId = bundle.manifest.bundleId
        self.manifest = bundle.manifest
        self.transform = transform
        self.segments = SegmentModel(projection: projection, centroids: centroids)
        self.segmentLabels = labels
        self.segmentNumbers = numbers
        self.booster = booster
        self.trees = FlatTreeEnsemble(booster)
        self.calibrator = calibrator
        self.program = transform.program()
        self.folded = self.segments.folded()
        self.reference = reference
        self.driftLayout = reference.map(DriftLayout.init)
        self.reasonModel = ReasonModel(transform: transform, booster: booster)
    }

    /// Reads and fully validates the bundle at `path` (a symlink such as `models/current` is followed).
    public static func load(path: String) throws(BundleError) -> ScoringModel {
        try ScoringModel(bundle: try BundleFile.read(path: path), path: path)
    }

    /// The response probability of a row's raw features (what the trainer writes for a test row).
    @inline(__always)
    public func probability(raw: UnsafeBufferPointer<Double>) -> Double {
        calibrator.apply(trees.probability(raw))
    }
}
