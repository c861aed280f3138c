/// The names of a bundle's model sections (see `FORMAT.md`); never reused with another meaning.
public enum BundleSection {
    /// ``CleaningTransform``: from fields to features.
    public static let transform = "transform"
    /// ``PCAProjection``: from features to the segmentation's coordinates.
    public static let pca = "pca"
    /// ``SegmentCentroids``: the k-means centres.
    public static let centroids = "centroids"
    /// ``SegmentLabels``: the label printed for each segment.
    public static let segmentLabels = "segmentLabels"
    /// ``SegmentNumbers``; absent in bundles written before it (their numbers are `1...k`).
    public static let segmentNumbers = "segmentNumbers"
    /// ``TreeEnsemble``: the response model.
    public static let booster = "booster"
    /// ``LogisticModel``: the baseline the trees were compared with (kept for inspection, not
    /// used to score).
    public static let logistic = "logistic"
    /// ``ProbabilityCalibrator``: from the trees' score to a probability.
    public static let calibration = "calibration"
    /// Optional (bundles from before drift monitoring lack it): the population's reference distribution.
    public static let reference = "reference"
    /// What each input column means (``AttributeDescriptions``), for `trainer explain`; format 1.1.
    public static let attributes = "attributes"
}
