extension Double {
    /// This value as an index of a table of `count` entries: the whole numbers `0 ..< count`
    /// give themselves, anything else (fractions, out of range, NaN) nil.
    ///
    /// The loops that count or look up small codes (cleaning statistics, drift counts, the
    /// transform's lookups, feature binning) run this once per value of every row. It tests
    /// wholeness by conversion, after the range check (so `Int(self)` cannot trap): `rounded()`
    /// is a libm call on baseline x86-64.
    @inlinable @inline(__always)
    public func wholeNumberIndex(below count: Int) -> Int? {
        guard self >= 0, self < Double(count) else { return nil }
        let index = Int(self)
        return Double(index) == self ? index : nil
    }
}
