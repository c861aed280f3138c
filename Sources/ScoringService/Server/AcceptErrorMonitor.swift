import Logging
import NIOCore

/// The listening socket's guard against failed accepts (out of file descriptors: EMFILE,
/// ENFILE; or ENOBUFS, ENOMEM): NIO's ``AcceptBackoffHandler`` pauses accepting for a while
/// after each failure instead of retrying at once (which spun a core), and this handler counts
/// every failure and logs once per episode: when the first failure comes, and when a
/// connection is accepted again.
final class AcceptErrorMonitor: ChannelInboundHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let metrics: ScorerMetrics
    private let logger: Logger
    private let path: String
    private var failing = false
    private var failures = 0

    init(metrics: ScorerMetrics, logger: Logger, path: String) {
        self.metrics = metrics
        self.logger = logger
        self.path = path
    }

    /// How long accepting pauses after a failure.
    static let backoff = TimeAmount.seconds(1)

    /// The listening channel's accept handlers: NIO's backoff, then this monitor.
    static func install(on channel: any Channel, metrics: ScorerMetrics, logger: Logger, path: String) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandlers(
                AcceptBackoffHandler(shouldForwardIOErrorCaught: true) { _ in AcceptErrorMonitor.backoff },
                AcceptErrorMonitor(metrics: metrics, logger: logger, path: path))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if failing {
            failing = false
            logger.notice("\(path): accepting connections again after \(failures) failed accept(s)")
            failures = 0
        }
        context.fireChannelRead(data)
    }

    /// Whether accepting is switched off until the backoff timer fires.
    private var paused = false

    /// Stops reading the listening socket (no `accept` calls at all) for ``backoff``, then
    /// resumes. The backoff handler alone did not hold: the event loop kept being woken for the
    /// readable listening socket and failed tens of thousands of accepts a second.
    private func pauseAccepting(_ context: ChannelHandlerContext) {
        guard !paused, let options = context.channel.syncOptions else { return }
        paused = true
        try? options.setOption(ChannelOptions.autoRead, value: false)
        let channel = context.channel
        context.eventLoop.assumeIsolated().scheduleTask(in: AcceptErrorMonitor.backoff) {
            self.paused = false
            try? channel.syncOptions?.setOption(ChannelOptions.autoRead, value: true)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let error = error as? IOError else {
            context.fireErrorCaught(error)
            return
        }
        metrics.acceptFailed()
        failures += 1
        pauseAccepting(context)
        if !failing {
            failing = true
            logger.error(
                "\(path): cannot accept connections: \(error); pausing accepts \(AcceptErrorMonitor.backoff.nanoseconds / 1_000_000) ms at a time until it clears (counted in scorer_accept_errors_total)")
        }
    }
}
