import Foundation
import Numerics
import Testing

@testable import ModelFormat

/// Bundles whose checksums are all valid but whose values are not: each is written the way the
/// trainer writes a bundle (so every checksum matches), read back, and must be refused before
/// a model is built, with an error naming the section and the value.
@Suite struct BundleValueTests {
    /// The error loading `bundle` gives after a full encode/decode round (valid checksums).
    static func refusal(_ bundle: ModelBundle) -> BundleError? {
        do {
            let bytes = try BundleFile.encode(bundle)
            _ = try ScoringModel(bundle: try BundleFile.decode(bytes, path: "crafted.bundle"), path: "crafted.bundle")
            return nil
        } catch {
            return error
        }
    }

    /// The fixture bundle with one section replaced.
    static func bundle(_ section: String, _ value: some BinaryCodable) -> ModelBundle {
        var bundle = ScoringFixtures.bundle()
        bundle.setSection(section, value)
        return bundle
    }

    static func transform(_ change: (inout CleaningTransform) -> Void) -> ModelBundle {
        var transform = ScoringFixtures.transform
        change(&transform)
        var bundle = bundle(BundleSection.transform, transform)
        bundle.manifest.inputSchema = .init(transform: transform)
        return bundle
    }

    static func trees(_ change: (inout TreeEnsemble) -> Void) -> ModelBundle {
        var trees = ScoringFixtures.trees
        change(&trees)
        return bundle(BundleSection.booster, trees)
    }

    static let pca = PCAProjection(
        mean: [0, 0], components: Matrix(rows: 1, columns: 2, values: [1, 0]), explainedVariance: [4],
        explainedVarianceRatio: [0.8])

    static func pca(_ change: (inout PCAProjection) -> Void) -> ModelBundle {
        var projection = pca
        change(&projection)
        return bundle(BundleSection.pca, projection)
    }

    @Test("the valid fixture bundle still loads after the round trip")
    func validBundleLoads() {
        #expect(Self.refusal(ScoringFixtures.bundle()) == nil)
        #expect(Self.refusal(ScoringFixtures.bundle(calibrator: .platt(a: 1.2, b: -0.3))) == nil)
        #expect(Self.refusal(ScoringFixtures.bundle(calibrator: .isotonic(thresholds: [0, 0.5, 1], values: [0, 0.2, 1]))) == nil)
    }

