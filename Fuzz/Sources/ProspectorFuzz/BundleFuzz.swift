@testable import ModelFormat

/// The bundle reader. The first byte picks what the rest is:
/// - 0: a whole bundle file (container layout and checksums, then the models);
/// - 1: the manifest's JSON;
/// - 2...: one model section of the fixture bundle (see `sections`), replaced by the rest, so
///   the section decoders and the cross-checks between the models get inputs a checksum
///   would otherwise refuse (the file round trip is left to mode 0: it costs more than the rest).
/// A bundle that loads must then score rows without trapping.
enum BundleFuzz {
    static let sections = [
        BundleSection.transform, BundleSection.pca, BundleSection.centroids, BundleSection.segmentLabels,
        BundleSection.booster, BundleSection.calibration,
    ]

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        guard let mode = input.first else { return }
        let rest = Array(input[1...])
        switch Int(mode) % (2 + sections.count) {
        case 0:
            guard let bundle = try? BundleFile.decode(rest, path: "fuzz.bundle") else { return }
            load(bundle)
        case 1:
            _ = try? BundleManifest.decode(json: rest[...], path: "fuzz.bundle")
        case let section:
            var bundle = FuzzFixtures.bundle
            bundle.sections[sections[section - 2]] = rest
            load(bundle)
        }
    }

    /// Validates `bundle` as the scorer does and, when it is accepted, scores rows with it.
    static func load(_ bundle: ModelBundle) {
        guard let model = try? ScoringModel(bundle: bundle, path: "fuzz.bundle") else { return }
        let header = [model.transform.idColumn] + model.transform.inputs.map(\.name)
        // Two rows: every input 1, then every input missing.
        let rows = [header, ["7"] + header.dropFirst().map { _ in "1" }, ["8"] + header.dropFirst().map { _ in "" }]
        let text = rows.map { $0.joined(separator: ";") }.joined(separator: "\n") + "\n"
        _ = try? BatchScorer.score(Array(text.utf8), model: model)
    }
}
