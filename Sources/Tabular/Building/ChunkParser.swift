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

/// Parses the records of one chunk into a ``RowBlock`` at a time, then into column buffers.
struct ChunkParser {
    let tokenizer: CSVTokenizer
    /// Fields per record (including a dropped index column).
    let fieldCount: Int
    /// 1 when the leading index column is dropped, else 0.
    let firstStoredField: Int
    /// Called with byte ranges already parsed, so a mapped file's pages can leave memory.
    let releaseParsed: (@Sendable (Range<Int>) -> Void)?

    static let releaseStep = 8 << 20
    /// Records per block: 32 Arvato records of cells (47 KB) stay in L1/L2 while being moved.
    static let blockRows = 32
    /// log2(blockRows): a cell's field is its distance from the row's first cell shifted.
    static let blockRowsShift = 5

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

    /// Offset just past the last newline in `chunk` (its start if there is none). Scanning
    /// from any offset below it meets a newline, so the fast field loop needs no bounds checks.
    static func checkFreeEnd(_ base: UnsafePointer<UInt8>, _ chunk: Range<Int>) -> Int {
        // Chunks end just after a newline, except the file's last one may not: a short walk back.
        var i = chunk.upperBound
        while i > chunk.lowerBound && base[i - 1] != CSVTokenizer.newline { i -= 1 }
        return i
    }

