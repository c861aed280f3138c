import Foundation
import ModelFormat
import Report

/// The report of a bundle, rebuilt from its report section alone (`trainer report`); a bundle
/// written before format 1.2 kept the same data in its manifest.
package enum ReportFile {
    package enum Failure: Error, CustomStringConvertible {
        case noReport(bundleId: String)

        package var description: String {
            switch self {
            case .noReport(let id): "bundle \(id) has no report data (written by an older trainer?)"
            }
        }
    }

    package static func reportData(from bundle: ModelBundle) throws -> ReportData {
        guard let stored = try bundle.reportMetrics()["report"] else { throw Failure.noReport(bundleId: bundle.manifest.bundleId) }
        return try JSONDecoder().decode(ReportData.self, from: try JSONEncoder().encode(stored))
    }

    package static func render(_ bundle: ModelBundle) throws -> String {
        ReportRenderer.render(try reportData(from: bundle))
    }
}
