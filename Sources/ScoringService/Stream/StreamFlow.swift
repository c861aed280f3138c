/// When a stream's bytes are scored, when more are read and when the stream is over: the one
/// flow control that both transports drive (the stdin filter from its reader thread, each
/// socket connection from its event loop), so that framing, backpressure and end of input
/// cannot differ between them.
///
/// A value with no I/O of its own: the transport reports what happened (`received`,
/// `inputEnded`, `drain`, `scored`) and asks `next(outputHasRoom:)` what to do. The rules:
/// - one batch is scored at a time, in arrival order, and no new bytes are asked for while one
///   is being scored or while the answers have no room (backpressure);
/// - the end of the input reaches the ``ScoringStream`` exactly once, with the last bytes or
///   alone after them, so that a last row without a newline is always answered, however the
///   end arrived (with the bytes, during a batch, or after it);
/// - a drain (shutdown) scores the rows already read, but not an unfinished last line, and ends;
/// - the stream is over only when every byte received has been scored.
struct StreamFlow {
    /// What the transport should do next.
    enum Step: Equatable {
        /// Ask for more bytes (there is room for their answers).
        case read
        /// Nothing until the transport reports something (bytes, end of input, room, a batch done).
        case wait
        /// Feed these bytes to the stream, with `endOfInput`, write the answers, then call `scored`.
        case score(Batch)
        /// Every received byte is answered: write what is left and close. Given once.
        case finish
    }

    /// Bytes to feed in one call, and whether the input ends with them.
    struct Batch: Equatable {
        var bytes: [UInt8]
        var endOfInput: Bool
    }

    private var inbox: [UInt8] = []
    private var inputClosed = false
    private var draining = false
    /// A batch handed out by `next` whose `scored` has not come back yet.
    private var scoring = false
    /// The stream has been fed its end of input.
    private var endDelivered = false
    /// The stream closed itself (a stream-level error): nothing more is scored.
    private var streamClosed = false
    private var finished = false

    /// Bytes waiting to be scored.
    var pendingBytes: Int { inbox.count }
    /// No batch is being scored and none is waiting: an idle timeout may close the stream.
    var isIdle: Bool { !scoring && inbox.isEmpty }
    /// `finish` was handed out.
    var isFinished: Bool { finished }

    /// Bytes arrived from the client (ignored once the stream is over).
    mutating func received(_ bytes: UnsafeRawBufferPointer) {
        guard !finished && !streamClosed else { return }
        inbox.append(contentsOf: bytes)
    }

    /// Bytes arrived in an array of their own: kept as they are, not copied, when no bytes
    /// are waiting (the stdin filter hands over each read this way).
    mutating func received(_ bytes: [UInt8]) {
        guard !finished && !streamClosed else { return }
        if inbox.isEmpty {
            inbox = bytes
        } else {
            inbox.append(contentsOf: bytes)
        }
    }

    /// The client ended its input (end of file, or a half-close of the socket).
    mutating func inputEnded() { inputClosed = true }

    /// The daemon is shutting down: answer what was read and end.
    mutating func drain() { draining = true }

    /// The batch from the last `.score` was fed; `streamClosed` is the stream's `isClosed`.
    mutating func scored(streamClosed: Bool) {
        precondition(scoring, "scored() without a batch being scored")
        scoring = false
        if streamClosed {
            self.streamClosed = true
            inbox = []
        }
    }

    /// The next thing to do. `outputHasRoom`: the answers written so far have been taken
    /// (always true for a blocking writer).
    mutating func next(outputHasRoom: Bool) -> Step {
        guard !finished, !scoring else { return .wait }
        if streamClosed { return finishing() }
        if inbox.isEmpty {
            if inputClosed && !endDelivered {
                // The end came after the last bytes were handed out (possibly while they were
                // being scored): the stream still has to hear it, for a last line without `\n`.
                return scoreBatch(endOfInput: true)
            }
            if inputClosed || draining { return finishing() }
            return outputHasRoom ? .read : .wait
        }
        // Backpressure: no new answers until the client has taken the previous ones; at the
        // end, what was read is answered regardless, so the stream can finish.
        guard outputHasRoom || inputClosed || draining else { return .wait }
        return scoreBatch(endOfInput: inputClosed)
    }

    private mutating func scoreBatch(endOfInput: Bool) -> Step {
        var bytes: [UInt8] = []
        swap(&bytes, &inbox)
        scoring = true
        if endOfInput { endDelivered = true }
        return .score(Batch(bytes: bytes, endOfInput: endOfInput))
    }

    private mutating func finishing() -> Step {
        finished = true
        inbox = []
        return .finish
    }
}
