/// Finds short byte strings (category codes such as `8A` or `D19_UNBEKANNT`) in a fixed
/// vocabulary without building a `String` or an `Array` for the field: the scorer looks up a
/// few such fields on every row, and a `Dictionary<[UInt8], _>` would allocate a key and run
/// SipHash for each.
///
/// Open addressing over a power-of-two table at most a quarter full, keyed by FNV-1a.
struct ByteStringTable: Sendable {
    /// The vocabulary's bytes, back to back; entry i is `bytes[starts[i]..<starts[i + 1]]`.
    private let bytes: [UInt8]
    private let starts: [Int]
    /// Entry index + 1 per slot, 0 for an empty slot.
    private let slots: [Int32]
    private let mask: Int

    /// `vocabulary[i]` is found as `i`; a text listed twice keeps its last index (as a
    /// dictionary filled in order would).
    init(_ vocabulary: [String]) {
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        for text in vocabulary {
            bytes += Array(text.utf8)
            starts.append(bytes.count)
        }
        var size = 8
        while size < 4 * vocabulary.count { size *= 2 }
        var slots = [Int32](repeating: 0, count: size)
        let mask = size - 1
        bytes.withUnsafeBufferPointer { all in
            for i in 0..<vocabulary.count {
                let entry = UnsafeBufferPointer(rebasing: all[starts[i]..<starts[i + 1]])
                var slot = Self.hash(entry) & mask
                while slots[slot] != 0 {
                    let j = Int(slots[slot]) - 1
                    if entry.elementsEqual(all[starts[j]..<starts[j + 1]]) { break }
                    slot = (slot + 1) & mask
                }
                slots[slot] = Int32(i + 1)
            }
        }
        self.bytes = bytes
        self.starts = starts
        self.slots = slots
        self.mask = mask
    }

    /// The index of `key` in the vocabulary, or nil.
    @inline(__always)
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        var slot = Self.hash(key) & mask
        return bytes.withUnsafeBufferPointer { all -> Int? in
            while true {
                let entry = Int(slots[slot])
                if entry == 0 { return nil }
                let start = starts[entry - 1]
                if starts[entry] - start == key.count {
                    var k = 0
                    while k < key.count && all[start + k] == key[k] { k += 1 }
                    if k == key.count { return entry - 1 }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }
}
