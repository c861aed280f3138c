internal import CZlib

/// Builds a ZIP archive in memory: local headers, the entries' data, a central
/// directory and the end-of-central-directory record.
///
/// Every entry gets the same DOS timestamp (1980-01-01 00:00) and no extra fields,
/// so identical entries in identical order give byte-identical archives — which
/// makes written workbooks diffable and cacheable. ZIP64 is not supported: an
/// archive that would need it (an entry or the whole file at 4 GiB or more, or more
/// than 65 535 entries) is refused with ``ZipWriterError``.
public struct ZipWriter: Sendable {
    /// How an entry's data is stored.
    public enum Method: Sendable {
        /// Raw deflate at level 6; falls back to stored when deflate does not shrink the data.
        case deflate
        /// Uncompressed.
        case store
    }

    private struct CentralEntry {
        var name: [UInt8]
        var method: UInt16
        var crc: UInt32
        var compressedSize: UInt32
        var uncompressedSize: UInt32
        var localHeaderOffset: UInt32
    }

    private var output: [UInt8] = []
    private var entries: [CentralEntry] = []
    private var names: Set<[UInt8]> = []

    /// An empty archive.
    public init() {}

    /// Appends one file. `name` is the path inside the archive, `/`-separated.
    public mutating func addEntry(name: String, data: [UInt8], method: Method = .deflate) throws(ZipWriterError) {
        let nameBytes = Array(name.utf8)
        guard !nameBytes.isEmpty, nameBytes.count <= Int(UInt16.max) else { throw .invalidEntryName(name) }
        guard !names.contains(nameBytes) else { throw .duplicateEntry(name) }
        guard entries.count < Int(UInt16.max) else { throw .tooManyEntries }
        guard data.count < Self.limit else { throw .entryTooLarge(name: name, bytes: data.count) }

        let crc = Self.crc32(data)
        var payload = data
        var methodCode: UInt16 = 0
        if method == .deflate, !data.isEmpty {
            let deflated = try Self.deflateRaw(data, name: name)
            if deflated.count < data.count {
                payload = deflated
                methodCode = 8
            }
        }

        let offset = output.count
        guard offset + 30 + nameBytes.count + payload.count < Self.limit else { throw .archiveTooLarge }
        let isUTF8Name = nameBytes.contains { $0 >= 0x80 }
        let entry = CentralEntry(
            name: nameBytes, method: methodCode, crc: crc,
            compressedSize: UInt32(payload.count), uncompressedSize: UInt32(data.count),
            localHeaderOffset: UInt32(offset))

        output.reserveCapacity(output.count + 30 + nameBytes.count + payload.count)
        appendUInt32(0x0403_4b50)  // local file header signature
        appendUInt16(Self.versionNeeded)
        appendUInt16(isUTF8Name ? Self.utf8NameFlag : 0)
        appendUInt16(entry.method)
        appendUInt16(Self.dosTime)
        appendUInt16(Self.dosDate)
        appendUInt32(entry.crc)
        appendUInt32(entry.compressedSize)
        appendUInt32(entry.uncompressedSize)
        appendUInt16(UInt16(nameBytes.count))
        appendUInt16(0)  // extra field length
        output.append(contentsOf: nameBytes)
        output.append(contentsOf: payload)

        entries.append(entry)
        names.insert(nameBytes)
    }

