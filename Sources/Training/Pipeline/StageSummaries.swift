import Features
import Learning
import ModelFormat

/// What the segmentation step found, as stored in the manifest and the stage cache.
public struct SegmentationSummary: Sendable, Hashable, Codable {
    public var table: SegmentTable
    public var clusterCount: Int
    public var components: Int
    /// Every eigenvalue's share of the variance, descending (the scree chart).
    public var explainedVarianceRatios: [Double]
    public var varianceTarget: Double?
    public var inertia: Double
    /// Population rows the PCA and k-means were fitted on (rows with enough data).
    public var fittedRows: Int
    public var scan: [KScanEntry]?

    public struct KScanEntry: Sendable, Hashable, Codable {
        public var k: Int
        public var inertia: Double
        public var silhouette: Double
    }
}

/// One model's cross-validated AUC.
public struct CrossValidationSummary: Sendable, Hashable, Codable {
    public var foldAUC: [Double]
    public var meanAUC: Double
    public var standardDeviationAUC: Double
    public var pooledAUC: Double
    /// ROC curve of the pooled out-of-fold predictions, as (false positive rate, true positive rate).
    public var roc: [[Double]]

    init(_ report: CrossValidationReport, scores: [Double], labels: [UInt8]) {
        foldAUC = report.foldAUC
        meanAUC = report.meanAUC
        standardDeviationAUC = report.standardDeviationAUC
        pooledAUC = report.pooledAUC
        roc = ROCCurve.points(scores: scores, labels: labels).map { [$0.falsePositiveRate, $0.truePositiveRate] }
    }
}

/// What the response step measured, as stored in the manifest and the stage cache.
public struct ResponseSummary: Sendable, Hashable, Codable {
    public var rows: Int
    public var positives: Int
    public var booster: CrossValidationSummary
    public var logistic: CrossValidationSummary
    public var chosenTrees: Int
    public var calibration: String
    public var expectedCalibrationError: Double
    public var meanOutOfFoldProbability: Double
    public var reliability: [ReliabilityBin]
    public var lift: LiftTable
    /// Features by total gain in the final booster, largest first (at most 30).
    public var topFeatures: [FeatureGain]

    public struct FeatureGain: Sendable, Hashable, Codable {
        public var feature: String
        public var gain: Double
    }
}

/// Predictions for the campaign's test file.
public struct TestPredictionSummary: Sendable, Hashable, Codable {
    public var rows: Int
    public var meanProbability: Double
    /// Sum of probabilities: the responders a full mailing should expect.
    public var expectedResponders: Double
    public var insufficientDataRows: Int
}
