#if canImport(Glibc)
import Concurrency
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tabular

/// Scores a CSV file (or standard input) of any size in bounded memory, through the scorer's
/// per-row code (``RowScorer``): what `trainer plan` and `trainer drift` read prospects with.
///
/// The file is read in chunks of `chunkBytes`; the complete lines of a chunk are scored on all
/// cores (blocks of rows, each with its own ``RowScorer``) and handed to the caller in input
/// order. Framing is the scorer's: a row ends at `\n` (a quoted field cannot hold a line
/// break), blank lines are skipped. Memory: one chunk, its outcomes, and one tally per block.
public struct FileRowScorer {
    /// Why a whole file cannot be scored (as opposed to one row).
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The file cannot be opened.
        case cannotOpen(path: String, reason: String)
        /// Reading the file failed part way.
        case cannotRead(path: String, reason: String)
        /// The file's content cannot be scored as a whole (see ``BatchScorer/Failure``).
        case input(path: String, BatchScorer.Failure)

        /// What went wrong and with which file, for the user.
        public var description: String {
            switch self {
            case .cannotOpen(let path, let reason): "\(path): cannot open: \(reason)"
            case .cannotRead(let path, let reason): "\(path): cannot read: \(reason)"
            case .input(let path, let failure): "\(path): \(failure)"
            }
        }
    }

    /// The model every row is scored with.
    public let model: ScoringModel
    /// Bytes of the file read and scored at a time: bounds memory whatever the file's size.
    public var chunkBytes: Int
    /// Rows per parallel block.
    public var blockRows = 2048
    /// Counts every scored row's inputs and segment into a ``DriftCounts`` for the model's
    /// reference (`trainer drift`); nil (the default) counts nothing.
    public var countsDrift = false

    /// A scorer of files with `model`, reading `chunkBytes` at a time.
    public init(model: ScoringModel, chunkBytes: Int = 4 << 20) {
        self.model = model
        self.chunkBytes = chunkBytes
    }

    /// Reads `path` (`-` = standard input) and calls `body` with every row's 1-based number and
    /// outcome, in input order. Returns the drift counts over all scored rows when
    /// ``countsDrift`` is set and the bundle has a reference.
    @discardableResult
    public func score(path: String, _ body: (Int, RowOutcome) throws -> Void) throws -> DriftCounts? {
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { if fd != 0 { close(fd) } }

        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: chunkBytes)
        var binding: StreamBinding?
        var tokenizer = CSVTokenizer(separator: UInt8(ascii: ";"))
        var rowsSoFar = 0
        var total: DriftCounts?
        let layout = countsDrift ? model.driftLayout : nil
        var atEnd = false
        while !atEnd {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure.cannotRead(path: path, reason: String(cString: strerror(errno)))
            }
            atEnd = n == 0
            pending.append(contentsOf: chunk[0..<n])
            // Complete lines only, except at the end of input.
            let end = atEnd ? pending.count : (pending.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0)
            if end == 0 { continue }
            var lines = Self.lines(in: pending, upTo: end)
            if binding == nil, !lines.isEmpty {
                let header = lines.removeFirst()
                (binding, tokenizer) = try Self.bind(pending, header, model: model, path: path)
            }
            if let binding, !lines.isEmpty {
                let counts = try scoreLines(
                    lines, in: pending, binding: binding, tokenizer: tokenizer, firstRow: rowsSoFar + 1,
                    layout: layout, body)
                rowsSoFar += lines.count
                if let counts {
                    if total == nil { total = counts } else { total!.add(counts) }
                }
            }
            pending.removeFirst(end)
        }
        guard binding != nil else { throw Failure.input(path: path, .emptyInput) }
        return total ?? layout.map { DriftCounts(layout: $0) }
    }

    private func scoreLines(
        _ lines: [Range<Int>], in pending: [UInt8], binding: StreamBinding, tokenizer: CSVTokenizer, firstRow: Int,
        layout: DriftLayout?, _ body: (Int, RowOutcome) throws -> Void
    ) throws -> DriftCounts? {
        let blocks = pending.withUnsafeBufferPointer { buffer in
            let box = UnsafeLines(buffer: buffer, lines: lines)
            return Parallel.mapBlocks(count: lines.count, blockSize: blockRows) { range -> ([RowOutcome], DriftCounts?) in
                let scorer = RowScorer(binding: binding)
                if let layout { scorer.tally = DriftTally(layout: layout, every: 1) }
                var fields: [CSVField] = []
                let outcomes = range.map { i -> RowOutcome in
                    let line = UnsafeBufferPointer(rebasing: box.buffer[box.lines[i]])
                    do {
                        return try scorer.score(line: line, tokenizer: tokenizer, fields: &fields, rowNumber: firstRow + i)
                    } catch {
                        return .failed(id: "row \(firstRow + i)", message: "\(error)")
                    }
                }
                return (outcomes, scorer.tally?.counts)
            }
        }
        var row = firstRow
        var counts: DriftCounts?
        for (outcomes, blockCounts) in blocks {
            for outcome in outcomes {
                try body(row, outcome)
                row += 1
            }
            if let blockCounts {
                if counts == nil { counts = blockCounts } else { counts!.add(blockCounts) }
            }
        }
        return counts
    }

    /// The non-blank lines of `bytes[0..<end]`, without their `\n` (a trailing `\r` is left
    /// to the reader, which drops it from the last field).
    static func lines(in bytes: [UInt8], upTo end: Int) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = 0
        while start < end {
            var stop = start
            while stop < end, bytes[stop] != UInt8(ascii: "\n") { stop += 1 }
            let isBlank = stop == start || (stop == start + 1 && bytes[start] == 0x0D)
            if !isBlank { lines.append(start..<stop) }
            start = stop + 1
        }
        return lines
    }

    private static func bind(
        _ bytes: [UInt8], _ line: Range<Int>, model: ScoringModel, path: String
    ) throws -> (StreamBinding, CSVTokenizer) {
        var header = Array(bytes[line])
        if header.starts(with: [0xEF, 0xBB, 0xBF]) { header.removeFirst(3) }
        return try header.withUnsafeBufferPointer { buffer in
            let tokenizer = CSVTokenizer(separator: BatchScorer.separator(ofHeader: buffer))
            var fields: [CSVField] = []
            do {
                _ = try tokenizer.record(in: buffer, from: 0, into: &fields)
            } catch {
                throw Failure.input(path: path, .badHeader("\(error)"))
            }
            let names = fields.map { CSVTokenizer.text(of: $0, in: buffer) }
            do throws(FeatureReadError) {
                return (try StreamBinding(model: model, header: names), tokenizer)
            } catch {
                switch error {
                case .missingColumn(let name): throw Failure.input(path: path, .missingColumn(name))
                case .duplicateColumn: throw Failure.input(path: path, .badHeader(error.description))
                }
            }
        }
    }
}

/// Lets the block workers read the chunk the caller keeps alive for the whole call.
private struct UnsafeLines: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
    let lines: [Range<Int>]
}
