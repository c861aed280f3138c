import Dispatch
import NIOCore

/// Sent to every connection when the daemon drains: answer the rows already read, then close.
struct DrainRequest: Sendable {}

/// One socket connection: bytes in, a `ScoringStream` in the middle, answers out.
///
/// Reading is manual (`autoRead` off) and follows ``StreamFlow`` (the stdin filter's flow
/// too): more bytes are asked for only when no batch is being scored and the socket is
/// writable, so a client that does not read its answers fills its own socket buffers and stops
/// being read; no other connection waits for it. Small batches
/// (an interactive client's row or two) are scored on the event loop, which answers fastest;
/// large ones go to a worker queue so the loop keeps serving other connections.
final class ScoringConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let stream: ScoringStream
    private let metrics: ScorerMetrics
    private let workQueue: DispatchQueue
    /// Batches up to this many bytes are scored on the event loop.
    private let inlineBytes: Int
    private var flow = StreamFlow()
    /// The channel is closing or closed: nothing more is read or written.
    private var closing = false

    init(stream: ScoringStream, metrics: ScorerMetrics, workQueue: DispatchQueue, inlineBytes: Int = 16 * 1024) {
        self.stream = stream
        self.metrics = metrics
        self.workQueue = workQueue
        self.inlineBytes = inlineBytes
    }

    func channelActive(context: ChannelHandlerContext) {
        metrics.connectionOpened()
        context.read()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        metrics.connectionClosed()
        closing = true
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        buffer.withUnsafeReadableBytes { flow.received($0) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        pump(context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        pump(context)
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            flow.inputEnded()
            pump(context)
        } else if event is DrainRequest {
            flow.drain()
            pump(context)
        } else if event is IdleStateHandler.IdleStateEvent {
            if flow.isIdle { finish(context) }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        closing = true
        context.close(promise: nil)
    }

    /// Does what the flow says until it has to wait for the client, the socket or a worker.
    private func pump(_ context: ChannelHandlerContext) {
        while !closing {
            switch flow.next(outputHasRoom: context.channel.isWritable) {
            case .wait:
                return
            case .read:
                context.read()
                return
            case .finish:
                finish(context)
                return
            case .score(let batch) where batch.bytes.count <= inlineBytes:
                var out: [UInt8] = []
                stream.feed(batch.bytes, endOfInput: batch.endOfInput, into: &out)
                flow.scored(streamClosed: stream.isClosed)
                if !out.isEmpty { context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: out)), promise: nil) }
            case .score(let batch):
                let job = UncheckedBox((stream, batch))
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                workQueue.async {
                    let (stream, batch) = job.value
                    var out: [UInt8] = []
                    stream.feed(batch.bytes, endOfInput: batch.endOfInput, into: &out)
                    let closed = stream.isClosed
                    bound.eventLoop.execute { [out] in
                        let (handler, context) = bound.value
                        handler.flow.scored(streamClosed: closed)
                        guard !handler.closing else { return }
                        if !out.isEmpty { context.writeAndFlush(handler.wrapOutboundOut(ByteBuffer(bytes: out)), promise: nil) }
                        handler.pump(context)
                    }
                }
                return
            }
        }
    }

    /// Closes once every answer written so far has reached the socket (a plain close would
    /// drop writes still queued behind a slow reader).
    private func finish(_ context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = true
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ByteBuffer())).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
