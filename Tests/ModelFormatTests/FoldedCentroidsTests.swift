@testable import ModelFormat
import Numerics
import Testing

@Suite("Folded centroids")
struct FoldedCentroidsTests {
    /// A deterministic spread of values in [-scale/2, scale/2).
    static func values(_ count: Int, seed: UInt64, scale: Double = 1) -> [Double] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(state >> 11) / Double(1 << 53) - 0.5) * scale
        }
    }

    /// The explicit way: project, then the nearest centre by squared distance.
    static func explicit(_ projection: PCAProjection, _ centroids: SegmentCentroids, _ row: [Double]) -> (Int, [Double]) {
        let z = projection.project(row)
        let distances = (0..<centroids.count).map { c in
            (0..<z.count).reduce(0.0) { sum, a in
                let d = z[a] - centroids.centroids[c, a]
                return sum + d * d
            }
        }
        return (centroids.nearest(z).index, distances)
    }

    @Test("a hand-built 2-D plane in 3 features: rows go to the centre they were placed next to")
    func handBuilt() {
        // Axes: feature 0 and feature 1 (feature 2 is dropped); mean (1, 1, 1).
        let projection = PCAProjection(
            mean: [1, 1, 1], components: Matrix(rows: 2, columns: 3, values: [1, 0, 0, 0, 1, 0]),
            explainedVariance: [2, 1], explainedVarianceRatio: [0.5, 0.25])
        // Centres in PCA space at (0, 0), (4, 0), (0, -3).
        let centroids = SegmentCentroids(centroids: Matrix(rows: 3, columns: 2, values: [0, 0, 4, 0, 0, -3]))
        let folded = FoldedCentroids(projection: projection, centroids: centroids)
        // Row (x0, x1, x2) lands at (x0 - 1, x1 - 1); x2 never matters.
        #expect(folded.nearest([1, 1, 100]) == 0)      // (0, 0)
        #expect(folded.nearest([4.1, 1, -7]) == 1)     // (3.1, 0): 3.1² vs 0.9²
        #expect(folded.nearest([2, -2.5, 0]) == 2)     // (1, -3.5): 13.25, 21.25, 1.25
        #expect(folded.nearest([-5, 0, 0]) == 0)       // (-6, -1): 37, 101, 40
    }

    @Test("ties go to the lower index")
    func ties() {
        let projection = PCAProjection(
            mean: [0, 0], components: Matrix(rows: 2, columns: 2, values: [1, 0, 0, 1]),
            explainedVariance: [1, 1], explainedVarianceRatio: [0.5, 0.5])
        // Centres at (-1, 0), (1, 0), (1, 0) again: the origin is equidistant from all three,
        // (1, 5) from the last two.
        let centroids = SegmentCentroids(centroids: Matrix(rows: 3, columns: 2, values: [-1, 0, 1, 0, 1, 0]))
        let folded = FoldedCentroids(projection: projection, centroids: centroids)
        #expect(folded.nearest([0, 0]) == 0)
        #expect(folded.nearest([1, 5]) == 1)
        #expect(folded.nearest([-0.5, 2]) == 0)
    }

    @Test("the same centre as project-then-nearest on random data, for cluster counts on and off the 16-lane block")
    func matchesExplicit() {
        for (features, components, clusters) in [(37, 19, 10), (5, 3, 17), (64, 16, 16), (3, 1, 2), (120, 40, 33)] {
            let projection = PCAProjection(
                mean: Self.values(features, seed: 1),
                components: Matrix(rows: components, columns: features, values: Self.values(features * components, seed: 2)),
                explainedVariance: [Double](repeating: 1, count: components),
                explainedVarianceRatio: [Double](repeating: 0.01, count: components))
            let centroids = SegmentCentroids(centroids: Matrix(
                rows: clusters, columns: components, values: Self.values(clusters * components, seed: 3, scale: 4)))
            let folded = FoldedCentroids(projection: projection, centroids: centroids)
            var agreed = 0
            for r in 0..<200 {
                let row = Self.values(features, seed: 100 + UInt64(r), scale: 6)
                let (expected, distances) = Self.explicit(projection, centroids, row)
                let got = folded.nearest(row)
                if got == expected {
                    agreed += 1
                } else {
                    // Only a near-tie may come out otherwise.
                    #expect(abs(distances[got] - distances[expected]) <= 1e-9 * distances[expected],
                            "\(features)x\(components)x\(clusters) row \(r): \(got) vs \(expected)")
                }
            }
            #expect(agreed >= 198, "\(features)x\(components)x\(clusters)")
        }
    }

    @Test("SegmentModel sends rows short of data to the extra segment and the rest to the folded nearest centre")
    func segmentModel() {
        let projection = PCAProjection(
            mean: [0], components: Matrix(rows: 1, columns: 1, values: [1]), explainedVariance: [1], explainedVarianceRatio: [1])
        let model = SegmentModel(projection: projection, centroids: SegmentCentroids(centroids: Matrix(rows: 2, columns: 1, values: [-1, 3])))
        let features = FeatureMatrix(rows: 3, columns: 1, raw: [-2, 2, 9], scaled: [-2, 2, 9], missingShare: [0, 0.1, 0.9])
        #expect(model.segments(of: features, maxRowMissingShare: 0.5) == [0, 1, 2])
    }

    @Test("the AVX kernel and the portable loop give the same bits, for 1 to 5 groups of four centres")
    func kernelsAgreeBitForBit() {
        var state: UInt64 = 77
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(Int64(bitPattern: state >> 11) % 2_000_001) / 1_000_000 - 1
        }
        for k in [1, 4, 10, 13, 17] {
            let p = 37, d = 9
            let projection = PCAProjection(
                mean: (0..<p).map { _ in next() }, components: Matrix(rows: d, columns: p, values: (0..<(d * p)).map { _ in next() }),
                explainedVariance: [Double](repeating: 1, count: d), explainedVarianceRatio: [Double](repeating: 0.1, count: d))
            let centroids = SegmentCentroids(centroids: Matrix(rows: k, columns: d, values: (0..<(k * d)).map { _ in next() * 3 }))
            var portable = FoldedCentroids(projection: projection, centroids: centroids)
            portable.useAVX = false
            var avx = portable
            avx.useAVX = GramKernel.isSupported(.avx2FMA)
            for _ in 0..<50 {
                let row = (0..<p).map { _ in next() * 2 }
                var a = [Double](repeating: 0, count: 32), b = a
                row.withUnsafeBufferPointer { r in
                    a.withUnsafeMutableBufferPointer { portable.dots(r, into: $0.baseAddress!) }
                    b.withUnsafeMutableBufferPointer { avx.dots(r, into: $0.baseAddress!) }
                }
                #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "k = \(k)")
                #expect(portable.nearest(row) == avx.nearest(row))
            }
        }
    }
}
