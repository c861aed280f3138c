import Foundation
import Numerics
import Testing

@testable import ModelFormat

/// A model small enough to score by hand: two number inputs A and B (code 9 = unknown), features
/// A, B standardised with mean 0 and scale 1, a PCA that keeps A, two centroids at A = -1 and
/// A = 3, and one tree "B <= 2.5 (missing goes right)" with leaves -1 and +1 on a zero base score.
enum ScoringFixtures {
    static let transform = CleaningTransform(
        idColumn: "LNR",
        inputs: [
            InputColumn(name: "A", reading: .number, unknownCodes: [9]),
            InputColumn(name: "B", reading: .number, unknownCodes: [9]),
        ],
        features: [
            FeatureSpec(name: "A", recipe: .value(input: 0), fillValue: 0, mean: 0, scale: 1),
            FeatureSpec(name: "B", recipe: .value(input: 1), fillValue: 0, mean: 0, scale: 1),
        ],
        maxRowMissingShare: 0.5)

    static var trees: TreeEnsemble {
        var ensemble = TreeEnsemble(featureCount: 2, initialScore: 0)
        ensemble.appendTree(
            splitFeature: [1], threshold: [2.5], defaultLeft: [false], leftChild: [~0], rightChild: [~1], leafValue: [-1, 1])
        return ensemble
    }

    static func bundle(calibrator: ProbabilityCalibrator = .none, id: String = "2026-11-29T0300Z-00000001") -> ModelBundle {
        var bundle = ModelBundle(manifest: BundleManifest(
            bundleId: id, createdAt: "2026-11-29T03:00:00Z", prospectorVersion: "test",
            inputSchema: .init(transform: transform)))
        bundle.setSection(BundleSection.transform, transform)
        bundle.setSection(BundleSection.pca, PCAProjection(
            mean: [0, 0], components: Matrix(rows: 1, columns: 2, values: [1, 0]), explainedVariance: [4],
            explainedVarianceRatio: [0.8]))
        bundle.setSection(BundleSection.centroids, SegmentCentroids(centroids: Matrix(rows: 2, columns: 1, values: [-1, 3])))
        bundle.setSection(BundleSection.segmentLabels, SegmentLabels(labels: ["under-represented", "core", "insufficient-data"]))
        bundle.setSection(BundleSection.booster, trees)
        bundle.setSection(BundleSection.logistic, LogisticModel(means: [0, 0], scales: [1, 1], weights: [0.5, -0.25], intercept: -2))
        bundle.setSection(BundleSection.calibration, calibrator)
        return bundle
    }

    static func model(calibrator: ProbabilityCalibrator = .none) throws -> ScoringModel {
        try ScoringModel(bundle: bundle(calibrator: calibrator), path: "fixture")
    }
}

@Suite struct ScoringModelTests {
    /// sigmoid(-1) and sigmoid(1), written out.
    static let low = 1 / (1 + exp(1.0))
    static let high = 1 / (1 + exp(-1.0))

    @Test("rows are scored as worked out by hand: segment by the nearest centre, probability by the tree")
    func handScoredRows() throws {
        let model = try ScoringFixtures.model()
        let input = "LNR;B;EXTRA;A\n1;2;x;-2\n2;3;y;2.0\n3;;z;4\n4;9;w;9\n5;1;v\n6;abc;u;1\n7;2;t;X\n"
        let outcomes = try BatchScorer.score(Array(input.utf8), model: model)
        #expect(outcomes.count == 7)
        #expect(outcomes[0] == .scored(id: "1", segment: 0, probability: Self.low))  // A=-2 near -1; B=2 <= 2.5
        #expect(outcomes[1] == .scored(id: "2", segment: 1, probability: Self.high))  // A=2 near 3; B=3 > 2.5
        #expect(outcomes[2] == .scored(id: "3", segment: 1, probability: Self.high))  // B missing goes right
        // Both values are the unknown code 9: missing share 1 > 0.5, so insufficient data.
        #expect(outcomes[3] == .scored(id: "4", segment: 2, probability: Self.high))
        #expect(outcomes[4] == .failed(id: "5", message: "row has 3 fields, the header has 4"))
        #expect(outcomes[5] == .failed(id: "6", message: "column B: 'abc' is not a number"))
        // X is the CAMEO missing marker: read as missing, not an error (A missing, filled with 0 → nearer -1).
        #expect(outcomes[6] == .scored(id: "7", segment: 0, probability: Self.low))
    }

