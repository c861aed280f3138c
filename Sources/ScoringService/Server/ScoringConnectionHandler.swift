import Dispatch
import NIOCore

/// Sent to every connection when the daemon drains: answer the rows already read, then close.
struct DrainRequest: Sendable {}

/// One socket connection: bytes in, a `ScoringStream` in the middle, answers out.
///
/// Reading is manual (`autoRead` off): the handler asks for more bytes only when it is not
/// scoring and the socket is writable, so a client that does not read its answers fills its
/// own socket buffers and stops being read; no other connection waits for it. Small batches
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
    private var inbox: [UInt8] = []
    private var busy = false
    private var inputClosed = false
    private var draining = false
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
        buffer.withUnsafeReadableBytes { inbox.append(contentsOf: $0) }
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
            inputClosed = true
            pump(context)
        } else if event is DrainRequest {
            draining = true
            pump(context)
        } else if event is IdleStateHandler.IdleStateEvent {
            if !busy && inbox.isEmpty { finish(context) }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        closing = true
        context.close(promise: nil)
    }

    /// Scores what has arrived, or asks for more bytes when there is room for the answers.
    private func pump(_ context: ChannelHandlerContext) {
        guard !busy, !closing else { return }
        let ending = inputClosed || draining
        guard !inbox.isEmpty || ending else {
            if context.channel.isWritable { context.read() }
            return
        }
        // Backpressure: no new answers until the client has read the previous ones.
        guard context.channel.isWritable || ending else { return }
        var bytes: [UInt8] = []
        swap(&bytes, &inbox)
        // A drained connection's unfinished last line was never a whole row: it is not answered.
        let endOfInput = inputClosed
        if bytes.count <= inlineBytes {
            var out: [UInt8] = []
            stream.feed(bytes, endOfInput: endOfInput, into: &out)
            deliver(out, ending: ending, context: context)
            return
        }
        busy = true
        let job = UncheckedBox((stream, bytes))
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        workQueue.async {
            var out: [UInt8] = []
            job.value.0.feed(job.value.1, endOfInput: endOfInput, into: &out)
            bound.eventLoop.execute { [out] in
                let (handler, context) = bound.value
                handler.busy = false
                handler.deliver(out, ending: handler.inputClosed || handler.draining, context: context)
            }
        }
    }

    private func deliver(_ out: [UInt8], ending: Bool, context: ChannelHandlerContext) {
        guard !closing else { return }
        if (ending && inbox.isEmpty) || stream.isClosed {
            if !out.isEmpty { context.write(wrapOutboundOut(ByteBuffer(bytes: out)), promise: nil) }
            finish(context)
            return
        }
        if !out.isEmpty { context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: out)), promise: nil) }
        pump(context)
    }

    /// Closes once every answer written so far has reached the socket (a plain close would
    /// drop writes still queued behind a slow reader).
    private func finish(_ context: ChannelHandlerContext) {
        closing = true
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ByteBuffer())).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
