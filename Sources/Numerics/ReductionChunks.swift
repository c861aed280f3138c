/// Chunk count for parallel reductions. Fixed (not the core count) so that partial sums
/// are combined in the same order, and results are bit-identical, on any machine.
package enum ReductionChunks {
    package static let count = 16
}
