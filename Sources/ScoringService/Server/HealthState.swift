import Synchronization

/// What `/readyz` reports: ready once a bundle is loaded and serving, not while draining.
public final class HealthState: Sendable {
    private let draining = Atomic<Bool>(false)

    public init() {}

    public func beginDraining() { draining.store(true, ordering: .relaxed) }
    public var isDraining: Bool { draining.load(ordering: .relaxed) }
}
