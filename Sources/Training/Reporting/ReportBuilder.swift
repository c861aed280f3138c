import DIASMetadata
import Features
import ModelFormat
import Report

/// Gathers what the report shows from a run's summaries and the metadata catalog, in words a
/// campaign planner reads: attribute descriptions and the meaning of a segment's typical code.
struct ReportBuilder {
    let catalog: DIASCatalog
    let transform: CleaningTransform
    let cleaning: CleaningSummary

    /// Feature name → (data column, metadata attribute) from the cleaning summary.
    private var origins: [String: (column: String, attribute: Attribute?)] {
        var map: [String: (String, Attribute?)] = [:]
        for column in cleaning.columns {
            let attribute = column.attribute.flatMap { catalog.attribute(named: $0) }
            for feature in column.features { map[feature] = (column.name, attribute) }
        }
        return map
    }

    func dataQuality() -> ReportData.DataQuality {
        let columns = cleaning.columns.filter { $0.decision != .identifier }.map { column in
            ReportData.Column(
                name: column.name, missingShare: column.missingShare,
                droppedReason: column.decision.rawValue.hasPrefix("dropped") || column.decision == .excluded
                    ? column.decision.rawValue : nil,
                hasMetadata: column.attribute != nil, unknownCodeHits: column.unknownCodeHits)
        }
        let bins = cleaning.rowMissingShareHistogram.count
        return ReportData.DataQuality(
            columns: columns, columnMissingThreshold: cleaning.maxColumnMissingShare,
            rowMissingHistogram: ReportData.Histogram(binEdges: (0...bins).map { Double($0) / Double(max(1, bins)) }, counts: cleaning.rowMissingShareHistogram),
            rowMissingThreshold: cleaning.maxRowMissingShare, rowsAboveThreshold: cleaning.rowsAboveMissingThreshold,
            rowCount: cleaning.rows)
    }

    func principalComponents(_ segmentation: SegmentationSummary, projection: PCAProjection) -> ReportData.PrincipalComponents {
        let names = transform.featureNames
        let origins = self.origins
        let shown = min(3, projection.outputDimension)
        let loadings = (0..<shown).map { c -> ReportData.ComponentLoadings in
            let row = Array(projection.components.values[(c * names.count)..<((c + 1) * names.count)])
            let top = row.indices.sorted { abs(row[$0]) > abs(row[$1]) }.prefix(8)
            return .init(component: c + 1, attributes: top.map { j in
                .init(name: names[j], loading: row[j], description: origins[names[j]]?.attribute?.description)
            })
        }
        return .init(
            explainedVarianceRatio: segmentation.explainedVarianceRatios, chosenComponents: segmentation.components,
            varianceTarget: segmentation.varianceTarget, topAttributes: loadings)
    }

