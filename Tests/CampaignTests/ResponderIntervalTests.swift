import Testing

@testable import Campaign

@Suite struct ResponderIntervalTests {
    @Test func exactDistributionOfThreeFairCoins() {
        // 1/8, 3/8, 3/8, 1/8: cumulative 0.125, 0.5, 0.875, 1.
        let pmf = ResponderInterval.distribution([0.5, 0.5, 0.5])
        #expect(pmf == [0.125, 0.375, 0.375, 0.125])
        var interval = ResponderInterval()
        for _ in 0..<3 { interval.add(0.5) }
        #expect(interval.isExact)
        // 5 %: already reached at 0 (0.125); 95 %: only at 3 (0.875 < 0.95).
        #expect(interval.bounds.low == 0)
        #expect(interval.bounds.high == 3)
        #expect(interval.mean == 1.5)
    }

    @Test func exactIntervalOfUnequalProbabilities() {
        // p = 0.1, 0.2: P(0) = 0.72, P(1) = 0.26, P(2) = 0.02; cumulative 0.72, 0.98, 1.
        let pmf = ResponderInterval.distribution([0.1, 0.2])
        #expect(abs(pmf[0] - 0.72) < 1e-15 && abs(pmf[1] - 0.26) < 1e-15 && abs(pmf[2] - 0.02) < 1e-15)
        var interval = ResponderInterval()
        interval.add(0.1)
        interval.add(0.2)
        #expect(interval.bounds.low == 0)
        #expect(interval.bounds.high == 1)
    }

    @Test func normalApproximationAboveTheExactLimit() {
        // 100 mails at p = 0.1: mean 10, variance 100 x 0.09 = 9, sd 3; 10 ± 1.6448536 x 3.
        var interval = ResponderInterval(exactLimit: 50)
        for _ in 0..<100 { interval.add(0.1) }
        #expect(!interval.isExact)
        #expect(abs(interval.bounds.low - 5.0654391191455834) < 1e-9)
        #expect(abs(interval.bounds.high - 14.934560880854417) < 1e-9)
    }

    @Test func exactAndNormalAgreeRoughlyOnALargeCase() {
        var exact = ResponderInterval(exactLimit: 2000)
        var normal = ResponderInterval(exactLimit: 0)
        for i in 0..<1000 {
            let p = 0.02 + 0.1 * Double(i % 10) / 10
            exact.add(p)
            normal.add(p)
        }
        #expect(abs(exact.bounds.low - normal.bounds.low) <= 1.5)
        #expect(abs(exact.bounds.high - normal.bounds.high) <= 1.5)
    }
}
