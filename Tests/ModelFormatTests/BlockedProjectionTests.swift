import ModelFormat
import Testing



@Suite("Blocked projection")
struct BlockedProjectionTests {
    /// Values spread over many magnitudes, so that any change in summation order would show.
    static func values(_ count: Int, seed: UInt64) -> [Double] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let unit = Double(state >> 11) / Double(1 << 53) - 0.5
            return unit * Double(1 << Int(state % 20))
        }
    }

    @Test("the same bits as PCAProjection.project, for component counts on and off the block size")
    func sameBits() {
        for (features, components) in [(37, 19), (5, 8), (64, 16), (3, 1), (290, 61)] {
            let projection = PCAProjection(
                mean: Self.values(features, seed: 1),
                components: Matrix(rows: components, columns: features, values: Self.values(features * components, seed: 2)),
                explainedVariance: [Double](repeating: 1, count: components),
                explainedVarianceRatio: [Double](repeating: 0.01, count: components))
            let blocked = BlockedProjection(projection)
            for r in 0..<5 {
                let row = Self.values(features, seed: 10 + UInt64(r))
                let expected = projection.project(row)
                var centered = [Double](repeating: 0, count: features)
                var got = [Double](repeating: .nan, count: components)
                row.withUnsafeBufferPointer { row in
                    centered.withUnsafeMutableBufferPointer { centered in
                        got.withUnsafeMutableBufferPointer { blocked.project(row, centered: centered, into: $0) }
                    }
                }
                #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "\(features)x\(components) row \(r)")
            }
        }
    }
}
