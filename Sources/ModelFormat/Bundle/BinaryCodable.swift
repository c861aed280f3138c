/// A value stored in a bundle section in the bundle's binary encoding.
///
/// Encoding cannot fail (the value is in memory and valid); decoding must reject any bytes
/// that do not describe a valid value with a ``BundleError/malformed(section:offset:problem:)``
/// and never trap, because a section can be crafted by hand with matching checksums.
/// A conforming type must write at least one byte, so a hostile element count can be
/// bounded by the bytes left.
public protocol BinaryCodable {
    func encode(to writer: inout BinaryWriter)
    init(from reader: inout BinaryReader) throws(BundleError)
}

extension BinaryCodable {
    /// The value's encoding on its own (as stored in a section).
    public func binaryEncoded() -> [UInt8] {
        var writer = BinaryWriter()
        encode(to: &writer)
        return writer.bytes
    }

    /// Decodes a value from a whole section's bytes. Bytes after the value are ignored:
    /// that is where a later minor version may append fields.
    public init(binary bytes: [UInt8]) throws(BundleError) {
        var reader = BinaryReader(bytes)
        self = try Self(from: &reader)
    }
}
