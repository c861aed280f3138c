import CBuildInfo

/// The version of Prospector, written into every bundle's manifest and part of every cache key.
public enum ProspectorVersion {
    /// The release version (`trainer --version`); bump it with every release, since cache
    /// entries of another version are not reused.
    public static let current = "0.6.0"

    /// The git commit of the build (`make release` bakes it in), or "unknown".
    public static var commit: String { String(cString: prospector_build_commit()) }

    /// What `trainer --version` and `scorer --version` print: the version, the commit, and the
    /// bundle format versions this build writes and reads, so an operator can tell whether a
    /// binary serves a given bundle without trying it.
    public static var versionText: String {
        let readable = BundleFile.readableMajorVersions.map { "\($0).x" }.joined(separator: ", ")
        return "\(current) (commit \(commit)); bundle format: writes \(BundleFile.formatVersionString), reads \(readable)"
    }
}
