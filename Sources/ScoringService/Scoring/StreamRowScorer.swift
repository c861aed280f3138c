import ModelFormat
import Tabular

/// `RowScorer`'s steps, with the PCA projection done by ``BlockedProjection``.
///
/// Reading (`RecordReader`), cleaning (`TransformProgram`), the nearest centroid, the trees and
/// the calibration are ModelFormat's own functions, called in the same order as `RowScorer`
/// calls them; only the projection's loop is arranged differently, with the same sums in the
/// same order, so the answers are the trainer's bit for bit (checked by bench/scorer_parity.py
/// and the tests). One per worker thread: it owns the scratch.
final class StreamRowScorer {
    let binding: StreamBinding
    private let projection: BlockedProjection
    private var inputs: [Double]
    private var raw: [Double]
    private var scaled: [Double]
    private var centered: [Double]
    private var projected: [Double]

    init(binding: StreamBinding, serving: ServingModel) {
        precondition(binding.model === serving.model, "StreamRowScorer: binding and serving model differ")
        self.binding = binding
        self.projection = serving.projection
        let model = binding.model
        inputs = [Double](repeating: 0, count: model.transform.inputs.count)
        raw = [Double](repeating: 0, count: model.transform.features.count)
        scaled = raw
        centered = [Double](repeating: 0, count: projection.inputDimension)
        projected = [Double](repeating: 0, count: projection.outputDimension)
    }

    /// As `RowScorer.score(fields:in:rowNumber:)`, same outcomes and messages.
    func score(fields: [CSVField], in bytes: UnsafeBufferPointer<UInt8>, rowNumber: Int) -> RowOutcome {
        let reader = binding.reader
        var id = "row \(rowNumber)"
        if let idIndex = reader.idIndex, idIndex < fields.count {
            id = CSVTokenizer.text(of: fields[idIndex], in: bytes)
        }
        guard fields.count == reader.fieldCount else {
            return .failed(id: id, message: "row has \(fields.count) fields, the header has \(reader.fieldCount)")
        }
        let model = binding.model
        let unreadable = inputs.withUnsafeMutableBufferPointer { reader.read(fields: fields, in: bytes, into: $0) }
        if let unreadable {
            let column = model.transform.inputs[unreadable.input].name
            return .failed(id: id, message: "column \(column): '\(unreadable.text)' is not a number")
        }
        let projection = self.projection
        let (segment, probability) = inputs.withUnsafeMutableBufferPointer { inputs in
            raw.withUnsafeMutableBufferPointer { raw in
                scaled.withUnsafeMutableBufferPointer { scaled in
                    centered.withUnsafeMutableBufferPointer { centered in
                        projected.withUnsafeMutableBufferPointer { projected in
                            let share = model.program.apply(inputs: inputs, raw: raw, scaled: scaled)
                            let segment: Int
                            if model.program.hasSufficientData(missingShare: share) {
                                projection.project(UnsafeBufferPointer(scaled), centered: centered, into: projected)
                                segment = model.segments.centroids.nearest(UnsafeBufferPointer(projected)).index
                            } else {
                                segment = model.segments.insufficientDataSegment
                            }
                            return (segment, model.probability(raw: UnsafeBufferPointer(raw)))
                        }
                    }
                }
            }
        }
        return .scored(id: id, segment: segment, probability: probability)
    }
}
