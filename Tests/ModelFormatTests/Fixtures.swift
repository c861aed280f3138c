import ModelFormat
import Numerics

/// Small hand-built values shared by the tests.
enum Fixtures {
    /// A transform with every reading kind and every recipe kind.
    static let transform = CleaningTransform(
        idColumn: "LNR",
        inputs: [
            InputColumn(name: "ALTERSKATEGORIE_GROB", reading: .number, unknownCodes: [9, -1, 0]),
            InputColumn(name: "CAMEO_DEU_2015", reading: .category(vocabulary: ["1A", "1B", "9E", "XX"]), unknownCodes: [3]),
            InputColumn(name: "EINGEFUEGT_AM", reading: .year, countsTowardMissingShare: false),
            InputColumn(name: "CAMEO_INTL_2015", reading: .number, unknownCodes: [-1]),
            InputColumn(name: "PRAEGENDE_JUGENDJAHRE", reading: .number, unknownCodes: [0, -1]),
            InputColumn(name: "LEER", reading: .category(vocabulary: [])),
        ],
        features: [
            FeatureSpec(name: "ALTERSKATEGORIE_GROB", recipe: .value(input: 0), fillValue: 3, mean: 2.79, scale: 1.02),
            FeatureSpec(name: "CAMEO_DEU_2015=1B", recipe: .indicator(input: 1, code: 1), mean: 0.05, scale: 0.21),
            FeatureSpec(name: "EINGEFUEGT_AM", recipe: .value(input: 2), fillValue: 1992, mean: 1995.2, scale: 3.1),
            FeatureSpec(name: "CAMEO_INTL_2015_WEALTH", recipe: .tensDigit(input: 3), fillValue: 3, mean: 3.2, scale: 1.5),
            FeatureSpec(name: "CAMEO_INTL_2015_LIFE", recipe: .unitsDigit(input: 3), fillValue: 3, mean: 2.9, scale: 1.4),
            FeatureSpec(
                name: "PJ_DECADE", recipe: .lookup(input: 4, table: [0, 40, 40, 50, 50, 60, 60, 60, 70, 70, 80, 80, 80, 80, 90, 90]),
                fillValue: 80, mean: 73.4, scale: 14.8),
            FeatureSpec(name: "MISSING_SHARE", recipe: .missingShare, mean: 0.1, scale: 0.2),
        ],
        maxRowMissingShare: 0.35)

    static let matrix = Matrix([[1, -2.5, 3e-300], [0.1, 0.2, -0.0]])

    static let manifest = BundleManifest(
        bundleId: "2026-11-29T0300Z-0badf00d",
        createdAt: "2026-11-29T03:00:00Z",
        prospectorVersion: "0.1.0",
        inputs: [
            BundleManifest.Input(name: "Udacity_AZDIAS_052018.csv", size: 1_100_000_000, contentHash: "xxh64:0123456789abcdef")
        ],
        inputSchema: BundleManifest.InputSchema(transform: transform),
        parameters: ["k": 8, "components": 0.9, "learningRate": 0.05, "nested": ["a": [1, "x", nil, true]]],
        metrics: ["auc": 0.781, "folds": [0.77, 0.79]],
        notes: "nightly run, über-careful")

    static func bundle() -> ModelBundle {
        var bundle = ModelBundle(manifest: manifest)
        bundle.setSection("transform", transform)
        bundle.setSection("pca", matrix)
        bundle.sections["raw"] = [1, 2, 3, 4, 5]
        bundle.sections["empty"] = []
        return bundle
    }
}
