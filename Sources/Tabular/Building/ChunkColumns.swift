import Foundation

/// The cold part of a column's chunk buffer: its allocations and its non-numeric tokens.
/// Non-copyable: it owns them, and frees them once (``deallocate()`` or `deinit`).
struct ColumnExtras: ~Copyable {
    /// What malloc returned; the values start `padding` bytes into it.
    var allocation: UnsafeMutableRawPointer?
    var padding = 0
    var tokenRows = GrowableBuffer<Int32>()
    var tokenCodes = GrowableBuffer<UInt32>()
    var tokens = ByteInterner()

    deinit { free(allocation) }

    mutating func deallocate() {
        free(allocation)
        allocation = nil
        tokenRows.deallocate()
        tokenCodes.deallocate()
        tokens.deallocate()
    }
}

/// One chunk's rows, column by column, growing as rows arrive. All columns share the row
/// index and capacity. Numbers go into the narrowest width seen so far (widened when a
/// bigger value comes); cells without a number (empty fields, tokens) hold 0 and have their
/// bit set in the column's gap bitmap; tokens are also interned and listed by row, so the
/// merge can choose "numeric with a few special tokens" or "text".
///
/// Gaps are a bitmap rather than an in-band sentinel so that the merge is a plain copy of
/// the values plus a shift of the bitmap words, with no per-cell test.
final class ChunkColumns: @unchecked Sendable {
    // Filled by one parser thread, then read by merge workers that each own whole columns.
    let values: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    let widths: UnsafeMutablePointer<NumericWidth>
    /// Per column, bit `row & 63` of word `row >> 6` set where the cell has no number.
    let gaps: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>?>
    let extras: UnsafeMutablePointer<ColumnExtras>
    let count: Int
    private(set) var rowCapacity = 0
    var rowCount = 0
    /// Rows written in every column so far (a block's rows count once it is being moved
    /// in): what widening a column must carry over.
    private var filledRows = 0

    init(count: Int) {
        self.count = count
        values = .allocate(capacity: max(1, count))
        values.initialize(repeating: nil, count: count)
        widths = .allocate(capacity: max(1, count))
        widths.initialize(repeating: .int8, count: count)
        gaps = .allocate(capacity: max(1, count))
        gaps.initialize(repeating: nil, count: count)
        extras = .allocate(capacity: max(1, count))
        for column in 0..<count { (extras + column).initialize(to: ColumnExtras()) }
        // Large blocks come back page-aligned, so row r of every column would share one L1
        // cache set and evict each other (8 ways for 366 columns). Staggering the starts by
        // cache lines spreads them over all 64 sets.
        for column in 0..<count { extras[column].padding = (column & 63) * 64 }
    }

    static func gapWords(rows: Int) -> Int { (rows + 63) >> 6 }

    /// Makes room for at least `minimum` rows (default: twice the current capacity) in every
    /// column. The parser reserves its estimate once up front, so growth (a `realloc` of
    /// every column) is the exception.
    @inline(never)
    func growRows(minimum: Int = 0) {
        let newCapacity = max(rowCapacity * 2, 4096, minimum)
        let oldWords = ChunkColumns.gapWords(rows: rowCapacity)
        let newWords = ChunkColumns.gapWords(rows: newCapacity)
        for column in 0..<count {
            let padding = extras[column].padding
            guard let raw = realloc(extras[column].allocation, padding + newCapacity * widths[column].byteSize),
                let words = realloc(gaps[column], newWords * 8)?.assumingMemoryBound(to: UInt64.self)
            else {
                preconditionFailure("out of memory growing a column to \(newCapacity) rows")
            }
            (words + oldWords).initialize(repeating: 0, count: newWords - oldWords)
            extras[column].allocation = raw
            values[column] = raw + padding
            gaps[column] = words
        }
        rowCapacity = newCapacity
    }

