import Foundation

/// Why a chunk stopped early, by byte offset of the offending record.
enum ChunkFailure: Sendable {
    case fieldCount(recordStart: Int, found: Int)
    case tokenizer(CSVTokenizerError)
}

struct ChunkOutcome: Sendable {
    let columns: ChunkColumns
    let sawQuotedField: Bool
    let failure: ChunkFailure?
}

/// Parses the records of one chunk straight into column accumulators.
struct ChunkParser {
    let tokenizer: CSVTokenizer
    /// Fields per record (including a dropped index column).
    let fieldCount: Int
    /// 1 when the leading index column is dropped, else 0.
    let firstStoredField: Int
    /// Called with byte ranges already parsed, so a mapped file's pages can leave memory.
    let releaseParsed: (@Sendable (Range<Int>) -> Void)?

    static let releaseStep = 8 << 20

    /// Records in `chunk`, estimated from the newlines in its first 256 KiB, with 5 % slack.
    static func estimatedRecords(_ base: UnsafePointer<UInt8>, _ chunk: Range<Int>) -> Int {
        let sample = min(chunk.count, 256 << 10)
        guard sample > 0 else { return 0 }
        var lines = 0
        var position = chunk.lowerBound
        let sampleEnd = chunk.lowerBound + sample
        while position < sampleEnd,
            let found = memchr(base + position, Int32(CSVTokenizer.newline), sampleEnd - position)
        {
            lines += 1
            position = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
        }
        let perByte = Double(max(lines, 1)) / Double(sample)
        return Int(Double(chunk.count) * perByte * 1.05) + 16
    }

    func parse(_ base: UnsafePointer<UInt8>, chunk: Range<Int>, end: Int) -> ChunkOutcome {
        let columnCount = fieldCount - firstStoredField
        let columns = ChunkColumns(count: columnCount)
        let separator = tokenizer.separator
        columns.growRows(minimum: ChunkParser.estimatedRecords(base, chunk))
        var sawQuotedField = false
        var failure: ChunkFailure?
        var scratch: [UInt8] = []
        var position = chunk.lowerBound
        var released = chunk.lowerBound
        var rows = 0
        do {
            while position < chunk.upperBound {
                let first = base[position]
                if first == CSVTokenizer.newline {
                    position += 1
                    continue
                }
                if first == CSVTokenizer.carriageReturn && position + 1 < end
                    && base[position + 1] == CSVTokenizer.newline
                {
                    position += 2
                    continue
                }
                let recordStart = position
                if rows == columns.rowCapacity { columns.growRows() }
                var fieldIndex = 0
                while true {
                    let column = fieldIndex &- firstStoredField
                    let storing = column >= 0 && column < columnCount
                    // Fast path: an empty field or a plain integer (`2`, `-1`, `2.0`), decoded
                    // while scanning. It accepts only what `scanField` + `FieldValue.parse`
                    // read the same way; anything else takes the general path below.
                    var p = position
                    var negative = false
                    if p < end && base[p] == 0x2D {
                        negative = true
                        p += 1
                    }
                    let digitsStart = p
                    var value: Int64 = 0
                    while p < end {
                        let digit = base[p] &- 0x30
                        if digit > 9 { break }
                        value = value &* 10 &+ Int64(digit)
                        p += 1
                    }
                    let digits = p - digitsStart
                    var terminator = p < end ? base[p] : CSVTokenizer.newline
                    if terminator == 0x2E && digits > 0 {  // ".0", ".00": still an integer
                        p += 1
                        while p < end && base[p] == 0x30 { p += 1 }
                        terminator = p < end ? base[p] : CSVTokenizer.newline
                    }
                    if storing && (terminator == separator || terminator == CSVTokenizer.newline) {
                        if digits > 0 && digits <= 18 {
                            columns.storeInteger(negative ? -value : value, column: column, row: rows)
                            position = p + 1
                            fieldIndex += 1
                            if terminator == CSVTokenizer.newline { break }
                            continue
                        }
                        if p == position {
                            columns.storeSentinel(column: column, row: rows)
                            position = p + 1
                            fieldIndex += 1
                            if terminator == CSVTokenizer.newline { break }
                            continue
                        }
                    }
                    let scanned = try tokenizer.scanField(base, &position, end, recordStart: recordStart)
                    if storing {
                        let field = scanned.field
                        if field.isQuoted { sawQuotedField = true }
                        if field.start == field.end {
                            columns.storeSentinel(column: column, row: rows)
                        } else if field.hasEscapedQuotes {
                            scratch.removeAll(keepingCapacity: true)
                            CSVTokenizer.appendUnescaped(
                                UnsafeBufferPointer(start: base + field.start, count: field.end - field.start),
                                to: &scratch)
                            scratch.withUnsafeBufferPointer {
                                columns.storeToken($0.baseAddress!, $0.count, column: column, row: rows)
                            }
                        } else {
                            switch FieldValue.parse(base, field.start, field.end) {
                            case .integer(let value): columns.storeInteger(value, column: column, row: rows)
                            case .double(let value): columns.storeDouble(value, column: column, row: rows)
                            case .token:
                                columns.storeToken(
                                    base + field.start, field.end - field.start, column: column, row: rows)
                            case .missing: columns.storeSentinel(column: column, row: rows)
                            }
                        }
                    } else if scanned.field.isQuoted {
                        sawQuotedField = true
                    }
                    fieldIndex += 1
                    if scanned.endsRecord { break }
                }
                if fieldIndex != fieldCount {
                    failure = .fieldCount(recordStart: recordStart, found: fieldIndex)
                    break
                }
                rows += 1
                if let releaseParsed, position - released >= ChunkParser.releaseStep {
                    releaseParsed(released..<recordStart)
                    released = recordStart
                }
            }
        } catch {
            failure = .tokenizer(error)
            sawQuotedField = true
        }
        columns.rowCount = rows
        return ChunkOutcome(columns: columns, sawQuotedField: sawQuotedField, failure: failure)
    }
}
