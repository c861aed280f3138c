/// NumPy's legacy `numpy.random.RandomState`: the Mersenne Twister (MT19937) with NumPy's
/// seeding and its `random_sample`, `uniform` and `choice(n, p=uniform)` draws.
///
/// scikit-learn's `KMeans(random_state=seed)` draws its k-means++ seeds from
/// `RandomState(seed)`. Drawing from the same stream, ``KMeans`` seeds the same rows and so
/// finds the same clusters as scikit-learn with the same seed: which local minimum a
/// restart falls into is then a property of the data, not of the generator, and the two
/// can be compared row for row.
package struct NumPyRandomState: Sendable {
    private static let stateLength = 624
    private var key: [UInt32]
    private var position: Int

    /// `RandomState(seed)` (NumPy accepts 0 ..< 2³²: `init_genrand`).
    package init(seed: UInt32) {
        key = [UInt32](repeating: 0, count: Self.stateLength)
        var value = seed
        for i in 0..<Self.stateLength {
            key[i] = value
            value = 1_812_433_253 &* (value ^ (value >> 30)) &+ UInt32(i + 1)
        }
        position = Self.stateLength
    }

    /// `RandomState(numpy.array(words, dtype=numpy.uint32))` (`init_by_array`).
    package init(seedWords words: [UInt32]) {
        self.init(seed: UInt32(19_650_218))
        let n = Self.stateLength
        var i = 1, j = 0
        for _ in 0..<max(n, words.count) {
            key[i] = (key[i] ^ ((key[i - 1] ^ (key[i - 1] >> 30)) &* 1_664_525)) &+ words[j] &+ UInt32(j)
            i += 1; j += 1
            if i >= n { key[0] = key[n - 1]; i = 1 }
            if j >= words.count { j = 0 }
        }
        for _ in 0..<(n - 1) {
            key[i] = (key[i] ^ ((key[i - 1] ^ (key[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= n { key[0] = key[n - 1]; i = 1 }
        }
        key[0] = 0x8000_0000
        position = n
    }

    /// A 64-bit seed: NumPy's own seeding below 2³², else its two 32-bit halves (low first) as
    /// an array seed, so every seed ``KMeans`` accepts names one NumPy stream.
    package init(seed: UInt64) {
        if let small = UInt32(exactly: seed) {
            self.init(seed: small)
        } else {
            self.init(seedWords: [UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)])
        }
    }

    /// The next 32-bit output (`genrand_int32`).
    package mutating func nextUInt32() -> UInt32 {
        if position >= Self.stateLength { regenerate() }
        var y = key[position]
        position += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// `random_sample()` and `uniform()`: a double in [0, 1) from 53 bits of two outputs.
    package mutating func randomSample() -> Double {
        let a = Double(nextUInt32() >> 5), b = Double(nextUInt32() >> 6)
        return (a * 67_108_864 + b) / 9_007_199_254_740_992
    }

    /// `choice(n, p=numpy.full(n, 1 / n))`, as scikit-learn picks the first k-means++ centre:
    /// one `random_sample` looked up in the normalised cumulative sum of the probabilities
    /// (`searchsorted(side="right")`), rounding included, rather than ⌊u·n⌋.
    package mutating func choiceWithUniformProbabilities(count n: Int) -> Int {
        precondition(n > 0)
        let p = 1 / Double(n)
        var last = 0.0
        for _ in 0..<n { last += p }
        let u = randomSample()
        var cumulative = 0.0
        for i in 0..<n {
            cumulative += p
            if cumulative / last > u { return i }
        }
        return n  // as NumPy: u is below 1 = cdf[-1], so this is never reached
    }

    private mutating func regenerate() {
        let n = Self.stateLength, m = 397
        for i in 0..<n {
            let y = (key[i] & 0x8000_0000) | (key[(i + 1) % n] & 0x7FFF_FFFF)
            var next = key[(i + m) % n] ^ (y >> 1)
            if y & 1 != 0 { next ^= 0x9908_B0DF }
            key[i] = next
        }
        position = 0
    }
}
