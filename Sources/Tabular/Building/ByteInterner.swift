import Foundation

/// Assigns small integer codes to distinct byte strings without allocating per lookup:
/// an open-addressing hash table over one byte arena. Codes follow first appearance.
/// Non-copyable: it owns its buffers.
struct ByteInterner: ~Copyable {
    private var bytes = GrowableBuffer<UInt8>()
    /// Entry i is bytes[starts[i]..<starts[i + 1]].
    private var starts = GrowableBuffer<Int>()
    /// Entry index + 1 per slot, 0 = empty; capacity is a power of two.
    private var slots = GrowableBuffer<Int32>()
    private var slotMask = 0
    private var lastCode = -1

    var count: Int { max(0, starts.count - 1) }

    mutating func intern(_ text: UnsafePointer<UInt8>, _ length: Int) -> Int {
        // Runs of equal values are common (sorted or blocky files): check the last hit first.
        if lastCode >= 0 && equals(lastCode, text, length) { return lastCode }
        if starts.count == 0 {
            starts.append(0)
            resizeSlots(to: 16)
        }
        var slot = ByteInterner.hash(text, length) & slotMask
        while true {
            let stored = Int(slots[slot])
            if stored == 0 { break }
            if equals(stored - 1, text, length) {
                lastCode = stored - 1
                return lastCode
            }
            slot = (slot + 1) & slotMask
        }
        let code = count
        bytes.append(contentsOf: text, count: length)
        starts.append(bytes.count)
        slots[slot] = Int32(code + 1)
        if (count + 1) * 2 > slotMask + 1 { resizeSlots(to: (slotMask + 1) * 2) }
        lastCode = code
        return code
    }

    func entry(_ code: Int) -> UnsafeBufferPointer<UInt8> {
        let start = starts[code]
        return UnsafeBufferPointer(start: bytes.base.map { $0 + start }, count: starts[code + 1] - start)
    }

    func string(_ code: Int) -> String { String(decoding: entry(code), as: UTF8.self) }

    /// Mixes the length with the first and last 8 bytes (the whole string when shorter):
    /// Arvato tokens are short codes and dates that differ at their ends.
    @inline(__always)
    static func hash(_ text: UnsafePointer<UInt8>, _ length: Int) -> Int {
        var hash = UInt64(truncatingIfNeeded: length) &* 0x9E37_79B9_7F4A_7C15
        if length >= 8 {
            let raw = UnsafeRawPointer(text)
            hash ^= raw.loadUnaligned(as: UInt64.self)
            hash = (hash ^ (hash >> 31)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= raw.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
        } else {
            for k in 0..<length { hash = (hash << 8) | UInt64(text[k]) ^ (hash >> 56) }
        }
        hash = (hash ^ (hash >> 29)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: hash ^ (hash >> 32))
    }

    private func equals(_ code: Int, _ text: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        let start = starts[code]
        guard starts[code + 1] - start == length else { return false }
        if length == 0 { return true }
        let stored = bytes.base.unsafelyUnwrapped + start
        if length < 8 {
            for k in 0..<length where stored[k] != text[k] { return false }
            return true
        }
        // Two overlapping 8-byte words cover up to 16 bytes without a call.
        let a = UnsafeRawPointer(stored)
        let b = UnsafeRawPointer(text)
        guard a.loadUnaligned(as: UInt64.self) == b.loadUnaligned(as: UInt64.self),
            a.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
        else { return false }
        return length <= 16 || memcmp(stored + 8, text + 8, length - 16) == 0
    }

    private mutating func resizeSlots(to size: Int) {
        slots.deallocate()
        for _ in 0..<size { slots.append(0) }
        slotMask = size - 1
        for code in 0..<count {
            let entry = self.entry(code)
            var slot = ByteInterner.hash(entry.baseAddress!, entry.count) & slotMask
            while slots[slot] != 0 { slot = (slot + 1) & slotMask }
            slots[slot] = Int32(code + 1)
        }
    }

    mutating func deallocate() {
        bytes.deallocate()
        starts.deallocate()
        slots.deallocate()
        slotMask = 0
        lastCode = -1
    }
}
