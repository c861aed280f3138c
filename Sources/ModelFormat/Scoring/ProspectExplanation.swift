import Tabular

/// One prospect taken apart: score, segment, the reason codes and the row's own values, for
/// `trainer explain` (which puts them in words with the bundle's ``AttributeDescriptions``).
/// Computed through the scorer's stages (``RecordReader``, ``TransformProgram``, segment,
/// trees), so the numbers are the ones the scorer answers for the same row.
public struct ProspectExplanation: Sendable {
    /// Why a prospect could not be explained: the file, the id or the bundle does not allow it.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The file is empty.
        case noHeader
        /// The header lacks the model's id column.
        case noIdColumn(String)
        /// No row carries the id asked for.
        case notFound(id: String)
        /// The prospect's line cannot be read.
        case unreadable(line: Int, problem: String)
        /// The bundle's trees lack node statistics (written before format 1.1): no SHAP values.
        case noNodeStatistics(bundle: String)

        /// What went wrong, for the user.
        public var description: String {
            switch self {
            case .noHeader: "the file has no header line"
            case .noIdColumn(let name): "the header has no id column \(name)"
            case .notFound(let id): "no row has the id \(id)"
            case .unreadable(let line, let problem): "line \(line): \(problem)"
            case .noNodeStatistics(let bundle):
                "bundle \(bundle) has no node statistics in its trees (written before format 1.1): retrain it to explain its scores"
            }
        }
    }

    /// The prospect's id (`LNR`).
    public var id: String
    /// Segment index (``SegmentModel``; the last is "insufficient data").
    public var segment: Int
    /// The calibrated probability of a response, as the scorer answers it.
    public var probability: Double
    /// The trees' log-odds before calibration, and the mean log-odds SHAP starts from.
    public var rawScore: Double
    /// The mean log-odds over the training rows, where the contributions start from.
    public var expectedValue: Double
    /// Every attribute's contribution and pull, largest first.
    public var reasons: RowReasons
    /// The row's text per input column (`""` for an empty field).
    public var values: [String: String]

    /// Finds the row whose id is `id` in CSV `bytes` (header first) and explains it with up
    /// to `count` reasons of each kind.
    public init(id: String, in bytes: [UInt8], model: ScoringModel, count: Int) throws(Failure) {
        guard let reasonModel = model.reasonModel else { throw .noNodeStatistics(bundle: model.bundleId) }
        let found = try bytes.withUnsafeBufferPointer { (buffer) throws(Failure) -> (header: [String], fields: [String]) in
            guard !buffer.isEmpty else { throw .noHeader }
            let tokenizer = CSVTokenizer(separator: BatchScorer.separator(ofHeader: buffer))
            var fields: [CSVField] = []
            var offset: Int
            do { offset = try tokenizer.record(in: buffer, from: 0, into: &fields) } catch { throw .unreadable(line: 1, problem: "\(error)") }
            let header = fields.map { CSVTokenizer.text(of: $0, in: buffer) }
            guard let idIndex = header.firstIndex(of: model.transform.idColumn) else { throw .noIdColumn(model.transform.idColumn) }
            var line = 1
            while offset < buffer.count {
                line += 1
                do { offset = try tokenizer.record(in: buffer, from: offset, into: &fields) } catch { continue }
                if idIndex < fields.count, CSVTokenizer.text(of: fields[idIndex], in: buffer) == id {
                    return (header, fields.map { CSVTokenizer.text(of: $0, in: buffer) })
                }
            }
            throw .notFound(id: id)
        }
        let reader: RecordReader
        do { reader = try RecordReader(transform: model.transform, header: found.header) } catch {
            throw .unreadable(line: 1, problem: "\(error)")
        }
        guard found.fields.count == reader.fieldCount else {
            throw .unreadable(line: 0, problem: "row \(id) has \(found.fields.count) fields, the header \(reader.fieldCount)")
        }
        // The row again as one unquoted record, read by the scorer's own reader.
        var record: [UInt8] = []
        var spans: [CSVField] = []
        for text in found.fields {
            let start = record.count
            record.append(contentsOf: text.utf8)
            spans.append(CSVField(start: start, end: record.count))
        }
        var inputs = [Double](repeating: .nan, count: model.transform.inputs.count)
        let unreadable = record.withUnsafeBufferPointer { bytes in
            inputs.withUnsafeMutableBufferPointer { reader.read(fields: spans, in: bytes, into: $0) }
        }
        if let unreadable {
            throw .unreadable(line: 0, problem: "column \(model.transform.inputs[unreadable.input].name): '\(unreadable.text)' is not a number")
        }
        let (raw, scaled, share) = model.transform.apply(inputs: inputs)
        let segment = scaled.withUnsafeBufferPointer {
            model.segments.segment(scaled: $0, sufficientData: model.program.hasSufficientData(missingShare: share), folded: model.folded)
        }
        let explainer = RowExplainer(model: reasonModel, count: count)
        self.id = id
        self.segment = segment
        self.probability = raw.withUnsafeBufferPointer { model.probability(raw: $0) }
        self.rawScore = model.booster.rawScore(raw)
        self.expectedValue = reasonModel.shap.expectedValue
        self.reasons = raw.withUnsafeBufferPointer { r in
            scaled.withUnsafeBufferPointer { s in
                explainer.reasons(raw: r, scaled: s, segment: segment, segments: model.segments, folded: model.folded)
            }
        }
        self.values = Dictionary(zip(found.header, found.fields).map { ($0, $1) }, uniquingKeysWith: { a, _ in a })
    }
}
