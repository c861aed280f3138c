import Foundation
import Tabular

/// Reads a transform's inputs from one CSV record (stage 1 for the scorer and `trainer predict`).
///
/// Built once per stream from its header; then each record costs one pass over its bytes,
/// with no `String` per field. A line without any quote character (every MAILOUT row) is split
/// here in one tight loop, which is exactly what ``CSVTokenizer`` makes of such a line: fields
/// end at the separator and the last one loses a trailing `\r`. A line with a quote goes
/// through ``CSVTokenizer`` itself.
public struct RecordReader: Sendable {
    /// Position of each input's field in the stream's records.
    public let fieldIndex: [Int]
    /// Position of the id column, if the stream has one.
    public let idIndex: Int?
    /// Fields a record must have.
    public let fieldCount: Int
    private let readings: [FieldReading]
    /// For each of the `fieldCount` header positions, the input read from it, or -1.
    private let inputOfField: [Int32]
    /// Whether each input is a plain number (read inline; the others go through ``FieldReading``).
    private let isNumber: [Bool]

    /// Matches the transform's inputs to `header` by name; extra columns are ignored. A column
    /// the transform reads (an input or the id) that the header names twice is refused.
    public init(transform: CleaningTransform, header: [String]) throws(FeatureReadError) {
        var positions: [String: [Int]] = [:]
        for (i, name) in header.enumerated() { positions[name, default: []].append(i) }
        let used = [transform.idColumn] + transform.inputs.map(\.name)
        if let name = used.first(where: { (positions[$0]?.count ?? 0) > 1 }) {
            throw .duplicateColumn(name, positions: positions[name]!.map { $0 + 1 })
        }
        let position = positions.mapValues { $0[0] }
        var fieldIndex: [Int] = []
        for input in transform.inputs {
            guard let i = position[input.name] else { throw .missingColumn(input.name) }
            fieldIndex.append(i)
        }
        self.fieldIndex = fieldIndex
        self.idIndex = position[transform.idColumn]
        self.fieldCount = header.count
        self.readings = transform.inputs.map { FieldReading($0.reading) }
        self.isNumber = readings.map(\.isNumber)
        var inputOfField = [Int32](repeating: -1, count: header.count)
        for (input, field) in fieldIndex.enumerated() { inputOfField[field] = Int32(input) }
        self.inputOfField = inputOfField
    }

    /// A field the transform could not read as its column's kind (a token in a number
    /// column other than the `X`/`XX` markers): it is read as missing and reported.
    public struct UnreadableField: Sendable, Hashable {
        /// Index of the input (``CleaningTransform/inputs``).
        public var input: Int
        /// The field as written.
        public var text: String
    }

    /// What reading one line gave.
    public enum LineReading: Sendable, Hashable {
        /// Every input was written.
        case read
        /// The line has another number of fields than the header.
        case wrongFieldCount(Int)
        /// Every input was written, this one as missing.
        case unreadable(UnreadableField)
    }

