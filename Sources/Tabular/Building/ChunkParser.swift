/// The column accumulators of one chunk, freed column by column as the merge consumes them.
final class ChunkColumns: @unchecked Sendable {
    // Each accumulator is touched by one thread at a time: its chunk's parser, then the
    // merge worker that owns its column.
    let accumulators: UnsafeMutablePointer<ColumnAccumulator>
    let count: Int
    var rowCount = 0

    init(count: Int) {
        self.count = count
        accumulators = .allocate(capacity: count)
        accumulators.initialize(repeating: ColumnAccumulator(), count: count)
    }

    func release(column: Int) { accumulators[column].deallocate() }

    deinit {
        for column in 0..<count { accumulators[column].deallocate() }
        accumulators.deinitialize(count: count)
        accumulators.deallocate()
    }
}

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

    func parse(_ base: UnsafePointer<UInt8>, chunk: Range<Int>, end: Int) -> ChunkOutcome {
        let columnCount = fieldCount - firstStoredField
        let columns = ChunkColumns(count: columnCount)
        let accumulators = columns.accumulators
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
                var fieldIndex = 0
                while true {
                    let scanned = try tokenizer.scanField(base, &position, end, recordStart: recordStart)
                    let column = fieldIndex &- firstStoredField
                    if column >= 0 && column < columnCount {
                        let field = scanned.field
                        if field.isQuoted { sawQuotedField = true }
                        if field.start == field.end {
                            accumulators[column].appendMissing()
                        } else if field.hasEscapedQuotes {
                            scratch.removeAll(keepingCapacity: true)
                            CSVTokenizer.appendUnescaped(
                                UnsafeBufferPointer(start: base + field.start, count: field.end - field.start),
                                to: &scratch)
                            scratch.withUnsafeBufferPointer {
                                accumulators[column].appendToken($0.baseAddress!, $0.count)
                            }
                        } else {
                            switch FieldValue.parse(base, field.start, field.end) {
                            case .integer(let value): accumulators[column].appendInteger(value)
                            case .double(let value): accumulators[column].appendDouble(value)
                            case .token: accumulators[column].appendToken(base + field.start, field.end - field.start)
                            case .missing: accumulators[column].appendMissing()
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
