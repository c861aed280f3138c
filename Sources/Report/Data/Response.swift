extension ReportData {
    /// The response model's validation: ranking quality, lift, calibration, and what it uses.
    package struct Response: Codable, Sendable, Hashable {
        /// Cross-validated models, e.g. the boosted trees and the logistic baseline.
        package var models: [Model]
        /// Share of the mailing's people who responded (0–1), the lift's baseline, if known.
        package var baseRate: Double?
        /// Cumulative, by ascending ``LiftRow/topShare`` (deciles: 0.1, 0.2, … 1.0).
        package var lift: [LiftRow]
        /// By ascending predicted probability.
        package var reliability: [ReliabilityBin]
        /// Expected calibration error over ``reliability`` (0–1).
        package var expectedCalibrationError: Double
        /// Strongest first.
        package var topFeatures: [FeatureGain]
        /// Responders in the campaign file the model was fitted on; nil in manifests written
        /// before it was recorded (``responderCount`` then derives it from ``reliability``).
        package var responders: Int?

        /// Below this many responders, the ROC band and the reliability diagram are noise.
        package static let minimumTrustedResponders = 100

        package init(
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
        package var responderCount: Int? {
            if let responders { return responders }
            guard !reliability.isEmpty else { return nil }
            return Int(reliability.reduce(0) { $0 + $1.observed * Double($1.count) }.rounded())
        }

        /// Too few responders to read the model's validation as more than noise.
        package var tooFewResponders: Bool {
            responderCount.map { $0 < Self.minimumTrustedResponders } ?? false
        }

        /// The note the page shows when ``tooFewResponders``.
        package var smallNumbersWarning: String? {
            responderCount.flatMap(Self.smallNumbersWarning(responders:))
        }

        /// The note for a campaign file with `count` responders; nil when there are enough.
        package static func smallNumbersWarning(responders count: Int) -> String? {
            guard count < minimumTrustedResponders else { return nil }
            return "Too few responders to trust: the campaign file holds \(count) responders (fewer than "
                + "\(minimumTrustedResponders)), so the ROC band, the lift and the reliability diagram are mostly noise."
        }
    }

    package struct Model: Codable, Sendable, Hashable {
        package var name: String
        /// Mean ROC AUC over the cross-validation folds.
        package var cvAUCMean: Double
        /// Standard deviation of the folds' ROC AUC.
        package var cvAUCSD: Double
        /// The out-of-fold ROC curve, by ascending false positive rate.
        package var roc: [ROCPoint]

        package init(name: String, cvAUCMean: Double, cvAUCSD: Double, roc: [ROCPoint]) {
            self.name = name
            self.cvAUCMean = cvAUCMean
            self.cvAUCSD = cvAUCSD
            self.roc = roc
        }
    }

    package struct ROCPoint: Codable, Sendable, Hashable {
        package var falsePositiveRate: Double
        package var truePositiveRate: Double

        package init(falsePositiveRate: Double, truePositiveRate: Double) {
            self.falsePositiveRate = falsePositiveRate
            self.truePositiveRate = truePositiveRate
        }
    }

    /// Mailing the best-scored `topShare` of people reaches `responderShare` of all responders.
    package struct LiftRow: Codable, Sendable, Hashable {
        /// Share of people mailed, best scores first (0–1).
        package var topShare: Double
        /// Share of all responders among them: the cumulative gain (0–1).
        package var responderShare: Double
        /// Response rate among them over the overall rate (responderShare / topShare).
        package var lift: Double
        /// The lowest predicted probability mailed.
        package var threshold: Double

        package init(topShare: Double, responderShare: Double, lift: Double, threshold: Double) {
            self.topShare = topShare
            self.responderShare = responderShare
            self.lift = lift
            self.threshold = threshold
        }
    }

    package struct ReliabilityBin: Codable, Sendable, Hashable {
        /// Mean predicted probability of the bin's people (0–1).
        package var meanPredicted: Double
        /// Share of them who responded (0–1).
        package var observed: Double
        package var count: Int

        package init(meanPredicted: Double, observed: Double, count: Int) {
            self.meanPredicted = meanPredicted
            self.observed = observed
            self.count = count
        }
    }

    package struct FeatureGain: Codable, Sendable, Hashable {
        package var name: String
        /// The feature's share of the ensemble's total split gain (0–1).
        package var gain: Double
        /// The metadata's description of the attribute, if it has one.
        package var description: String?

        package init(name: String, gain: Double, description: String?) {
            self.name = name
            self.gain = gain
            self.description = description
        }
    }
}
