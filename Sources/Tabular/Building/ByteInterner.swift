/// Assigns small integer codes to distinct byte strings without allocating per lookup:
/// an open-addressing hash table over one byte arena. Codes follow first appearance.
struct ByteInterner {
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
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in 0..<length { hash = (hash ^ UInt64(text[k])) &* 0x100_0000_01b3 }
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & slotMask
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

    private func equals(_ code: Int, _ text: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        let start = starts[code]
        guard starts[code + 1] - start == length else { return false }
        if length == 0 { return true }
        let stored = bytes.base.unsafelyUnwrapped + start
        for k in 0..<length where stored[k] != text[k] { return false }
        return true
    }

    private mutating func resizeSlots(to size: Int) {
        slots.deallocate()
        for _ in 0..<size { slots.append(0) }
        slotMask = size - 1
        for code in 0..<count {
            let entry = self.entry(code)
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in entry { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & slotMask
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
