/// Why a bundle could not be read, written or decoded.
///
/// File-level cases name the file, because the scorer logs them while its running model keeps
/// serving and an operator must be able to tell which bundle was refused and why.
public enum BundleError: Error, Sendable, Hashable, CustomStringConvertible {
    // Reading and writing the file.
    /// The file cannot be opened or read.
    case cannotRead(path: String, reason: String)
    /// The file cannot be written.
    case cannotWrite(path: String, reason: String)
    /// The file is larger than ``BundleFile/maximumFileSize``.
    case tooLarge(path: String, fileSize: Int, limit: Int)

    // The container.
    /// The file does not start with ``BundleFile/magic``: not a bundle.
    case badMagic(path: String)
    /// A format major version this build does not read.
    case unsupportedVersion(path: String, major: UInt16, minor: UInt16)
    /// The file ends before `part` (e.g. "section 'booster'") does.
    case truncated(path: String, fileSize: Int, part: String, endsAt: Int)
    /// The file is longer than its header says: something was appended.
    case trailingData(path: String, fileSize: Int, declaredSize: Int)
    /// The header's checksum does not match.
    case headerCorrupt(path: String)
    /// The section table's checksum does not match.
    case sectionTableCorrupt(path: String)
    /// The section table passed its checksum but describes an impossible layout
    /// (overlap, misalignment, a section outside the file, a bad name).
    case invalidSectionTable(path: String, problem: String)
    /// A section's checksum does not match.
    case sectionCorrupt(path: String, section: String)
    /// The whole file's checksum does not match.
    case fileChecksumMismatch(path: String)
    /// A section the reader needs is not in the bundle.
    case missingSection(path: String, section: String)
    /// The manifest section is not a valid manifest.
    case invalidManifest(path: String, problem: String)
    /// The `report` section (format 1.2) is not the JSON object it should be; only `trainer
    /// report` and `inspect` decode it, so the scorer never refuses a bundle for it.
    case invalidReport(bundle: String, problem: String)
    /// Every section decodes, but they do not fit together (e.g. PCA and transform widths).
    case inconsistentModels(path: String, problem: String)

    // Building a bundle.
    /// A section name is empty, too long, holds a NUL byte or is the manifest's.
    case invalidSectionName(name: String, problem: String)
    /// The manifest cannot be encoded (a non-finite metric, say).
    case unencodableManifest(problem: String)
    case unencodableReport(problem: String)

    // Decoding a section's binary payload (the reader does not know the file).
    /// `section` is filled in by ``ModelBundle/section(_:as:)``; `offset` is within the section.
    case malformed(section: String?, offset: Int, problem: String)
    /// The bytes decode, but a value is unusable: a NaN or infinite number where a finite one is
    /// needed, a value out of its range, a name that is not one printable line. `field` names
    /// the value (`features[3] 'X'.scale`, `platt.a`); `section` is filled in like `malformed`'s.
    case invalidValue(section: String?, field: String, problem: String)

    /// What is wrong, naming the bundle and section, for the user.
    public var description: String {
        switch self {
        case .cannotRead(let path, let reason):
            "\(path): cannot read the bundle: \(reason)"
        case .cannotWrite(let path, let reason):
            "\(path): cannot write the bundle: \(reason)"
        case .tooLarge(let path, let size, let limit):
            "\(path): file is \(size) bytes, more than the \(limit) a bundle may have"
        case .badMagic(let path):
            "\(path): not a Prospector bundle (bad magic)"
        case .unsupportedVersion(let path, let major, let minor):
            "\(path): format version \(major).\(minor) is not supported (this build reads "
                + BundleFile.readableMajorVersions.map { "\($0).x" }.joined(separator: ", ") + ")"
        case .truncated(let path, let size, let part, let end):
            "\(path): truncated: file is \(size) bytes, \(part) ends at \(end)"
        case .trailingData(let path, let size, let declared):
            "\(path): file is \(size) bytes but its header says \(declared) (data appended after the bundle)"
        case .headerCorrupt(let path):
            "\(path): header is corrupt (checksum mismatch)"
        case .sectionTableCorrupt(let path):
            "\(path): section table is corrupt (checksum mismatch)"
        case .invalidSectionTable(let path, let problem):
            "\(path): invalid section table: \(problem)"
        case .sectionCorrupt(let path, let section):
            "\(path): section '\(section)' is corrupt (checksum mismatch)"
        case .fileChecksumMismatch(let path):
            "\(path): checksum mismatch over the whole file"
        case .missingSection(let path, let section):
            "\(path): the bundle has no section '\(section)'"
        case .invalidManifest(let path, let problem):
            "\(path): invalid manifest: \(problem)"
        case .invalidReport(let bundle, let problem):
            "bundle '\(bundle)': invalid report section: \(problem)"
        case .inconsistentModels(let path, let problem):
            "\(path): the models in the bundle do not fit together: \(problem)"
        case .invalidSectionName(let name, let problem):
            "cannot store section '\(name)': \(problem)"
        case .unencodableManifest(let problem):
            "cannot store the manifest: \(problem)"
        case .unencodableReport(let problem):
            "cannot store the report: \(problem)"
        case .malformed(let section, let offset, let problem):
            (section.map { "section '\($0)'" } ?? "binary payload") + " is malformed at byte \(offset): \(problem)"
        case .invalidValue(let section, let field, let problem):
            (section.map { "section '\($0)'" } ?? "binary payload") + ": invalid value \(field): \(problem)"
        }
    }

    /// The same error attributed to `section` (codec errors only).
    func inSection(_ name: String) -> BundleError {
        switch self {
        case .malformed(nil, let offset, let problem): .malformed(section: name, offset: offset, problem: problem)
        case .invalidValue(nil, let field, let problem): .invalidValue(section: name, field: field, problem: problem)
        default: self
        }
    }
}
