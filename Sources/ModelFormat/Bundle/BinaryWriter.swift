/// Appends values in the bundle's binary encoding: little-endian, each primitive aligned to
/// its size and each array's elements to 8 bytes (relative to the start of the section), so
/// a reader can copy arrays out in bulk. Padding bytes are zero, so identical values give
/// identical bytes.
public struct BinaryWriter: Sendable {
    /// The encoding so far: a section's payload once every value is written.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer, positioned at the start of a section.
    public init() {}

    /// Bytes written so far (alignment counts from 0).
    public var count: Int { bytes.count }

    /// Pads with zeros up to a multiple of `alignment` (a power of two).
    public mutating func align(to alignment: Int) {
        let padding = (alignment - bytes.count % alignment) % alignment
        if padding > 0 { bytes.append(contentsOf: repeatElement(0, count: padding)) }
    }

    @inline(__always)
    private mutating func appendRaw<T: FixedWidthInteger>(_ value: T) {
        align(to: MemoryLayout<T>.size)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// One byte, unaligned.
    public mutating func write(_ value: UInt8) { bytes.append(value) }
    /// Two bytes, little-endian, 2-aligned.
    public mutating func write(_ value: UInt16) { appendRaw(value) }
    /// Four bytes, little-endian, 4-aligned.
    public mutating func write(_ value: UInt32) { appendRaw(value) }
    /// Eight bytes, little-endian, 8-aligned.
    public mutating func write(_ value: UInt64) { appendRaw(value) }
    /// Four bytes, two's complement, little-endian, 4-aligned.
    public mutating func write(_ value: Int32) { appendRaw(value) }
    /// Eight bytes, two's complement, little-endian, 8-aligned.
    public mutating func write(_ value: Int64) { appendRaw(value) }
    /// An `Int` is stored as an `Int64`.
    public mutating func write(_ value: Int) { appendRaw(Int64(value)) }
    /// The IEEE 754 bit pattern, so NaN payloads and signed zeros survive.
    public mutating func write(_ value: Double) { appendRaw(value.bitPattern) }
    /// The IEEE 754 bit pattern as a `UInt32`.
    public mutating func write(_ value: Float) { appendRaw(value.bitPattern) }
    /// One byte, 0 or 1.
    public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// A `UInt32` byte count, then the UTF-8 bytes.
    public mutating func write(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            write(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// A `UInt64` count, then the values' bit patterns, 8-aligned: read back in one copy.
    public mutating func write(_ values: [Double]) { appendBlock(values) }
    /// A `UInt64` count, then the values, 8-aligned.
    public mutating func write(_ values: [Float]) { appendBlock(values) }
    /// A `UInt64` count, then the values, 8-aligned.
    public mutating func write(_ values: [Int32]) { appendBlock(values) }
    /// A `UInt64` count, then the values, 8-aligned.
    public mutating func write(_ values: [UInt16]) { appendBlock(values) }
    /// A `UInt64` count, then the bytes, 8-aligned.
    public mutating func write(_ values: [UInt8]) { appendBlock(values) }

    /// A `UInt64` count, then each string.
    public mutating func write(_ values: [String]) {
        write(UInt64(values.count))
        for value in values { write(value) }
    }

    /// A value in its own encoding (see ``BinaryCodable``).
    public mutating func write(_ value: some BinaryCodable) { value.encode(to: &self) }

    /// A `UInt64` count, then each element.
    public mutating func write<T: BinaryCodable>(_ values: [T]) {
        write(UInt64(values.count))
        for value in values { value.encode(to: &self) }
    }

    /// A `UInt64` element count, padding to 8, then the elements' little-endian bytes.
    private mutating func appendBlock<T: BitwiseCopyable>(_ values: [T]) {
        write(UInt64(values.count))
        align(to: 8)
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for value in values {
            withUnsafeBytes(of: value) { bytes.append(contentsOf: $0.reversed()) }
        }
        #endif
    }
}
