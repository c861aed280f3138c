import Concurrency
import Dispatch
import Foundation
import ModelFormat
import Tabular

/// The scorer's protocol for one stream, independent of where the bytes come from: the first
/// line is a CSV header (`;` or `,`, detected from it), every later line is a row answered by
/// exactly one output line, in input order.
///
/// Framing is by line: a row ends at `\n`, so a quoted field cannot hold a line break (an
/// unterminated quote is that row's error, not a reason to swallow the rows after it). Blank
/// lines are skipped, as CSV readers do. A batch of rows is scored with one model snapshot,
/// so a reload takes effect between batches and never inside a row.
///
/// Not thread-safe: one owner feeds it at a time (the socket handler hands it to one worker
/// at a time; the stdin filter owns it).
package final class ScoringStream {
    package let options: StreamOptions
    private let models: ServedModel
    private let metrics: ScorerMetrics?

    private enum State {
        case awaitingHeader
        case scoring
        case closed
    }

    private var state = State.awaitingHeader
    /// Bytes of the line not yet complete (and, during `feed`, the lines being scored).
    private var pending: [UInt8] = []
    /// Inside an over-long line whose error was already written: skip to its newline.
    private var skippingOverlong = false
    private var header: [String] = []
    private var tokenizer = CSVTokenizer(separator: UInt8(ascii: ";"))
    private var format: ScoreFormat
    private var binding: StreamBinding?
    private var workers: [StreamWorker] = []
    private var lines: [LineSpan] = []
    /// Rows answered so far (the 1-based number of the next row is this + 1).
    private var rowsRead = 0

    package init(models: ServedModel, options: StreamOptions = StreamOptions(), metrics: ScorerMetrics? = nil) {
        self.models = models
        self.options = options
        self.metrics = metrics
        self.format = ScoreFormat(style: options.style, withVersion: options.withVersion, reasons: options.reasons)
    }

    /// The stream was ended by a stream-level error (bad header, or a new bundle the header
    /// cannot feed); the caller closes the connection after writing the output.
    package var isClosed: Bool { state == .closed }

    /// The separator detected from the header (`;` until a header was read).
    package var separator: UInt8 { tokenizer.separator }

    /// Appends `bytes` and writes the answer of every complete line to `out`. With
    /// `endOfInput`, a last line without a newline counts as complete.
    ///
    /// The lines are scored where they lie in `bytes`: only a line begun in an earlier call
    /// (completed by the head of `bytes`) and the unfinished line at the end are copied.
    package func feed(_ bytes: UnsafeBufferPointer<UInt8>, endOfInput: Bool = false, into out: inout [UInt8]) {
        guard state != .closed else { return }
        lines.removeAll(keepingCapacity: true)
        // The line carried over from the last call, up to and with its newline.
        var direct = 0
        var carried = 0
        if !pending.isEmpty {
            let newline = bytes.baseAddress.flatMap { memchr($0, 0x0A, bytes.count) }
            direct = newline.map { bytes.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self)) + 1 } ?? bytes.count
            pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<direct]))
            carried = pending.withUnsafeBufferPointer {
                splitLines(in: $0, from: 0, endOfInput: endOfInput && direct == bytes.count, carried: true)
            }
        }
        let consumed = splitLines(in: bytes, from: direct, endOfInput: endOfInput, carried: false)
        pending.withUnsafeBufferPointer { carry in
            let buffers = LineBuffers(carry: carry, bytes: bytes)
            var first = 0
            if state == .awaitingHeader, let headerLine = lines.first {
                first = 1
                readHeader(headerLine, in: buffers, into: &out)
            }
            if state == .scoring && first < lines.count {
                scoreLines(first..<lines.count, in: buffers, into: &out)
            }
        }
        if state == .closed {
            pending = []
        } else {
            // What is left: the carried line if it is still unfinished (then `bytes` was all
            // taken into it), or the unfinished line at the end of `bytes`.
            pending.removeFirst(carried)
            pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[consumed...]))
        }
    }

    package func feed(_ bytes: [UInt8], endOfInput: Bool = false, into out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { feed($0, endOfInput: endOfInput, into: &out) }
    }

    // MARK: - Lines

    /// Appends to `lines` the complete lines of `buffer` from `position` on and returns where
    /// they end (the start of an unfinished last line, or the end of `buffer`).
    private func splitLines(in buffer: UnsafeBufferPointer<UInt8>, from position: Int, endOfInput: Bool, carried: Bool) -> Int {
        let limit = options.maxLineBytes
        guard let base = buffer.baseAddress else { return 0 }
        let count = buffer.count
        var position = position
        while position < count {
            let found = memchr(base + position, 0x0A, count - position)
            let newline = found.map { base.distance(to: UnsafePointer($0.assumingMemoryBound(to: UInt8.self))) }
            if skippingOverlong {
                guard let newline else { return count }
                skippingOverlong = false
                position = newline + 1
                continue
            }
            if let newline {
                appendLine(position..<newline, base: base, limit: limit, carried: carried)
                position = newline + 1
            } else {
                if count - position > limit {
                    lines.append(.overlong)
                    skippingOverlong = true
                    return count
                }
                if endOfInput {
                    appendLine(position..<count, base: base, limit: limit, carried: carried)
                    return count
                }
                return position
            }
        }
        return position
    }

    private func appendLine(_ range: Range<Int>, base: UnsafePointer<UInt8>, limit: Int, carried: Bool) {
        if range.count > limit {
            lines.append(.overlong)
            return
        }
        // Blank lines (possibly a lone `\r`) are not rows.
        if range.isEmpty || (range.count == 1 && base[range.lowerBound] == 0x0D) { return }
        lines.append(LineSpan(start: range.lowerBound, end: range.upperBound, carried: carried))
    }

    // MARK: - Header

    private func readHeader(_ line: LineSpan, in buffers: LineBuffers, into out: inout [UInt8]) {
        guard !line.isOverlong else {
            close(with: "the header line is longer than \(options.maxLineBytes) bytes (--max-line-bytes)", into: &out)
            return
        }
        let names: [String]
        do {
            names = try { () throws(CSVTokenizerError) -> [String] in
                var bytes = buffers.bytes(of: line)
                // A UTF-8 byte order mark from spreadsheet exports is not part of the first name.
                if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
                    bytes = UnsafeBufferPointer(rebasing: bytes[3...])
                }
                tokenizer = CSVTokenizer(separator: SeparatorDetection.separator(ofHeader: bytes))
                guard !bytes.isEmpty else { return [] }
                var fields: [CSVField] = []
                _ = try tokenizer.record(in: bytes, from: 0, into: &fields)
                return fields.map { CSVTokenizer.text(of: $0, in: bytes) }
            }()
        } catch {
            close(with: "the header line is not valid CSV: \(ScoringStream.describe(error))", into: &out)
            return
        }
        header = names
        let model = models.current
        guard bind(model, into: &out) else { return }
        state = .scoring
        out.append(contentsOf: format.header(idColumn: model.transform.idColumn).utf8)
    }

    /// Matches the header to `model`; on a missing column, writes the stream error and closes.
    private func bind(_ model: ScoringModel, into out: inout [UInt8]) -> Bool {
        do {
            let binding = try StreamBinding(model: model, header: header)
            self.binding = binding
            // Several chunks per thread: a thread that is preempted (other processes share the
            // cores) leaves its remaining chunks to the others instead of holding up the batch.
            let count = options.workers > 1 ? options.workers * ScoringStream.chunksPerThread : 1
            workers = (0..<count).map { _ in StreamWorker(scorer: RowScorer(binding: binding, reasons: options.reasons)) }
            if options.driftSampleEvery > 0, metrics != nil, let layout = model.driftLayout {
                for worker in workers { worker.scorer.tally = DriftTally(layout: layout, every: options.driftSampleEvery) }
            }
            return true
        } catch {
            metrics?.streamRejected()
            switch error {
            case .missingColumn: close(with: "\(error) (bundle \(model.bundleId) needs it)", into: &out)
            case .duplicateColumn: close(with: "\(error) (bundle \(model.bundleId) reads it)", into: &out)
            }
            return false
        }
    }

    private func close(with message: String, into out: inout [UInt8]) {
        out.append(contentsOf: format.streamError(message).utf8)
        state = .closed
    }

    // MARK: - Rows

    private func scoreLines(_ range: Range<Int>, in buffers: LineBuffers, into out: inout [UInt8]) {
        let started = DispatchTime.now().uptimeNanoseconds
        // One snapshot for the whole batch: a reload lands between batches, never inside a row.
        let model = models.current
        if binding?.model !== model {
            guard bind(model, into: &out) else { return }
        }
        let firstRow = rowsRead + 1
        rowsRead += range.count
        let spans = lines
        let parallel = options.workers > 1 && range.count >= options.parallelThreshold
        var scored = 0
        var failed = 0
        let job = BatchJob(
            buffers: buffers, spans: spans, tokenizer: tokenizer, format: format, model: model,
            maxLineBytes: options.maxLineBytes)
        if parallel {
            let chunks = Parallel.chunks(count: range.count, workers: workers.count, minimumChunk: 16)
            let shared = UncheckedBox((job, workers))
            DispatchQueue.concurrentPerform(iterations: chunks.count) { c in
                let (job, workers) = shared.value
                let chunk = chunks[c]
                let worker = workers[c]
                worker.output.removeAll(keepingCapacity: true)
                job.score(
                    lines: (range.lowerBound + chunk.lowerBound)..<(range.lowerBound + chunk.upperBound),
                    firstRow: firstRow + chunk.lowerBound, worker: worker)
            }
            for worker in workers.prefix(chunks.count) {
                out.append(contentsOf: worker.output)
            }
        } else {
            let worker = workers[0]
            worker.output.removeAll(keepingCapacity: true)
            job.score(lines: range, firstRow: firstRow, worker: worker)
            out.append(contentsOf: worker.output)
        }
        for worker in workers {
            if let tally = worker.scorer.tally, tally.counts.rows >= ScoringStream.driftHandOverRows {
                metrics?.drift.absorb(tally.take())
            }
            scored += worker.scored
            failed += worker.failed
            worker.scored = 0
            worker.failed = 0
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        metrics?.recordBatch(scored: scored, failed: failed, seconds: seconds)
    }

    /// Counted rows a worker collects before handing them to the drift window: one lock and
    /// one pass over the counters per this many rows.
    static let driftHandOverRows = 64

    /// Chunks a parallel batch is cut into per scoring thread.
    static let chunksPerThread = 16

    static func describe(_ error: CSVTokenizerError) -> String {
        switch error {
        case .unterminatedQuote: "a quoted field has no closing quote"
        case .textAfterClosingQuote: "text follows a closing quote"
        }
    }
}

