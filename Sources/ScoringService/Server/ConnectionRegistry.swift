import NIOCore
import Synchronization

/// The open connections, so a drain can reach each one and wait for it to close.
final class ConnectionRegistry: Sendable {
    private let channels = PthreadLocked<[ObjectIdentifier: any Channel]>([:])

    func add(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        channels.withLock { $0[key] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.channels.withLock { $0.removeValue(forKey: key) }
        }
    }

    var open: [any Channel] { channels.withLock { Array($0.values) } }
    var count: Int { channels.withLock { $0.count } }

    /// Asks every open connection to answer what it has read and close.
    func drainAll() {
        for channel in open {
            channel.eventLoop.execute {
                channel.pipeline.fireUserInboundEventTriggered(DrainRequest())
            }
        }
    }
}
