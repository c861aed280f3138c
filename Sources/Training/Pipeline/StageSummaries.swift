import Features
import Learning
import ModelFormat

/// What the segmentation step found, as stored in the manifest and the stage cache.
package struct SegmentationSummary: Sendable, Hashable, Codable {
    package var table: SegmentTable
    package var clusterCount: Int
    package var components: Int
    /// Every eigenvalue's share of the variance, descending (the scree chart).
    package var explainedVarianceRatios: [Double]
    package var varianceTarget: Double?
    package var inertia: Double
    /// Population rows the PCA and k-means were fitted on (rows with enough data).
    package var fittedRows: Int
    package var scan: [KScanEntry]?

    package struct KScanEntry: Sendable, Hashable, Codable {
        package var k: Int
        package var inertia: Double
        package var silhouette: Double
    }
}

/// One model's cross-validated AUC.
package struct CrossValidationSummary: Sendable, Hashable, Codable {
    package var foldAUC: [Double]
    package var meanAUC: Double
    package var standardDeviationAUC: Double
    package var pooledAUC: Double
    /// ROC curve of the pooled out-of-fold predictions, as (false positive rate, true positive rate).
    package var roc: [[Double]]

    init(_ report: CrossValidationReport, scores: [Double], labels: [UInt8]) {
        foldAUC = report.foldAUC
        meanAUC = report.meanAUC
        standardDeviationAUC = report.standardDeviationAUC
        pooledAUC = report.pooledAUC
        roc = ROCCurve.points(scores: scores, labels: labels).map { [$0.falsePositiveRate, $0.truePositiveRate] }
    }
}

/// What the response step measured, as stored in the manifest and the stage cache.
package struct ResponseSummary: Sendable, Hashable, Codable {
    package var rows: Int
    package var positives: Int
    package var booster: CrossValidationSummary
    package var logistic: CrossValidationSummary
    package var chosenTrees: Int
    package var calibration: String
    package var expectedCalibrationError: Double
    package var meanOutOfFoldProbability: Double
    package var reliability: [ReliabilityBin]
    package var lift: LiftTable
    /// The lowest probability mailed at each of the lift table's cuts.
    package var liftThresholds: [Double]
    /// Features by total gain in the final booster, largest first (at most 30).
    package var topFeatures: [FeatureGain]

    package struct FeatureGain: Sendable, Hashable, Codable {
        package var feature: String
        package var gain: Double
    }
}

/// Predictions for the campaign's test file.
package struct TestPredictionSummary: Sendable, Hashable, Codable {
    package var rows: Int
    package var meanProbability: Double
    /// Sum of probabilities: the responders a full mailing should expect.
    package var expectedResponders: Double
    package var insufficientDataRows: Int
}
