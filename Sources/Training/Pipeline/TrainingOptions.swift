import Console
import Features

/// Everything a training run can be told, besides its input files.
package struct TrainingOptions: Sendable {
    package var cleaning = CleaningOptions()
    package var segmentation = SegmentationOptions()
    package var response = ResponseOptions()
    /// Seeds k-means, the folds, bagging and feature sampling.
    package var seed: UInt64 = 1
    /// Where step results are cached between runs; nil turns the cache off.
    package var cacheDirectory: String?
    /// The bundle whose segment numbers this run follows (`--models`'s `current`); nil
    /// numbers afresh. Not part of any cache key: numbering happens after the cached steps.
    package var previousBundle: String?
    /// Number the segments afresh even when there is a previous bundle (`--renumber`).
    package var renumber = false
    /// Written into the manifest and part of every cache key.
    package var prospectorVersion: String

    package init(prospectorVersion: String) {
        self.prospectorVersion = prospectorVersion
    }
}

/// One finished step of a run, for progress display and the manifest's timings.
package struct ProgressEvent: Sendable {
    package var step: String
    package var message: String
    package var seconds: Double
    /// Rows the step processed, when it reads or scores rows.
    package var rows: Int?
    /// Whether the step's result came from the cache.
    package var cached: Bool = false

    package init(step: String, message: String, seconds: Double, rows: Int? = nil, cached: Bool = false) {
        self.step = step
        self.message = message
        self.seconds = seconds
        self.rows = rows
        self.cached = cached
    }
}

extension ProgressReporter {
    /// A finished step of a training run, shown as ``finish(_:message:seconds:rows:cached:)`` does.
    package func finish(_ event: ProgressEvent) {
        finish(event.step, message: event.message, seconds: event.seconds, rows: event.rows, cached: event.cached)
    }
}
