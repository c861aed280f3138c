/// One file in a ZIP archive as its central directory describes it.
///
/// Sizes and CRC come from the central directory (with ZIP64 extra fields applied), never from
/// the local header: entries written with a data descriptor (flag bit 3) have zeros there.
public struct ZipEntry: Sendable, Hashable {
    public enum Method: Sendable, Hashable {
        case stored
        case deflated
    }

    public var name: String
    public var method: Method
    public var flags: UInt16
    public var crc32: UInt32
    public var compressedSize: Int
    public var uncompressedSize: Int
    /// Offset of the entry's local file header from the start of the archive.
    public var localHeaderOffset: Int
}
