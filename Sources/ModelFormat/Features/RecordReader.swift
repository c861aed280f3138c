import Tabular

/// Reads a transform's inputs from one CSV record (stage 1 for the scorer and `trainer predict`).
///
/// Built once per stream from its header; then each record costs one pass over the fields
/// the transform needs, with no `String` per field.
public struct RecordReader: Sendable {
    /// Position of each input's field in the stream's records.
    public let fieldIndex: [Int]
    /// Position of the id column, if the stream has one.
    public let idIndex: Int?
    /// Fields a record must have.
    public let fieldCount: Int
    private let readings: [FieldReading]

    /// Matches the transform's inputs to `header` by name; extra columns are ignored.
    public init(transform: CleaningTransform, header: [String]) throws(FeatureReadError) {
        var position: [String: Int] = [:]
        for (i, name) in header.enumerated() where position[name] == nil { position[name] = i }
        var fieldIndex: [Int] = []
        for input in transform.inputs {
            guard let i = position[input.name] else { throw .missingColumn(input.name) }
            fieldIndex.append(i)
        }
        self.fieldIndex = fieldIndex
        self.idIndex = position[transform.idColumn]
        self.fieldCount = header.count
        self.readings = transform.inputs.map { FieldReading($0.reading) }
    }

    /// A field the transform could not read as its column's kind (a token in a number
    /// column other than the `X`/`XX` markers): it is read as missing and reported.
    public struct UnreadableField: Sendable, Hashable {
        public var input: Int
        public var text: String
    }

    /// Writes the record's inputs into `out` and returns the first unreadable field, if any.
    /// `fields` must hold exactly ``fieldCount`` fields of `bytes`.
    @inline(__always)
    @discardableResult
    public func read(
        fields: [CSVField], in bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<Double>
    ) -> UnreadableField? {
        var unreadable: UnreadableField?
        for i in 0..<fieldIndex.count {
            let field = fields[fieldIndex[i]]
            if field.isEmpty {
                out[i] = .nan
                continue
            }
            let content = UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])
            let value: Double
            if field.hasEscapedQuotes {
                var text = Array(CSVTokenizer.text(of: field, in: bytes).utf8)
                value = text.withUnsafeMutableBufferPointer { readings[i].value(of: UnsafeBufferPointer($0)) }
            } else {
                value = readings[i].value(of: content)
            }
            out[i] = value
            if value.isNaN, unreadable == nil, readings[i].isNumber {
                let text = CSVTokenizer.text(of: field, in: bytes)
                if !InputColumn.missingMarkers.contains(text) { unreadable = UnreadableField(input: i, text: text) }
            }
        }
        return unreadable
    }
}
