import Concurrency
import Foundation
import ServiceLifecycle
import Synchronization

/// The filter mode: CSV on a file descriptor in, answers on another out, done at end of input.
///
/// Plain blocking reads into a large buffer, taking whatever is ready (so an interactive
/// writer's single row is answered at once, and a fast producer's rows arrive as batches large
/// enough to split over both cores); one `write` per batch. A reader thread fills the next
/// buffer while the current batch is scored: two buffers in flight at most, so memory stays
/// bounded however fast the input comes. What is scored when, and the end of input, follow
/// ``StreamFlow``, as on the socket.
package final class StdinFilter: Service, Sendable {
    package let input: Int32
    package let output: Int32
    package let options: StreamOptions
    /// The most bytes read before a batch is scored.
    package let batchBytes: Int
    private let models: ServedModel
    private let metrics: ScorerMetrics
    private let stopRequested = Atomic<Bool>(false)
    private let rejected = PthreadLocked<Bool>(false)

    package init(
        models: ServedModel, metrics: ScorerMetrics, options: StreamOptions = StreamOptions(), input: Int32 = 0,
        output: Int32 = 1, batchBytes: Int = 1 << 20
    ) {
        self.models = models
        self.metrics = metrics
        self.options = options
        self.input = input
        self.output = output
        self.batchBytes = max(4096, batchBytes)
    }

    /// The stream was closed by a stream-level error (its header lacks a required column).
    package var streamRejected: Bool { rejected.withLock { $0 } }

    package func run() async throws {
        try await withGracefulShutdownHandler {
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                let thread = Thread {
                    do {
                        try self.filter()
                        done.resume()
                    } catch {
                        done.resume(throwing: error)
                    }
                }
                thread.name = "scorer-stdin"
                thread.start()
            }
        } onGracefulShutdown: {
            self.stopRequested.store(true, ordering: .relaxed)
        }
    }

    /// Runs the filter on the calling thread until end of input, or until a shutdown request
    /// has had the rows already read answered.
    package func filter() throws(ScorerError) {
        let stream = ScoringStream(models: models, options: options, metrics: metrics)
        let reader = BlockReader(input: input, blockBytes: batchBytes, stopRequested: { [self] in
            stopRequested.load(ordering: .relaxed)
        })
        reader.start()
        defer { reader.finish() }
        var flow = StreamFlow()
        var out: [UInt8] = []
        while true {
            // A blocking write has always made room for the next answers.
            switch flow.next(outputHasRoom: true) {
            case .read:
                if stopRequested.load(ordering: .relaxed) {
                    flow.drain()
                    continue
                }
                // Wake now and then to notice a shutdown request while the writer is quiet.
                guard let block = reader.next(timeoutMilliseconds: 200) else { continue }
                if let failure = block.failure { throw failure }
                // The bytes change hands, uncopied: the reader fills the block's next array.
                flow.received(block.take())
                if block.endOfInput { flow.inputEnded() }
                reader.recycle(block)
            case .score(let batch):
                out.removeAll(keepingCapacity: true)
                stream.feed(batch.bytes, endOfInput: batch.endOfInput, into: &out)
                flow.scored(streamClosed: stream.isClosed)
                try write(out)
            case .finish:
                if stream.isClosed { rejected.withLock { $0 = true } }
                return
            case .wait:
                // Only a writer without room, or a batch still being scored, waits; neither
                // happens here (blocking writes, batches scored on this thread).
                preconditionFailure("the stdin filter never waits for room or a batch")
            }
        }
    }

    private func write(_ bytes: [UInt8]) throws(ScorerError) {
        let failure = bytes.withUnsafeBytes { raw -> ScorerError? in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(output, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return .outputClosed(reason: String(cString: strerror(errno)))
                }
                offset += n
            }
            return nil
        }
        if let failure { throw failure }
    }
}