    /// Moves a block of parsed records in after the rows already here, column by column;
    /// `input` is what the block's token offsets point into.
    func append(_ block: borrowing RowBlock, input: UnsafePointer<UInt8>, firstStoredField: Int) {
        let firstRow = filledRows
        let rows = block.rowCount
        guard rows > 0 else { return }
        if firstRow + rows > rowCapacity { growRows(minimum: firstRow + rows) }
        filledRows = firstRow + rows
        for column in 0..<count {
            let cells = block.field(firstStoredField + column)
            if widths[column] != .int8
                || !appendInt8(cells, rows: rows, gapBits: block.gaps[firstStoredField + column], column: column, at: firstRow)
            {
                for row in 0..<rows {
                    let value = cells[row]
                    if value == RowBlock.empty {
                        storeGap(column: column, row: firstRow + row)
                    } else {
                        storeInteger(Int64(value), column: column, row: firstRow + row)
                    }
                }
            }
        }
        for k in 0..<block.escapes.count {
            let escape = block.escapes[k]
            let column = Int(escape.field) - firstStoredField
            guard column >= 0 else { continue }
            let row = firstRow + Int(escape.row)
            switch escape.value {
            case .integer(let value): storeInteger(value, column: column, row: row)
            case .double(let value): storeDouble(value, column: column, row: row)
            case .inputToken(let start, let length):
                storeToken(input + start, length, column: column, row: row)
            case .copiedToken(let start, let length):
                storeToken(block.copiedBytes.base.unsafelyUnwrapped + start, length, column: column, row: row)
            }
        }
    }

    /// The common case: a whole block (at most 64 rows) of small integers and gaps into an
    /// `Int8` column, branch-free; `gapBits` are the block's gaps of this field (bit i =
    /// row i), which the parser noted. Returns false, having written values the caller
    /// overwrites but no gap bits, if a value needs a wider column.
    @inline(__always)
    private func appendInt8(
        _ cells: UnsafePointer<Int32>, rows: Int, gapBits: UInt64, column: Int, at firstRow: Int
    ) -> Bool {
        let out = values[column].unsafelyUnwrapped.assumingMemoryBound(to: Int8.self) + firstRow
        var tooWide: UInt32 = 0
        for row in 0..<rows {
            let value = cells[row]
            // -127...127 (see `NumericWidth.narrowest`) or a gap.
            let outside: UInt32 = UInt32(bitPattern: value &+ 127) > 254 && value != RowBlock.empty ? 1 : 0
            tooWide |= outside
            // A gap's `Int32.min` truncates to the 0 gaps hold.
            out[row] = Int8(truncatingIfNeeded: value)
        }
        guard tooWide == 0 else { return false }
        if gapBits != 0 { orGapBits(gapBits, column: column, at: firstRow) }
        return true
    }

    /// Sets `bits` (bit i = row `firstRow + i`) in the column's gap bitmap.
    @inline(__always)
    private func orGapBits(_ bits: UInt64, column: Int, at firstRow: Int) {
        let words = gaps[column].unsafelyUnwrapped
        let shift = UInt64(firstRow & 63)
        words[firstRow >> 6] |= bits &<< shift
        if shift != 0 {
            let carried = bits &>> (64 &- shift)
            if carried != 0 { words[(firstRow >> 6) + 1] |= carried }
        }
    }

    @inline(__always)
    private func setGap(_ isGap: Bool, column: Int, row: Int) {
        let words = gaps[column].unsafelyUnwrapped
        let bit: UInt64 = 1 &<< UInt64(row & 63)
        if isGap { words[row >> 6] |= bit } else { words[row >> 6] &= ~bit }
    }

    @inline(__always)
    func isGap(_ column: Int, _ row: Int) -> Bool {
        (gaps[column].unsafelyUnwrapped[row >> 6] &>> UInt64(row & 63)) & 1 == 1
    }

    func storeInteger(_ value: Int64, column: Int, row: Int) {
        let raw = values[column].unsafelyUnwrapped
        setGap(false, column: column, row: row)
        switch widths[column] {
        case .int8 where value > -128 && value <= 127:
            raw.storeBytes(of: Int8(truncatingIfNeeded: value), toByteOffset: row, as: Int8.self)
        case .int16 where value > -32768 && value <= 32767:
            raw.storeBytes(of: Int16(truncatingIfNeeded: value), toByteOffset: row &* 2, as: Int16.self)
        case .int32 where value > -2_147_483_648 && value <= 2_147_483_647:
            raw.storeBytes(of: Int32(truncatingIfNeeded: value), toByteOffset: row &* 4, as: Int32.self)
        case .int64 where value != Int64.min:
            raw.storeBytes(of: value, toByteOffset: row &* 8, as: Int64.self)
        case .double:
            raw.storeBytes(of: Double(value), toByteOffset: row &* 8, as: Double.self)
        default:
            // Int64.min is kept out of int64 columns (see `NumericWidth.narrowest`).
            widen(column, to: value == Int64.min ? .double : NumericWidth.narrowest(for: value))
            storeInteger(value, column: column, row: row)
        }
    }

    func storeDouble(_ value: Double, column: Int, row: Int) {
        if widths[column] != .double { widen(column, to: .double) }
        setGap(false, column: column, row: row)
        values[column].unsafelyUnwrapped.storeBytes(of: value, toByteOffset: row * 8, as: Double.self)
    }

