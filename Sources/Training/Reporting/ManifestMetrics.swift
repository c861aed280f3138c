import ModelFormat

/// What the manifest keeps of a run's metrics (format 1.2): the headline figures an operator
/// reads with any JSON tool (CV AUCs, trees, calibration, segment count, segment lineage, step
/// times). The whole
/// metrics (per-column cleaning report, segment table, ROC and lift curves, the report's data)
/// go to the bundle's `report` section, which the scorer never decodes: the manifest it decodes
/// on every reload stays a few kilobytes.
enum ManifestMetrics {
    /// Which members of a JSON object to keep: all of a value, or some of its members.
    indirect enum Selection {
        case all
        case members([String: Selection])

        static func keys(_ names: String...) -> Selection {
            .members(Dictionary(uniqueKeysWithValues: names.map { ($0, .all) }))
        }
    }

    static let crossValidation = Selection.keys("foldAUC", "meanAUC", "standardDeviationAUC", "pooledAUC")

    /// Under the same keys as in the report section, so a reader of either finds them by one path.
    static let headline = Selection.members([
        "cleaning": .keys("rows", "featureCount", "rowsAboveMissingThreshold", "maxColumnMissingShare", "maxRowMissingShare"),
        "segmentation": .keys("clusterCount", "components", "varianceTarget", "inertia", "fittedRows"),
        "response": .members([
            "rows": .all, "positives": .all, "chosenTrees": .all, "calibration": .all, "expectedCalibrationError": .all,
            "meanOutOfFoldProbability": .all, "booster": crossValidation, "logistic": crossValidation,
        ]),
        // The whole lineage (previous bundle, each segment's match distance and shares then
        // and now, vanished segments): a retrain's numbering must be auditable from the
        // manifest alone. A kilobyte or two for ten segments.
        "segmentLineage": .all,
        "test": .all,
        "stepSeconds": .all,
    ])

    /// The members of `metrics` that ``headline`` selects.
    static func headline(of metrics: [String: JSONValue]) -> [String: JSONValue] {
        guard case .object(let kept) = select(.object(metrics), headline) else { return [:] }
        return kept
    }

    static func select(_ value: JSONValue, _ selection: Selection) -> JSONValue {
        guard case .members(let wanted) = selection, case .object(let members) = value else { return value }
        var kept: [String: JSONValue] = [:]
        for (key, inner) in wanted {
            if let member = members[key] { kept[key] = select(member, inner) }
        }
        return .object(kept)
    }
}
