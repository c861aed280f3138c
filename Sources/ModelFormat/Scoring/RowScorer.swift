import Tabular

/// A stream's header matched against a model: built once per stream (stdin or a socket
/// connection), shared by the workers that score its rows.
public struct StreamBinding: Sendable {
    /// The model the stream is scored with (kept for the stream's life, across reloads).
    public let model: ScoringModel
    /// Which field feeds which input, from the header.
    public let reader: RecordReader
    /// The stream's header names, as read.
    public let header: [String]

    /// Fails with the name of the first required column the header lacks.
    public init(model: ScoringModel, header: [String]) throws(FeatureReadError) {
        self.model = model
        self.reader = try RecordReader(transform: model.transform, header: header)
        self.header = header
    }
}

/// The answer for one input row.
public enum RowOutcome: Sendable, Hashable {
    /// `segment` is the segment index (clusters, then "insufficient data"); `reasons` only
    /// when the scorer was asked for reason codes.
    case scored(id: String, segment: Int, probability: Double, reasons: RowReasons? = nil)
    /// The row could not be scored; the stream goes on.
    case failed(id: String, message: String)

    /// The row's id, scored or not: every output line carries it.
    public var id: String {
        switch self {
        case .scored(let id, _, _, _), .failed(let id, _): id
        }
    }
}

/// Scores the rows of one stream, one at a time, with its own scratch space: one per worker
/// thread. The work per row is the trainer's: ``RecordReader`` then ``TransformProgram``, then
/// ``SegmentModel`` and the trees.
public final class RowScorer {
    /// The stream this scorer serves.
    public let binding: StreamBinding
    // This scorer's scratch rows, allocated once (freed in deinit): plain pointers, so the
    // per-row work has no exclusivity checks or reference counting on them.
    private let inputs: UnsafeMutableBufferPointer<Double>
    private let raw: UnsafeMutableBufferPointer<Double>
    private let scaled: UnsafeMutableBufferPointer<Double>
    /// Counts the inputs and segment of scored rows for drift monitoring, when set.
    public var tally: DriftTally?
    /// Set when the rows' reason codes are wanted (and the bundle can give them).
    private let explainer: RowExplainer?

    /// With `reasons` > 0, every scored row also carries its `reasons` top reason codes
    /// (see ``ReasonModel``), when the bundle's trees have node statistics.
    public init(binding: StreamBinding, reasons: Int = 0) {
        self.binding = binding
        let model = binding.model
        inputs = Self.row(model.transform.inputs.count)
        raw = Self.row(model.transform.features.count)
        scaled = Self.row(model.transform.features.count)
        explainer = reasons > 0 ? model.reasonModel.map { RowExplainer(model: $0, count: reasons) } : nil
    }

    deinit {
        inputs.deallocate()
        raw.deallocate()
        scaled.deallocate()
    }

    /// `count` zeros (a pointer even for none, for ``deinit``).
    private static func row(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
        let row = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, count))
        row.initialize(repeating: 0)
        return UnsafeMutableBufferPointer(rebasing: row[0..<count])
    }

    /// Scores one record's `fields` (as the tokenizer found them in `bytes`).
    /// `rowNumber` (1-based, after the header) names the row when it has no id.
    public func score(fields: [CSVField], in bytes: UnsafeBufferPointer<UInt8>, rowNumber: Int) -> RowOutcome {
        let reader = binding.reader
        var id = "row \(rowNumber)"
        if let idIndex = reader.idIndex, idIndex < fields.count {
            id = CSVTokenizer.text(of: fields[idIndex], in: bytes)
        }
        guard fields.count == reader.fieldCount else {
            return .failed(id: id, message: "row has \(fields.count) fields, the header has \(reader.fieldCount)")
        }
        let unreadable = reader.read(fields: fields, in: bytes, into: inputs)
        if let unreadable { return failure(id: id, unreadable) }
        return scoreInputs(id: id)
    }

    /// Scores one line (without its `\n`), split by `tokenizer`; `fields` is scratch the
    /// caller reuses. Only a line with a quote character goes through the tokenizer, and only
    /// such a line can throw.
    public func score(
        line: UnsafeBufferPointer<UInt8>, tokenizer: CSVTokenizer, fields: inout [CSVField], rowNumber: Int
    ) throws(CSVTokenizerError) -> RowOutcome {
        if RecordReader.hasQuote(line) {
            _ = try tokenizer.record(in: line, from: 0, into: &fields)
            return score(fields: fields, in: line, rowNumber: rowNumber)
        }
        let reader = binding.reader
        var idRange: Range<Int>?
        let reading = reader.read(unquotedLine: line, separator: tokenizer.separator, into: inputs, idRange: &idRange)
        let id = idRange.map { String(decoding: UnsafeBufferPointer(rebasing: line[$0]), as: UTF8.self) } ?? "row \(rowNumber)"
        switch reading {
        case .read: return scoreInputs(id: id)
        case .wrongFieldCount(let count):
            return .failed(id: id, message: "row has \(count) fields, the header has \(reader.fieldCount)")
        case .unreadable(let unreadable): return failure(id: id, unreadable)
        }
    }

    private func failure(id: String, _ unreadable: RecordReader.UnreadableField) -> RowOutcome {
        let column = binding.model.transform.inputs[unreadable.input].name
        return .failed(id: id, message: "column \(column): '\(unreadable.text)' is not a number")
    }

    /// Stages 2 and 3 and the models, on the inputs just read.
    private func scoreInputs(id: String) -> RowOutcome {
        let model = binding.model
        let share = model.program.apply(inputs: inputs, raw: raw, scaled: scaled)
        let segment = model.segments.segment(
            scaled: UnsafeBufferPointer(scaled), sufficientData: model.program.hasSufficientData(missingShare: share),
            folded: model.folded)
        let probability = model.probability(raw: UnsafeBufferPointer(raw))
        if let tally { tally.observe(inputs: UnsafeBufferPointer(inputs), segment: segment) }
        if let explainer {
            let reasons = explainer.reasons(
                raw: UnsafeBufferPointer(raw), scaled: UnsafeBufferPointer(scaled), segment: segment, segments: model.segments,
                folded: model.folded)
            return .scored(id: id, segment: segment, probability: probability, reasons: reasons)
        }
        return .scored(id: id, segment: segment, probability: probability)
    }
}
