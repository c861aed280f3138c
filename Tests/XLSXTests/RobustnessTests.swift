import Testing

@testable import XLSX

/// Damaged input must end in an ``XLSXError`` (or a successful read), never a crash or a hang:
/// seeded random byte flips and truncations of a real workbook and of a sheet's XML.
@Suite struct RobustnessTests {
    /// SplitMix64: a small, seeded generator so every run tries the same damage.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private func readAll(_ bytes: [UInt8]) -> Bool {
        do {
            _ = try Workbook(bytes: bytes, name: "damaged.xlsx").worksheets()
            return true
        } catch {
            return false
        }
    }

    @Test func flippedAndTruncatedArchives() throws {
        let original = try FileBytesForTests.read("dias_values_like.xlsxwriter.xlsx")
        #expect(readAll(original))
        var random = SplitMix64(state: 20_261_129)
        var refused = 0
        for _ in 0..<150 {
            var damaged = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                damaged[Int.random(in: 0..<damaged.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            }
            if !readAll(damaged) { refused += 1 }
        }
        for _ in 0..<50 {
            if !readAll(Array(original.prefix(Int.random(in: 0..<original.count, using: &random)))) { refused += 1 }
        }
        // Flips in unused header fields may go unnoticed; most damage must be caught.
        #expect(refused > 100, "\(refused) of 200 damaged copies refused")
    }

    @Test func damagedSheetXML() throws {
        let archive = try ZipArchive(
            bytes: FileBytesForTests.read("edge_cases.xlsxwriter.xlsx"), name: "e.xlsx", limits: ZipLimits())
        let xml = try archive.data(forEntry: "xl/worksheets/sheet1.xml")
        let parser = SheetParser(
            file: "e.xlsx", part: "xl/worksheets/sheet1.xml", sharedStrings: ["a", "b"],
            styles: CellStyles(dateKinds: [nil, .date]), date1904: false)
        var random = SplitMix64(state: 7)
        let alphabet = Array("<>/=\"&;:_x0A9 ".utf8)
        for _ in 0..<300 {
            var damaged = xml
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                damaged[Int.random(in: 0..<damaged.count, using: &random)] = alphabet.randomElement(using: &random)!
            }
            do {
                _ = try parser.parse(damaged) { _, _ in }
            } catch is XLSXError {
            }
        }
    }
}
