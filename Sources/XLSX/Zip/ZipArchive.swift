/// A ZIP archive held in memory, read through its central directory.
///
/// Entry names are only ever looked up, never turned into file paths; names that could escape
/// a directory, duplicate names and sizes over ``ZipLimits`` make the whole archive refused
/// when it is opened, before any entry is inflated.
public struct ZipArchive: Sendable {
    /// The name errors are reported under (usually the file name).
    public let name: String
    /// Every entry, in central-directory order.
    public let entries: [ZipEntry]
    private let bytes: [UInt8]
    /// Lower-cased name → index in `entries` (OPC part names compare case-insensitively).
    private let index: [String: Int]

    /// The entries' names, in central-directory order.
    public var entryNames: [String] { entries.map(\.name) }

    /// Opens an archive held in `bytes`, reading and checking its central directory only.
    ///
    /// - Parameters:
    ///   - bytes: The whole archive.
    ///   - name: The name errors are reported under.
    ///   - limits: Bounds on the entry count and the declared sizes, checked before any entry is
    ///     inflated.
    /// - Throws: ``XLSXError`` when the bytes are not a ZIP archive, are damaged, hold an
    ///   encrypted entry or an unsupported method, an unsafe or duplicate name, or exceed `limits`.
    public init(bytes: [UInt8], name: String, limits: ZipLimits = ZipLimits()) throws(XLSXError) {
        self.bytes = bytes
        self.name = name
        let directory = try Self.findCentralDirectory(bytes, file: name)
        guard directory.entryCount <= limits.maxEntryCount else {
            throw .limitExceeded(
                file: name, entry: nil,
                reason: "\(directory.entryCount) entries, more than the limit of \(limits.maxEntryCount)")
        }
        let entries = try Self.readCentralDirectory(bytes, directory, file: name)
        var index: [String: Int] = [:]
        var total = 0
        for (i, entry) in entries.enumerated() {
            guard Self.isSafeName(entry.name) else { throw .unsafeEntryName(file: name, entry: entry.name) }
            guard index.updateValue(i, forKey: entry.name.lowercased()) == nil else {
                throw .duplicateEntry(file: name, entry: entry.name)
            }
            try Self.checkLimits(entry, limits, file: name)
            total += entry.uncompressedSize
            guard total <= limits.maxTotalUncompressedBytes else {
                throw .limitExceeded(
                    file: name, entry: nil,
                    reason: "entries declare more than \(limits.maxTotalUncompressedBytes) uncompressed bytes in all")
            }
        }
        self.entries = entries
        self.index = index
    }

    /// Whether the archive holds an entry of that name (compared ignoring case, as OPC does).
    public func contains(_ entryName: String) -> Bool {
        index[entryName.lowercased()] != nil
    }

    /// The entry of that name (compared ignoring case), or `nil`.
    public func entry(named entryName: String) -> ZipEntry? {
        index[entryName.lowercased()].map { entries[$0] }
    }

    /// The entry's uncompressed bytes, CRC-checked.
    public func data(forEntry entryName: String) throws(XLSXError) -> [UInt8] {
        guard let entry = entry(named: entryName) else { throw .missingPart(file: name, part: entryName) }
        let start = try dataOffset(of: entry)
        let end = start + entry.compressedSize
        guard end <= bytes.count else {
            throw .corruptZip(file: name, entry: entry.name, reason: "entry data runs past the end of the file")
        }
        let file = name
        let result: Result<[UInt8], XLSXError> = bytes.withUnsafeBufferPointer { all in
            let input = UnsafeBufferPointer(rebasing: all[start..<end])
            switch entry.method {
            case .stored:
                guard entry.compressedSize == entry.uncompressedSize else {
                    return .failure(
                        .sizeMismatch(
                            file: file, entry: entry.name, declared: entry.uncompressedSize,
                            reason: "a stored entry holds \(entry.compressedSize) bytes"))
                }
                var crc = CRC32()
                crc.update(input)
                guard crc.value == entry.crc32 else {
                    return .failure(.crcMismatch(file: file, entry: entry.name, expected: entry.crc32, actual: crc.value))
                }
                return .success(Array(input))
            case .deflated:
                return Result { () throws(XLSXError) -> [UInt8] in
                    try Inflater.inflate(
                        input, declaredSize: entry.uncompressedSize, expectedCRC: entry.crc32,
                        file: file, entry: entry.name)
                }
            }
        }
        return try result.get()
    }

    // MARK: - Layout

    private struct CentralDirectory {
        var offset: Int
        var size: Int
        var entryCount: Int
    }

    private static let eocdSignature: UInt32 = 0x0605_4b50
    private static let zip64EOCDSignature: UInt32 = 0x0606_4b50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4b50
    private static let centralHeaderSignature: UInt32 = 0x0201_4b50
    private static let localHeaderSignature: UInt32 = 0x0403_4b50

