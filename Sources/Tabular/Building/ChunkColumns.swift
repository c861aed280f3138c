import Foundation

/// The cold part of a column's chunk buffer: its allocation and its non-numeric tokens.
struct ColumnExtras {
    /// What malloc returned; the values start `padding` bytes into it.
    var allocation: UnsafeMutableRawPointer?
    var padding = 0
    var tokenRows = GrowableBuffer<Int32>()
    var tokenCodes = GrowableBuffer<UInt32>()
    var tokens = ByteInterner()

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
/// bigger value comes); empty fields and tokens store the width's sentinel; tokens are
/// also interned and listed by row, so the merge can choose "numeric with a few special
/// tokens" or "text".
///
/// Spreading one row over 366 columns touches 366 cache lines; the per-column state read
/// on every field (value pointers and widths, 9 bytes a column) is kept in two dense
/// arrays so that it adds few lines of its own and the whole working set stays in L1.
final class ChunkColumns: @unchecked Sendable {
    // Filled by one parser thread, then read by merge workers that each own whole columns.
    let values: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    let widths: UnsafeMutablePointer<NumericWidth>
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
        extras = .allocate(capacity: max(1, count))
        extras.initialize(repeating: ColumnExtras(), count: count)
        // Large blocks come back page-aligned, so row r of every column would share one L1
        // cache set and evict each other (8 ways for 366 columns). Staggering the starts by
        // cache lines spreads them over all 64 sets.
        for column in 0..<count { extras[column].padding = (column & 63) * 64 }
    }

    /// Makes room for at least `minimum` rows (default: twice the current capacity) in every
    /// column. The parser reserves its estimate once up front, so growth (a `realloc` of
    /// every column) is the exception.
    @inline(never)
    func growRows(minimum: Int = 0) {
        let newCapacity = max(rowCapacity * 2, 4096, minimum)
        for column in 0..<count {
            let padding = extras[column].padding
            guard let raw = realloc(extras[column].allocation, padding + newCapacity * widths[column].byteSize)
            else {
                preconditionFailure("out of memory growing a column to \(newCapacity) rows")
            }
            extras[column].allocation = raw
            values[column] = raw + padding
        }
        rowCapacity = newCapacity
    }

