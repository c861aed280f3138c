import Numerics
import Testing

/// `Double.wholeNumberIndex(below:)`, which the transform's lookups, the drift counts, the
/// cleaning statistics and the feature binning share, by hand.
@Test func wholeNumbersInRangeAreIndicesAndNothingElseIs() {
    #expect(0.0.wholeNumberIndex(below: 5) == 0)
    #expect((-0.0).wholeNumberIndex(below: 5) == 0)
    #expect(4.0.wholeNumberIndex(below: 5) == 4)
    #expect(5.0.wholeNumberIndex(below: 5) == nil)
    #expect((-1.0).wholeNumberIndex(below: 5) == nil)
    #expect(2.5.wholeNumberIndex(below: 5) == nil)
    #expect(3.0000000000000004.wholeNumberIndex(below: 5) == nil)
    #expect(Double.nan.wholeNumberIndex(below: 5) == nil)
    #expect(Double.infinity.wholeNumberIndex(below: 5) == nil)
    #expect(1e300.wholeNumberIndex(below: Int.max) == nil)
    #expect(0.0.wholeNumberIndex(below: 0) == nil)
}
