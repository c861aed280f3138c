import Foundation
import ModelFormat
import Testing

@testable import ScoringService

@Suite("Reloading a bundle with bad values")
struct InvalidValueReloadTests {
    @Test("a bundle with valid checksums but a NaN calibration is refused on reload; the old one keeps serving")
    func nanCalibrationRefused() throws {
        let directory = try ModelDirectory()
        try directory.install(TestBundles.bundle(id: "v1", initialScore: 0), as: "v1.bundle")
        let metrics = ScorerMetrics()
        let models = try ServedModel(path: directory.current, metrics: metrics)
        var bad = TestBundles.bundle(id: "v2", initialScore: 0)
        bad.setSection(BundleSection.calibration, ProbabilityCalibrator.platt(a: .nan, b: 0))
        try directory.install(bad, as: "v2.bundle")
        guard case .failed(let message) = models.reloadIfChanged() else {
            Issue.record("a bundle with a NaN calibration was swapped in")
            return
        }
        #expect(message.contains("section 'calibration': invalid value platt.a: nan is not a finite number"), "\(message)")
        #expect(models.current.bundleId == "v1")
        #expect(metrics.snapshot.reloadFailures == 1)
    }
}
