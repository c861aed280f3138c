import Concurrency
import Foundation
import Learning
import ModelFormat
import Numerics

/// An Arvato-like numeric matrix with cluster structure: each row belongs to one of
/// `clusters` groups whose means differ in a low-dimensional latent space; every column
/// mixes three latent factors plus its own noise, with its own offset and scale. So PCA
/// finds a decaying spectrum and k-means has real, overlapping groups to find.
struct SyntheticMixture {
    let clusters: Int
    let seed: UInt64
    static let latentDimension = 40

    func generate(rows n: Int, columns p: Int) -> Matrix {
        let r = Self.latentDimension
        var setup = SplitMix64(seed: seed)
        // Cluster means in latent space, latent scales decaying like a real spectrum.
        let means = (0..<(clusters * r)).map { _ in 0.4 * setup.nextNormal() }
        let scales = (0..<r).map { 1 / (1 + Double($0) / 6).squareRoot() }
        // Column j = Σ weight · factor over three factors, + noise, then offset and scale.
        let factors = (0..<(3 * p)).map { _ in setup.nextIndex(below: r) }
        let weights = (0..<(3 * p)).map { _ in setup.nextNormal() }
        let noise = (0..<p).map { _ in 0.7 + 0.35 * setup.nextUnit() }
        let offsets = (0..<p).map { _ in 5 * setup.nextUnit() }
        let columnScales = (0..<p).map { _ in 0.5 + 2 * setup.nextUnit() }
        let base = seed

        var values = [Double](repeating: 0, count: n * p)
        let blockRows = 4096
        let blocks = (n + blockRows - 1) / blockRows
        values.withUnsafeMutableBufferPointer { out in
            let target = UncheckedBuffer(base: out.baseAddress!)
            _ = Parallel.map(count: blocks) { _, blockRange in
                var latent = [Double](repeating: 0, count: r)
                for block in blockRange {
                    // One generator per block: the matrix does not depend on the core count.
                    var random = SplitMix64(seed: base &+ 0x9E37_79B9 &* UInt64(block + 1))
                    for i in (block * blockRows)..<min(n, (block + 1) * blockRows) {
                        let group = random.nextIndex(below: clusters)
                        for f in 0..<r { latent[f] = means[group * r + f] + scales[f] * random.nextNormal() }
                        let row = target.base + i * p
                        for j in 0..<p {
                            var value = noise[j] * random.nextNormal()
                            for t in 0..<3 { value += weights[3 * j + t] * latent[factors[3 * j + t]] }
                            row[j] = offsets[j] + columnScales[j] * value
                        }
                    }
                }
                return 0
            }
        }
        return Matrix(rows: n, columns: p, values: values)
    }
}

private struct UncheckedBuffer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
}
