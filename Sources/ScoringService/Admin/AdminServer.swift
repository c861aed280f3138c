import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// HTTP/1.1 on a Unix socket of its own (no TCP listener): metrics and health for operators,
/// e.g. `curl --unix-socket /run/scorer/admin.sock http://localhost/metrics`.
package final class AdminServer: Service, Sendable {
    package let path: String
    package let mode: mode_t
    /// How long a connection may take to send a request's headers before it is closed.
    package let headerTimeout: TimeAmount
    private let models: ServedModel
    private let metrics: ScorerMetrics
    private let health: HealthState
    private let group: any EventLoopGroup
    private let logger: Logger
    private let listening = PthreadLocked<(any Channel)?>(nil)

    package init(
        path: String, mode: mode_t = 0o600, headerTimeout: TimeAmount = .seconds(10), models: ServedModel, metrics: ScorerMetrics, health: HealthState,
        group: any EventLoopGroup, logger: Logger = Logger(label: "scorer.admin")
    ) {
        self.path = path
        self.mode = mode
        self.headerTimeout = headerTimeout
        self.models = models
        self.metrics = metrics
        self.health = health
        self.group = group
        self.logger = logger
    }

    package func bind() async throws {
        let path = self.path
        try SocketFile.prepare(path: path)
        let models = self.models
        let metrics = self.metrics
        let health = self.health
        let headerTimeout = self.headerTimeout
        let logger = self.logger
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelInitializer { channel in
                AcceptErrorMonitor.install(on: channel, metrics: metrics, logger: logger, path: path)
            }
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        AdminHandler(metrics: metrics, models: models, health: health, headerTimeout: headerTimeout))
                }
            }
        let channel = try await SocketFile.bindPrivately(path: path, mode: mode) { privatePath in
            bootstrap.bind(unixDomainSocketPath: privatePath, cleanupExistingSocketFile: false)
        }
        listening.withLock { $0 = channel }
        logger.info("admin on \(path)")
    }

    package func run() async throws {
        if listening.withLock({ $0 }) == nil { try await bind() }
        guard let channel = listening.withLock({ $0 }) else { return }
        try await withGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
        unlink(path)
    }
}
