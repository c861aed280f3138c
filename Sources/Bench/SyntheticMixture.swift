import Foundation
import Learning
import ModelFormat

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
        var setup = SplitMix(seed: seed)
        // Cluster means in latent space, latent scales decaying like a real spectrum.
        let means = (0..<(clusters * r)).map { _ in 0.4 * setup.normal() }
        let scales = (0..<r).map { 1 / (1 + Double($0) / 6).squareRoot() }
        // Column j = Σ weight · factor over three factors, + noise, then offset and scale.
        let factors = (0..<(3 * p)).map { _ in setup.nextIndex(below: r) }
        let weights = (0..<(3 * p)).map { _ in setup.normal() }
        let noise = (0..<p).map { _ in 0.7 + 0.35 * setup.unit() }
        let offsets = (0..<p).map { _ in 5 * setup.unit() }
        let columnScales = (0..<p).map { _ in 0.5 + 2 * setup.unit() }
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
                    var random = SplitMix(seed: base &+ 0x9E37_79B9 &* UInt64(block + 1))
                    for i in (block * blockRows)..<min(n, (block + 1) * blockRows) {
                        let group = random.nextIndex(below: clusters)
                        for f in 0..<r { latent[f] = means[group * r + f] + scales[f] * random.normal() }
                        let row = target.base + i * p
                        for j in 0..<p {
                            var value = noise[j] * random.normal()
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

/// SplitMix64 with normal draws (Box–Muller); for generating bench data only.
private struct SplitMix {
    var state: UInt64
    var spare: Double? = nil

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    mutating func nextIndex(below bound: Int) -> Int { Int(UInt64(bound).multipliedFullWidth(by: next()).high) }

    mutating func normal() -> Double {
        if let value = spare {
            spare = nil
            return value
        }
        let u = 1 - unit()  // (0, 1]
        let v = unit()
        let radius = (-2 * log(u)).squareRoot()
        spare = radius * sin(2 * .pi * v)
        return radius * cos(2 * .pi * v)
    }
}
