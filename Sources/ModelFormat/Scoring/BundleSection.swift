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
}
