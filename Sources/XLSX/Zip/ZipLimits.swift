/// Bounds on what opening an archive may cost, checked against the sizes the central directory
/// declares before anything is inflated; inflation itself never goes past a declared size, so
/// these also bound the memory and time a hostile file (a zip bomb) can make a reader spend.
public struct ZipLimits: Sendable, Hashable {
    /// Sum of all entries' uncompressed sizes.
    public var maxTotalUncompressedBytes: Int
    /// Uncompressed size of any one entry.
    public var maxEntryUncompressedBytes: Int
    /// Uncompressed-to-compressed ratio of any entry larger than `ratioCheckThreshold`.
    /// Real worksheets compress 5-100:1; zip bombs are 1000:1 and more.
    public var maxCompressionRatio: Int
    /// Entries smaller than this skip the ratio check (tiny repetitive parts compress very well).
    public var ratioCheckThreshold: Int
    /// Number of entries in the central directory.
    public var maxEntryCount: Int

    /// Limits generous for any real workbook (1 GiB in all, 512 MiB an entry, 500:1, 10 000
    /// entries) and small enough that a hostile file cannot exhaust memory.
    public init(
        maxTotalUncompressedBytes: Int = 1 << 30,
        maxEntryUncompressedBytes: Int = 512 << 20,
        maxCompressionRatio: Int = 500,
        ratioCheckThreshold: Int = 1 << 20,
        maxEntryCount: Int = 10_000
    ) {
        self.maxTotalUncompressedBytes = maxTotalUncompressedBytes
        self.maxEntryUncompressedBytes = maxEntryUncompressedBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioCheckThreshold = ratioCheckThreshold
        self.maxEntryCount = maxEntryCount
    }
}
