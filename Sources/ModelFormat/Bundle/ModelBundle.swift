import Foundation

/// One nightly model bundle in memory: the manifest, named binary sections and the report.
///
/// The container does not know what the sections hold; the fitted models store themselves
/// through ``BinaryCodable`` under names listed in `FORMAT.md`.
public struct ModelBundle: Sendable, Hashable {
    /// What the bundle is: its id, provenance, input schema and metrics.
    public var manifest: BundleManifest
    /// Section bytes by name; never contains ``BundleFile/manifestSectionName`` or
    /// ``BundleFile/reportSectionName``.
    public var sections: [String: [UInt8]]
    /// The `report` section (format 1.2): the report's data as JSON, hundreds of kilobytes the
    /// scorer verifies by checksum but never decodes (``reportMetrics()`` does, for `trainer
    /// report` and `inspect`). Kept apart from `sections` because it records the run (timings,
    /// the bundle id) and so is neither part of ``contentHash`` nor reproducible.
    public var report: [UInt8]?

    /// A bundle of `manifest`, already encoded `sections` and, since format 1.2, the report's JSON.
    public init(manifest: BundleManifest, sections: [String: [UInt8]] = [:], report: [UInt8]? = nil) {
        self.manifest = manifest
        self.sections = sections
        self.report = report
    }

    /// Stores `metrics` as the `report` section: JSON with sorted keys, so equal metrics give
    /// equal bytes; a number JSON cannot hold is refused, naming its key.
    public mutating func setReport(_ metrics: [String: JSONValue]) throws(BundleError) {
        do {
            report = try JSONValue.sortedJSON(metrics, checking: [("report", .object(metrics))], pretty: false)
        } catch {
            throw .unencodableReport(problem: error.problem)
        }
    }

    /// The report's data: the `report` section decoded. A bundle written before format 1.2 has
    /// no such section and kept the same keys in its manifest's `metrics`, which are returned.
    public func reportMetrics() throws(BundleError) -> [String: JSONValue] {
        guard let report else { return manifest.metrics }
        do {
            return try JSONDecoder().decode([String: JSONValue].self, from: Data(report))
        } catch let error as DecodingError {
            throw .invalidReport(bundle: manifest.bundleId, problem: BundleManifest.problem(error))
        } catch {
            throw .invalidReport(bundle: manifest.bundleId, problem: "\(error)")
        }
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
