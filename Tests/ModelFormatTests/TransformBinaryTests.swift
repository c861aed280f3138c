import Numerics
import Testing

@testable import ModelFormat

@Suite("CleaningTransform and Matrix in binary")
struct TransformBinaryTests {
    @Test("a transform with every reading and recipe round-trips, and re-encodes to the same bytes")
    func transformRoundTrip() throws {
        let bytes = Fixtures.transform.binaryEncoded()
        let decoded = try CleaningTransform(binary: bytes)
        #expect(decoded == Fixtures.transform)
        #expect(decoded.binaryEncoded() == bytes)
        // The decoded transform computes the same features (inputs: age 2, 1B, 1999, 34, 9 (→ 70), nothing).
        let out = decoded.apply(inputs: [2, 1, 1999, 34, 9, .nan])
        #expect(out.raw == [2, 1, 1999, 3, 4, 70, 0.2])  // 1 of 5 counted inputs missing
    }

    @Test("NaN entries of a lookup table survive bit for bit")
    func nanInLookupTable() throws {
        let spec = FeatureSpec(name: "f", recipe: .lookup(input: 0, table: [.nan, 1, Double(bitPattern: 0x7FF8_0000_0000_00AB)]))
        let decoded = try FeatureSpec(binary: spec.binaryEncoded())
        guard case .lookup(0, let table) = decoded.recipe else {
            Issue.record("recipe changed: \(decoded.recipe)")
            return
        }
        #expect(table.map(\.bitPattern) == [Double.nan.bitPattern, Double(1).bitPattern, 0x7FF8_0000_0000_00AB])
    }

    @Test("a matrix round-trips with its shape and the values' bits")
    func matrixRoundTrip() throws {
        let decoded = try Matrix(binary: Fixtures.matrix.binaryEncoded())
        #expect(decoded == Fixtures.matrix)
        #expect(decoded.values.map(\.bitPattern) == Fixtures.matrix.values.map(\.bitPattern))
        #expect(try Matrix(binary: Matrix(rows: 0, columns: 4).binaryEncoded()) == Matrix(rows: 0, columns: 4))
    }

    @Test("a matrix whose shape disagrees with its values is refused, not trapped on")
    func matrixShapeMismatch() {
        for (rows, columns) in [(2, 2), (-1, -6), (Int.max, 2), (3, 3)] {
            var w = BinaryWriter()
            w.write(rows)
            w.write(columns)
            w.write([1.0, 2, 3, 4, 5, 6])
            #expect(throws: BundleError.malformed(section: nil, offset: 0, problem: "a \(rows)x\(columns) matrix cannot hold 6 values")) {
                _ = try Matrix(binary: w.bytes)
            }
        }
    }

    @Test("unknown enum tags are refused with the tag and its offset")
    func unknownTags() {
        var reading = InputColumn.Reading.year.binaryEncoded()
        reading[0] = 3
        #expect(throws: BundleError.malformed(section: nil, offset: 0, problem: "unknown input reading tag 3")) {
            _ = try InputColumn.Reading(binary: reading)
        }
        var recipe = FeatureRecipe.missingShare.binaryEncoded()
        recipe[0] = 200
        #expect(throws: BundleError.malformed(section: nil, offset: 0, problem: "unknown feature recipe tag 200")) {
            _ = try FeatureRecipe(binary: recipe)
        }
    }

    @Test("a feature reading an input the transform does not have is refused")
    func inputIndexOutOfRange() {
        for bad in [6, -1] {
            var transform = Fixtures.transform
            transform.features[3].recipe = .tensDigit(input: bad)
            #expect(throws: BundleError.self) { _ = try CleaningTransform(binary: transform.binaryEncoded()) }
            do {
                _ = try CleaningTransform(binary: transform.binaryEncoded())
            } catch {
                #expect(
                    error.description.hasSuffix(
                        "feature 'CAMEO_INTL_2015_WEALTH' reads input \(bad), but the transform has 6 inputs"))
            }
        }
    }

    @Test("every truncation of a transform's encoding is an error")
    func transformTruncations() {
        let bytes = Fixtures.transform.binaryEncoded()
        for cut in 0..<bytes.count {
            #expect(throws: BundleError.self) { _ = try CleaningTransform(binary: Array(bytes[0..<cut])) }
        }
    }
}
