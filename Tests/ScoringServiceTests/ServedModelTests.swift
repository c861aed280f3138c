import Foundation
import ModelFormat
import Testing

@testable import ScoringService

@Suite("Served model and metrics")
struct ServedModelTests {
    @Test("a corrupt new bundle is refused once and counted; the old one keeps serving")
    func corruptBundle() throws {
        let directory = try ModelDirectory()
        try directory.install(TestBundles.bundle(id: "v1", initialScore: 0), as: "v1.bundle")
        let metrics = ScorerMetrics()
        let models = try ServedModel(path: directory.current, metrics: metrics)
        #expect(models.reloadIfChanged() == .unchanged)
        try directory.installCorrupt(as: "broken.bundle")
        guard case .failed(let message) = models.reloadIfChanged() else {
            Issue.record("a corrupt bundle was not refused")
            return
        }
        #expect(message.contains("broken.bundle") || message.contains("current"))
        #expect(models.current.bundleId == "v1")
        // The same broken file is not retried (and logged) at every poll.
        #expect(models.reloadIfChanged() == .unchanged)
        #expect(metrics.snapshot.reloadFailures == 1)
        try directory.install(TestBundles.bundle(id: "v2", initialScore: 2), as: "v2.bundle")
        #expect(models.reloadIfChanged() == .swapped(from: "v1", to: "v2"))
        #expect(metrics.snapshot.reloads == 1)
        #expect(metrics.snapshot.bundleId == "v2")
    }

    @Test("a missing bundle at start is an error naming the path")
    func missingAtStart() throws {
        let directory = try ModelDirectory()
        #expect(throws: BundleError.self) { try ServedModel(path: directory.current) }
    }

    @Test("the Prometheus text counts rows, error rows and the latency histogram")
    func prometheusText() throws {
        let directory = try ModelDirectory()
        try directory.install(TestBundles.bundle(id: "v1", initialScore: 0), as: "v1.bundle")
        let metrics = ScorerMetrics()
        let models = try ServedModel(path: directory.current, metrics: metrics)
        let stream = ScoringStream(models: models, metrics: metrics)
        var out: [UInt8] = []
        stream.feed(Array(ScoringStreamTests.rows.utf8), endOfInput: true, into: &out)
        let text = metrics.prometheusText()
        let lines = Set(text.split(separator: "\n").map(String.init))
        #expect(lines.contains("scorer_rows_scored_total 4"))
        #expect(lines.contains("scorer_error_rows_total 2"))
        #expect(lines.contains("scorer_row_latency_seconds_count 6"))
        #expect(lines.contains("scorer_row_latency_seconds_bucket{le=\"+Inf\"} 6"))
        #expect(lines.contains("scorer_bundle_info{bundle_id=\"v1\"} 1"))
        #expect(lines.contains("# TYPE scorer_row_latency_seconds histogram"))
    }
}
