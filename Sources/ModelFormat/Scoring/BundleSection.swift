/// The names of a bundle's model sections (see `FORMAT.md`); never reused with another meaning.
public enum BundleSection {
    public static let transform = "transform"
    public static let pca = "pca"
    public static let centroids = "centroids"
    public static let segmentLabels = "segmentLabels"
    /// ``SegmentNumbers``; absent in bundles written before it (their numbers are `1...k`).
    public static let segmentNumbers = "segmentNumbers"
    public static let booster = "booster"
    public static let logistic = "logistic"
    public static let calibration = "calibration"
    /// Optional (bundles from before drift monitoring lack it): the population's reference distribution.
    public static let reference = "reference"
    /// What each input column means (``AttributeDescriptions``), for `trainer explain`; format 1.1.
    public static let attributes = "attributes"
}
