import Testing

@testable import ScoringService

/// The flow control both transports share, event by event.
@Suite("Stream flow")
struct StreamFlowTests {
    typealias Batch = StreamFlow.Batch

    @Test("reads when idle with room, scores what arrived, and waits while a batch is scored or the answers have no room")
    func backpressure() {
        var flow = StreamFlow()
        #expect(flow.next(outputHasRoom: true) == .read)
        #expect(flow.next(outputHasRoom: false) == .wait)
        flow.received(Array("a\nb".utf8))
        #expect(flow.next(outputHasRoom: false) == .wait, "no room: the bytes wait")
        #expect(flow.next(outputHasRoom: true) == .score(Batch(bytes: Array("a\nb".utf8), endOfInput: false)))
        flow.received(Array("\nc".utf8))
        #expect(flow.next(outputHasRoom: true) == .wait, "one batch at a time")
        flow.scored(streamClosed: false)
        #expect(flow.next(outputHasRoom: true) == .score(Batch(bytes: Array("\nc".utf8), endOfInput: false)))
        flow.scored(streamClosed: false)
        #expect(flow.isIdle)
        #expect(flow.next(outputHasRoom: true) == .read)
    }

    @Test("end of input with the last bytes: they are scored with it, then the stream finishes")
    func endWithBytes() {
        var flow = StreamFlow()
        flow.received(Array("x".utf8))
        flow.inputEnded()
        // At the end, answers are produced even without room: the stream must be able to finish.
        #expect(flow.next(outputHasRoom: false) == .score(Batch(bytes: Array("x".utf8), endOfInput: true)))
        flow.scored(streamClosed: false)
        #expect(flow.next(outputHasRoom: true) == .finish)
        #expect(flow.next(outputHasRoom: true) == .wait, "finish is given once")
    }

    // Issue 16, defect 1: the end came while a large batch was scored off the event loop; the
    // stream never heard it, and the last line (no newline) was dropped.
    @Test("end of input while a batch is being scored still reaches the stream, alone, before the finish")
    func endDuringBatch() {
        var flow = StreamFlow()
        flow.received(Array("h\nrow".utf8))
        #expect(flow.next(outputHasRoom: true) == .score(Batch(bytes: Array("h\nrow".utf8), endOfInput: false)))
        flow.inputEnded()
        #expect(flow.next(outputHasRoom: true) == .wait)
        flow.scored(streamClosed: false)
        #expect(flow.next(outputHasRoom: true) == .score(Batch(bytes: [], endOfInput: true)))
        flow.scored(streamClosed: false)
        #expect(flow.next(outputHasRoom: true) == .finish)
    }

    @Test("end of input with nothing read: the stream is told once, then finishes")
    func emptyInput() {
        var flow = StreamFlow()
        flow.inputEnded()
        #expect(flow.next(outputHasRoom: true) == .score(Batch(bytes: [], endOfInput: true)))
        flow.scored(streamClosed: false)
        #expect(flow.next(outputHasRoom: true) == .finish)
    }

    @Test("a drain scores what was read without ending its unfinished line, then finishes")
    func drain() {
        var flow = StreamFlow()
        flow.received(Array("1\n2".utf8))
        flow.drain()
        #expect(flow.next(outputHasRoom: false) == .score(Batch(bytes: Array("1\n2".utf8), endOfInput: false)))
        flow.scored(streamClosed: false)
        #expect(flow.next(outputHasRoom: true) == .finish)
    }

    @Test("a stream that closed itself (bad header) finishes and drops what is still unread")
    func streamClosed() {
        var flow = StreamFlow()
        flow.received(Array("bad header\n1\n".utf8))
        #expect(flow.next(outputHasRoom: true) == .score(Batch(bytes: Array("bad header\n1\n".utf8), endOfInput: false)))
        flow.received(Array("2\n".utf8))
        flow.scored(streamClosed: true)
        #expect(flow.pendingBytes == 0)
        #expect(flow.next(outputHasRoom: true) == .finish)
        flow.received(Array("3\n".utf8))
        #expect(flow.pendingBytes == 0)
    }
}