    /// Moves a block of parsed records in after the rows already here, column by column;
    /// `input` is what the block's token offsets point into.
    func append(_ block: RowBlock, input: UnsafePointer<UInt8>, firstStoredField: Int) {
        let firstRow = filledRows
        let rows = block.rowCount
        guard rows > 0 else { return }
        if firstRow + rows > rowCapacity { growRows(minimum: firstRow + rows) }
        filledRows = firstRow + rows
        for column in 0..<count {
            let cells = block.field(firstStoredField + column)
            if widths[column] != .int8 || !appendInt8(cells, rows: rows, column: column, at: firstRow) {
                for row in 0..<rows {
                    let value = cells[row]
                    if value == RowBlock.empty {
                        storeSentinel(column: column, row: firstRow + row)
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

    /// The common case: a whole block of small integers and gaps into an `Int8` column,
    /// branch-free. Returns false (having written junk the caller overwrites) if a value
    /// needs a wider column.
    @inline(__always)
    private func appendInt8(
        _ cells: UnsafePointer<Int32>, rows: Int, column: Int, at firstRow: Int
    ) -> Bool {
        let out = values[column].unsafelyUnwrapped.assumingMemoryBound(to: Int8.self) + firstRow
        var tooWide: UInt32 = 0
        for row in 0..<rows {
            let value = cells[row]
            // Int8.min is the sentinel: values must lie in -127...127.
            let outside: UInt32 = UInt32(bitPattern: value &+ 127) > 254 ? 1 : 0
            let isEmpty: UInt32 = value == RowBlock.empty ? 1 : 0
            tooWide |= outside & ~isEmpty
            out[row] = value == RowBlock.empty ? Int8.min : Int8(truncatingIfNeeded: value)
        }
        return tooWide == 0
    }

    @inline(__always)
    func storeInteger(_ value: Int64, column: Int, row: Int) {
        let raw = values[column].unsafelyUnwrapped
        let width = widths[column]
        // The common case as a plain, well-predicted branch before the jump table.
        if width == .int8 && value > -128 && value <= 127 {
            raw.storeBytes(of: Int8(truncatingIfNeeded: value), toByteOffset: row, as: Int8.self)
            return
        }
        switch width {
        case .int16 where value > -32768 && value <= 32767:
            raw.storeBytes(of: Int16(truncatingIfNeeded: value), toByteOffset: row &* 2, as: Int16.self)
        case .int32 where value > -2_147_483_648 && value <= 2_147_483_647:
            raw.storeBytes(of: Int32(truncatingIfNeeded: value), toByteOffset: row &* 4, as: Int32.self)
        case .int64 where value != Int64.min:
            raw.storeBytes(of: value, toByteOffset: row &* 8, as: Int64.self)
        case .double:
            raw.storeBytes(of: Double(value), toByteOffset: row &* 8, as: Double.self)
        default:
            widenAndStore(value, column: column, row: row)
        }
    }

    @inline(never)
    private func widenAndStore(_ value: Int64, column: Int, row: Int) {
        // Int64.min is the int64 sentinel: only a double holds it.
        widen(column, to: value == Int64.min ? .double : NumericWidth.narrowest(for: value), rows: row)
        storeInteger(value, column: column, row: row)
    }

    func storeDouble(_ value: Double, column: Int, row: Int) {
        if widths[column] != .double { widen(column, to: .double, rows: row) }
        values[column].unsafelyUnwrapped.storeBytes(of: value, toByteOffset: row * 8, as: Double.self)
    }

    /// Marks the cell as holding no number (an empty field or a token).
    @inline(__always)
    func storeSentinel(column: Int, row: Int) {
        let raw = values[column].unsafelyUnwrapped
        switch widths[column] {
        case .int8: raw.storeBytes(of: Int8.min, toByteOffset: row, as: Int8.self)
        case .int16: raw.storeBytes(of: Int16.min, toByteOffset: row * 2, as: Int16.self)
        case .int32: raw.storeBytes(of: Int32.min, toByteOffset: row * 4, as: Int32.self)
        case .int64: raw.storeBytes(of: Int64.min, toByteOffset: row * 8, as: Int64.self)
        case .double: raw.storeBytes(of: NumericWidth.doubleSentinelBits, toByteOffset: row * 8, as: UInt64.self)
        }
    }

    func storeToken(_ text: UnsafePointer<UInt8>, _ length: Int, column: Int, row: Int) {
        storeSentinel(column: column, row: row)
        let code = extras[column].tokens.intern(text, length)
        extras[column].tokenRows.append(Int32(row))
        extras[column].tokenCodes.append(UInt32(code))
    }

    /// Re-stores the first `rows` values of `column` in `newWidth`, sentinels included.
    private func widen(_ column: Int, to newWidth: NumericWidth, rows: Int) {
        guard newWidth > widths[column] else { return }
        let rows = max(rows, filledRows)
        let padding = extras[column].padding
        guard let allocation = malloc(padding + max(1, rowCapacity) * newWidth.byteSize) else {
            preconditionFailure("out of memory widening a column to \(rowCapacity) rows")
        }
        let raw = allocation + padding
        for row in 0..<rows {
            let value = number(column, row)
            switch (newWidth, value) {
            case (.double, nil): raw.storeBytes(of: NumericWidth.doubleSentinelBits, toByteOffset: row * 8, as: UInt64.self)
            case (.double, .some(let number)): raw.storeBytes(of: number.double, toByteOffset: row * 8, as: Double.self)
            case (.int16, _):
                raw.storeBytes(of: value.map { Int16(truncatingIfNeeded: $0.integer) } ?? Int16.min, toByteOffset: row * 2, as: Int16.self)
            case (.int32, _):
                raw.storeBytes(of: value.map { Int32(truncatingIfNeeded: $0.integer) } ?? Int32.min, toByteOffset: row * 4, as: Int32.self)
            default:
                raw.storeBytes(of: value?.integer ?? Int64.min, toByteOffset: row * 8, as: Int64.self)
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

    /// The number at `row`, nil for a sentinel.
    @inline(__always)
    func number(_ column: Int, _ row: Int) -> Number? {
        let raw = values[column].unsafelyUnwrapped
        switch widths[column] {
        case .int8:
            let v = raw.load(fromByteOffset: row, as: Int8.self)
            return v == Int8.min ? nil : Number(integer: Int64(v), double: Double(v))
        case .int16:
            let v = raw.load(fromByteOffset: row * 2, as: Int16.self)
            return v == Int16.min ? nil : Number(integer: Int64(v), double: Double(v))
        case .int32:
            let v = raw.load(fromByteOffset: row * 4, as: Int32.self)
            return v == Int32.min ? nil : Number(integer: Int64(v), double: Double(v))
        case .int64:
            let v = raw.load(fromByteOffset: row * 8, as: Int64.self)
            return v == Int64.min ? nil : Number(integer: v, double: Double(v))
        case .double:
            let bits = raw.load(fromByteOffset: row * 8, as: UInt64.self)
            if bits == NumericWidth.doubleSentinelBits { return nil }
            let v = Double(bitPattern: bits)
            return Number(integer: Int64(v), double: v)
        }
    }

    func tokenCount(_ column: Int) -> Int { extras[column].tokenRows.count }

    /// Cells holding a number (neither empty nor a token).
    func numericCount(_ column: Int) -> Int {
        guard rowCount > 0, let raw = values[column] else { return 0 }
        switch widths[column] {
        case .int8: return countNumbers(raw.assumingMemoryBound(to: Int8.self))
        case .int16: return countNumbers(raw.assumingMemoryBound(to: Int16.self))
        case .int32: return countNumbers(raw.assumingMemoryBound(to: Int32.self))
        case .int64: return countNumbers(raw.assumingMemoryBound(to: Int64.self))
        case .double: return countNumbers(raw.assumingMemoryBound(to: UInt64.self), sentinel: NumericWidth.doubleSentinelBits)
        }
    }

    private func countNumbers<T: FixedWidthInteger>(_ cells: UnsafePointer<T>, sentinel: T = T.min) -> Int {
        var total = 0
        for row in 0..<rowCount where cells[row] != sentinel { total += 1 }
        return total
    }

    /// Frees one column once the merge has copied it out.
    func release(column: Int) {
        values[column] = nil
        extras[column].deallocate()
    }

    deinit {
        for column in 0..<count { release(column: column) }
        values.deinitialize(count: count)
        values.deallocate()
        widths.deinitialize(count: count)
        widths.deallocate()
        extras.deinitialize(count: count)
        extras.deallocate()
    }
}
