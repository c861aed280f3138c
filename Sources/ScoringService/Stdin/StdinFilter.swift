import Foundation
import ServiceLifecycle
import Synchronization

/// The filter mode: CSV on a file descriptor in, answers on another out, done at end of input.
///
/// Plain blocking reads into one large buffer, taking whatever is ready (so an interactive
/// writer's single row is answered at once, and a fast producer's rows arrive as batches large
/// enough to split over both cores); one `write` per batch.
public final class StdinFilter: Service, Sendable {
    public let input: Int32
    public let output: Int32
    public let options: StreamOptions
    /// The most bytes read before a batch is scored.
    public let batchBytes: Int
    private let models: ServedModel
    private let metrics: ScorerMetrics
    private let stopRequested = Atomic<Bool>(false)
    private let rejected = Mutex<Bool>(false)

    public init(
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
    public var streamRejected: Bool { rejected.withLock { $0 } }

    public func run() async throws {
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

    /// Runs the filter on the calling thread until end of input or a shutdown request.
    public func filter() throws(ScorerError) {
        let stream = ScoringStream(models: models, options: options, metrics: metrics)
        var buffer = [UInt8](repeating: 0, count: batchBytes)
        var out: [UInt8] = []
        while !stopRequested.load(ordering: .relaxed) {
            var ready = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
            // Wake now and then to notice a shutdown request while the writer is quiet.
            let polled = poll(&ready, 1, 200)
            if polled == 0 || (polled < 0 && errno == EINTR) { continue }
            var filled = 0
            var endOfInput = false
            let failure = buffer.withUnsafeMutableBytes { raw -> ScorerError? in
                repeat {
                    let n = read(input, raw.baseAddress! + filled, raw.count - filled)
                    if n == 0 {
                        endOfInput = true
                        break
                    }
                    if n < 0 {
                        if errno == EINTR { continue }
                        return .inputFailed(reason: String(cString: strerror(errno)))
                    }
                    filled += n
                    ready.revents = 0
                } while filled < raw.count && poll(&ready, 1, 0) > 0
                return nil
            }
            if let failure { throw failure }
            out.removeAll(keepingCapacity: true)
            buffer.withUnsafeBufferPointer {
                stream.feed(UnsafeBufferPointer(rebasing: $0[0..<filled]), endOfInput: endOfInput, into: &out)
            }
            try write(out)
            if stream.isClosed {
                rejected.withLock { $0 = true }
                return
            }
            if endOfInput { return }
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
