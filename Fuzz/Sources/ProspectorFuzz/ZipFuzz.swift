import XLSX

/// The ZIP reader on any bytes: the central directory, every entry's data (inflate, CRC), and
/// when the archive opens, the workbook read from it (relationships, styles, shared strings,
/// every worksheet).
enum ZipFuzz {
    /// Tight bounds keep a run's memory small; the checks themselves are what is fuzzed.
    static let limits = ZipLimits(
        maxTotalUncompressedBytes: 64 << 20, maxEntryUncompressedBytes: 16 << 20, ratioCheckThreshold: 64 << 10,
        maxEntryCount: 1000)

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let bytes = Array(input)
        guard let archive = try? ZipArchive(bytes: bytes, name: "fuzz.xlsx", limits: limits) else { return }
        for name in archive.entryNames { _ = try? archive.data(forEntry: name) }
        guard let workbook = try? Workbook(bytes: bytes, name: "fuzz.xlsx", limits: limits) else { return }
        _ = try? workbook.worksheets()
    }
}
