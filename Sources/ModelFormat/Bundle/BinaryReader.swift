#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Concurrency

/// Reads values written by ``BinaryWriter``. Every read is bounds-checked against the bytes
/// left and fails with ``BundleError/malformed(section:offset:problem:)``: hostile input gives
/// an error, never a trap or an oversized allocation. Arrays are copied out in one `memcpy`.
public struct BinaryReader: Sendable {
    /// The section being read.
    public let bytes: [UInt8]
    /// Position of the next read, from the start of `bytes`.
    public private(set) var offset: Int = 0

    /// A reader at the start of `bytes` (a section's payload: alignment counts from 0).
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Bytes not read yet.
    public var remaining: Int { bytes.count - offset }
    /// True when every byte has been read; decoders check it to refuse trailing bytes.
    public var isAtEnd: Bool { offset >= bytes.count }

    /// An error at the current position, for conforming types' own validation.
    public func malformed(_ problem: String) -> BundleError {
        .malformed(section: nil, offset: offset, problem: problem)
    }

    /// Skips the zero padding the writer put before a value aligned to `alignment`.
    public mutating func align(to alignment: Int) throws(BundleError) {
        let padding = (alignment - offset % alignment) % alignment
        guard padding <= remaining else {
            throw malformed("needs \(padding) padding bytes, \(remaining) left")
        }
        offset += padding
    }

    private mutating func take(_ count: Int, for what: @autoclosure () -> String) throws(BundleError) -> Int {
        guard count <= remaining else {
            throw malformed("\(what()) needs \(count) bytes, \(remaining) left")
        }
        let start = offset
        offset += count
        return start
    }