    @Test("a non-finite calibration is refused, naming the section and the value")
    func calibration() {
        #expect(Self.refusal(ScoringFixtures.bundle(calibrator: .platt(a: .nan, b: 0))) == .invalidValue(
            section: "calibration", field: "platt.a", problem: "nan is not a finite number"))
        #expect(Self.refusal(ScoringFixtures.bundle(calibrator: .platt(a: 1, b: .infinity))) == .invalidValue(
            section: "calibration", field: "platt.b", problem: "inf is not a finite number"))
        #expect(Self.refusal(ScoringFixtures.bundle(calibrator: .isotonic(thresholds: [0, .infinity], values: [0, 1])))
            == .invalidValue(section: "calibration", field: "isotonic.thresholds[1]", problem: "inf is not a finite number"))
        #expect(Self.refusal(ScoringFixtures.bundle(calibrator: .isotonic(thresholds: [0, 1], values: [0, 1.5])))
            == .invalidValue(section: "calibration", field: "isotonic.values[1]", problem: "1.5 is outside 0.0...1.0"))
        #expect(Self.refusal(ScoringFixtures.bundle(calibrator: .isotonic(thresholds: [0, 1], values: [.nan, 1])))
            == .invalidValue(section: "calibration", field: "isotonic.values[0]", problem: "nan is outside 0.0...1.0"))
    }

    @Test("non-finite transform statistics and codes are refused")
    func transformNumbers() {
        #expect(Self.refusal(Self.transform { $0.features[1].scale = .nan }) == .invalidValue(
            section: "transform", field: "features[1] 'B'.scale", problem: "nan is not a finite number"))
        #expect(Self.refusal(Self.transform { $0.features[1].scale = 0 }) == .invalidValue(
            section: "transform", field: "features[1] 'B'.scale", problem: "0.0 is not a positive number"))
        #expect(Self.refusal(Self.transform { $0.features[0].mean = -.infinity }) == .invalidValue(
            section: "transform", field: "features[0] 'A'.mean", problem: "-inf is not a finite number"))
        #expect(Self.refusal(Self.transform { $0.features[0].fillValue = .nan }) == .invalidValue(
            section: "transform", field: "features[0] 'A'.fillValue", problem: "nan is not a finite number"))
        #expect(Self.refusal(Self.transform { $0.features[0].recipe = .indicator(input: 0, code: .nan) }) == .invalidValue(
            section: "transform", field: "features[0] 'A'.indicator code", problem: "nan is not a finite number"))
        #expect(Self.refusal(Self.transform { $0.features[0].recipe = .lookup(input: 0, table: [.nan, 1, .infinity]) })
            == .invalidValue(section: "transform", field: "features[0] 'A'.lookup table[2]", problem: "inf is neither a number nor missing"))
        #expect(Self.refusal(Self.transform { $0.inputs[1].unknownCodes = [9, .nan] }) == .invalidValue(
            section: "transform", field: "inputs[1] 'B'.unknownCodes[1]", problem: "nan is not a finite number"))
        #expect(Self.refusal(Self.transform { $0.maxRowMissingShare = .nan }) == .invalidValue(
            section: "transform", field: "maxRowMissingShare", problem: "nan is outside 0.0...1.0"))
        // A lookup table may hold NaN: it maps a code to "missing".
        #expect(Self.refusal(Self.transform { $0.features[0].recipe = .lookup(input: 0, table: [.nan, 1]) }) == nil)
    }

    @Test("names and labels with line breaks or control characters are refused")
    func names() {
        #expect(Self.refusal(Self.bundle(
            BundleSection.segmentLabels, SegmentLabels(labels: ["under-represented", "co\nre", "insufficient-data"])))
            == .invalidValue(section: "segmentLabels", field: "labels[1]",
                             problem: "'co\\nre' holds the control character U+000A (names must be one printable line)"))
        #expect(Self.refusal(Self.bundle(
            BundleSection.segmentLabels, SegmentLabels(labels: ["under-represented", "", "insufficient-data"])))
            == .invalidValue(section: "segmentLabels", field: "labels[1]", problem: "the text is empty"))
        #expect(Self.refusal(ScoringFixtures.bundle(id: "2026-11-29T0300Z\n00000001")) == .invalidValue(
            section: "manifest", field: "bundleId",
            problem: "'2026-11-29T0300Z\\n00000001' holds the control character U+000A (names must be one printable line)"))
        #expect(Self.refusal(Self.transform { $0.idColumn = "LN\u{0}R" }) == .invalidValue(
            section: "transform", field: "idColumn",
            problem: "'LN\\0R' holds the control character U+0000 (names must be one printable line)"))
        #expect(Self.refusal(Self.transform { $0.inputs[0].name = "A\r" })?.description.contains("inputs[0]") == true)
        #expect(Self.refusal(Self.transform { $0.features[0].name = "A\tB" })?.description.contains("features[0]") == true)
        #expect(Self.refusal(Self.transform { $0.inputs[0].reading = .category(vocabulary: ["x", "y\u{1B}"]) })
            == .invalidValue(section: "transform", field: "inputs[0] 'A'.vocabulary[1]",
                             problem: "'y\\u{1B}' holds the control character U+001B (names must be one printable line)"))
    }

    @Test("non-finite PCA, centroid, tree and logistic values are refused")
    func modelNumbers() {
        #expect(Self.refusal(Self.pca { $0.mean[1] = .nan }) == .invalidValue(
            section: "pca", field: "mean[1]", problem: "nan is not a finite number"))
        #expect(Self.refusal(Self.pca { $0.components.values[0] = .infinity }) == .invalidValue(
            section: "pca", field: "components[0]", problem: "inf is not a finite number"))
        #expect(Self.refusal(Self.pca { $0.explainedVariance[0] = .nan }) == .invalidValue(
            section: "pca", field: "explainedVariance[0]", problem: "nan is not a finite number"))
        #expect(Self.refusal(Self.bundle(
            BundleSection.centroids, SegmentCentroids(centroids: Matrix(rows: 2, columns: 1, values: [-1, .nan]))))
            == .invalidValue(section: "centroids", field: "centroids[1]", problem: "nan is not a finite number"))
        #expect(Self.refusal(Self.trees { $0.threshold[0] = .nan }) == .invalidValue(
            section: "booster", field: "threshold[0]", problem: "nan is not a finite number"))
        #expect(Self.refusal(Self.trees { $0.leafValue[1] = .infinity }) == .invalidValue(
            section: "booster", field: "leafValue[1]", problem: "inf is not a finite number"))
        #expect(Self.refusal(Self.trees { $0.initialScore = -.infinity }) == .invalidValue(
            section: "booster", field: "initialScore", problem: "-inf is not a finite number"))
        for (change, field) in [
            ({ (m: inout LogisticModel) in m.weights[1] = .nan }, "weights[1]"),
            ({ (m: inout LogisticModel) in m.means[0] = .infinity }, "means[0]"),
            ({ (m: inout LogisticModel) in m.intercept = .nan }, "intercept"),
        ] {
            var logistic = LogisticModel(means: [0, 0], scales: [1, 1], weights: [0.5, -0.25], intercept: -2)
            change(&logistic)
            // The scorer does not read the logistic model: the section is checked where it is decoded.
            #expect(throws: BundleError.invalidValue(section: "logistic", field: field, problem: "\(field == "means[0]" ? "inf" : "nan") is not a finite number")) {
                try Self.bundle(BundleSection.logistic, logistic).section(BundleSection.logistic, as: LogisticModel.self)
            }
        }
    }

    @Test("the error says which section and value to look at")
    func message() {
        let error = BundleError.invalidValue(section: "calibration", field: "platt.a", problem: "nan is not a finite number")
        #expect(error.description == "section 'calibration': invalid value platt.a: nan is not a finite number")
    }
}