    /// `campaign`: the campaign file's response per segment, keyed by the model's segment index.
    func segments(
        _ segmentation: SegmentationSummary, lineage: SegmentLineage? = nil, campaign: [Int: ReportData.CampaignResponse] = [:]
    ) -> ReportData.Segments {
        let specs = Dictionary(transform.features.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let origins = self.origins
        let rows = segmentation.table.rows.map { row in
            ReportData.Segment(
                id: row.number, name: row.name, label: row.label.rawValue,
                populationShare: row.populationShare, customerShare: row.customerShare,
                ratio: row.ratio.isFinite ? row.ratio : nil,
                distinguishing: row.distinguishing.map { deviation in
                    let attribute = origins[deviation.feature]?.attribute
                    var code: String?
                    var meaning: String?
                    // The centroid back on the attribute's own scale, read as its nearest listed code.
                    if let spec = specs[deviation.feature], let attribute, case .value = spec.recipe {
                        let value = spec.mean + deviation.standardDeviations * spec.scale
                        let listed = attribute.codes.compactMap { c -> (ValueCode, Int)? in
                            if case .integer(let v) = c, !attribute.isUnknown(c) { return (c, v) }
                            return nil
                        }
                        if let nearest = listed.min(by: { abs(Double($0.1) - value) < abs(Double($1.1) - value) }) {
                            code = nearest.0.description
                            meaning = attribute.meaning(of: nearest.0)
                        }
                    }
                    return ReportData.Trait(
                        attribute: deviation.feature, description: attribute?.description, level: deviation.informationLevel,
                        deviation: deviation.standardDeviations, typicalCode: code, typicalMeaning: meaning)
                }, campaign: campaign.isEmpty ? nil : campaign[row.cluster] ?? .init(rows: 0, meanPredicted: 0, observedRate: 0))
        }
        return .init(
            kScan: segmentation.scan?.map { .init(k: $0.k, inertia: $0.inertia, silhouette: $0.silhouette.isFinite ? $0.silhouette : nil) },
            chosenK: segmentation.clusterCount, rows: rows, lineage: lineage.flatMap(Self.lineage))
    }

    /// What moved since the previous bundle, for the page (nil when there was none).
    static func lineage(_ lineage: SegmentLineage) -> ReportData.Lineage? {
        guard let previous = lineage.previousBundleId else { return nil }
        let now = lineage.segments.map { s in
            ReportData.Lineage.Entry(
                number: s.number, name: SegmentNumbers.name(of: s.number), status: s.kept ? "kept" : "new", distance: s.distance,
                populationShareBefore: s.populationShareBefore, populationShareNow: s.populationShareNow,
                customerShareBefore: s.customerShareBefore, customerShareNow: s.customerShareNow)
        }
        let gone = lineage.vanished.map { v in
            ReportData.Lineage.Entry(
                number: v.number, name: SegmentNumbers.name(of: v.number), status: "vanished", distance: v.distance.isFinite ? v.distance : nil,
                populationShareBefore: v.populationShareBefore, populationShareNow: nil,
                customerShareBefore: v.customerShareBefore, customerShareNow: nil)
        }
        return .init(previousBundleId: previous, renumbered: lineage.renumbered, entries: (now + gone).sorted { $0.number < $1.number })
    }

    func response(_ response: ResponseSummary) -> ReportData.Response {
        let origins = self.origins
        let totalGain = response.topFeatures.reduce(0) { $0 + $1.gain }
        func model(_ name: String, _ cv: CrossValidationSummary) -> ReportData.Model {
            .init(name: name, cvAUCMean: cv.meanAUC, cvAUCSD: cv.standardDeviationAUC,
                  roc: cv.roc.map { .init(falsePositiveRate: $0[0], truePositiveRate: $0[1]) })
        }
        return .init(
            models: [model("boosted trees", response.booster), model("logistic baseline", response.logistic)],
            baseRate: Double(response.positives) / Double(max(1, response.rows)),
            lift: zip(response.lift.rows, response.liftThresholds).map {
                .init(topShare: $0.mailedShare, responderShare: $0.gain, lift: $0.cumulativeLift, threshold: $1)
            },
            reliability: response.reliability.map { .init(meanPredicted: $0.meanPredicted, observed: $0.observedRate, count: $0.count) },
            expectedCalibrationError: response.expectedCalibrationError,
            topFeatures: response.topFeatures.prefix(20).map {
                .init(name: $0.feature, gain: totalGain > 0 ? $0.gain / totalGain : 0, description: origins[$0.feature]?.attribute?.description)
            }, responders: response.positives)
    }

    static func provenance(_ manifest: BundleManifest, steps: [(String, Double)]) -> ReportData.Provenance {
        func flatten(_ value: JSONValue, _ prefix: String) -> [ReportData.Parameter] {
            switch value {
            case .object(let members): members.keys.sorted().flatMap { flatten(members[$0]!, prefix.isEmpty ? $0 : prefix + "." + $0) }
            case .number(let n): [.init(name: prefix, value: n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n))]
            case .string(let s): [.init(name: prefix, value: s)]
            case .bool(let b): [.init(name: prefix, value: String(b))]
            case .null: [.init(name: prefix, value: "–")]
            case .array(let values): [.init(name: prefix, value: values.map { flatten($0, "").map(\.value).joined() }.joined(separator: ", "))]
            }
        }
        return .init(
            bundleId: manifest.bundleId, createdAt: manifest.createdAt, prospectorVersion: manifest.prospectorVersion,
            inputs: manifest.inputs.map { .init(name: $0.name, size: $0.size, contentHash: $0.contentHash) },
            parameters: flatten(.object(manifest.parameters), ""), steps: steps.map { .init(step: $0.0, seconds: $0.1) })
    }
}
