import Foundation
import ModelFormat
import Testing

@testable import ScoringService

/// The scorer's drift gauges: counted over the rows it scores, against the bundle's reference.
@Suite struct DriftMetricsTests {
    /// The test bundle's inputs A, B, C with a hand-made population reference.
    static let reference = ReferenceDistribution(
        attributes: [
            .init(name: "A", binning: .codes([1, 2, 7]), shares: [0.5, 0.25, 0.25, 0, 0]),
            .init(name: "B", binning: .quantiles(edges: [0.5]), shares: [0.5, 0.5, 0]),
            .init(name: "C", binning: .codes([0, 1]), shares: [0.5, 0.5, 0, 0]),
        ],
        segmentShares: [0.5, 0.4, 0.1], rows: 1000)

    static func stream(_ bundle: ModelBundle, rows: Int, every: Int) throws -> (ScorerMetrics, ModelDirectory) {
        let directory = try ModelDirectory()
        try directory.install(bundle, as: "b.bundle")
        let metrics = ScorerMetrics(driftWindow: 1000)
        let stream = ScoringStream(
            models: try ServedModel(path: directory.current), options: StreamOptions(workers: 1, driftSampleEvery: every),
            metrics: metrics)
        var input = "LNR;A;B;C\n"
        for i in 0..<rows { input += "\(i);2;0;x\n" }
        var out: [UInt8] = []
        stream.feed(Array(input.utf8), endOfInput: true, into: &out)
        return (metrics, directory)
    }

    @Test func psiAndSegmentSharesOfTheScoredRows() throws {
        var bundle = TestBundles.bundle(id: "v1", initialScore: 0)
        bundle.setSection(BundleSection.reference, Self.reference)
        // 200 rows, every 2nd counted: 100 rows with A = 2, B = 0 (≤ 0.5), C = x (code 0), segment 1 (index 0).
        let (metrics, directory) = try Self.stream(bundle, rows: 200, every: 2)
        _ = directory
        let window = try #require(metrics.drift.window)
        #expect(window.rows == 100)
        let text = metrics.prometheusText()
        // A: all in bin "2" (population 0.25): (1 − 0.25)·ln(1/0.25) + (0.0001 − 0.5)·ln(0.0001/0.5) + (0.0001 − 0.25)·ln(0.0001/0.25).
        let a = 0.75 * log(4.0) + (0.0001 - 0.5) * log(0.0001 / 0.5) + (0.0001 - 0.25) * log(0.0001 / 0.25)
        #expect(abs(window.psi(attribute: 0)! - a) < 1e-12)
        #expect(text.contains("scorer_feature_psi{attribute=\"B\"}"))
        #expect(text.contains("scorer_segment_share{segment=\"1\"} 1.0"))
        #expect(text.contains("scorer_segment_share{segment=\"0\"} 0.0"))
        #expect(text.contains("scorer_drift_window_rows 100"))
    }

    @Test func theWindowDropsOldBlocks() throws {
        let layout = DriftLayout(Self.reference)
        let monitor = DriftMonitor(windowRows: 100)
        var block = DriftCounts(layout: layout)
        let row: [Double] = [1, 0, 0]
        for _ in 0..<10 { row.withUnsafeBufferPointer { block.add(inputs: $0, segment: 0) } }
        // 10 blocks of 10 rows fill the window; the 11th pushes the first out.
        for _ in 0..<10 { monitor.absorb(block) }
        #expect(monitor.window?.rows == 90)
        for _ in 0..<25 { monitor.absorb(block) }
        #expect(monitor.window?.rows == 90)
    }

    @Test func aBundleWithoutReferenceExportsNoPSI() throws {
        let (metrics, directory) = try Self.stream(TestBundles.bundle(id: "old", initialScore: 0), rows: 200, every: 1)
        _ = directory
        #expect(metrics.drift.window == nil)
        #expect(!metrics.prometheusText().contains("scorer_feature_psi"))
    }
}
