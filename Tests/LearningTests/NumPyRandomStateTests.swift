import Testing
@testable import Learning

/// Against NumPy 2 (`numpy.random.RandomState`), values printed by NumPy itself.
@Suite struct NumPyRandomStateTests {
    @Test func rawOutputsAreTheMersenneTwisters() {
        // The reference MT19937 stream for seed 5489, and NumPy's for 42
        // (`RandomState(s).randint(0, 2**32, size=3, dtype=numpy.uint64)`).
        var canonical = NumPyRandomState(seed: UInt32(5489))
        #expect([canonical.nextUInt32(), canonical.nextUInt32()] == [3_499_211_612, 581_869_302])
        var numpy = NumPyRandomState(seed: UInt32(42))
        #expect([numpy.nextUInt32(), numpy.nextUInt32(), numpy.nextUInt32()] == [1_608_637_542, 3_421_126_067, 4_083_286_876])
    }

    @Test func randomSampleMatchesNumPyBitForBit() {
        var random = NumPyRandomState(seed: UInt64(42))
        #expect((0..<3).map { _ in random.randomSample() } == [0.3745401188473625, 0.9507143064099162, 0.7319939418114051])
        var zero = NumPyRandomState(seed: UInt64(0))
        #expect([zero.randomSample(), zero.randomSample()] == [0.5488135039273248, 0.7151893663724195])
    }

    @Test func seedsPastThirtyTwoBitsAreNumPysArraySeed() {
        // RandomState(numpy.array([s & 0xffffffff, s >> 32], dtype=numpy.uint32)), s = 2**40 + 12345.
        var random = NumPyRandomState(seed: UInt64(1 << 40) + 12_345)
        #expect([random.randomSample(), random.randomSample()] == [0.31036222241287226, 0.1148930862836336])
    }

    /// `RandomState(42).choice(n, p=numpy.ones(n) / n)`, four times.
    @Test(arguments: [(7, [2, 6, 5, 4]), (795_796, [298_057, 756_574, 582_517, 476_410])])
    func choiceWithUniformProbabilities(count: Int, expected: [Int]) {
        var random = NumPyRandomState(seed: UInt64(42))
        #expect((0..<4).map { _ in random.choiceWithUniformProbabilities(count: count) } == expected)
    }
}