    @inline(__always)
    private mutating func readRaw<T: FixedWidthInteger>(_: T.Type) throws(BundleError) -> T {
        try align(to: MemoryLayout<T>.size)
        let start = try take(MemoryLayout<T>.size, for: "a \(T.self)")
        return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: start, as: T.self)) }
    }

    /// One byte.
    ///
    /// - Throws: ``BundleError/malformed(section:offset:problem:)`` past the end, as every read does.
    public mutating func read(_: UInt8.Type) throws(BundleError) -> UInt8 {
        let start = try take(1, for: "a UInt8")
        return bytes[start]
    }
    /// A little-endian `UInt16`, after its alignment padding.
    public mutating func read(_: UInt16.Type) throws(BundleError) -> UInt16 { try readRaw(UInt16.self) }
    /// A little-endian `UInt32`, after its alignment padding.
    public mutating func read(_: UInt32.Type) throws(BundleError) -> UInt32 { try readRaw(UInt32.self) }
    /// A little-endian `UInt64`, after its alignment padding.
    public mutating func read(_: UInt64.Type) throws(BundleError) -> UInt64 { try readRaw(UInt64.self) }
    /// A little-endian `Int32`, after its alignment padding.
    public mutating func read(_: Int32.Type) throws(BundleError) -> Int32 { try readRaw(Int32.self) }
    /// A little-endian `Int64`, after its alignment padding.
    public mutating func read(_: Int64.Type) throws(BundleError) -> Int64 { try readRaw(Int64.self) }
    /// An `Int` stored as an `Int64`; a value that does not fit this platform's `Int` is malformed.
    public mutating func read(_: Int.Type) throws(BundleError) -> Int {
        let value = try readRaw(Int64.self)
        guard let int = Int(exactly: value) else { throw malformed("\(value) does not fit an Int") }
        return int
    }
    /// A `Double` from its bit pattern (NaN payloads and signed zeros kept).
    public mutating func read(_: Double.Type) throws(BundleError) -> Double {
        Double(bitPattern: try readRaw(UInt64.self))
    }
    /// A `Float` from its bit pattern.
    public mutating func read(_: Float.Type) throws(BundleError) -> Float {
        Float(bitPattern: try readRaw(UInt32.self))
    }
    /// A byte that must be 0 or 1; anything else is malformed rather than read as true.
    public mutating func read(_: Bool.Type) throws(BundleError) -> Bool {
        let start = offset
        switch try read(UInt8.self) {
        case 0: return false
        case 1: return true
        case let other: throw BundleError.malformed(section: nil, offset: start, problem: "\(other) is not a Bool (0 or 1)")
        }
    }

    /// A `UInt32` byte count, then UTF-8 that must be valid.
    public mutating func read(_: String.Type) throws(BundleError) -> String {
        let length = Int(try read(UInt32.self))
        let start = try take(length, for: "a string of \(length) bytes")
        guard let string = String(validating: bytes[start..<(start + length)], as: UTF8.self) else {
            throw BundleError.malformed(section: nil, offset: start, problem: "string is not valid UTF-8")
        }
        return string
    }

    /// A counted block of `Double`s, copied out at once; the count is checked against the bytes
    /// left before anything is allocated.
    public mutating func read(_: [Double].Type) throws(BundleError) -> [Double] { try readBlock(Double.self) }
    /// A counted block of `Float`s.
    public mutating func read(_: [Float].Type) throws(BundleError) -> [Float] { try readBlock(Float.self) }
    /// A counted block of `Int32`s.
    public mutating func read(_: [Int32].Type) throws(BundleError) -> [Int32] { try readBlock(Int32.self) }
    /// A counted block of `UInt16`s.
    public mutating func read(_: [UInt16].Type) throws(BundleError) -> [UInt16] { try readBlock(UInt16.self) }
    /// A counted block of bytes.
    public mutating func read(_: [UInt8].Type) throws(BundleError) -> [UInt8] { try readBlock(UInt8.self) }

    /// A `UInt64` count, then each string.
    public mutating func read(_: [String].Type) throws(BundleError) -> [String] {
        let count = try readElementCount(minimumElementSize: 4, of: "strings")
        var values: [String] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try read(String.self)) }
        return values
    }

    /// A value in its own encoding; its decoder validates it.
    public mutating func read<T: BinaryCodable>(_: T.Type) throws(BundleError) -> T {
        try T(from: &self)
    }

    /// A `UInt64` count, then each element in its own encoding.
    public mutating func read<T: BinaryCodable>(_: [T].Type) throws(BundleError) -> [T] {
        let count = try readElementCount(minimumElementSize: 1, of: "\(T.self) values")
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try T(from: &self)) }
        return values
    }

    /// A `UInt64` count whose elements (at least `minimumElementSize` bytes each) fit in the
    /// bytes left: bounds any allocation by the input's size.
    private mutating func readElementCount(minimumElementSize: Int, of what: String) throws(BundleError) -> Int {
        let start = offset
        let count = try read(UInt64.self)
        guard count <= UInt64(remaining / minimumElementSize) else {
            throw BundleError.malformed(
                section: nil, offset: start,
                problem: "\(count) \(what) cannot fit in the \(remaining) bytes left")
        }
        return Int(count)
    }

    private mutating func readBlock<T: BitwiseCopyable>(_: T.Type) throws(BundleError) -> [T] {
        let start = offset
        let count = try read(UInt64.self)
        try align(to: 8)
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: UInt64(MemoryLayout<T>.stride))
        guard !overflow, byteCount <= UInt64(remaining) else {
            throw BundleError.malformed(
                section: nil, offset: start,
                problem: "an array of \(count) \(T.self) values cannot fit in the \(remaining) bytes left")
        }
        let n = Int(count)
        let from = try take(Int(byteCount), for: "an array")
        let values = [T](filling: n) { buffer, initialized in
            bytes.withUnsafeBytes { source in
                if n > 0, let target = buffer.baseAddress, let base = source.baseAddress {
                    memcpy(UnsafeMutableRawPointer(target), base + from, n * MemoryLayout<T>.stride)
                }
            }
            initialized = n
        }
        #if _endian(big)
        return values.map { value in
            var value = value
            withUnsafeMutableBytes(of: &value) { $0.reverse() }
            return value
        }
        #else
        return values
        #endif
    }
}
