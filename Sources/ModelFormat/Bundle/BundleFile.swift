#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Concurrency

/// The bundle file: one self-checking file per model bundle (layout in `FORMAT.md`).
///
/// Written atomically (temp file, fsync, rename) so the scorer's hot reload never sees half a
/// file; read in one `read` and verified completely (header, section table, every section,
/// whole file) before anything is decoded, so a refused bundle leaves the running model alone.
public enum BundleFile {
    /// The first 8 bytes of every bundle: a file without them is not read further.
    public static let magic: [UInt8] = Array("PRSPCTR\0".utf8)
    /// The version this build writes.
    public static let formatMajorVersion: UInt16 = 1
    /// The minor version this build writes; readers of the same major accept any minor.
    public static let formatMinorVersion: UInt16 = 2
    /// `major.minor`, as `--version` and the manifest show it.
    public static var formatVersionString: String { "\(formatMajorVersion).\(formatMinorVersion)" }
    /// Major versions this build reads (any minor of each).
    public static let readableMajorVersions: [UInt16] = [1]
    /// The section holding the JSON ``BundleManifest``.
    public static let manifestSectionName = "manifest"
    /// The section holding the report's JSON (``ModelBundle/report``), since format 1.2.
    public static let reportSectionName = "report"
    /// Bytes a section name may take in the section table.
    public static let maximumSectionNameLength = 32
    /// A bound on what `read` allocates; real bundles are a few MB.
    public static let maximumFileSize = 1 << 32

    // Byte layout of format 1.x.
    static let headerSize = 40
    static let tableEntrySize = 64
    static let trailerSize = 8
    static let alignment = 8
    /// The header's own checksum covers bytes 0..<headerChecksumOffset.
    static let headerChecksumOffset = 32

    // MARK: Encoding

    /// The file's bytes: identical bundles give identical bytes.
    public static func encode(_ bundle: ModelBundle) throws(BundleError) -> [UInt8] {
        if bundle.sections[manifestSectionName] != nil {
            throw .invalidSectionName(name: manifestSectionName, problem: "the name is reserved for the manifest")
        }
        if bundle.sections[reportSectionName] != nil {
            throw .invalidSectionName(name: reportSectionName, problem: "the name is reserved for the report (ModelBundle.report)")
        }
        var named: [(name: [UInt8], bytes: [UInt8])] = [(Array(manifestSectionName.utf8), try bundle.manifest.jsonBytes())]
        var others = bundle.sections
        others[reportSectionName] = bundle.report
        for name in others.keys.sorted() {
            try validate(sectionName: name)
            named.append((Array(name.utf8), others[name]!))
        }

        let tableEnd = headerSize + named.count * tableEntrySize
        var offsets: [Int] = []
        var end = tableEnd
        for section in named {
            end = aligned(end)
            offsets.append(end)
            end += section.bytes.count
        }
        let fileSize = aligned(end) + trailerSize

        var file = [UInt8](repeating: 0, count: fileSize)
        file.withUnsafeMutableBytes { out in
            out.copyBytes(from: magic, at: 0)
            for (i, section) in named.enumerated() {
                let entry = headerSize + i * tableEntrySize
                out.copyBytes(from: section.name, at: entry)
                out.storeLittleEndian(UInt64(offsets[i]), at: entry + 32)
                out.storeLittleEndian(UInt64(section.bytes.count), at: entry + 40)
                out.storeLittleEndian(XXH64.hash(section.bytes), at: entry + 48)
                out.copyBytes(from: section.bytes, at: offsets[i])
            }
            out.storeLittleEndian(formatMajorVersion, at: 8)
            out.storeLittleEndian(formatMinorVersion, at: 10)
            out.storeLittleEndian(UInt32(named.count), at: 12)
            out.storeLittleEndian(UInt64(fileSize), at: 16)
            out.storeLittleEndian(XXH64.hash(UnsafeRawBufferPointer(rebasing: out[headerSize..<tableEnd])), at: 24)
            out.storeLittleEndian(XXH64.hash(UnsafeRawBufferPointer(rebasing: out[0..<headerChecksumOffset])), at: 32)
            out.storeLittleEndian(
                XXH64.hash(UnsafeRawBufferPointer(rebasing: out[0..<(fileSize - trailerSize)])), at: fileSize - trailerSize)
        }
        return file
    }