    /// Marks the cell as holding no number (an empty field or a token).
    func storeGap(column: Int, row: Int) {
        let raw = values[column].unsafelyUnwrapped
        setGap(true, column: column, row: row)
        switch widths[column] {
        case .int8: raw.storeBytes(of: 0, toByteOffset: row, as: Int8.self)
        case .int16: raw.storeBytes(of: 0, toByteOffset: row &* 2, as: Int16.self)
        case .int32: raw.storeBytes(of: 0, toByteOffset: row &* 4, as: Int32.self)
        case .int64, .double: raw.storeBytes(of: 0, toByteOffset: row &* 8, as: Int64.self)
        }
    }

    func storeToken(_ text: UnsafePointer<UInt8>, _ length: Int, column: Int, row: Int) {
        storeGap(column: column, row: row)
        let code = extras[column].tokens.intern(text, length)
        extras[column].tokenRows.append(Int32(row))
        extras[column].tokenCodes.append(UInt32(code))
    }

    /// Re-stores the rows written so far in `newWidth` (gaps stay 0).
    private func widen(_ column: Int, to newWidth: NumericWidth) {
        guard newWidth > widths[column] else { return }
        let padding = extras[column].padding
        guard let allocation = malloc(padding + max(1, rowCapacity) * newWidth.byteSize) else {
            preconditionFailure("out of memory widening a column to \(rowCapacity) rows")
        }
        let raw = allocation + padding
        for row in 0..<filledRows {
            let value = number(column, row, ignoringGaps: true)
            switch newWidth {
            case .double: raw.storeBytes(of: value.double, toByteOffset: row * 8, as: Double.self)
            case .int16:
                raw.storeBytes(of: Int16(truncatingIfNeeded: value.integer), toByteOffset: row * 2, as: Int16.self)
            case .int32:
                raw.storeBytes(of: Int32(truncatingIfNeeded: value.integer), toByteOffset: row * 4, as: Int32.self)
            case .int64, .int8:
                raw.storeBytes(of: value.integer, toByteOffset: row * 8, as: Int64.self)
            }
        }
        free(extras[column].allocation)
        extras[column].allocation = allocation
        values[column] = raw
        widths[column] = newWidth
    }

    // MARK: reading back (merge)

    /// A stored number in both forms (the integer form is exact for integer widths).
    struct Number {
        var integer: Int64
        var double: Double
    }

    /// The number at `row`, nil for a gap.
    @inline(__always)
    func number(_ column: Int, _ row: Int) -> Number? {
        isGap(column, row) ? nil : number(column, row, ignoringGaps: true)
    }

    @inline(__always)
    private func number(_ column: Int, _ row: Int, ignoringGaps: Bool) -> Number {
        let raw = values[column].unsafelyUnwrapped
        switch widths[column] {
        case .int8:
            let v = raw.load(fromByteOffset: row, as: Int8.self)
            return Number(integer: Int64(v), double: Double(v))
        case .int16:
            let v = raw.load(fromByteOffset: row * 2, as: Int16.self)
            return Number(integer: Int64(v), double: Double(v))
        case .int32:
            let v = raw.load(fromByteOffset: row * 4, as: Int32.self)
            return Number(integer: Int64(v), double: Double(v))
        case .int64:
            let v = raw.load(fromByteOffset: row * 8, as: Int64.self)
            return Number(integer: v, double: Double(v))
        case .double:
            let v = raw.load(fromByteOffset: row * 8, as: Double.self)
            return Number(integer: v.isFinite && abs(v) < 9.0e18 ? Int64(v) : 0, double: v)
        }
    }

    func tokenCount(_ column: Int) -> Int { extras[column].tokenRows.count }

    /// Cells holding a number (neither empty nor a token).
    func numericCount(_ column: Int) -> Int {
        guard rowCount > 0, let words = gaps[column] else { return 0 }
        var gapCount = 0
        for w in 0..<ChunkColumns.gapWords(rows: rowCount) { gapCount += words[w].nonzeroBitCount }
        return rowCount - gapCount
    }

    /// Frees one column once the merge has copied it out.
    func release(column: Int) {
        values[column] = nil
        free(gaps[column])
        gaps[column] = nil
        extras[column].deallocate()
    }

    deinit {
        for column in 0..<count { release(column: column) }
        values.deinitialize(count: count)
        values.deallocate()
        widths.deinitialize(count: count)
        widths.deallocate()
        gaps.deinitialize(count: count)
        gaps.deallocate()
        extras.deinitialize(count: count)
        extras.deallocate()
    }
}
