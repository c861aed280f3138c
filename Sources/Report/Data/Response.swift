extension ReportData {
    /// The response model's validation: ranking quality, lift, calibration, and what it uses.
    public struct Response: Codable, Sendable, Hashable {
        /// Cross-validated models, e.g. the boosted trees and the logistic baseline.
        public var models: [Model]
        /// Share of the mailing's people who responded (0–1), the lift's baseline, if known.
        public var baseRate: Double?
        /// Cumulative, by ascending ``LiftRow/topShare`` (deciles: 0.1, 0.2, … 1.0).
        public var lift: [LiftRow]
        /// By ascending predicted probability.
        public var reliability: [ReliabilityBin]
        /// Expected calibration error over ``reliability`` (0–1).
        public var expectedCalibrationError: Double
        /// Strongest first.
        public var topFeatures: [FeatureGain]
        /// Responders in the campaign file the model was fitted on; nil in manifests written
        /// before it was recorded (``responderCount`` then derives it from ``reliability``).
        public var responders: Int?

        /// Below this many responders, the ROC band and the reliability diagram are noise.
        public static let minimumTrustedResponders = 100

        public init(
            models: [Model], baseRate: Double?, lift: [LiftRow], reliability: [ReliabilityBin],
            expectedCalibrationError: Double, topFeatures: [FeatureGain], responders: Int? = nil
        ) {
            self.models = models
            self.baseRate = baseRate
            self.lift = lift
            self.reliability = reliability
            self.expectedCalibrationError = expectedCalibrationError
            self.topFeatures = topFeatures
            self.responders = responders
        }

        /// The responders recorded, or those the reliability bins hold (observed rate × people).
        public var responderCount: Int? {
            if let responders { return responders }
            guard !reliability.isEmpty else { return nil }
            return Int(reliability.reduce(0) { $0 + $1.observed * Double($1.count) }.rounded())
        }

        /// Too few responders to read the model's validation as more than noise.
        public var tooFewResponders: Bool {
            responderCount.map { $0 < Self.minimumTrustedResponders } ?? false
        }

        /// The note the page shows when ``tooFewResponders``.
        public var smallNumbersWarning: String? {
            responderCount.flatMap(Self.smallNumbersWarning(responders:))
        }

        /// The note for a campaign file with `count` responders; nil when there are enough.
        public static func smallNumbersWarning(responders count: Int) -> String? {
            guard count < minimumTrustedResponders else { return nil }
            return "Too few responders to trust: the campaign file holds \(count) responders (fewer than "
                + "\(minimumTrustedResponders)), so the ROC band, the lift and the reliability diagram are mostly noise."
        }
    }

    public struct Model: Codable, Sendable, Hashable {
        public var name: String
        /// Mean ROC AUC over the cross-validation folds.
        public var cvAUCMean: Double
        /// Standard deviation of the folds' ROC AUC.
        public var cvAUCSD: Double
        /// The out-of-fold ROC curve, by ascending false positive rate.
        public var roc: [ROCPoint]

        public init(name: String, cvAUCMean: Double, cvAUCSD: Double, roc: [ROCPoint]) {
            self.name = name
            self.cvAUCMean = cvAUCMean
            self.cvAUCSD = cvAUCSD
            self.roc = roc
        }
    }

    public struct ROCPoint: Codable, Sendable, Hashable {
        public var falsePositiveRate: Double
        public var truePositiveRate: Double

        public init(falsePositiveRate: Double, truePositiveRate: Double) {
            self.falsePositiveRate = falsePositiveRate
            self.truePositiveRate = truePositiveRate
        }
    }

    /// Mailing the best-scored `topShare` of people reaches `responderShare` of all responders.
    public struct LiftRow: Codable, Sendable, Hashable {
        /// Share of people mailed, best scores first (0–1).
        public var topShare: Double
        /// Share of all responders among them: the cumulative gain (0–1).
        public var responderShare: Double
        /// Response rate among them over the overall rate (responderShare / topShare).
        public var lift: Double
        /// The lowest predicted probability mailed.
        public var threshold: Double

        public init(topShare: Double, responderShare: Double, lift: Double, threshold: Double) {
            self.topShare = topShare
            self.responderShare = responderShare
            self.lift = lift
            self.threshold = threshold
        }
    }

    public struct ReliabilityBin: Codable, Sendable, Hashable {
        /// Mean predicted probability of the bin's people (0–1).
        public var meanPredicted: Double
        /// Share of them who responded (0–1).
        public var observed: Double
        public var count: Int

        public init(meanPredicted: Double, observed: Double, count: Int) {
            self.meanPredicted = meanPredicted
            self.observed = observed
            self.count = count
        }
    }

    public struct FeatureGain: Codable, Sendable, Hashable {
        public var name: String
        /// The feature's share of the ensemble's total split gain (0–1).
        public var gain: Double
        /// The metadata's description of the attribute, if it has one.
        public var description: String?

        public init(name: String, gain: Double, description: String?) {
            self.name = name
            self.gain = gain
            self.description = description
        }
    }
}
