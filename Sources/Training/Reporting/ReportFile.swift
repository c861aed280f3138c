import Foundation
import ModelFormat
import Report

/// The report of a bundle, rebuilt from its manifest alone (`trainer report`).
package enum ReportFile {
    package enum Failure: Error, CustomStringConvertible {
        case noReport(bundleId: String)

        package var description: String {
            switch self {
            case .noReport(let id): "bundle \(id) has no report data in its manifest (written by an older trainer?)"
            }
        }
    }

    package static func reportData(from manifest: BundleManifest) throws -> ReportData {
        guard let stored = manifest.metrics["report"] else { throw Failure.noReport(bundleId: manifest.bundleId) }
        return try JSONDecoder().decode(ReportData.self, from: try JSONEncoder().encode(stored))
    }

    package static func render(_ manifest: BundleManifest) throws -> String {
        ReportRenderer.render(try reportData(from: manifest))
    }
}
