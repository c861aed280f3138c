import Concurrency
import Tabular

/// Scores a whole CSV text (header, then records) on all cores, answering every record in
/// order: what `trainer predict` runs, and the scorer's per-batch work.
///
/// Records are found in one sequential pass (quotes may hold line breaks), then scored in
/// blocks, each worker with its own ``RowScorer``.
public enum BatchScorer {
    /// Why a whole input cannot be scored (as opposed to one row).
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// No bytes at all: not even a header.
        case emptyInput
        /// The header line cannot be tokenized (a quote error).
        case badHeader(String)
        /// The header lacks a column the model reads.
        case missingColumn(String)
        /// The header names a column the model reads twice.
        case header(FeatureReadError)

        /// What is wrong with the input, for the user.
        public var description: String {
            switch self {
            case .emptyInput: "the input is empty (a header line is required)"
            case .badHeader(let problem): "cannot read the header line: \(problem)"
            case .missingColumn(let name): "required column \(name) is not in the header"
            case .header(let problem): "\(problem)"
            }
        }
    }

    /// `;` or `,`, whichever the header line has more of.
    public static func separator(ofHeader line: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var semicolons = 0
        var commas = 0
        for byte in line {
            if byte == UInt8(ascii: "\n") { break }
            if byte == UInt8(ascii: ";") { semicolons += 1 } else if byte == UInt8(ascii: ",") { commas += 1 }
        }
        return commas > semicolons ? UInt8(ascii: ",") : UInt8(ascii: ";")
    }

    /// The outcome of every record of `bytes`, in order; with `reasons` > 0 each scored row
    /// carries its top reason codes (``RowScorer/init(binding:reasons:)``). `scored` hears of
    /// each block of rows done (from the worker that scored it), for progress displays.
    public static func score(
        _ bytes: [UInt8], model: ScoringModel, reasons: Int = 0, scored: @Sendable (_ rows: Int) -> Void = { _ in }
    ) throws(Failure) -> [RowOutcome] {
        try bytes.withUnsafeBufferPointer { (buffer) throws(Failure) -> [RowOutcome] in
            guard !buffer.isEmpty else { throw .emptyInput }
            let tokenizer = CSVTokenizer(separator: separator(ofHeader: buffer))
            var fields: [CSVField] = []
            var offset: Int
            do {
                offset = try tokenizer.record(in: buffer, from: 0, into: &fields)
            } catch {
                throw .badHeader("\(error)")
            }
            let header = fields.map { CSVTokenizer.text(of: $0, in: buffer) }
            let binding: StreamBinding
            do throws(FeatureReadError) {
                binding = try StreamBinding(model: model, header: header)
            } catch {
                switch error {
                case .missingColumn(let name): throw .missingColumn(name)
                case .duplicateColumn: throw .header(error)
                }
            }
            var starts: [Int] = []
            var problems: [Int: String] = [:]
            while offset < buffer.count {
                starts.append(offset)
                do {
                    offset = try tokenizer.record(in: buffer, from: offset, into: &fields)
                } catch {
                    problems[starts.count - 1] = "\(error)"
                    offset = nextLine(buffer, from: offset)
                }
            }
            starts.append(buffer.count)
            let rows = starts.count - 1
            let recordStarts = starts
            let recordProblems = problems
            let box = UnsafeBytes(buffer)
            let blocks = Parallel.mapBlocks(count: rows, blockSize: 512) { range -> [RowOutcome] in
                let scorer = RowScorer(binding: binding, reasons: reasons)
                var fields: [CSVField] = []
                defer { scored(range.count) }
                return range.map { r in
                    let bytes = box.buffer
                    if let problem = recordProblems[r] { return .failed(id: "row \(r + 1)", message: problem) }
                    _ = try? tokenizer.record(in: bytes, from: recordStarts[r], into: &fields)
                    return scorer.score(fields: fields, in: bytes, rowNumber: r + 1)
                }
            }
            return blocks.flatMap { $0 }
        }
    }

    private static func nextLine(_ buffer: UnsafeBufferPointer<UInt8>, from offset: Int) -> Int {
        var i = offset
        while i < buffer.count, buffer[i] != UInt8(ascii: "\n") { i += 1 }
        return min(buffer.count, i + 1)
    }
}

/// Lets workers read a buffer the caller keeps alive for the whole call.
private struct UnsafeBytes: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
    init(_ buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }
}