    private static func findCentralDirectory(_ bytes: [UInt8], file: String) throws(XLSXError) -> CentralDirectory {
        guard !bytes.isEmpty else { throw .emptyFile(file: file) }
        guard bytes.count >= 22 else {
            throw .notAZip(file: file, reason: "\(bytes.count) bytes is too short for a ZIP archive")
        }
        // The end-of-central-directory record is 22 bytes followed by a comment of up to 65 535
        // bytes, and nothing marks where it starts: search backwards from the last position it
        // could start at, through the whole comment window, for the first signature whose comment
        // length reaches exactly (or, for writers that pad, at most) to the end of the file.
        let lastStart = bytes.count - 22
        let firstStart = max(0, lastStart - 65_535)
        var found: Int?
        var position = lastStart
        while position >= firstStart {
            if bytes.u32(position) == eocdSignature && position + 22 + Int(bytes.u16(position + 20)) <= bytes.count {
                found = position
                break
            }
            position -= 1
        }
        guard let eocd = found else {
            if bytes.count >= 4 && bytes.u32(0) == localHeaderSignature {
                throw .notAZip(
                    file: file, reason: "no end-of-central-directory record (the file is truncated or incomplete)")
            }
            throw .notAZip(file: file, reason: "no ZIP signature (the file is not a ZIP archive)")
        }
        var directory = CentralDirectory(
            offset: Int(bytes.u32(eocd + 16)), size: Int(bytes.u32(eocd + 12)), entryCount: Int(bytes.u16(eocd + 10)))

        // ZIP64: the classic fields saturate and the real values live in the ZIP64 record that
        // the locator (just before the classic record) points to.
        let locator = eocd - 20
        if locator >= 0 && bytes.u32(locator) == zip64LocatorSignature {
            let recordOffset = bytes.u64(locator + 8)
            guard locator >= 56, recordOffset <= UInt64(locator - 56) else {
                throw .corruptZip(file: file, entry: nil, reason: "ZIP64 locator points outside the file")
            }
            let record = Int(recordOffset)
            guard bytes.u32(record) == zip64EOCDSignature else {
                throw .corruptZip(file: file, entry: nil, reason: "no ZIP64 end-of-central-directory record where the locator points")
            }
            directory.entryCount = try checkedInt(bytes.u64(record + 32), file: file, what: "ZIP64 entry count")
            directory.size = try checkedInt(bytes.u64(record + 40), file: file, what: "ZIP64 central directory size")
            directory.offset = try checkedInt(bytes.u64(record + 48), file: file, what: "ZIP64 central directory offset")
        }
        guard directory.offset <= bytes.count, directory.size <= bytes.count - directory.offset else {
            throw .corruptZip(file: file, entry: nil, reason: "central directory lies outside the file (truncated?)")
        }
        return directory
    }

    private static func readCentralDirectory(
        _ bytes: [UInt8], _ directory: CentralDirectory, file: String
    ) throws(XLSXError) -> [ZipEntry] {
        var entries: [ZipEntry] = []
        entries.reserveCapacity(min(directory.entryCount, 4096))
        var position = directory.offset
        let end = directory.offset + directory.size
        for number in 0..<directory.entryCount {
            guard position + 46 <= end, bytes.u32(position) == centralHeaderSignature else {
                throw .corruptZip(
                    file: file, entry: nil, reason: "central directory entry \(number + 1) is missing or damaged")
            }
            let flags = bytes.u16(position + 8)
            let methodCode = bytes.u16(position + 10)
            let crc = bytes.u32(position + 16)
            var compressed = UInt64(bytes.u32(position + 20))
            var uncompressed = UInt64(bytes.u32(position + 24))
            let nameLength = Int(bytes.u16(position + 28))
            let extraLength = Int(bytes.u16(position + 30))
            let commentLength = Int(bytes.u16(position + 32))
            var localOffset = UInt64(bytes.u32(position + 42))
            let nameStart = position + 46
            let extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard next <= end else {
                throw .corruptZip(file: file, entry: nil, reason: "central directory entry \(number + 1) runs past its end")
            }
            let name = String(decoding: bytes[nameStart..<extraStart], as: UTF8.self)

            // ZIP64 extra field (0x0001): 8-byte values, present only for the header fields that
            // are saturated, in the order uncompressed, compressed, local header offset.
            var extra = extraStart
            while extra + 4 <= extraStart + extraLength {
                let tag = bytes.u16(extra)
                let size = Int(bytes.u16(extra + 2))
                let body = extra + 4
                guard body + size <= extraStart + extraLength else { break }
                if tag == 0x0001 {
                    var field = body
                    func take() throws(XLSXError) -> UInt64 {
                        guard field + 8 <= body + size else {
                            throw .corruptZip(file: file, entry: name, reason: "ZIP64 extra field is too short")
                        }
                        defer { field += 8 }
                        return bytes.u64(field)
                    }
                    if uncompressed == 0xFFFF_FFFF { uncompressed = try take() }
                    if compressed == 0xFFFF_FFFF { compressed = try take() }
                    if localOffset == 0xFFFF_FFFF { localOffset = try take() }
                }
                extra = body + size
            }

            let method: ZipEntry.Method
            switch methodCode {
            case 0: method = .stored
            case 8: method = .deflated
            default:
                throw .unsupportedEntry(file: file, entry: name, reason: "compression method \(methodCode)")
            }
            if flags & 1 != 0 {
                throw .unsupportedEntry(file: file, entry: name, reason: "the entry is encrypted")
            }
            entries.append(
                ZipEntry(
                    name: name, method: method, flags: flags, crc32: crc,
                    compressedSize: try checkedInt(compressed, file: file, what: "\(name) compressed size"),
                    uncompressedSize: try checkedInt(uncompressed, file: file, what: "\(name) uncompressed size"),
                    localHeaderOffset: try checkedInt(localOffset, file: file, what: "\(name) offset")))
            position = next
        }
        return entries
    }