    /// The finished archive: everything added so far plus the central directory.
    public func finish() throws(ZipWriterError) -> [UInt8] {
        var zip = self
        let directoryOffset = zip.output.count
        for entry in entries {
            zip.appendUInt32(0x0201_4b50)  // central directory header signature
            zip.appendUInt16(Self.versionNeeded)  // version made by: MS-DOS host, spec 2.0
            zip.appendUInt16(Self.versionNeeded)
            zip.appendUInt16(entry.name.contains { $0 >= 0x80 } ? Self.utf8NameFlag : 0)
            zip.appendUInt16(entry.method)
            zip.appendUInt16(Self.dosTime)
            zip.appendUInt16(Self.dosDate)
            zip.appendUInt32(entry.crc)
            zip.appendUInt32(entry.compressedSize)
            zip.appendUInt32(entry.uncompressedSize)
            zip.appendUInt16(UInt16(entry.name.count))
            zip.appendUInt16(0)  // extra field length
            zip.appendUInt16(0)  // comment length
            zip.appendUInt16(0)  // disk number start
            zip.appendUInt16(0)  // internal attributes
            zip.appendUInt32(0)  // external attributes
            zip.appendUInt32(entry.localHeaderOffset)
            zip.output.append(contentsOf: entry.name)
        }
        let directorySize = zip.output.count - directoryOffset
        guard zip.output.count + 22 < Self.limit else { throw .archiveTooLarge }
        zip.appendUInt32(0x0605_4b50)  // end of central directory signature
        zip.appendUInt16(0)  // this disk
        zip.appendUInt16(0)  // disk with the central directory
        zip.appendUInt16(UInt16(entries.count))
        zip.appendUInt16(UInt16(entries.count))
        zip.appendUInt32(UInt32(directorySize))
        zip.appendUInt32(UInt32(directoryOffset))
        zip.appendUInt16(0)  // comment length
        return zip.output
    }

    // MARK: - Fixed header fields

    /// 4 GiB: sizes and offsets are 32-bit without ZIP64.
    private static let limit = Int(UInt32.max)
    private static let versionNeeded: UInt16 = 20
    private static let utf8NameFlag: UInt16 = 1 << 11
    private static let dosTime: UInt16 = 0  // 00:00:00
    private static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1  // 1980-01-01

    private mutating func appendUInt16(_ value: UInt16) {
        output.append(UInt8(truncatingIfNeeded: value))
        output.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    private mutating func appendUInt32(_ value: UInt32) {
        appendUInt16(UInt16(truncatingIfNeeded: value))
        appendUInt16(UInt16(truncatingIfNeeded: value >> 16))
    }

    // MARK: - zlib

    static func crc32(_ data: [UInt8]) -> UInt32 {
        data.withUnsafeBufferPointer { buffer in
            UInt32(CZlib.crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
    }

    /// Raw deflate (no zlib header), window 2^15, level 6 — what ZIP method 8 expects.
    static func deflateRaw(_ data: [UInt8], name: String) throws(ZipWriterError) -> [UInt8] {
        var stream = z_stream()
        var status = deflateInit2_(
            &stream, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw .compressionFailed(name: name, zlibStatus: status) }
        defer { deflateEnd(&stream) }

        let bound = Int(deflateBound(&stream, uLong(data.count)))
        var result = [UInt8](repeating: 0, count: bound)
        var produced = 0
        status = data.withUnsafeBufferPointer { input in
            result.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                let status = deflate(&stream, Z_FINISH)
                produced = out.count - Int(stream.avail_out)
                return status
            }
        }
        guard status == Z_STREAM_END else { throw .compressionFailed(name: name, zlibStatus: status) }
        result.removeSubrange(produced...)
        return result
    }
}

/// Why an archive could not be built: each case is a limit of ZIP without ZIP64, or zlib
/// failing.
public enum ZipWriterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name is empty or longer than 65 535 bytes.
    case invalidEntryName(String)
    /// An entry of that name was already added.
    case duplicateEntry(String)
    /// More than 65 535 entries.
    case tooManyEntries
    /// An entry of 4 GiB or more.
    case entryTooLarge(name: String, bytes: Int)
    /// The archive would reach 4 GiB.
    case archiveTooLarge
    /// zlib's deflate returned an error status.
    case compressionFailed(name: String, zlibStatus: Int32)

    /// What went wrong and which entry, for the user.
    public var description: String {
        switch self {
        case .invalidEntryName(let name):
            "zip entry name \"\(name)\" is empty or longer than 65 535 bytes"
        case .duplicateEntry(let name):
            "zip entry \"\(name)\" was added twice; entry names must be unique"
        case .tooManyEntries:
            "a zip archive without ZIP64 holds at most 65 535 entries"
        case .entryTooLarge(let name, let bytes):
            "zip entry \"\(name)\" is \(bytes) bytes; entries of 4 GiB or more need ZIP64, which is not supported"
        case .archiveTooLarge:
            "the zip archive would reach 4 GiB, which needs ZIP64 (not supported); split the data into smaller files"
        case .compressionFailed(let name, let status):
            "zlib deflate failed with status \(status) while compressing zip entry \"\(name)\""
        }
    }
}
