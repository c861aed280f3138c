import Synchronization

/// What `/readyz` reports: ready once a bundle is loaded and serving, not while draining.
package final class HealthState: Sendable {
    private let draining = Atomic<Bool>(false)

    package init() {}

    package func beginDraining() { draining.store(true, ordering: .relaxed) }
    package var isDraining: Bool { draining.load(ordering: .relaxed) }
}
