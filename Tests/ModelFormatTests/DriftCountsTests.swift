import Foundation
import Testing

@testable import ModelFormat

@Suite struct DriftCountsTests {
    static let reference = ReferenceDistribution(
        attributes: [
            .init(name: "K", binning: .codes([1, 2, 3]), shares: [0.2, 0.3, 0.3, 0.1, 0.1]),
            .init(name: "X", binning: .quantiles(edges: [10, 20]), shares: [0.25, 0.25, 0.5, 0]),
        ],
        segmentShares: [0.6, 0.3, 0.1], rows: 100)

    @Test func psiByHand() {
        // (0.25 − 0.5)·ln(0.25/0.5) + (0.75 − 0.5)·ln(0.75/0.5) = 0.25·ln 2 + 0.25·ln 1.5.
        let psi = PSI.index(expected: [0.5, 0.5], actual: [0.25, 0.75])
        #expect(abs(psi - 0.27465307216702745) < 1e-15)
        #expect(PSI.index(expected: [0.2, 0.8], actual: [0.2, 0.8]) == 0)
    }

    @Test func binsCodesQuantilesOtherAndMissing() {
        let layout = DriftLayout(Self.reference)
        #expect(layout.binCount == 9)
        #expect([1.0, 2, 3, 7, -1, .nan].map { layout.bin($0, attribute: 0) } == [0, 1, 2, 3, 3, 4])
        // value <= edge j → bin j; above the last edge → bin 2; missing → 3.
        #expect([-5.0, 10, 10.5, 20, 21, .nan].map { layout.bin($0, attribute: 1) } == [0, 0, 1, 1, 2, 3])
    }

    @Test func countsAndPSIOfATinyFile() {
        // Four rows: K = 1, 1, 2, missing; X = 5, 15, 25, 30. Segments 0, 0, 1, 2.
        var counts = DriftCounts(reference: Self.reference)
        let rows: [[Double]] = [[1, 5], [1, 15], [2, 25], [.nan, 30]]
        for (i, row) in rows.enumerated() {
            row.withUnsafeBufferPointer { counts.add(inputs: $0, segment: [0, 0, 1, 2][i]) }
        }
        #expect(counts.shares(attribute: 0) == [0.5, 0.25, 0, 0, 0.25])
        #expect(counts.shares(attribute: 1) == [0.25, 0.25, 0.5, 0])
        #expect(counts.segmentShares == [0.5, 0.25, 0.25])
        // K: 0.3·ln(0.5/0.2) + (−0.05)·ln(0.25/0.3) + (0.0001 − 0.3)·ln(0.0001/0.3)
        //    + (0.0001 − 0.1)·ln(0.0001/0.1) + 0.15·ln(0.25/0.1); X: identical shares → 0.
        let k = 0.3 * log(2.5) - 0.05 * log(0.25 / 0.3) + (0.0001 - 0.3) * log(0.0001 / 0.3)
            + (0.0001 - 0.1) * log(0.001) + 0.15 * log(2.5)
        #expect(abs(counts.psi(attribute: 0)! - k) < 1e-12)
        #expect(counts.psi(attribute: 1)! == 0)
    }

    @Test func tallySamplesEveryNthRow() {
        let tally = DriftTally(reference: Self.reference, every: 3)
        let row: [Double] = [1, 5]
        for _ in 0..<10 { row.withUnsafeBufferPointer { tally.observe(inputs: $0, segment: 0) } }
        // Rows 1, 4, 7, 10.
        #expect(tally.counts.rows == 4)
        #expect(tally.take().rows == 4)
        #expect(tally.counts.rows == 0)
    }

    @Test func sectionRoundTripsAndBadBytesAreRefused() throws {
        let bytes = Self.reference.binaryEncoded()
        #expect(try ReferenceDistribution(binary: bytes) == Self.reference)
        var wrong = Self.reference
        wrong.attributes[0].shares.removeLast()
        #expect(throws: BundleError.self) { try ReferenceDistribution(binary: wrong.binaryEncoded()) }
        var unsorted = Self.reference
        unsorted.attributes[1].binning = .quantiles(edges: [20, 10])
        #expect(throws: BundleError.self) { try ReferenceDistribution(binary: unsorted.binaryEncoded()) }
    }
}

/// The per-row counting (table lookup for small codes, binary search otherwise) against
/// ``DriftLayout/bin(_:attribute:)`` one value at a time, on random values.
@Suite struct DriftCountingAgreementTests {
    @Test func countingAgreesWithBinningValueByValue() {
        let reference = ReferenceDistribution(
            attributes: [
                .init(name: "small", binning: .codes([-1, 0, 1, 2, 5, 9]), shares: [Double](repeating: 0.125, count: 8)),
                .init(name: "wide", binning: .codes([0, 1000, 5000]), shares: [Double](repeating: 0.2, count: 5)),
                .init(name: "fractional", binning: .codes([0.5, 1.5]), shares: [0.25, 0.25, 0.25, 0.25]),
                .init(name: "range", binning: .quantiles(edges: [1, 2.5, 10]), shares: [0.2, 0.2, 0.2, 0.2, 0.2]),
            ],
            segmentShares: [1], rows: 10)
        let layout = DriftLayout(reference)
        var generator = SystemRandomNumberGenerator()
        let pool: [Double] = [-2, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3, 5, 9, 10, 11, 1000, 5000, 127, 128, .nan, -1e300, 1e300]
        for _ in 0..<2000 {
            let row = (0..<4).map { _ in pool.randomElement(using: &generator)! }
            var counted = [Int](repeating: 0, count: layout.binCount)
            row.withUnsafeBufferPointer { r in counted.withUnsafeMutableBufferPointer { layout.count(r, into: $0) } }
            var expected = [Int](repeating: 0, count: layout.binCount)
            for a in 0..<4 { expected[layout.binStart[a] + layout.bin(row[a], attribute: a)] += 1 }
            #expect(counted == expected, "row \(row)")
        }
    }
}
