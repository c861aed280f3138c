/// One nightly model bundle in memory: the manifest plus named binary sections.
///
/// The container does not know what the sections hold; the fitted models store themselves
/// through ``BinaryCodable`` under names listed in `FORMAT.md`.
public struct ModelBundle: Sendable, Hashable {
    /// What the bundle is: its id, provenance, input schema and metrics.
    public var manifest: BundleManifest
    /// Section bytes by name; never contains ``BundleFile/manifestSectionName``.
    public var sections: [String: [UInt8]]

    /// A bundle of `manifest` and already encoded `sections`.
    public init(manifest: BundleManifest, sections: [String: [UInt8]] = [:]) {
        self.manifest = manifest
        self.sections = sections
    }

    /// Decodes section `name` as a `T`; codec errors name the section.
    public func section<T: BinaryCodable>(_ name: String, as type: T.Type = T.self) throws(BundleError) -> T {
        guard let bytes = sections[name] else {
            throw .missingSection(path: "bundle '\(manifest.bundleId)'", section: name)
        }
        do {
            return try T(binary: bytes)
        } catch {
            throw error.inSection(name)
        }
    }

    /// Encodes `value` as section `name`, replacing any section of that name.
    public mutating func setSection(_ name: String, _ value: some BinaryCodable) {
        sections[name] = value.binaryEncoded()
    }

    /// Hash of every section but the manifest (names, lengths and bytes, in name order):
    /// what ``BundleManifest/bundleId(createdAt:contentHash:)`` identifies.
    public var contentHash: UInt64 {
        var summary = BinaryWriter()
        for name in sections.keys.sorted() {
            let bytes = sections[name]!
            summary.write(name)
            summary.write(UInt64(bytes.count))
            summary.write(XXH64.hash(bytes))
        }
        return XXH64.hash(summary.bytes)
    }
}
