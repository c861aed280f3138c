import Concurrency
import Testing

@testable import ModelFormat

@Suite("Binary codec")
struct BinaryCodecTests {
    @Test("writes little-endian, naturally aligned primitives and 8-aligned arrays (hand-computed bytes)")
    func exactLayout() throws {
        var w = BinaryWriter()
        w.write(UInt8(0xAB))
        w.write(UInt16(0x0102))
        w.write(UInt32(0x0304_0506))
        w.write(UInt64(0x0708_090A_0B0C_0D0E))
        w.write(true)
        w.write("hé")
        w.write([1.0])
        w.write([UInt16(1), 2])
        w.write(Int32(-2))
        let expected: [UInt8] = [
            0xAB, 0x00, 0x02, 0x01, 0x06, 0x05, 0x04, 0x03,  // UInt8, pad, UInt16, UInt32
            0x0E, 0x0D, 0x0C, 0x0B, 0x0A, 0x09, 0x08, 0x07,  // UInt64
            0x01, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,  // Bool, pad to 4, string length 3
            0x68, 0xC3, 0xA9, 0x00, 0x00, 0x00, 0x00, 0x00,  // "hé", pad to 8
            0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // count 1
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F,  // 1.0
            0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // count 2
            0x01, 0x00, 0x02, 0x00, 0xFE, 0xFF, 0xFF, 0xFF,  // [1, 2] as UInt16, Int32 -2
        ]
        #expect(w.bytes == expected)

        var r = BinaryReader(w.bytes)
        #expect(try r.read(UInt8.self) == 0xAB)
        #expect(try r.read(UInt16.self) == 0x0102)
        #expect(try r.read(UInt32.self) == 0x0304_0506)
        #expect(try r.read(UInt64.self) == 0x0708_090A_0B0C_0D0E)
        #expect(try r.read(Bool.self) == true)
        #expect(try r.read(String.self) == "hé")
        #expect(try r.read([Double].self) == [1.0])
        #expect(try r.read([UInt16].self) == [1, 2])
        #expect(try r.read(Int32.self) == -2)
        #expect(r.isAtEnd)
    }

    /// The scorer reads a new bundle on a background thread while it scores (a reload): an
    /// empty array in a section must not write into storage another thread reads. Under
    /// ThreadSanitizer (CI's `scripts/check-sanitizers ModelFormatTests`) the old reader's
    /// `init(unsafeUninitializedCapacity: 0)` was reported here, as it was in the scorer.
    @Test("empty arrays read on two threads at once")
    func emptyArraysOnTwoThreads() throws {
        var w = BinaryWriter()
        w.write([Double]())
        w.write([UInt16]())
        w.write([1.5])
        let bytes = w.bytes
        let results = Parallel.perform(400, workers: 2) { _ -> [Double]? in
            var r = BinaryReader(bytes)
            guard let empty = try? r.read([Double].self), let none = try? r.read([UInt16].self),
                let one = try? r.read([Double].self), empty.isEmpty, none.isEmpty
            else { return nil }
            return one
        }
        #expect(results.allSatisfy { $0 == [1.5] })
    }

    @Test("every primitive and array kind round-trips; array blocks start 8-aligned")
    func roundTrips() throws {
        let doubles: [Double] = [0, -0.0, 1.5, -3e300, .infinity, -.infinity, .leastNonzeroMagnitude]
        let floats: [Float] = [0, 2.5, -1e30, .greatestFiniteMagnitude]
        let int32s: [Int32] = [.min, -1, 0, 1, .max]
        let uint16s: [UInt16] = [0, 1, 65535]
        let uint8s: [UInt8] = [0, 7, 255]
        let strings = ["", "LNR", "äöü€", "CAMEO_DEUG_2015"]
        var w = BinaryWriter()
        w.write(UInt8(7))
        w.write(Int64.min)
        w.write(Int.max)
        w.write(Float(-0.5))
        w.write(false)
        w.write(UInt8(1))  // leaves the next array misaligned before its padding
        w.write(doubles)
        w.write(UInt8(9))
        w.write(floats)
        w.write(UInt8(9))
        w.write(int32s)
        w.write(UInt8(9))
        w.write(uint16s)
        w.write(UInt8(9))
        w.write(uint8s)
        w.write(strings)
        w.write(Double.pi)

        var r = BinaryReader(w.bytes)
        #expect(try r.read(UInt8.self) == 7)
        #expect(try r.read(Int64.self) == .min)
        #expect(try r.read(Int.self) == .max)
        #expect(try r.read(Float.self) == -0.5)
        #expect(try r.read(Bool.self) == false)
        #expect(try r.read(UInt8.self) == 1)
        let readDoubles = try r.read([Double].self)
        #expect(readDoubles.map(\.bitPattern) == doubles.map(\.bitPattern))
        #expect(try r.read(UInt8.self) == 9)
        #expect(try r.read([Float].self) == floats)
        #expect(try r.read(UInt8.self) == 9)
        #expect(try r.read([Int32].self) == int32s)
        #expect(try r.read(UInt8.self) == 9)
        #expect(try r.read([UInt16].self) == uint16s)
        #expect(try r.read(UInt8.self) == 9)
        #expect(try r.read([UInt8].self) == uint8s)
        #expect(try r.read([String].self) == strings)
        #expect(try r.read(Double.self) == .pi)
        #expect(r.isAtEnd)
    }

