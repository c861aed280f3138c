import Foundation
import ModelFormat
import Numerics
import ScoringService

/// A tiny bundle whose answers can be worked out by hand.
///
/// Inputs `A` (number, -1 = unknown), `B` (number), `C` (category x/y); features A, B, C==y,
/// all unscaled. PCA keeps A and B as they are; centroids (0,0) "core" and (10,10) "neutral".
/// Two trees: A <= 5 (missing: left) → -1 else +1; B <= 0.5 (missing: right) → -0.5 else +0.5.
/// The probability is sigmoid(initialScore + the two leaves); `initialScore` tells versions apart.
enum TestBundles {
    static let transform = CleaningTransform(
        idColumn: "LNR",
        inputs: [
            InputColumn(name: "A", reading: .number, unknownCodes: [-1]),
            InputColumn(name: "B", reading: .number),
            InputColumn(name: "C", reading: .category(vocabulary: ["x", "y"])),
        ],
        features: [
            FeatureSpec(name: "A", recipe: .value(input: 0)),
            FeatureSpec(name: "B", recipe: .value(input: 1)),
            FeatureSpec(name: "C=y", recipe: .indicator(input: 2, code: 1)),
        ],
        maxRowMissingShare: 0.5)

    static func bundle(id: String, initialScore: Double) -> ModelBundle {
        var manifest = BundleManifest(
            bundleId: id, createdAt: "2026-11-29T03:00:00Z", prospectorVersion: "test",
            inputSchema: BundleManifest.InputSchema(transform: transform))
        manifest.notes = "hand-built for the scorer tests"
        var bundle = ModelBundle(manifest: manifest)
        bundle.setSection(BundleSection.transform, transform)
        bundle.setSection(
            BundleSection.pca,
            PCAProjection(
                mean: [0, 0, 0], components: Matrix([[1, 0, 0], [0, 1, 0]]), explainedVariance: [1, 1],
                explainedVarianceRatio: [0.5, 0.5]))
        bundle.setSection(BundleSection.centroids, SegmentCentroids(centroids: Matrix([[0, 0], [10, 10]])))
        bundle.setSection(BundleSection.segmentLabels, SegmentLabels(labels: ["core", "neutral", "insufficient-data"]))
        var trees = TreeEnsemble(featureCount: 3, initialScore: initialScore)
        trees.appendTree(
            splitFeature: [0], threshold: [5], defaultLeft: [true], leftChild: [~0], rightChild: [~1], leafValue: [-1, 1])
        trees.appendTree(
            splitFeature: [1], threshold: [0.5], defaultLeft: [false], leftChild: [~0], rightChild: [~1],
            leafValue: [-0.5, 0.5])
        bundle.setSection(BundleSection.booster, trees)
        bundle.setSection(BundleSection.calibration, ProbabilityCalibrator.none)
        return bundle
    }

    /// A bundle needing a column `D` that the test streams do not have.
    static func bundleNeedingD(id: String) -> ModelBundle {
        var wider = transform
        wider.inputs.append(InputColumn(name: "D", reading: .number))
        var bundle = self.bundle(id: id, initialScore: 0)
        bundle.manifest.inputSchema = BundleManifest.InputSchema(transform: wider)
        bundle.setSection(BundleSection.transform, wider)
        return bundle
    }
}

/// A scratch directory with `models/current` → a bundle, switched the way the trainer does it.
final class ModelDirectory: Sendable {
    let root: String
    var current: String { root + "/current" }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("scorer-test-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Writes `bundle` as `name` and points `current` at it (a new symlink renamed over the old).
    func install(_ bundle: ModelBundle, as name: String) throws {
        try BundleFile.write(bundle, to: root + "/" + name)
        try point(at: name)
    }

    func point(at name: String) throws {
        let temporary = root + "/.current.\(UUID().uuidString.prefix(8))"
        try FileManager.default.createSymbolicLink(atPath: temporary, withDestinationPath: name)
        guard rename(temporary, current) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// A file that is not a bundle, installed as `name` and made current.
    func installCorrupt(as name: String) throws {
        try Data("not a bundle at all".utf8).write(to: URL(fileURLWithPath: root + "/" + name))
        try point(at: name)
    }

    func path(_ name: String) -> String { root + "/" + name }

    /// A fresh directory serving bundle v1 (initial score 0), the start of most suites.
    static func servingV1(metrics: ScorerMetrics? = nil) throws -> (ModelDirectory, ServedModel) {
        let directory = try ModelDirectory()
        try directory.install(TestBundles.bundle(id: "v1", initialScore: 0), as: "v1.bundle")
        return (directory, try ServedModel(path: directory.current, metrics: metrics))
    }
}

/// The answers the hand-built bundle gives (probabilities: Python's `repr` of
/// `1/(1+exp(-z))` for z >= 0 and `exp(z)/(1+exp(z))` below, as `Logistic.sigmoid` computes).
enum Expected {
    /// sigmoid(z) for the scores the test rows reach.
    static let sigmoid: [Double: String] = [
        -1.5: "0.18242552380635632", -0.5: "0.37754066879814546", 0.5: "0.6224593312018546",
        1.5: "0.8175744761936437", 2.5: "0.9241418199787566", 3.5: "0.9706877692486436",
    ]
}