/// Where one line lies: in the bytes being fed, or (`carried`) in the line carried over from
/// the last feed; `start < 0` marks an over-long line.
struct LineSpan {
    var start: Int
    var end: Int
    var carried = false

    static let overlong = LineSpan(start: -1, end: -1)
    var isOverlong: Bool { start < 0 }
}

/// The two places a feed's lines lie in (see ``LineSpan``).
struct LineBuffers {
    let carry: UnsafeBufferPointer<UInt8>
    let bytes: UnsafeBufferPointer<UInt8>

    /// The bytes of a line that is not over-long.
    @inline(__always)
    func bytes(of line: LineSpan) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: (line.carried ? carry : bytes)[line.start..<line.end])
    }
}

/// One scoring thread's state: its row scorer (which owns the per-row scratch), the field
/// array the tokenizer reuses, and the output of its chunk.
final class StreamWorker {
    let scorer: RowScorer
    var fields: [CSVField] = []
    var output: [UInt8] = []
    var scored = 0
    var failed = 0

    init(scorer: RowScorer) {
        self.scorer = scorer
        fields.reserveCapacity(scorer.binding.reader.fieldCount + 1)
    }
}

/// What every worker of one batch reads: the buffer, the lines and the model snapshot.
struct BatchJob {
    let buffers: LineBuffers
    let spans: [LineSpan]
    let tokenizer: CSVTokenizer
    let format: ScoreFormat
    let model: ScoringModel
    let maxLineBytes: Int

    func score(lines: Range<Int>, firstRow: Int, worker: StreamWorker) {
        var row = firstRow
        for i in lines {
            let span = spans[i]
            let outcome: RowOutcome
            if span.isOverlong {
                outcome = .failed(id: "row \(row)", message: "line is longer than \(maxLineBytes) bytes (--max-line-bytes)")
            } else {
                let bytes = buffers.bytes(of: span)
                do {
                    outcome = try worker.scorer.score(line: bytes, tokenizer: tokenizer, fields: &worker.fields, rowNumber: row)
                } catch {
                    outcome = .failed(id: "row \(row)", message: ScoringStream.describe(error))
                }
            }
            if case .scored = outcome { worker.scored += 1 } else { worker.failed += 1 }
            format.append(outcome, model: model, to: &worker.output)
            row += 1
        }
    }
}

/// Hands values that are only ever touched by one thread at a time across a thread hop.
struct UncheckedBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