    @Test("the output format: header, segment numbers from 1, 0 for insufficient data, error lines, JSON Lines")
    func outputLines() throws {
        let model = try ScoringFixtures.model()
        let csv = ScoreFormat()
        #expect(csv.header(idColumn: "LNR") == "LNR;segment;segment_label;probability\n")
        #expect(csv.line(.scored(id: "1", segment: 0, probability: 0.25), model: model) == "1;1;under-represented;0.25\n")
        #expect(csv.line(.scored(id: "4", segment: 2, probability: 0.5), model: model) == "4;0;insufficient-data;0.5\n")
        #expect(csv.line(.failed(id: "5", message: "bad; value\nhere"), model: model) == "5;error;bad, value here\n")
        let versioned = ScoreFormat(withVersion: true)
        #expect(versioned.header(idColumn: "LNR") == "LNR;segment;segment_label;probability;bundle_id\n")
        #expect(versioned.line(.scored(id: "1", segment: 1, probability: 0.125), model: model)
            == "1;2;core;0.125;2026-11-29T0300Z-00000001\n")
        let jsonl = ScoreFormat(style: .jsonl)
        #expect(jsonl.header(idColumn: "LNR") == "")
        #expect(jsonl.line(.scored(id: "1", segment: 1, probability: 0.125), model: model)
            == #"{"LNR":"1","segment":2,"segment_label":"core","probability":0.125}"# + "\n")
        #expect(jsonl.line(.failed(id: "x\"y", message: "a\tb"), model: model) == #"{"LNR":"x\"y","error":"a\tb"}"# + "\n")
    }

    @Test("a comma header is detected; a missing required column fails the whole input, naming it")
    func headerHandling() throws {
        let model = try ScoringFixtures.model()
        let outcomes = try BatchScorer.score(Array("A,B,LNR\n-1,3,10\n".utf8), model: model)
        #expect(outcomes == [.scored(id: "10", segment: 0, probability: Self.high)])
        #expect(throws: BatchScorer.Failure.self) { try BatchScorer.score(Array("LNR;A\n1;2\n".utf8), model: model) }
        do {
            _ = try BatchScorer.score(Array("LNR;A\n1;2\n".utf8), model: model)
        } catch {
            #expect(error.description == "required column B is not in the header")
        }
    }

    // Issue 16, defect 3: `trainer predict` took the first of two same-named columns.
    @Test("a header naming an input twice fails the whole input with one message naming the column")
    func duplicateColumn() throws {
        let model = try ScoringFixtures.model()
        // With the first B winning, this row would score as B = 1; with the second, B = 9 (unknown).
        let input = Array("LNR;B;A;B\n1;1;0;9\n".utf8)
        #expect(throws: BatchScorer.Failure.self) { try BatchScorer.score(input, model: model) }
        do {
            _ = try BatchScorer.score(input, model: model)
        } catch {
            #expect(error.description == "column B appears 2 times in the header (fields 2, 4) and must appear once")
        }
    }

    @Test("calibration is applied after the trees (Platt: sigmoid(a·logit(p) + b))")
    func calibrationApplied() throws {
        let model = try ScoringFixtures.model(calibrator: .platt(a: 2, b: 0.5))
        let outcomes = try BatchScorer.score(Array("LNR;A;B\n1;0;1\n".utf8), model: model)
        // logit(sigmoid(-1)) = -1, so sigmoid(2·(-1) + 0.5) = sigmoid(-1.5).
        guard case .scored(_, _, let p, _) = outcomes[0] else { Issue.record("not scored"); return }
        #expect(abs(p - 1 / (1 + exp(1.5))) < 1e-15)
    }

    @Test("every model section survives a file round trip and decodes to the same values")
    func sectionsRoundTrip() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scoring-\(UUID()).bundle").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        for calibrator in [ProbabilityCalibrator.none, .platt(a: 1.5, b: -0.25), .isotonic(thresholds: [0.1, 0.2], values: [0.05, 0.3])] {
            let bundle = ScoringFixtures.bundle(calibrator: calibrator)
            try BundleFile.write(bundle, to: path)
            let loaded = try ScoringModel.load(path: path)
            #expect(loaded.transform == ScoringFixtures.transform)
            #expect(loaded.booster == ScoringFixtures.trees)
            #expect(loaded.calibrator == calibrator)
            #expect(loaded.segmentLabels == ["under-represented", "core", "insufficient-data"])
            #expect(loaded.segments.centroids.centroids.values == [-1, 3])
            let read = try BundleFile.read(path: path)
            #expect(try read.section(BundleSection.logistic, as: LogisticModel.self)
                == LogisticModel(means: [0, 0], scales: [1, 1], weights: [0.5, -0.25], intercept: -2))
        }
    }

    @Test("a flipped byte in any model section of a saved bundle is refused, naming the section")
    func corruptSectionsRefused() throws {
        let bytes = try BundleFile.encode(ScoringFixtures.bundle())
        let names = [BundleSection.transform, BundleSection.pca, BundleSection.centroids, BundleSection.segmentLabels,
                     BundleSection.booster, BundleSection.logistic, BundleSection.calibration]
        // The section table (FORMAT.md): 64-byte entries from byte 40, name in 32 bytes, then offset and length.
        let count = Int(bytes[12]) | Int(bytes[13]) << 8
        func word(_ at: Int) -> Int { (0..<8).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        let table = (0..<count).map { i -> (name: String, offset: Int, length: Int) in
            let at = 40 + 64 * i
            let name = String(decoding: bytes[at..<(at + 32)].prefix { $0 != 0 }, as: UTF8.self)
            return (name, word(at + 32), word(at + 40))
        }
        for name in names {
            let entry = try #require(table.first { $0.name == name })
            var damaged = bytes
            damaged[entry.offset + entry.length / 2] ^= 0x40
            #expect(throws: BundleError.sectionCorrupt(path: "b.bundle", section: name)) {
                try ScoringModel(bundle: try BundleFile.decode(damaged, path: "b.bundle"), path: "b.bundle")
            }
        }
    }

    @Test("trees whose children point backwards or outside, or split on a missing feature, are refused")
    func hostileTreesRefused() {
        var looping = ScoringFixtures.trees
        looping.appendTree(splitFeature: [0, 1], threshold: [0, 0], defaultLeft: [true, true],
                           leftChild: [1, 0], rightChild: [~0, ~1], leafValue: [0, 0, 0])
        #expect(throws: BundleError.self) { try TreeEnsemble(binary: looping.binaryEncoded()) }
        var outside = ScoringFixtures.trees
        outside.rightChild[0] = ~5
        #expect(throws: BundleError.self) { try TreeEnsemble(binary: outside.binaryEncoded()) }
        var wrongFeature = ScoringFixtures.trees
        wrongFeature.splitFeature[0] = 2
        #expect(throws: BundleError.self) { try TreeEnsemble(binary: wrongFeature.binaryEncoded()) }
        #expect((try? TreeEnsemble(binary: ScoringFixtures.trees.binaryEncoded())) == ScoringFixtures.trees)
    }

    @Test("sections that decode but do not fit together are refused with what disagrees")
    func inconsistentModelsRefused() {
        var bundle = ScoringFixtures.bundle()
        bundle.setSection(BundleSection.centroids, SegmentCentroids(centroids: Matrix(rows: 2, columns: 2, values: [0, 0, 1, 1])))
        #expect(throws: BundleError.inconsistentModels(
            path: "x", problem: "centroids have 2 coordinates, PCA keeps 1 components")) {
            try ScoringModel(bundle: bundle, path: "x")
        }
        var labels = ScoringFixtures.bundle()
        labels.setSection(BundleSection.segmentLabels, SegmentLabels(labels: ["core"]))
        #expect(throws: BundleError.self) { try ScoringModel(bundle: labels, path: "x") }
        var missing = ScoringFixtures.bundle()
        missing.sections[BundleSection.booster] = nil
        #expect(throws: BundleError.missingSection(path: "bundle '2026-11-29T0300Z-00000001'", section: "booster")) {
            try ScoringModel(bundle: missing, path: "x")
        }
    }
}
