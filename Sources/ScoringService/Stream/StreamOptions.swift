import Concurrency
import ModelFormat

/// How one stream (stdin or a socket connection) is answered.
package struct StreamOptions: Sendable, Hashable {
    /// CSV (`LNR;segment;segment_label;probability`) or JSON Lines.
    package var style: ScoreFormat.Style
    /// Adds the bundle id to every output line.
    package var withVersion: Bool
    /// A line longer than this (without its newline) is answered with an error line and skipped.
    /// MAILOUT rows are about 1.2 KB; the default leaves room for wide schemas without letting
    /// one runaway client make the scorer buffer without bound.
    package var maxLineBytes: Int
    /// Threads a large batch of rows is split over.
    package var workers: Int
    /// Batches with fewer rows are scored on the calling thread: splitting a handful of rows
    /// costs more in thread hand-offs than it saves.
    package var parallelThreshold: Int
    /// Drift counting: every this-th row a worker scores is counted (0: off). Sampling keeps
    /// the per-row cost low; see ``DriftMonitor``.
    package var driftSampleEvery: Int
    /// Counted rows the drift gauges cover (the sliding window, in sampled rows).
    package var driftWindow: Int
    /// Reason codes per answered row (`--reasons N`; 0: none), see ``ReasonModel``.
    package var reasons: Int

    package init(
        style: ScoreFormat.Style = .csv, withVersion: Bool = false, maxLineBytes: Int = 1 << 20,
        workers: Int = Parallel.defaultWorkers, parallelThreshold: Int = 64, driftSampleEvery: Int = 8,
        driftWindow: Int = 100_000 / 8, reasons: Int = 0
    ) {
        self.driftSampleEvery = max(0, driftSampleEvery)
        self.driftWindow = max(1, driftWindow)
        self.reasons = max(0, reasons)
        self.style = style
        self.withVersion = withVersion
        self.maxLineBytes = maxLineBytes
        self.workers = max(1, workers)
        self.parallelThreshold = max(1, parallelThreshold)
    }
}