    /// Parses the records of `chunk` into columns; stops at the first record with a wrong
    /// field count or a quote error (`failure`), keeping the rows before it.
    func parse(_ base: UnsafePointer<UInt8>, chunk: Range<Int>, end: Int) -> ChunkOutcome {
        let columns = ChunkColumns(count: fieldCount - firstStoredField)
        columns.growRows(minimum: ChunkParser.estimatedRecords(base, chunk))
        var block = RowBlock(fieldCount: fieldCount, capacity: ChunkParser.blockRows)
        let checkFreeEnd = ChunkParser.checkFreeEnd(base, chunk)
        var sawQuotedField = false
        var failure: ChunkFailure?
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
                let field = try parseRecord(
                    base, &position, end: end, checkFreeEnd: checkFreeEnd, into: &block, sawQuotedField: &sawQuotedField)
                if field != fieldCount {
                    failure = .fieldCount(recordStart: recordStart, found: field)
                    break
                }
                block.commitRow()
                if block.isFull {
                    columns.append(block, input: base, firstStoredField: firstStoredField)
                    rows += block.rowCount
                    block.removeAll()
                    if let releaseParsed, position - released >= ChunkParser.releaseStep {
                        releaseParsed(released..<position)
                        released = position
                    }
                }
            }
        } catch {
            failure = .tokenizer(error)
            sawQuotedField = true
        }
        if failure == nil {
            columns.append(block, input: base, firstStoredField: firstStoredField)
            rows += block.rowCount
        }
        columns.rowCount = rows
        return ChunkOutcome(columns: columns, sawQuotedField: sawQuotedField, failure: failure)
    }

    /// Reads the record at `position` into the block's current row and moves `position` past
    /// its line end; returns the fields found (surplus ones counted, not stored). Plain
    /// integers and empty fields take ``fastFields``, anything else ``slowField``.
    @inline(__always)
    private func parseRecord(
        _ base: UnsafePointer<UInt8>, _ position: inout Int, end: Int, checkFreeEnd: Int, into block: inout RowBlock,
        sawQuotedField: inout Bool
    ) throws(CSVTokenizerError) -> Int {
        let recordStart = position
        let blockRows = ChunkParser.blockRows
        precondition(block.capacity == blockRows)
        let row = block.currentRow
        let rowEnd = row + fieldCount &* blockRows
        var cell = row
        var p = position
        while true {
            if p < checkFreeEnd
                && ChunkParser.fastFields(
                    base, &p, cell: &cell, row: row, rowEnd: rowEnd, gaps: block.gaps, gapBit: block.currentGapBit,
                    separator: tokenizer.separator, lastWordStart: end &- 4)
            {
                break
            }
            let endsRecord = try slowField(
                base, &p, end: end, recordStart: recordStart, field: (cell - row) / blockRows,
                into: &block, sawQuotedField: &sawQuotedField)
            cell += blockRows
            if endsRecord { break }
        }
        position = p
        return (cell - row) / blockRows
    }

    /// The fast path: empty fields and plain integers (`2`, `-1`, `2.0`) of at most 9 digits,
    /// decoded while scanning, stored at `cell` (one field a `blockRows` stride) until
    /// `rowEnd`. It accepts only what `scanField` + `FieldValue.parse` read the same way and
    /// stops at the first other field, leaving `p` at its start for ``slowField``. Returns true
    /// when it reached the record's end. Below `checkFreeEnd` a newline lies ahead, so the scan
    /// needs no bounds checks: it never passes one; 4-byte loads need `p <= lastWordStart`.
    @inline(__always)
    private static func fastFields(
        _ base: UnsafePointer<UInt8>, _ p: inout Int, cell: inout UnsafeMutablePointer<Int32>,
        row: UnsafeMutablePointer<Int32>, rowEnd: UnsafeMutablePointer<Int32>, gaps: UnsafeMutablePointer<UInt64>,
        gapBit: UInt64, separator: UInt8, lastWordStart: Int
    ) -> Bool {
        let blockRows = ChunkParser.blockRows
        while cell < rowEnd {
            let first = base[p]
            if first == separator {
                cell.pointee = RowBlock.empty
                gaps[(cell - row) &>> ChunkParser.blockRowsShift] |= gapBit
                cell += blockRows
                p &+= 1
                continue
            }
            // The commonest spellings by far (80 % of Arvato fields), one digit with or without
            // ".0" before the terminator, from one 4-byte load: the next field's start then
            // depends on a (mostly predicted) test, not on a walk over the bytes.
            if p <= lastWordStart {
                let word = UInt32(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt32.self))
                let digit = UInt8(truncatingIfNeeded: word) &- 0x30
                if digit <= 9 {
                    let hasPointZero = word & 0x00FF_FF00 == 0x0030_2E00
                    let terminator = UInt8(truncatingIfNeeded: word &>> (hasPointZero ? 24 : 8))
                    if terminator == separator || terminator == CSVTokenizer.newline {
                        cell.pointee = Int32(digit)
                        cell += blockRows
                        p &+= hasPointZero ? 4 : 2
                        if terminator == separator { continue }
                        return true
                    }
                }
            }
            // The next field's start depends on this one's bytes: keep the
            // common case (a digit first) free of extra loads on that path.
            var digit = first &- 0x30
            var q = p
            var negative: Int32 = 0
            if digit > 9 {
                if first == CSVTokenizer.newline {
                    cell.pointee = RowBlock.empty
                    gaps[(cell - row) &>> ChunkParser.blockRowsShift] |= gapBit
                    cell += blockRows
                    p &+= 1
                    return true
                }
                guard first == 0x2D else { return false }
                q &+= 1
                digit = base[q] &- 0x30
                guard digit <= 9 else { return false }
                negative = 1
            }
            let digitsStart = q
            var value = Int32(digit)
            q &+= 1
            digit = base[q] &- 0x30
            while digit <= 9 {
                value = value &* 10 &+ Int32(digit)
                q &+= 1
                digit = base[q] &- 0x30
            }
            if q &- digitsStart > 9 { return false }
            var terminator = digit &+ 0x30
            if terminator == 0x2E {  // ".0", ".00": still an integer
                q &+= 1
                while base[q] == 0x30 { q &+= 1 }
                terminator = base[q]
            }
            // x ^ -1 + 1 == -x.
            let signed = (value ^ (0 &- negative)) &+ negative
            if terminator == separator {
                cell.pointee = signed
                cell += blockRows
                p = q &+ 1
                continue
            }
            if terminator == CSVTokenizer.newline {
                cell.pointee = signed
                cell += blockRows
                p = q &+ 1
                return true
            }
            if terminator == CSVTokenizer.carriageReturn && base[q &+ 1] == CSVTokenizer.newline {
                cell.pointee = signed
                cell += blockRows
                p = q &+ 2
                return true
            }
            return false
        }
        return false
    }

    /// Reads any field with the tokenizer (quotes, `\r\n`, the last line without newline)
    /// and stores it in the block's current row, as a cell or an escape.
    @inline(never)
    private func slowField(
        _ base: UnsafePointer<UInt8>, _ position: inout Int, end: Int, recordStart: Int, field: Int,
        into block: inout RowBlock, sawQuotedField: inout Bool
    ) throws(CSVTokenizerError) -> Bool {
        let scanned = try tokenizer.scanField(base, &position, end, recordStart: recordStart)
        let text = scanned.field
        if text.isQuoted { sawQuotedField = true }
        // Surplus fields are only counted, for the error message.
        guard field < fieldCount else { return scanned.endsRecord }
        let cell = block.currentRow + field &* block.capacity
        cell.pointee = RowBlock.empty
        if field >= firstStoredField, text.start != text.end {
            store(text, from: base, cell: cell, field: field, into: &block)
        }
        // Escaped fields are gaps until their escape is applied. (Not a `defer` touching
        // `block`: that broke the compiler's IR verifier in ThreadSanitizer builds.)
        if cell.pointee == RowBlock.empty {
            let gaps = block.gaps, bit = block.currentGapBit
            gaps[field] |= bit
        }
        return scanned.endsRecord
    }

    /// A non-empty stored field's value: in its cell when it fits, else as an escape.
    private func store(
        _ text: CSVField, from base: UnsafePointer<UInt8>, cell: UnsafeMutablePointer<Int32>, field: Int,
        into block: inout RowBlock
    ) {
        if text.hasEscapedQuotes {
            var collapsed: [UInt8] = []
            CSVTokenizer.appendUnescaped(
                UnsafeBufferPointer(start: base + text.start, count: text.end - text.start), to: &collapsed)
            collapsed.withUnsafeBufferPointer { block.escapeCopy(field: field, $0) }
            return
        }
        switch FieldValue.parse(base, text.start, text.end) {
        case .integer(let value):
            if value > Int64(Int32.min) && value <= Int64(Int32.max) {
                cell.pointee = Int32(truncatingIfNeeded: value)
            } else {
                block.escape(field: field, .integer(value))
            }
        case .double(let value): block.escape(field: field, .double(value))
        case .token: block.escape(field: field, .inputToken(start: text.start, length: text.end - text.start))
        case .missing: break
        }
    }
}