    /// Writes the record's inputs into `out` and returns the first unreadable field, if any.
    /// `fields` must hold exactly ``fieldCount`` fields of `bytes`.
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
            if field.hasEscapedQuotes {
                var text = Array(CSVTokenizer.text(of: field, in: bytes).utf8)
                out[i] = text.withUnsafeMutableBufferPointer { readings[i].value(of: UnsafeBufferPointer($0)) }
            } else {
                out[i] = readings[i].value(of: UnsafeBufferPointer(rebasing: bytes[field.start..<field.end]))
            }
            if out[i].isNaN, unreadable == nil { unreadable = check(i, CSVTokenizer.text(of: field, in: bytes)) }
        }
        return unreadable
    }

    /// Reads one line (without its `\n`) that holds no quote character: splits it at
    /// `separator` and writes the inputs into `out`; `idRange` receives the id field's byte
    /// range in `line` (when the stream has an id column and the line has that field).
    /// Use ``hasQuote(_:)`` first: a line with quotes needs ``CSVTokenizer``.
    @inline(__always)
    public func read(
        unquotedLine line: UnsafeBufferPointer<UInt8>, separator: UInt8, into out: UnsafeMutableBufferPointer<Double>,
        idRange: inout Range<Int>?
    ) -> LineReading {
        guard let base = line.baseAddress, line.count > 0 else { return .wrongFieldCount(line.isEmpty ? 0 : 1) }
        let end = line.count
        let idField = idIndex ?? -1
        var unreadable: UnreadableField?
        var field = 0
        var start = 0
        let fieldCount = self.fieldCount
        return inputOfField.withUnsafeBufferPointer { inputOfField in
            isNumber.withUnsafeBufferPointer { isNumber in
                while true {
                    let i = field < fieldCount ? Int(inputOfField[field]) : -1
                    var p = start
                    if i >= 0 && isNumber[i] && p + 4 <= end && field != idField {
                        // The shapes of most fields, `7`, `7.0` and empty, with a separator
                        // after them (so not the line's last field), in a few instructions.
                        let digit = base[p] &- 0x30
                        let next = base[p + 1]
                        if digit <= 9 && next == separator {
                            out[i] = Double(digit)
                            field += 1
                            start = p + 2
                            continue
                        }
                        if digit <= 9 && next == 0x2E && base[p + 2] == 0x30 && base[p + 3] == separator {
                            out[i] = Double(digit)
                            field += 1
                            start = p + 4
                            continue
                        }
                        if base[p] == separator {
                            out[i] = .nan
                            field += 1
                            start = p + 1
                            continue
                        }
                    }
                    var parsed: Double?
                    if i >= 0 && isNumber[i] {
                        // The other common shapes, `-12`, `3`, `4.0`, `7.`, are read while the field
                        // is scanned, as the tokenizer's `CSVTokenizer.value(of:in:)` reads them
                        // (a whole number converted to `Double`); any other text takes the
                        // general path below.
                        let negative = p < end && base[p] == 0x2D
                        if negative { p += 1 }
                        let (magnitude, digits) = FieldValue.scanDigits(base, &p, end)
                        if p < end && base[p] == 0x2E {
                            p += 1
                            while p < end && base[p] == 0x30 { p += 1 }
                        }
                        if digits > 0 && digits <= 18 && (p == end || base[p] == separator) {
                            parsed = Double(negative ? -magnitude : magnitude)
                        }
                    }
                    while p < end && base[p] != separator { p += 1 }
                    var fieldEnd = p
                    if p == end && fieldEnd > start && base[fieldEnd - 1] == 0x0D { fieldEnd -= 1 }
                    if field == idField { idRange = start..<fieldEnd }
                    if i >= 0 {
                        if let parsed {
                            out[i] = parsed
                        } else if fieldEnd == start {
                            out[i] = .nan
                        } else {
                            let text = UnsafeBufferPointer(start: base + start, count: fieldEnd - start)
                            let value = readings[i].value(of: text)
                            if value.isNaN, unreadable == nil { unreadable = check(i, String(decoding: text, as: UTF8.self)) }
                            out[i] = value
                        }
                    }
                    field += 1
                    if p == end { break }
                    start = p + 1
                }
                if field != fieldCount { return .wrongFieldCount(field) }
                if let unreadable { return .unreadable(unreadable) }
                return .read
            }
        }
    }

    /// Whether `line` holds a quote character (and so must go through ``CSVTokenizer``).
    @inline(__always)
    public static func hasQuote(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = line.baseAddress else { return false }
        return memchr(base, 0x22, line.count) != nil
    }

    /// The report for input `i` read as missing from `text`, unless that is expected.
    private func check(_ i: Int, _ text: @autoclosure () -> String) -> UnreadableField? {
        guard readings[i].isNumber else { return nil }
        let text = text()
        return InputColumn.missingMarkers.contains(text) ? nil : UnreadableField(input: i, text: text)
    }
}
