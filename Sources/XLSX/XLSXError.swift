/// Everything that can go wrong reading a workbook, each naming the file and, where there is
/// one, the ZIP entry or package part, so a one-line message tells the user what to fix.
public enum XLSXError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read from disk.
    case unreadableFile(file: String, reason: String)
    /// The file has no bytes at all.
    case emptyFile(file: String)
    /// The bytes are not a ZIP archive (no end-of-central-directory record, bad signatures).
    case notAZip(file: String, reason: String)
    /// The ZIP structure is inconsistent or truncated.
    case corruptZip(file: String, entry: String?, reason: String)
    /// The data of an entry does not match its CRC-32.
    case crcMismatch(file: String, entry: String, expected: UInt32, actual: UInt32)
    /// An entry declares or inflates to a size other than the one recorded.
    case sizeMismatch(file: String, entry: String, declared: Int, reason: String)
    /// A caller-set limit (``ZipLimits``) would be exceeded: refused before the work is done.
    case limitExceeded(file: String, entry: String?, reason: String)
    /// An entry name that could escape a directory (`..` segments, absolute paths).
    case unsafeEntryName(file: String, entry: String)
    /// Two entries with the same (case-insensitively equal) name.
    case duplicateEntry(file: String, entry: String)
    /// A compression method other than stored (0) or deflated (8), or an encrypted entry.
    case unsupportedEntry(file: String, entry: String, reason: String)
    /// A part the workbook needs is not in the package.
    case missingPart(file: String, part: String)
    /// The part's XML is not well formed (libxml2's message).
    case malformedXML(file: String, part: String, line: Int, message: String)
    /// A document type declaration, forbidden in OOXML parts (ECMA-376 Part 2 [M1.18]).
    case doctypeForbidden(file: String, part: String)
    /// The part is well-formed XML but not what SpreadsheetML requires there.
    case invalidContent(file: String, part: String, reason: String)
    /// A cell refers to a shared string that does not exist.
    case missingSharedString(file: String, part: String, cell: String, index: Int, tableSize: Int?)
    /// No sheet of that name in the workbook.
    case sheetNotFound(file: String, name: String, available: [String])
    /// A sheet index outside `0..<count`.
    case sheetIndexOutOfRange(file: String, index: Int, count: Int)

    /// What went wrong, naming the file and the part (and cell) involved, for the user.
    public var description: String {
        switch self {
        case .unreadableFile(let file, let reason):
            return "\(file): cannot read the file (\(reason))"
        case .emptyFile(let file):
            return "\(file): the file is empty (0 bytes), not an .xlsx workbook"
        case .notAZip(let file, let reason):
            return "\(file): not an .xlsx workbook: \(reason)"
        case .corruptZip(let file, let entry, let reason):
            return "\(file): \(entry.map { "\($0): " } ?? "")corrupt ZIP archive: \(reason)"
        case .crcMismatch(let file, let entry, let expected, let actual):
            return "\(file): \(entry): CRC-32 mismatch (recorded \(hex(expected)), computed \(hex(actual))): "
                + "the data is damaged"
        case .sizeMismatch(let file, let entry, let declared, let reason):
            return "\(file): \(entry): size mismatch: declared \(declared) bytes but \(reason)"
        case .limitExceeded(let file, let entry, let reason):
            return "\(file): \(entry.map { "\($0): " } ?? "")refused: \(reason) (raise ZipLimits if the file is trusted)"
        case .unsafeEntryName(let file, let entry):
            return "\(file): refused: ZIP entry name \"\(entry)\" is absolute or has \".\"/\"..\" segments "
                + "(not a valid part name, ECMA-376 Part 2 [M1.9]/[M1.10])"
        case .duplicateEntry(let file, let entry):
            return "\(file): refused: two ZIP entries are named \"\(entry)\" (ECMA-376 Part 2 [M1.12])"
        case .unsupportedEntry(let file, let entry, let reason):
            return "\(file): \(entry): unsupported ZIP entry: \(reason)"
        case .missingPart(let file, let part):
            return "\(file): \(part): part is missing from the package"
        case .malformedXML(let file, let part, let line, let message):
            return "\(file): \(part): malformed XML at line \(line): \(message)"
        case .doctypeForbidden(let file, let part):
            return "\(file): \(part): refused: the part has a DOCTYPE declaration (forbidden by ECMA-376 Part 2 [M1.18])"
        case .invalidContent(let file, let part, let reason):
            return "\(file): \(part): \(reason)"
        case .missingSharedString(let file, let part, let cell, let index, let tableSize):
            if let tableSize {
                return "\(file): \(part): cell \(cell) refers to shared string \(index) "
                    + "but the shared string table has \(tableSize) entries"
            }
            return "\(file): \(part): cell \(cell) refers to shared string \(index) "
                + "but the workbook has no shared string table"
        case .sheetNotFound(let file, let name, let available):
            return "\(file): no sheet named \"\(name)\" (sheets: \(available.map { "\"\($0)\"" }.joined(separator: ", ")))"
        case .sheetIndexOutOfRange(let file, let index, let count):
            return "\(file): sheet index \(index) is out of range (the workbook has \(count) sheets)"
        }
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
