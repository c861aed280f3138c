import Foundation
import ModelFormat
import Testing

@testable import ScoringService

/// `scorer --reasons N` through the stream protocol, on `TestBundles`' model with node counts:
/// tree 1 "A <= 5" sent 30 training rows left (-1) and 10 right (+1), so its expected output is
/// -0.5; tree 2 "B <= 0.5" sent 20 each way (-0.5, +0.5), expected 0. A row's SHAP value of A is
/// its tree-1 leaf + 0.5, of B its tree-2 leaf. The segment pulls are the centre (10, 10)'s
/// coordinates times the row's A and B (and 0 towards the centre (0, 0)).
@Suite("Scoring stream with reason codes")
struct ReasonStreamTests {
    let directory: ModelDirectory
    let models: ServedModel

    init() throws {
        var bundle = TestBundles.bundle(id: "v1", initialScore: 0)
        var trees = TreeEnsemble(featureCount: 3, initialScore: 0)
        trees.appendTree(
            splitFeature: [0], threshold: [5], defaultLeft: [true], leftChild: [~0], rightChild: [~1], leafValue: [-1, 1],
            statistics: .init(splitGain: [2], nodeCount: [40], nodeWeight: [9], leafCount: [30, 10], leafWeight: [6, 3]))
        trees.appendTree(
            splitFeature: [1], threshold: [0.5], defaultLeft: [false], leftChild: [~0], rightChild: [~1], leafValue: [-0.5, 0.5],
            statistics: .init(splitGain: [1], nodeCount: [40], nodeWeight: [9], leafCount: [20, 20], leafWeight: [4, 5]))
        bundle.setSection(BundleSection.booster, trees)
        directory = try ModelDirectory()
        try directory.install(bundle, as: "v1.bundle")
        models = try ServedModel(path: directory.current)
    }

    func answer(_ input: String, options: StreamOptions) -> String {
        let stream = ScoringStream(models: models, options: options)
        var out: [UInt8] = []
        stream.feed(Array(input.utf8), endOfInput: true, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test("CSV: two reason columns; ties in |contribution| by attribute order; error rows unchanged")
    func csv() {
        let input = "LNR;A;B;C\n1;2;0;x\n2;7;9;y\n4;abc;1;x\n"
        #expect(answer(input, options: StreamOptions(reasons: 2)) == """
            LNR;segment;segment_label;probability;reasons;segment_reasons
            1;1;core;0.18242552380635632;A:-0.500|B:-0.500;
            2;2;neutral;0.8175744761936437;A:+1.500|B:+0.500;B:+90.000|A:+70.000
            4;error;column A: 'abc' is not a number

            """)
        // Split over several workers, the answers are the same and in order.
        let many = "LNR;A;B;C\n" + (0..<300).map { "\($0);\($0 % 2 == 0 ? 2 : 7);\($0 % 2 == 0 ? 0 : 9);x\n" }.joined()
        let lines = answer(many, options: StreamOptions(workers: 2, parallelThreshold: 1, reasons: 1)).split(separator: "\n")
        #expect(lines.count == 301)
        #expect(lines[1].hasSuffix(";A:-0.500;") && lines[2].hasSuffix(";A:+1.500;B:+90.000"))
    }

    @Test("JSON Lines: full-precision arrays")
    func jsonl() {
        #expect(answer("LNR;A;B;C\n2;7;9;y\n", options: StreamOptions(style: .jsonl, reasons: 1)) == """
            {"LNR":"2","segment":2,"segment_label":"neutral","probability":0.8175744761936437,\
            "reasons":[{"attribute":"A","contribution":1.5}],"segment_reasons":[{"attribute":"B","pull":90.0}]}

            """)
    }
}
