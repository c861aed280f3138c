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
            // Near the codes but not whole: kept (v + 1 rounds to 1 for the smallest double).
            ([.leastNonzeroMagnitude, -0.9999999999999999, 1], [.leastNonzeroMagnitude, -0.9999999999999999, 1], 0),
            ([-1.0000000000000002, 61.99999999999999, 0], [-1.0000000000000002, 61.99999999999999, 0], 0),
            ([8.999999999999998, 2.5000000000000004, 0], [8.999999999999998, 2.5000000000000004, 0], 0),
        ]
        for (input, expected, share) in cases {
            var row = input
            let got = row.withUnsafeMutableBufferPointer { program.clean($0) }
            #expect(got == share, "\(input)")
            #expect(row.map(\.isNaN) == expected.map(\.isNaN), "\(input) → \(row)")
            #expect(zip(row, expected).allSatisfy { $0.isNaN || $0 == $1 }, "\(input) → \(row)")
        }
    }

    @Test("features of every kind, interleaved, worked out by hand; with and without the raw row the scaled values agree")
    func everyKind() {
        let transform = CleaningTransform(
            idColumn: "LNR",
            inputs: [
                InputColumn(name: "A", reading: .number, unknownCodes: [-1]),
                InputColumn(name: "B", reading: .number),
                InputColumn(name: "C", reading: .number),
            ],
            features: [
                FeatureSpec(name: "A_2", recipe: .indicator(input: 0, code: 2), fillValue: 5, mean: 1, scale: 2),
                FeatureSpec(name: "A", recipe: .value(input: 0), fillValue: 5, mean: 1, scale: 2),
                FeatureSpec(name: "MISSING", recipe: .missingShare, fillValue: 5, mean: 1, scale: 2),
                FeatureSpec(name: "B_TENS", recipe: .tensDigit(input: 1), fillValue: 5, mean: 1, scale: 2),
                FeatureSpec(name: "C_TABLE", recipe: .lookup(input: 2, table: [10, 20, 30]), fillValue: 5, mean: 1, scale: 2),
                FeatureSpec(name: "B_UNITS", recipe: .unitsDigit(input: 1), fillValue: 5, mean: 1, scale: 2),
                FeatureSpec(name: "C", recipe: .value(input: 2), fillValue: 5, mean: 1, scale: 2),
                FeatureSpec(name: "A_3", recipe: .indicator(input: 0, code: 3), fillValue: 5, mean: 1, scale: 2),
            ],
            maxRowMissingShare: 0.5)
        let program = transform.program()
        let n = Double.nan
        // inputs → raw features (scaled is ((raw, or 5 when missing) − 1) / 2).
        let cases: [([Double], [Double])] = [
            ([2, 47, 1], [1, 2, 0, 4, 20, 7, 1, 0]),
            ([-1, -13, 2.5], [n, n, 1.0 / 3, -1, n, -3, 2.5, n]),
            ([3, .nan, 3], [0, 3, 1.0 / 3, n, n, n, 3, 1]),
            ([.nan, 5, 0], [n, n, 1.0 / 3, 0, 10, 5, 0, n]),
        ]
        for (input, expected) in cases {
            var inputs = input
            var raw = [Double](repeating: -7, count: expected.count)
            var scaled = raw
            var scaledOnly = raw
            let share = inputs.withUnsafeMutableBufferPointer { i in
                raw.withUnsafeMutableBufferPointer { r in scaled.withUnsafeMutableBufferPointer { program.apply(inputs: i, raw: r, scaled: $0) } }
            }
            inputs = input
            _ = inputs.withUnsafeMutableBufferPointer { i in
                scaledOnly.withUnsafeMutableBufferPointer { program.apply(inputs: i, raw: .init(start: nil, count: 0), scaled: $0) }
            }
            #expect(share == expected[2], "\(input)")
            #expect(raw.map(\.isNaN) == expected.map(\.isNaN), "\(input) → \(raw)")
            #expect(zip(raw, expected).allSatisfy { $0.isNaN || $0 == $1 }, "\(input) → \(raw)")
            #expect(scaled == expected.map { (($0.isNaN ? 5 : $0) - 1) / 2 }, "\(input) → \(scaled)")
            #expect(scaledOnly.map(\.bitPattern) == scaled.map(\.bitPattern), "\(input)")
        }
    }

    @Test("value features copied in runs: consecutive inputs to consecutive features, runs broken by other kinds, a gap or an input out of order")
    func valueRuns() {
        let inputs = (0..<7).map { InputColumn(name: "I\($0)", reading: .number) }
        let recipes: [FeatureRecipe] = [
            .value(input: 0), .value(input: 1), .value(input: 2), .indicator(input: 2, code: 3), .value(input: 3),
            .value(input: 5), .value(input: 6), .value(input: 4), .missingShare, .value(input: 0),
        ]
        let transform = CleaningTransform(
            idColumn: "LNR", inputs: inputs,
            features: recipes.enumerated().map { FeatureSpec(name: "F\($0.offset)", recipe: $0.element, fillValue: 0, mean: 0, scale: 1) },
            maxRowMissingShare: 0.5)
        let program = transform.program()
        var row: [Double] = [10, 11, 3, 13, .nan, 15, 16]
        var raw = [Double](repeating: -7, count: recipes.count)
        let share = row.withUnsafeMutableBufferPointer { i in
            raw.withUnsafeMutableBufferPointer { program.apply(inputs: i, raw: $0, scaled: .init(start: nil, count: 0)) }
        }
        let expected: [Double] = [10, 11, 3, 1, 13, 15, 16, .nan, 1.0 / 7, 10]
        #expect(share == 1.0 / 7)
        #expect(raw.map(\.isNaN) == expected.map(\.isNaN), "\(raw)")
        #expect(zip(raw, expected).allSatisfy { $0.isNaN || $0 == $1 }, "\(raw)")
    }

    @Test("the bit test's kernels (AVX2 and portable) agree bit for bit, and with a search of each input's codes, on rows of every length")
    func unknownCodeKernels() {
        // xorshift64*: a fixed, self-contained stream of test cases.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return Int((state &* 0x2545_F491_4F6C_DD1D) >> 33) % bound
        }
        let special: [Double] = [
            .nan, -0.0, 63, 64, -2, 2.5, 99, .infinity, -.infinity, 1e300, -1.0000000000000002, 61.99999999999999,
            .leastNonzeroMagnitude, 0x1p52, -0x1p52,
        ]
        for width in [0, 1, 3, 4, 5, 8, 23, 64] {
            var inputs: [InputColumn] = []
            for j in 0..<width {
                var codes = Set((0..<next(6)).map { _ in Double(next(64) - 1) })
                if next(3) == 0 { codes.insert(special[2 + next(5)]) }
                inputs.append(
                    InputColumn(name: "I\(j)", reading: .number, unknownCodes: codes.sorted(), countsTowardMissingShare: next(4) != 0))
            }
            let transform = CleaningTransform(idColumn: "LNR", inputs: inputs, features: [], maxRowMissingShare: 0.5)
            let program = transform.program()
            let countedTotal = inputs.filter(\.countsTowardMissingShare).count
            for _ in 0..<200 {
                let row = (0..<width).map { j -> Double in
                    switch next(4) {
                    case 0: special[next(special.count)]
                    case 1: inputs[j].unknownCodes.isEmpty ? 7 : inputs[j].unknownCodes[next(inputs[j].unknownCodes.count)]
                    default: Double(next(72) - 4)
                    }
                }
                let expected = zip(row, inputs).map { v, input in input.unknownCodes.contains(v) ? Double.nan : v }
                let missing = zip(expected, inputs).filter { $0.isNaN && $1.countsTowardMissingShare }.count
                let expectedShare = countedTotal == 0 ? 0 : Double(missing) / Double(countedTotal)
                var fast = row
                var portable = row
                let fastShare = fast.withUnsafeMutableBufferPointer { program.clean($0, portable: false) }
                let portableShare = portable.withUnsafeMutableBufferPointer { program.clean($0, portable: true) }
                #expect(fast.map(\.bitPattern) == portable.map(\.bitPattern), "\(row)")
                #expect(fastShare == portableShare && fastShare == expectedShare, "\(row)")
                #expect(fast.map(\.isNaN) == expected.map(\.isNaN), "\(row) → \(fast)")
                #expect(zip(fast, expected).allSatisfy { $0.isNaN ? $1.isNaN : $0.bitPattern == $1.bitPattern }, "\(row) → \(fast)")
            }
        }
    }
}
