import Console
import Features

/// Everything a training run can be told, besides its input files.
public struct TrainingOptions: Sendable {
    public var cleaning = CleaningOptions()
    public var segmentation = SegmentationOptions()
    public var response = ResponseOptions()
    /// Seeds k-means, the folds, bagging and feature sampling.
    public var seed: UInt64 = 1
    /// Where step results are cached between runs; nil turns the cache off.
    public var cacheDirectory: String?
    /// The bundle whose segment numbers this run follows (`--models`'s `current`); nil
    /// numbers afresh. Not part of any cache key: numbering happens after the cached steps.
    public var previousBundle: String?
    /// Number the segments afresh even when there is a previous bundle (`--renumber`).
    public var renumber = false
    /// Written into the manifest and part of every cache key.
    public var prospectorVersion: String

    public init(prospectorVersion: String) {
        self.prospectorVersion = prospectorVersion
    }
}

/// One finished step of a run, for progress display and the manifest's timings.
public struct ProgressEvent: Sendable {
    public var step: String
    public var message: String
    public var seconds: Double
    /// Rows the step processed, when it reads or scores rows.
    public var rows: Int?
    /// Whether the step's result came from the cache.
    public var cached: Bool = false

    public init(step: String, message: String, seconds: Double, rows: Int? = nil, cached: Bool = false) {
        self.step = step
        self.message = message
        self.seconds = seconds
        self.rows = rows
        self.cached = cached
    }
}

extension ProgressReporter {
    /// A finished step of a training run, shown as ``finish(_:message:seconds:rows:cached:)`` does.
    public func finish(_ event: ProgressEvent) {
        finish(event.step, message: event.message, seconds: event.seconds, rows: event.rows, cached: event.cached)
    }
}
