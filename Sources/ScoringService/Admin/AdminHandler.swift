import NIOCore
import NIOHTTP1

/// `GET /metrics` (Prometheus text), `/healthz` (the process answers) and `/readyz` (a bundle
/// is serving and the daemon is not draining).
///
/// A request's headers must arrive within `headerTimeout` of the connection opening (or of the
/// previous response on a kept-alive connection); otherwise the connection is closed, so a
/// client that trickles or never finishes its headers cannot hold a descriptor forever.
final class AdminHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let metrics: ScorerMetrics
    private let models: ServedModel
    private let health: HealthState
    private let headerTimeout: TimeAmount
    private var request: HTTPRequestHead?
    private var headerDeadline: Scheduled<Void>?

    init(metrics: ScorerMetrics, models: ServedModel, health: HealthState, headerTimeout: TimeAmount) {
        self.metrics = metrics
        self.models = models
        self.health = health
        self.headerTimeout = headerTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        awaitHeaders(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        headerDeadline?.cancel()
        headerDeadline = nil
        context.fireChannelInactive()
    }

    /// Closes the connection unless a request head arrives within `headerTimeout`.
    private func awaitHeaders(_ context: ChannelHandlerContext) {
        headerDeadline?.cancel()
        let metrics = self.metrics
        headerDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: headerTimeout) {
            metrics.adminHeaderTimedOut()
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            headerDeadline?.cancel()
            headerDeadline = nil
            request = head
        case .body:
            break
        case .end:
            guard let head = request else { return }
            request = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let (status, contentType, body) = route(head)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil)
        if head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
        if keepAlive { awaitHeaders(context) }
    }

    private func route(_ head: HTTPRequestHead) -> (HTTPResponseStatus, String, String) {
        let text = "text/plain; charset=utf-8"
        guard head.method == .GET || head.method == .HEAD else {
            return (.methodNotAllowed, text, "only GET and HEAD\n")
        }
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        switch path {
        case "/metrics":
            return (.ok, "text/plain; version=0.0.4; charset=utf-8", metrics.prometheusText() + ProcessMetrics.prometheusText(.current()))
        case "/healthz":
            return (.ok, text, "ok\n")
        case "/readyz":
            if health.isDraining { return (.serviceUnavailable, text, "draining\n") }
            return (.ok, text, "ready \(models.current.bundleId)\n")
        default:
            return (.notFound, text, "not found: try /metrics, /healthz or /readyz\n")
        }
    }
}