    @Test("an array's count and elements start on 8-byte boundaries whatever precedes them")
    func arrayAlignment() {
        for prefix in 0...9 {
            var w = BinaryWriter()
            for _ in 0..<prefix { w.write(UInt8(0x11)) }
            w.write([UInt16(0xBEEF)])
            let countAt = (prefix + 7) / 8 * 8
            #expect(w.bytes.count == countAt + 8 + 2)
            #expect(w.bytes[countAt] == 1)
            #expect(w.bytes[(countAt + 8)...] == [0xEF, 0xBE])
            #expect(w.bytes[prefix..<countAt].allSatisfy { $0 == 0 }, "padding is zeros")
        }
    }

    @Test("Double and Float keep NaN payloads and sign bit for bit")
    func nanPayloads() throws {
        let patterns: [UInt64] = [0x7FF8_0000_0000_0000, 0x7FF0_0000_0000_0001, 0xFFF8_DEAD_BEEF_0001, 0x7FF4_0000_0000_0000]
        var w = BinaryWriter()
        for p in patterns { w.write(Double(bitPattern: p)) }
        w.write(patterns.map { Double(bitPattern: $0) })
        w.write(Float(bitPattern: 0x7FC0_1234))
        w.write([Float(bitPattern: 0xFFA0_0001)])
        var r = BinaryReader(w.bytes)
        for p in patterns { #expect(try r.read(Double.self).bitPattern == p) }
        #expect(try r.read([Double].self).map(\.bitPattern) == patterns)
        #expect(try r.read(Float.self).bitPattern == 0x7FC0_1234)
        #expect(try r.read([Float].self).map(\.bitPattern) == [0xFFA0_0001])
    }

    @Test("reading past the end is an error at every cut of a valid encoding")
    func truncatedInput() throws {
        var w = BinaryWriter()
        w.write(UInt32(5))
        w.write("text")
        w.write([2.0, 3.0])
        w.write(Int64(-9))
        let bytes = w.bytes
        for cut in 0..<bytes.count {
            var r = BinaryReader(Array(bytes[0..<cut]))
            #expect(throws: BundleError.self) {
                _ = try r.read(UInt32.self)
                _ = try r.read(String.self)
                _ = try r.read([Double].self)
                _ = try r.read(Int64.self)
            }
        }
    }

    @Test("hostile lengths and values are errors naming the offset, never traps")
    func hostileInput() {
        func expectMalformed(_ bytes: [UInt8], _ fragment: String, _ read: (inout BinaryReader) throws(BundleError) -> Void) {
            var r = BinaryReader(bytes)
            do {
                try read(&r)
                Issue.record("expected an error containing '\(fragment)'")
            } catch {
                guard case .malformed(nil, _, let problem) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(problem.contains(fragment), "\(problem)")
            }
        }
        let huge: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        // A string claiming 4 GiB with 4 bytes behind it.
        expectMalformed([0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4], "needs 4294967295 bytes, 4 left") { r throws(BundleError) in
            _ = try r.read(String.self)
        }
        // Array counts whose byte size overflows, or exceeds what is left.
        expectMalformed(huge + [0, 0, 0, 0, 0, 0, 0, 0], "cannot fit in the 8 bytes left") { r throws(BundleError) in
            _ = try r.read([Double].self)
        }
        expectMalformed([3, 0, 0, 0, 0, 0, 0, 0] + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "3 Int32 values cannot fit") { r throws(BundleError) in
            _ = try r.read([Int32].self)
        }
        expectMalformed(huge, "strings cannot fit in the 0 bytes left") { r throws(BundleError) in
            _ = try r.read([String].self)
        }
        expectMalformed(huge + [1, 2, 3], "InputColumn values cannot fit in the 3 bytes left") { r throws(BundleError) in
            _ = try r.read([InputColumn].self)
        }
        expectMalformed([2], "2 is not a Bool") { r throws(BundleError) in _ = try r.read(Bool.self) }
        expectMalformed([2, 0, 0, 0, 0xC3, 0x28], "not valid UTF-8") { r throws(BundleError) in _ = try r.read(String.self) }
        expectMalformed([1, 2], "a UInt16 needs 2 bytes, 0 left") { r throws(BundleError) in
            _ = try r.read(UInt8.self)
            _ = try r.read(UInt8.self)
            _ = try r.read(UInt16.self)
        }
    }

    @Test("XXH64 matches the reference implementation (python xxhash 3.x)")
    func xxh64Vectors() {
        // data = bytes((i*7+3) & 0xff for i in range(n)); xxhash.xxh64(data).intdigest()
        let expected: [(Int, UInt64)] = [
            (0, 0xEF46_DB37_51D8_E999), (1, 0x1F25_C8D0_BC1F_4BB6), (3, 0x31D2_363F_52E5_64C9),
            (4, 0x9BB6_4B7D_66EE_9FDA), (7, 0x9A7B_1499_59CE_60D8), (8, 0xDAB9_9D95_C6F9_0092),
            (9, 0x170B_B6BF_975B_4C02), (31, 0xA2AA_5F33_CC4A_6119), (32, 0x23C3_C17E_F790_FD97),
            (33, 0x50A7_CFC7_BA58_8784), (63, 0x5E3E_54B4_31C7_493C), (64, 0x0EB6_4B3E_F6EE_B01F),
            (100, 0xA61F_8D4C_170F_E531), (1000, 0x5F23_5FA0_33F1_A3FB),
        ]
        for (n, hash) in expected {
            let data = (0..<n).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
            #expect(XXH64.hash(data) == hash, "length \(n)")
        }
        #expect(XXH64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        // xxhash.xxh64(bytes(range(40)), seed=0x9E3779B97F4A7C15)
        #expect(XXH64.hash((0..<40).map { UInt8($0) }, seed: 0x9E37_79B9_7F4A_7C15) == 0x263A_0D3F_4740_996D)
    }
}
