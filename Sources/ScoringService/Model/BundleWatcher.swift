import Dispatch
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the bundle on SIGHUP and whenever the file behind the bundle path changes (polled).
package struct BundleWatcher: Service {
    package let models: ServedModel
    /// `nil` turns polling off (SIGHUP still reloads).
    package let pollInterval: Duration?

    package init(models: ServedModel, pollInterval: Duration?) {
        self.models = models
        self.pollInterval = pollInterval
    }

    package func run() async throws {
        let models = self.models
        let interval = pollInterval
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await _ in await UnixSignalsSequence(trapping: .sighup) {
                            await Self.offload { models.reload(reason: "SIGHUP") }
                        }
                    }
                    if let interval {
                        group.addTask {
                            while true {
                                try await Task.sleep(for: interval)
                                await Self.offload { models.reloadIfChanged() }
                            }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// Loading a bundle blocks for as long as reading and checking it takes: not on the
    /// concurrency pool's few threads.
    private static func offload(_ work: @escaping @Sendable () -> ServedModel.ReloadOutcome) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global(qos: .utility).async {
                _ = work()
                done.resume()
            }
        }
    }
}