    static func validate(sectionName name: String) throws(BundleError) {
        let utf8 = Array(name.utf8)
        if utf8.isEmpty { throw .invalidSectionName(name: name, problem: "the name is empty") }
        if utf8.count > maximumSectionNameLength {
            throw .invalidSectionName(
                name: name, problem: "the name is \(utf8.count) bytes, more than \(maximumSectionNameLength)")
        }
        if utf8.contains(0) { throw .invalidSectionName(name: name, problem: "the name contains a NUL byte") }
    }

    static func aligned(_ offset: Int) -> Int { (offset + alignment - 1) / alignment * alignment }

    // MARK: Decoding

    /// Verifies and decodes a whole bundle file; `path` only names the file in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws(BundleError) -> ModelBundle {
        let result = bytes.withUnsafeBytes { file in
            Result { () throws(BundleError) in try decode(file, of: bytes, path: path) }
        }
        return try result.get()
    }

    private static func decode(
        _ file: UnsafeRawBufferPointer, of bytes: [UInt8], path: String
    ) throws(BundleError) -> ModelBundle {
        let size = file.count
        let table = try verifyLayout(file, path: path)

        for entry in table where XXH64.hash(UnsafeRawBufferPointer(rebasing: file[entry.range])) != entry.checksum {
            throw .sectionCorrupt(path: path, section: entry.name)
        }
        let stored = file.loadLittleEndian(UInt64.self, at: size - trailerSize)
        if XXH64.hash(UnsafeRawBufferPointer(rebasing: file[0..<(size - trailerSize)])) != stored {
            throw .fileChecksumMismatch(path: path)
        }

        guard let manifestEntry = table.first(where: { $0.name == manifestSectionName }) else {
            throw .missingSection(path: path, section: manifestSectionName)
        }
        let manifest = try BundleManifest.decode(json: bytes[manifestEntry.range], path: path)
        var sections: [String: [UInt8]] = [:]
        sections.reserveCapacity(table.count)
        var report: [UInt8]?
        for entry in table where entry.name != manifestSectionName {
            // The report is kept as bytes: only `trainer report` and `inspect` decode it.
            if entry.name == reportSectionName {
                report = Array(bytes[entry.range])
            } else {
                sections[entry.name] = Array(bytes[entry.range])
            }
        }
        return ModelBundle(manifest: manifest, sections: sections, report: report)
    }

    struct TableEntry {
        var name: String
        var range: Range<Int>
        var checksum: UInt64
    }

    /// Checks magic, version, header, section table and sizes, cheapest first, so each kind
    /// of damage gets its own message.
    private static func verifyLayout(_ file: UnsafeRawBufferPointer, path: String) throws(BundleError) -> [TableEntry] {
        let size = file.count
        let magicBytes = min(size, magic.count)
        guard file[0..<magicBytes].elementsEqual(magic[0..<magicBytes]) else { throw .badMagic(path: path) }
        guard size >= 12 else { throw .truncated(path: path, fileSize: size, part: "the header", endsAt: headerSize) }
        let major = file.loadLittleEndian(UInt16.self, at: 8)
        let minor = file.loadLittleEndian(UInt16.self, at: 10)
        guard readableMajorVersions.contains(major) else {
            throw .unsupportedVersion(path: path, major: major, minor: minor)
        }
        guard size >= headerSize else {
            throw .truncated(path: path, fileSize: size, part: "the header", endsAt: headerSize)
        }
        guard XXH64.hash(UnsafeRawBufferPointer(rebasing: file[0..<headerChecksumOffset]))
            == file.loadLittleEndian(UInt64.self, at: headerChecksumOffset)
        else { throw .headerCorrupt(path: path) }

        let count = Int(file.loadLittleEndian(UInt32.self, at: 12))
        let tableEnd = headerSize + count * tableEntrySize
        let declared = file.loadLittleEndian(UInt64.self, at: 16)
        guard declared >= UInt64(tableEnd + trailerSize), declared <= UInt64(maximumFileSize) else {
            throw .invalidSectionTable(
                path: path, problem: "the header's file size \(declared) cannot hold \(count) sections and the trailer")
        }
        let declaredSize = Int(declared)
        guard tableEnd <= size else {
            throw .truncated(path: path, fileSize: size, part: "the section table", endsAt: tableEnd)
        }
        guard XXH64.hash(UnsafeRawBufferPointer(rebasing: file[headerSize..<tableEnd]))
            == file.loadLittleEndian(UInt64.self, at: 24)
        else { throw .sectionTableCorrupt(path: path) }

        var entries: [TableEntry] = []
        entries.reserveCapacity(count)
        let sectionsEnd = declaredSize - trailerSize
        for i in 0..<count {
            let at = headerSize + i * tableEntrySize
            let rawName = UnsafeRawBufferPointer(rebasing: file[at..<(at + maximumSectionNameLength)])
            let nameLength = rawName.firstIndex(of: 0) ?? maximumSectionNameLength
            guard nameLength > 0, rawName[nameLength...].allSatisfy({ $0 == 0 }),
                let name = String(validating: rawName[0..<nameLength], as: UTF8.self)
            else {
                throw .invalidSectionTable(path: path, problem: "entry \(i) has no valid UTF-8 name")
            }
            if entries.contains(where: { $0.name == name }) {
                throw .invalidSectionTable(path: path, problem: "section '\(name)' appears twice")
            }
            let offset = file.loadLittleEndian(UInt64.self, at: at + 32)
            let length = file.loadLittleEndian(UInt64.self, at: at + 40)
            let (end, overflow) = offset.addingReportingOverflow(length)
            guard !overflow, offset >= UInt64(tableEnd), end <= UInt64(sectionsEnd) else {
                throw .invalidSectionTable(
                    path: path,
                    problem: "section '\(name)' (offset \(offset), \(length) bytes) lies outside the sections "
                        + "area \(tableEnd)..<\(sectionsEnd) of a \(declaredSize)-byte file")
            }
            guard offset % UInt64(alignment) == 0 else {
                throw .invalidSectionTable(path: path, problem: "section '\(name)' starts at \(offset), not a multiple of 8")
            }
            entries.append(
                TableEntry(name: name, range: Int(offset)..<Int(end), checksum: file.loadLittleEndian(UInt64.self, at: at + 48)))
        }
        let byOffset = entries.sorted { $0.range.lowerBound < $1.range.lowerBound }
        for (a, b) in zip(byOffset, byOffset.dropFirst()) where a.range.overlaps(b.range) {
            throw .invalidSectionTable(path: path, problem: "sections '\(a.name)' and '\(b.name)' overlap")
        }

        if size < declaredSize {
            if let cut = byOffset.first(where: { $0.range.upperBound > size }) {
                throw .truncated(path: path, fileSize: size, part: "section '\(cut.name)'", endsAt: cut.range.upperBound)
            }
            throw .truncated(path: path, fileSize: size, part: "the trailing checksum", endsAt: declaredSize)
        }
        if size > declaredSize { throw .trailingData(path: path, fileSize: size, declaredSize: declaredSize) }
        return entries
    }

    // MARK: Files

    /// Writes `bundle` to `path` atomically (``AtomicFile``): a reader sees the old file or
    /// the whole new one.
    public static func write(_ bundle: ModelBundle, to path: String) throws(BundleError) {
        let bytes = try encode(bundle)
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw .cannotWrite(path: path, reason: error.reason)
        }
    }

    /// Reads `path` with one `read` and verifies it completely (see ``decode(_:path:)``).
    public static func read(path: String) throws(BundleError) -> ModelBundle {
        try decode(try readAll(path: path), path: path)
    }

    static func readAll(path: String) throws(BundleError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotRead(path: path, reason: errnoText()) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw .cannotRead(path: path, reason: errnoText()) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .cannotRead(path: path, reason: "not a regular file") }
        let size = Int(status.st_size)
        guard size <= maximumFileSize else { throw .tooLarge(path: path, fileSize: size, limit: maximumFileSize) }
        var failure: String?
        let bytes = [UInt8](filling: size) { buffer, initialized in
            var done = 0
            while done < size {
                let n = systemRead(fd, buffer.baseAddress! + done, size - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errnoText()
                    break
                }
                if n == 0 { break }  // The file shrank since fstat: validation reports the truncation.
                done += n
            }
            initialized = done
        }
        if let failure { throw .cannotRead(path: path, reason: failure) }
        return bytes
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

// `BundleFile.read` shadows the C function inside the enum.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }

extension UnsafeRawBufferPointer {
    @inline(__always)
    func loadLittleEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

extension UnsafeMutableRawBufferPointer {
    @inline(__always)
    func storeLittleEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
    }

    func copyBytes(from bytes: [UInt8], at offset: Int) {
        guard !bytes.isEmpty else { return }
        UnsafeMutableRawBufferPointer(rebasing: self[offset..<(offset + bytes.count)]).copyBytes(from: bytes)
    }
}
