import Testing

@testable import ModelFormat

/// `ByteStringTable` must answer exactly what a `Dictionary<[UInt8], Int>` filled in
/// vocabulary order answers: it replaced one on the scorer's per-field path.
struct ByteStringTableTests {
    static func index(_ table: ByteStringTable, _ text: String) -> Int? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { table.index(of: UnsafeBufferPointer($0)) }
    }

    @Test("Arvato-style codes, absent keys, prefixes, the empty string and duplicates")
    func findsWhatADictionaryFinds() {
        let vocabulary = ["8A", "8B", "1A", "W", "O", "D19_UNBEKANNT", "D19_VERSICHERUNGEN", "", "XX", "8A"]
        let table = ByteStringTable(vocabulary)
        var reference: [[UInt8]: Int] = [:]
        for (i, text) in vocabulary.enumerated() { reference[Array(text.utf8)] = i }
        // The duplicate "8A" keeps its last index, as the dictionary does.
        #expect(Self.index(table, "8A") == 9)
        #expect(Self.index(table, "8B") == 1)
        #expect(Self.index(table, "") == 7)
        for probe in vocabulary + ["8", "8AA", "D19_UNBEKANN", "D19_UNBEKANNTX", "w", "X", "-1", "XXX"] {
            #expect(Self.index(table, probe) == reference[Array(probe.utf8)], "\(probe)")
        }
    }

    @Test("a vocabulary of 2 000 random codes (many collisions in a small table) against a dictionary")
    func manyKeys() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let alphabet = Array("ABCDEF0123456789_".utf8)
        let vocabulary = (0..<2000).map { _ in
            String(decoding: (0..<(1 + Int(next() % 6))).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }, as: UTF8.self)
        }
        let table = ByteStringTable(vocabulary)
        var reference: [[UInt8]: Int] = [:]
        for (i, text) in vocabulary.enumerated() { reference[Array(text.utf8)] = i }
        let probes = vocabulary + (0..<2000).map { _ in String(next() % 100_000) }
        for probe in probes {
            #expect(Self.index(table, probe) == reference[Array(probe.utf8)])
        }
    }
}
