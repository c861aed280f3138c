/// Missing values in blocks, the way the real files have them.
///
/// A share of rows is sparse. In a sparse row a column is missing when the row's own
/// uniform falls below the column's `sparseRate`, which nests the rarer blocks inside the
/// common ones and makes sparse rows miss most of their values. In the other rows each
/// unit (a missing block, or a stem of block-less columns such as ALTER_KIND1..4) draws
/// one uniform, and its columns are missing below their `denseRate`: a block goes missing
/// together, and ALTER_KIND2 is only present where ALTER_KIND1 is. The rates are set so
/// each column's overall missing fraction is the schema's.
struct MissingModel: Sendable {
    /// Share of sparse rows per population.
    var sparseShare: [Double]
    var unitNames: [String]

    /// Rows are sparse a little less often than the largest block is missing, so that
    /// block is also missing in some ordinary rows.
    init(largestBlockFraction: [Double], unitNames: [String]) {
        sparseShare = largestBlockFraction.map { 0.9 * $0 }
        self.unitNames = unitNames
    }

    /// (sparse-row rate, ordinary-row rate) giving overall missing fraction `fraction`.
    func rates(fraction: Double, population: Population) -> (sparse: Double, dense: Double) {
        let s = sparseShare[population.rawValue]
        let q = s > 0 ? min(1, fraction / s) : 0
        let r = s < 1 ? max(0, (fraction - s * q) / (1 - s)) : 0
        return (q, r)
    }
}