/// One read of the input: up to `capacity` bytes, whatever was ready, in an array of their
/// own that is handed over to the flow (``take()``) rather than copied.
final class InputBlock: @unchecked Sendable {
    let capacity: Int
    /// The bytes read (`bytes.count` of them).
    var bytes: [UInt8] = []
    var endOfInput = false
    var failure: ScorerError?

    init(capacity: Int) { self.capacity = capacity }

    /// The bytes read, leaving the block empty for the next read.
    func take() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &bytes)
        return taken
    }
}

/// Reads the input on its own thread into two recycled blocks, so reading overlaps scoring.
/// Blocks are handed over through semaphores: a block is touched by one thread at a time.
final class BlockReader: @unchecked Sendable {
    private let input: Int32
    private let stopRequested: @Sendable () -> Bool
    private let finished = Atomic<Bool>(false)
    private let freeCount = DispatchSemaphore(value: 0)
    private let readyCount = DispatchSemaphore(value: 0)
    /// The free and ready blocks, behind a pthread lock (`NSLock`) rather than `Mutex`:
    /// ThreadSanitizer sees the pthread lock's ordering, while the prebuilt Synchronization
    /// module's `Mutex` is not instrumented and every hand-over was reported as a race.
    private let queue = PthreadLocked<(free: [InputBlock], ready: [InputBlock])>((free: [], ready: []))
    private let done = DispatchSemaphore(value: 0)

    init(input: Int32, blockBytes: Int, stopRequested: @escaping @Sendable () -> Bool) {
        self.input = input
        self.stopRequested = stopRequested
        let blocks = [InputBlock(capacity: blockBytes), InputBlock(capacity: blockBytes)]
        queue.withLock { $0.free = blocks }
        for _ in blocks { freeCount.signal() }
    }

    func start() {
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "scorer-stdin-read"
        thread.start()
    }

    /// Stops the reader thread (it notices within 200 ms) and waits for it.
    func finish() {
        finished.store(true, ordering: .relaxed)
        done.wait()
    }

    /// The next block read, in input order, or nil if none came within the timeout.
    func next(timeoutMilliseconds: Int) -> InputBlock? {
        guard readyCount.wait(timeout: .now() + .milliseconds(timeoutMilliseconds)) == .success else { return nil }
        return queue.withLock { $0.ready.removeFirst() }
    }

    /// Gives a block back for the reader to fill again.
    func recycle(_ block: InputBlock) {
        queue.withLock { $0.free.append(block) }
        freeCount.signal()
    }

    private var stopping: Bool { finished.load(ordering: .relaxed) || stopRequested() }

    private func run() {
        while !stopping {
            guard freeCount.wait(timeout: .now() + .milliseconds(200)) == .success else { continue }
            let block = queue.withLock { $0.free.removeFirst() }
            guard fill(block) else {
                recycle(block)
                continue
            }
            queue.withLock { $0.ready.append(block) }
            readyCount.signal()
            if block.endOfInput || block.failure != nil { return }
        }
    }

    /// Reads what is ready into `block`; false if nothing came before a stop was requested.
    private func fill(_ block: InputBlock) -> Bool {
        block.bytes = []
        block.endOfInput = false
        block.failure = nil
        var ready = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
        while true {
            if stopping { return false }
            let polled = poll(&ready, 1, 200)
            if polled > 0 || (polled < 0 && errno != EINTR) { break }
        }
        let input = self.input
        var failure: ScorerError?
        var endOfInput = false
        // A new array each read (the last one went to the flow), written only by `read`.
        block.bytes = [UInt8](filling: block.capacity) { raw, filled in
            filled = 0
            repeat {
                let n = read(input, raw.baseAddress! + filled, raw.count - filled)
                if n == 0 {
                    endOfInput = true
                    break
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = .inputFailed(reason: String(cString: strerror(errno)))
                    break
                }
                filled += n
                ready.revents = 0
            } while filled < raw.count && poll(&ready, 1, 0) > 0
        }
        block.endOfInput = endOfInput
        block.failure = failure
        return true
    }
}
