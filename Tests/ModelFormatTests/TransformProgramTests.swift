import Testing

@testable import ModelFormat

@Suite("Transform program")
struct TransformProgramTests {
    @Test("unknown codes become missing whether kept as bits (-1...62) or searched (others), and count in the missing share")
    func unknownCodes() {
        let transform = CleaningTransform(
            idColumn: "LNR",
            inputs: [
                InputColumn(name: "A", reading: .number, unknownCodes: [-1, 0, 9, 62]),
                InputColumn(name: "B", reading: .number, unknownCodes: [-2, 63, 2.5, 99]),
                InputColumn(name: "C", reading: .number, unknownCodes: [], countsTowardMissingShare: false),
            ],
            features: [],
            maxRowMissingShare: 0.5)
        let program = transform.program()
        // (A, B, C) → expected (A, B, C) after cleaning, and the missing share over A and B.
        let cases: [([Double], [Double], Double)] = [
            ([-1, -2, .nan], [.nan, .nan, .nan], 1),
            ([-0.0, 63, 0], [.nan, .nan, 0], 1),
            ([62, 2.5, 1], [.nan, .nan, 1], 1),
            ([9, 99, 9], [.nan, .nan, 9], 1),
            ([1, 2, -1], [1, 2, -1], 0),
            ([61, 62, 63], [61, 62, 63], 0),
            ([9.5, -1, 64], [9.5, -1, 64], 0),
            ([63, 3, .nan], [63, 3, .nan], 0),
            ([.nan, 0, 0], [.nan, 0, 0], 0.5),
        ]
        for (input, expected, share) in cases {
            var row = input
            let got = row.withUnsafeMutableBufferPointer { program.clean($0) }
            #expect(got == share, "\(input)")
            #expect(row.map(\.isNaN) == expected.map(\.isNaN), "\(input) → \(row)")
            #expect(zip(row, expected).allSatisfy { $0.isNaN || $0 == $1 }, "\(input) → \(row)")
        }
    }
}