    /// Where the entry's data starts: after ITS local header's own name and extra field, whose
    /// lengths may differ from the central directory's (a ZIP64 extra only in local headers).
    private func dataOffset(of entry: ZipEntry) throws(XLSXError) -> Int {
        let header = entry.localHeaderOffset
        guard header <= bytes.count - 30, bytes.u32(header) == Self.localHeaderSignature else {
            throw .corruptZip(file: name, entry: entry.name, reason: "no local file header at offset \(header)")
        }
        let nameLength = Int(bytes.u16(header + 26))
        let extraLength = Int(bytes.u16(header + 28))
        let nameStart = header + 30
        guard nameStart + nameLength + extraLength <= bytes.count else {
            throw .corruptZip(file: name, entry: entry.name, reason: "local file header runs past the end of the file")
        }
        guard bytes[nameStart..<nameStart + nameLength].elementsEqual(entry.name.utf8) else {
            throw .corruptZip(file: name, entry: entry.name, reason: "local file header names a different entry")
        }
        return nameStart + nameLength + extraLength
    }

    private static func checkLimits(_ entry: ZipEntry, _ limits: ZipLimits, file: String) throws(XLSXError) {
        if entry.uncompressedSize > limits.maxEntryUncompressedBytes {
            throw .limitExceeded(
                file: file, entry: entry.name,
                reason: "declares \(entry.uncompressedSize) uncompressed bytes, more than the limit of "
                    + "\(limits.maxEntryUncompressedBytes)")
        }
        if entry.method == .deflated && entry.uncompressedSize > limits.ratioCheckThreshold
            && entry.uncompressedSize / max(entry.compressedSize, 1) > limits.maxCompressionRatio
        {
            throw .limitExceeded(
                file: file, entry: entry.name,
                reason: "compression ratio \(entry.uncompressedSize / max(entry.compressedSize, 1)):1 is over the "
                    + "limit of \(limits.maxCompressionRatio):1 (a zip bomb?)")
        }
    }

    /// Part names are looked up, never used as paths; still, a name that would climb out of a
    /// directory or start at the root is a sign of a hostile archive, so it is refused.
    private static func isSafeName(_ name: String) -> Bool {
        if name.isEmpty || name.hasPrefix("/") || name.hasPrefix("\\") || name.utf8.contains(0) { return false }
        let bytes = Array(name.utf8)
        if bytes.count >= 2 && bytes[1] == UInt8(ascii: ":") { return false }  // C:evil
        for segment in name.split(separator: "/", omittingEmptySubsequences: false)
            .flatMap({ $0.split(separator: "\\", omittingEmptySubsequences: false) })
        where segment == "." || segment == ".." {
            return false
        }
        return true
    }

    private static func checkedInt(_ value: UInt64, file: String, what: String) throws(XLSXError) -> Int {
        guard value <= UInt64(Int.max) else {
            throw .corruptZip(file: file, entry: nil, reason: "\(what) \(value) is out of range")
        }
        return Int(value)
    }
}

extension [UInt8] {
    /// Little-endian reads; callers check bounds first.
    @inline(__always) fileprivate func u16(_ offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    @inline(__always) fileprivate func u32(_ offset: Int) -> UInt32 {
        UInt32(u16(offset)) | UInt32(u16(offset + 2)) << 16
    }

    @inline(__always) fileprivate func u64(_ offset: Int) -> UInt64 {
        UInt64(u32(offset)) | UInt64(u32(offset + 4)) << 32
    }
}
