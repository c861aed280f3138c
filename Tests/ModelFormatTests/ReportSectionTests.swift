import Foundation
import Testing

@testable import ModelFormat

/// The `report` section (format 1.2): the report's data leaves the manifest, the scorer never
/// decodes it, and bundles written before it (their report in the manifest) still load.
@Suite struct ReportSectionTests {
    static let metrics: [String: JSONValue] = [
        "response": ["booster": ["meanAUC": 0.77, "roc": [[0, 0], [0.5, 0.75], [1, 1]]]],
        "report": ["segments": ["rows": [["id": 1, "label": "core"]]]],
    ]

    static func bundle() throws -> ModelBundle {
        var bundle = ScoringFixtures.bundle()
        try bundle.setReport(metrics)
        return bundle
    }

    @Test("the report is its own section, in name order, and reads back as written")
    func roundTrip() throws {
        let bundle = try Self.bundle()
        let bytes = try BundleFile.encode(bundle)
        let layout = Layout(bytes)
        #expect(layout.sections.map(\.name) == [
            "manifest", "booster", "calibration", "centroids", "logistic", "pca", "report", "segmentLabels", "transform",
        ])
        let section = try #require(layout.sections.first { $0.name == "report" })
        // Sorted keys, no spaces: the bytes are fixed by the metrics (written out by hand).
        #expect(String(decoding: bytes[section.offset..<section.end], as: UTF8.self)
            == #"{"report":{"segments":{"rows":[{"id":1,"label":"core"}]}},"response":{"booster":{"meanAUC":0.77,"roc":[[0,0],[0.5,0.75],[1,1]]}}}"#)
        let loaded = try BundleFile.decode(bytes, path: "model.bundle")
        #expect(loaded == bundle)
        #expect(loaded.sections["report"] == nil)
        #expect(try loaded.reportMetrics() == Self.metrics)
        // The report records the run: it is not part of what the bundle id identifies.
        #expect(loaded.contentHash == ScoringFixtures.bundle().contentHash)
        #expect(try BundleFile.encode(try Self.bundle()) == bytes)
    }

    @Test("a report the scorer cannot read does not stop it: only trainer report and inspect decode it")
    func scorerIgnoresTheReport() throws {
        var bundle = try Self.bundle()
        bundle.report = Array("{\"report\": [1, 2".utf8)
        let loaded = try BundleFile.decode(try BundleFile.encode(bundle), path: "model.bundle")
        let model = try ScoringModel(bundle: loaded, path: "model.bundle")
        #expect(model.bundleId == "2026-11-29T0300Z-00000001")
        #expect(throws: BundleError.self) { _ = try loaded.reportMetrics() }
        do {
            _ = try loaded.reportMetrics()
        } catch {
            #expect(error.description.hasPrefix("bundle '2026-11-29T0300Z-00000001': invalid report section: "), "\(error)")
        }
        // A corrupt report section is still caught by its checksum, like any other.
        var bytes = try BundleFile.encode(try Self.bundle())
        let section = try #require(Layout(bytes).sections.first { $0.name == "report" })
        bytes[section.offset + 2] ^= 0x01
        #expect(throws: BundleError.sectionCorrupt(path: "model.bundle", section: "report")) {
            _ = try BundleFile.decode(bytes, path: "model.bundle")
        }
    }

    @Test("a format 1.1 bundle, its report in the manifest's metrics, loads and gives that report")
    func formatOnePointOne() throws {
        var bundle = ScoringFixtures.bundle()
        bundle.manifest.formatVersion = "1.1"
        bundle.manifest.metrics = Self.metrics
        var bytes = try BundleFile.encode(bundle)
        bytes[10] = 1  // minor version 1, as a 1.1 writer stamps it
        Layout.reseal(&bytes)
        let loaded = try BundleFile.decode(bytes, path: "old.bundle")
        #expect(loaded.report == nil)
        #expect(try loaded.reportMetrics() == Self.metrics)
        #expect(try ScoringModel(bundle: loaded, path: "old.bundle").bundleId == "2026-11-29T0300Z-00000001")
    }

    @Test("the report's name is reserved and its numbers must be finite")
    func writeRefusals() throws {
        var bundle = ScoringFixtures.bundle()
        bundle.sections["report"] = [1]
        #expect(throws: BundleError.invalidSectionName(name: "report", problem: "the name is reserved for the report (ModelBundle.report)")) {
            _ = try BundleFile.encode(bundle)
        }
        bundle = ScoringFixtures.bundle()
        #expect(throws: BundleError.unencodableReport(problem: "report.response.auc[1] is not a finite number, which JSON cannot hold")) {
            try bundle.setReport(["response": ["auc": [0.7, .number(.infinity)]]])
        }
        #expect(bundle.report == nil)
    }
}
