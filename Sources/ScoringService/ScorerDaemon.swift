import Console
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// Everything the `scorer` command line decides.
package struct ScorerConfiguration: Sendable {
    package var bundlePath: String
    /// Filter mode: rows on stdin, answers on stdout, exit at end of input.
    package var useStdin: Bool
    /// Daemon mode: listen on this Unix socket.
    package var socketPath: String?
    package var socketMode: mode_t
    package var adminSocketPath: String?
    /// Closes an admin connection whose request headers have not arrived after this long.
    package var adminHeaderTimeout: Duration
    /// Closes a connection with no traffic either way for this long; `nil` never.
    package var idleTimeout: Duration?
    /// How long open connections may go on after SIGTERM before they are told to finish.
    package var drainTimeout: Duration
    /// How often the bundle path is checked for a new bundle; `nil` only on SIGHUP.
    package var pollInterval: Duration?
    package var stream: StreamOptions
    package var eventLoopThreads: Int

    package init(
        bundlePath: String, useStdin: Bool = false, socketPath: String? = nil, socketMode: mode_t = 0o600,
        adminSocketPath: String? = nil, adminHeaderTimeout: Duration = .seconds(10), idleTimeout: Duration? = .seconds(300), drainTimeout: Duration = .seconds(10),
        pollInterval: Duration? = .seconds(2), stream: StreamOptions = StreamOptions(),
        eventLoopThreads: Int = System.coreCount
    ) {
        self.bundlePath = bundlePath
        self.useStdin = useStdin
        self.socketPath = socketPath
        self.socketMode = socketMode
        self.adminSocketPath = adminSocketPath
        self.adminHeaderTimeout = adminHeaderTimeout
        self.idleTimeout = idleTimeout
        self.drainTimeout = drainTimeout
        self.pollInterval = pollInterval
        self.stream = stream
        self.eventLoopThreads = max(1, eventLoopThreads)
    }
}

/// Builds the services a configuration asks for and runs them until end of input (stdin) or
/// SIGTERM/SIGINT (daemon), then drains.
package enum ScorerDaemon {
    /// Runs the scorer and returns the process's exit status (``ExitStatus``): 0 after a clean
    /// end, 64/66/65/73 when it cannot start (usage, bundle missing or corrupt, socket path),
    /// 65 when the stdin stream was rejected (its header lacks a column), 74 on a broken stream.
    package static func run(_ configuration: ScorerConfiguration, logger: Logger) async -> Int32 {
        // SIGHUP's default action ends the process; until the watcher traps it, ignore it.
        signal(SIGHUP, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        guard configuration.useStdin || configuration.socketPath != nil else {
            logger.error("\(ScorerError.noInput)")
            return ExitStatus.usage.rawValue
        }
        let metrics = ScorerMetrics(driftWindow: configuration.stream.driftWindow)
        let models: ServedModel
        do {
            try ScorerExitStatus.checkSocketDirectories(configuration)
            models = try ServedModel(path: configuration.bundlePath, metrics: metrics, logger: logger)
        } catch {
            logger.error("cannot start: \(error)")
            return ScorerExitStatus.of(error).rawValue
        }
        if configuration.stream.reasons > 0, models.current.reasonModel == nil {
            logger.error("cannot start: --reasons: bundle \(models.current.bundleId) has no node statistics in its trees (written before format 1.1); retrain it")
            return 1
        }
        logger.info("serving bundle \(models.current.bundleId) from \(configuration.bundlePath)")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.eventLoopThreads)
        let status = await serve(configuration, models: models, metrics: metrics, group: group, logger: logger)
        try? await group.shutdownGracefully()
        return status
    }

    private static func serve(
        _ configuration: ScorerConfiguration, models: ServedModel, metrics: ScorerMetrics, group: any EventLoopGroup,
        logger: Logger
    ) async -> Int32 {
        let health = HealthState()

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: BundleWatcher(models: models, pollInterval: configuration.pollInterval))
        ]
        var binds: [@Sendable () async throws -> Void] = []
        if let admin = configuration.adminSocketPath {
            let server = AdminServer(
                path: admin, mode: configuration.socketMode,
                headerTimeout: timeAmount(configuration.adminHeaderTimeout), models: models, metrics: metrics, health: health,
                group: group, logger: logger)
            binds.append(server.bind)
            services.append(.init(service: server))
        }
        if let socket = configuration.socketPath {
            let server = ScoringSocketServer(
                configuration: .init(
                    path: socket, mode: configuration.socketMode, idleTimeout: configuration.idleTimeout.map(timeAmount),
                    drainTimeout: timeAmount(configuration.drainTimeout), stream: configuration.stream),
                models: models, metrics: metrics, health: health, group: group, logger: logger)
            binds.append(server.bind)
            services.append(.init(service: server, successTerminationBehavior: .gracefullyShutdownGroup))
        }
        var filter: StdinFilter?
        if configuration.useStdin {
            let stdin = StdinFilter(models: models, metrics: metrics, options: configuration.stream)
            filter = stdin
            services.append(.init(service: stdin, successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let serviceGroup = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: shutdownSignals, logger: logger))

        // The sockets are bound before the group runs, so a bad path is reported before anything
        // starts; the group traps SIGTERM only once it runs. A signal in between must drain, not
        // kill: trap it now and hand it to the group.
        let earlySignals = await UnixSignalsSequence(trapping: shutdownSignals)
        let forwarder = Task {
            for await _ in earlySignals {
                await serviceGroup.triggerGracefulShutdown()
            }
        }
        defer { forwarder.cancel() }
        do {
            for bind in binds { try await bind() }
        } catch {
            logger.error("cannot start: \(error)")
            return ScorerExitStatus.of(error).rawValue
        }
        do {
            try await serviceGroup.run()
        } catch {
            logger.error("\(error)")
            return ScorerExitStatus.of(error).rawValue
        }
        if filter?.streamRejected == true { return ExitStatus.dataError.rawValue }
        logger.info("stopped")
        return 0
    }

    /// The signals that stop the daemon gracefully (systemd sends SIGTERM; a terminal, SIGINT).
    static let shutdownSignals: [UnixSignal] = [.sigterm, .sigint]

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
