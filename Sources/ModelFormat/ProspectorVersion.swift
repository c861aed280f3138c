/// The version of Prospector, written into every bundle's manifest and part of every cache key.
public enum ProspectorVersion {
    public static let current = "0.6.0"
}
