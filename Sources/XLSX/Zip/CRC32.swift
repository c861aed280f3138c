internal import CZlib

/// zlib's CRC-32 (the ZIP polynomial), fed in pieces of at most `UInt32.max` bytes.
struct CRC32 {
    private(set) var value: UInt32 = 0

    mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard var base = bytes.baseAddress else { return }
        var remaining = bytes.count
        var crc = UInt(value)
        while remaining > 0 {
            let n = min(remaining, Int(UInt32.max))
            crc = CZlib.crc32(crc, base, UInt32(n))
            base += n
            remaining -= n
        }
        value = UInt32(truncatingIfNeeded: crc)
    }
}
