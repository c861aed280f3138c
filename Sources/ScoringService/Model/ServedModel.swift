import Foundation
import Logging
import ModelFormat
import Synchronization

/// The bundle being served, and the one place it is swapped.
///
/// A reload reads and fully validates the new bundle (`ScoringModel.load`) before it swaps the
/// reference under a lock; streams take a snapshot per batch, so rows already read finish on the
/// model that read them. A bundle that fails to load leaves the old one serving.
package final class ServedModel: Sendable {
    package let path: String
    private let metrics: ScorerMetrics?
    private let logger: Logger
    private let state: PthreadLocked<Served>
    /// Serialises reloads (SIGHUP and the poller may ask at once); never held while scoring.
    private let reloading = PthreadLocked<Void>(())

    struct Served {
        var model: ScoringModel
        var signature: FileSignature?
        var loadedAt: Date
        /// The last signature that failed to load, so a broken file is reported once, not every poll.
        var failedSignature: FileSignature?
    }

    /// What a reload did.
    package enum ReloadOutcome: Sendable, Equatable {
        case unchanged
        case swapped(from: String, to: String)
        case failed(String)
    }

    /// Loads the bundle at `path`; throws when it cannot serve at all.
    package init(path: String, metrics: ScorerMetrics? = nil, logger: Logger = Logger(label: "scorer.models"))
        throws(BundleError)
    {
        self.path = path
        self.metrics = metrics
        self.logger = logger
        let signature = FileSignature.of(path: path)
        let model = try ScoringModel.load(path: path)
        state = PthreadLocked(Served(model: model, signature: signature, loadedAt: Date(), failedSignature: nil))
        metrics?.bundleLoaded(model: model, at: Date())
    }

    /// The model new batches are scored with.
    package var current: ScoringModel { state.withLock { $0.model } }

    /// When the current model was swapped in.
    package var loadedAt: Date { state.withLock { $0.loadedAt } }

    /// Reloads when the file behind `path` changed since the last load (or failed load).
    @discardableResult
    package func reloadIfChanged() -> ReloadOutcome {
        reloading.withLock { _ in
            let signature = FileSignature.of(path: path)
            let seen = state.withLock { $0.signature == signature || ($0.failedSignature != nil && $0.failedSignature == signature) }
            if seen { return .unchanged }
            return load(signature: signature, reason: "\(path) changed")
        }
    }

    /// Reloads unconditionally (SIGHUP).
    @discardableResult
    package func reload(reason: String) -> ReloadOutcome {
        reloading.withLock { _ in load(signature: FileSignature.of(path: path), reason: reason) }
    }

    private func load(signature: FileSignature?, reason: String) -> ReloadOutcome {
        let started = Date()
        let model: ScoringModel
        do {
            model = try ScoringModel.load(path: path)
        } catch {
            state.withLock { $0.failedSignature = signature }
            metrics?.reloadFailed()
            let old = current.bundleId
            logger.error("reload failed, still serving \(old): \(error)", metadata: ["reason": "\(reason)"])
            return .failed(error.description)
        }
        let now = Date()
        let old = state.withLock { served in
            let old = served.model.bundleId
            served = Served(model: model, signature: signature, loadedAt: now, failedSignature: nil)
            return old
        }
        metrics?.bundleLoaded(model: model, at: now)
        metrics?.reloadSucceeded()
        logger.info(
            "serving bundle \(model.bundleId) (was \(old))",
            metadata: ["reason": "\(reason)", "load_ms": "\(Int(now.timeIntervalSince(started) * 1000))"])
        return .swapped(from: old, to: model.bundleId)
    }
}
