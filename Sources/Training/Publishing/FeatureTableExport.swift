import ModelFormat
import Tabular

/// The bundle's engineered features of a data file, as the trees see them, and their exact
/// SHAP contributions: what `trainer export --format features|contributions` writes, so that
/// another tool (LightGBM on the exported model) can be fed and compared row by row.
///
/// Comma-separated, a header line, one line per row of the input in order; numbers with the
/// shortest digits that read back to the same double, a missing feature as `nan`.
package enum FeatureTableExport {
    package enum Failure: Error, Sendable, CustomStringConvertible {
        case input(String)
        case noNodeStatistics(bundle: String)

        package var description: String {
            switch self {
            case .input(let problem): problem
            case .noNodeStatistics(let bundle):
                "bundle \(bundle) has no node statistics in its trees (written before format 1.1): retrain it to get SHAP values"
            }
        }
    }

    /// `LNR,raw_score,FEATURE…`: the id, the trees' raw score (log-odds) and every raw feature.
    package static func features(of table: Table, model: ScoringModel) throws(Failure) -> [UInt8] {
        let matrix = try rawFeatures(table, model: model)
        let p = matrix.columns
        var out = Array(([model.transform.idColumn, "raw_score"] + model.transform.featureNames).joined(separator: ",").utf8)
        out.append(UInt8(ascii: "\n"))
        let ids = table[model.transform.idColumn]
        matrix.raw.withUnsafeBufferPointer { raw in
            for r in 0..<matrix.rows {
                let row = UnsafeBufferPointer(rebasing: raw[(r * p)..<((r + 1) * p)])
                line(id: ids?.value(row: r).text ?? "row \(r + 1)", values: [model.booster.rawScore(row)] + Array(row), to: &out)
            }
        }
        return out
    }

    /// `LNR,FEATURE…,expected_value`: every feature's SHAP contribution to the raw score, then
    /// the expected value (the layout of LightGBM's `pred_contrib`).
    package static func contributions(of table: Table, model: ScoringModel) throws(Failure) -> [UInt8] {
        guard let reasons = model.reasonModel else { throw .noNodeStatistics(bundle: model.bundleId) }
        let matrix = try rawFeatures(table, model: model)
        let p = matrix.columns
        var out = Array(([model.transform.idColumn] + model.transform.featureNames + ["expected_value"]).joined(separator: ",").utf8)
        out.append(UInt8(ascii: "\n"))
        let ids = table[model.transform.idColumn]
        let explainer = RowExplainer(model: reasons, count: 0)
        matrix.raw.withUnsafeBufferPointer { raw in
            for r in 0..<matrix.rows {
                let row = UnsafeBufferPointer(rebasing: raw[(r * p)..<((r + 1) * p)])
                let phi = explainer.featureContributions(raw: row)
                line(id: ids?.value(row: r).text ?? "row \(r + 1)", values: phi + [reasons.shap.expectedValue], to: &out)
            }
        }
        return out
    }

    private static func rawFeatures(_ table: Table, model: ScoringModel) throws(Failure) -> FeatureMatrix {
        do {
            return try model.transform.transform(table: table, parts: .raw)
        } catch {
            throw .input("\(error)")
        }
    }

    private static func line(id: String, values: [Double], to out: inout [UInt8]) {
        out.append(contentsOf: id.utf8)
        for v in values {
            out.append(UInt8(ascii: ","))
            out.append(contentsOf: (v.isNaN ? "nan" : String(v)).utf8)
        }
        out.append(UInt8(ascii: "\n"))
    }
}
