import Dispatch
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The scoring daemon on a Unix-domain socket: one `ScoringStream` per connection.
///
/// On graceful shutdown it stops accepting (the socket file goes away), lets open streams run
/// until their clients end them, for at most `drainTimeout`, then has each remaining
/// connection answer the rows it has read and close.
package final class ScoringSocketServer: Service, Sendable {
    package struct Configuration: Sendable {
        package var path: String
        package var mode: mode_t
        package var idleTimeout: TimeAmount?
        package var drainTimeout: TimeAmount
        package var stream: StreamOptions

        package init(
            path: String, mode: mode_t = 0o600, idleTimeout: TimeAmount? = .seconds(300),
            drainTimeout: TimeAmount = .seconds(10), stream: StreamOptions = StreamOptions()
        ) {
            self.path = path
            self.mode = mode
            self.idleTimeout = idleTimeout
            self.drainTimeout = drainTimeout
            self.stream = stream
        }
    }

    package let configuration: Configuration
    private let models: ServedModel
    private let metrics: ScorerMetrics
    private let health: HealthState
    private let group: any EventLoopGroup
    private let logger: Logger
    private let connections = ConnectionRegistry()
    private let workQueue = DispatchQueue(label: "scorer.batches", qos: .userInitiated, attributes: .concurrent)
    private let listening = PthreadLocked<(any Channel)?>(nil)

    package init(
        configuration: Configuration, models: ServedModel, metrics: ScorerMetrics, health: HealthState,
        group: any EventLoopGroup, logger: Logger = Logger(label: "scorer.socket")
    ) {
        self.configuration = configuration
        self.models = models
        self.metrics = metrics
        self.health = health
        self.group = group
        self.logger = logger
    }

    /// Binds the socket (replacing a stale file, refusing a live one); `run` then serves it.
    /// Separate so the caller learns of a bad path before anything else starts.
    package func bind() async throws {
        let path = configuration.path
        try SocketFile.prepare(path: path)
        let models = self.models
        let metrics = self.metrics
        let connections = self.connections
        let options = configuration.stream
        let idle = configuration.idleTimeout
        let queue = workQueue
        let logger = self.logger
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelInitializer { channel in
                AcceptErrorMonitor.install(on: channel, metrics: metrics, logger: logger, path: path)
            }
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.autoRead, value: false)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    connections.add(channel)
                    let stream = ScoringStream(models: models, options: options, metrics: metrics)
                    if let idle {
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: idle))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        ScoringConnectionHandler(stream: stream, metrics: metrics, workQueue: queue))
                }
            }
        let channel = try await SocketFile.bindPrivately(path: path, mode: configuration.mode) { privatePath in
            bootstrap.bind(unixDomainSocketPath: privatePath, cleanupExistingSocketFile: false)
        }
        listening.withLock { $0 = channel }
        logger.info("scoring on \(path)", metadata: ["mode": "\(String(configuration.mode, radix: 8))"])
    }

    package func run() async throws {
        if listening.withLock({ $0 }) == nil { try await bind() }
        guard let channel = listening.withLock({ $0 }) else { return }
        let health = self.health
        try await withGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onGracefulShutdown: {
            health.beginDraining()
            channel.close(promise: nil)
        }
        unlink(configuration.path)
        await drain()
    }

    private func drain() async {
        let open = connections.count
        guard open > 0 else { return }
        logger.info("draining \(open) connection(s)")
        let deadline = NIODeadline.now() + configuration.drainTimeout
        while connections.count > 0 && NIODeadline.now() < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        connections.drainAll()
        for channel in connections.open {
            try? await channel.closeFuture.get()
        }
        logger.info("drained")
    }
}
