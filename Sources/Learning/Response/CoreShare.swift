import Synchronization

/// The cores that the fits of cross-validation running at the same time share (the folds and
/// the final fit). While two run, each builds its histograms on one core; a fit left running
/// alone (the others finished early) takes every core for its histograms instead of leaving one
/// idle.
///
/// Safe for the results: a histogram build splits its features (or feature groups) over
/// workers and each slot is summed by one worker in row order, so a tree is the same bit for
/// bit on any core count.
final class CoreShare: Sendable {
    let cores: Int
    private let running = Atomic<Int>(0)

    init(cores: Int) { self.cores = max(1, cores) }

    func enter() { running.add(1, ordering: .relaxed) }
    func leave() { running.subtract(1, ordering: .relaxed) }

    /// Histogram workers for one fold now.
    var threadsPerFold: Int { max(1, cores / max(1, running.load(ordering: .relaxed))) }
}
