/// One file in a ZIP archive as its central directory describes it.
///
/// Sizes and CRC come from the central directory (with ZIP64 extra fields applied), never from
/// the local header: entries written with a data descriptor (flag bit 3) have zeros there.
public struct ZipEntry: Sendable, Hashable {
    /// How the entry's data is stored; the two methods OOXML packages use (others are refused).
    public enum Method: Sendable, Hashable {
        /// Uncompressed (ZIP method 0).
        case stored
        /// Raw deflate (ZIP method 8), inflated with zlib.
        case deflated
    }

    /// The entry's path inside the archive, `/`-separated, as written (OPC part names compare
    /// case-insensitively; ``ZipArchive`` looks them up that way).
    public var name: String
    /// How the data is compressed.
    public var method: Method
    /// The general-purpose bit flags (bit 0 encrypted, bit 3 data descriptor).
    public var flags: UInt16
    /// CRC-32 of the uncompressed data, checked when the entry is read.
    public var crc32: UInt32
    /// Bytes of data in the archive.
    public var compressedSize: Int
    /// Bytes after inflating: the most an entry's reader allocates and inflates.
    public var uncompressedSize: Int
    /// Offset of the entry's local file header from the start of the archive.
    public var localHeaderOffset: Int
}
