import Foundation

/// Integer widths a numeric column can take, narrowest first; `double` holds everything.
enum NumericWidth: Int, Comparable, Sendable {
    case int8, int16, int32, int64, double

    static func < (a: NumericWidth, b: NumericWidth) -> Bool { a.rawValue < b.rawValue }

    var byteSize: Int {
        switch self {
        case .int8: 1
        case .int16: 2
        case .int32: 4
        case .int64, .double: 8
        }
    }

    static func narrowest(for value: Int64) -> NumericWidth {
        if value >= -128 && value <= 127 { return .int8 }
        if value >= -32768 && value <= 32767 { return .int16 }
        if value >= -2_147_483_648 && value <= 2_147_483_647 { return .int32 }
        return .int64
    }
}

/// One column's values for one chunk of rows, growing as rows arrive. Numbers go into the
/// narrowest width seen so far (widened in place when a bigger value comes); non-numeric
/// tokens are interned and listed by row, with a placeholder 0 in the numbers, so the merge
/// can later decide "numeric with a few special tokens" or "text".
struct ColumnAccumulator {
    private(set) var width = NumericWidth.int8
    private(set) var values: UnsafeMutableRawPointer?
    private(set) var capacity = 0
    private(set) var count = 0
    /// Empty fields, one bit per row.
    private(set) var missing = GrowableBuffer<UInt64>()
    private(set) var emptyCount = 0
    private(set) var numericCount = 0
    private(set) var tokenRows = GrowableBuffer<Int32>()
    private(set) var tokenCodes = GrowableBuffer<UInt32>()
    private(set) var tokens = ByteInterner()

    @inline(__always)
    mutating func appendMissing() {
        if count == capacity { grow() }
        storePlaceholder()
        missing[count >> 6] |= 1 << UInt64(count & 63)
        emptyCount += 1
        count += 1
    }

    @inline(__always)
    mutating func appendInteger(_ value: Int64) {
        if count == capacity { grow() }
        let raw = values.unsafelyUnwrapped
        switch width {
        case .int8 where value >= -128 && value <= 127:
            raw.storeBytes(of: Int8(truncatingIfNeeded: value), toByteOffset: count, as: Int8.self)
        case .int16 where value >= -32768 && value <= 32767:
            raw.storeBytes(of: Int16(truncatingIfNeeded: value), toByteOffset: count * 2, as: Int16.self)
        case .int32 where value >= -2_147_483_648 && value <= 2_147_483_647:
            raw.storeBytes(of: Int32(truncatingIfNeeded: value), toByteOffset: count * 4, as: Int32.self)
        case .int64:
            raw.storeBytes(of: value, toByteOffset: count * 8, as: Int64.self)
        case .double:
            raw.storeBytes(of: Double(value), toByteOffset: count * 8, as: Double.self)
        default:
            widen(to: NumericWidth.narrowest(for: value))
            appendInteger(value)
            return
        }
        numericCount += 1
        count += 1
    }

    mutating func appendDouble(_ value: Double) {
        if width != .double { widen(to: .double) }
        if count == capacity { grow() }
        values.unsafelyUnwrapped.storeBytes(of: value, toByteOffset: count * 8, as: Double.self)
        numericCount += 1
        count += 1
    }

    mutating func appendToken(_ text: UnsafePointer<UInt8>, _ length: Int) {
        let code = tokens.intern(text, length)
        tokenRows.append(Int32(count))
        tokenCodes.append(UInt32(code))
        if count == capacity { grow() }
        storePlaceholder()
        count += 1
    }

    /// A 0 in the current width, so every row stays addressable by index.
    @inline(__always)
    private func storePlaceholder() {
        let raw = values.unsafelyUnwrapped
        switch width {
        case .int8: raw.storeBytes(of: 0, toByteOffset: count, as: Int8.self)
        case .int16: raw.storeBytes(of: 0, toByteOffset: count * 2, as: Int16.self)
        case .int32: raw.storeBytes(of: 0, toByteOffset: count * 4, as: Int32.self)
        case .int64, .double: raw.storeBytes(of: 0, toByteOffset: count * 8, as: Int64.self)
        }
    }

    /// The number at `row` of this chunk as Int64 (integer widths only).
    func integer(at row: Int) -> Int64 {
        let raw = values.unsafelyUnwrapped
        switch width {
        case .int8: return Int64(raw.load(fromByteOffset: row, as: Int8.self))
        case .int16: return Int64(raw.load(fromByteOffset: row * 2, as: Int16.self))
        case .int32: return Int64(raw.load(fromByteOffset: row * 4, as: Int32.self))
        case .int64: return raw.load(fromByteOffset: row * 8, as: Int64.self)
        case .double: return Int64(raw.load(fromByteOffset: row * 8, as: Double.self))
        }
    }

    func double(at row: Int) -> Double {
        if width == .double { return values.unsafelyUnwrapped.load(fromByteOffset: row * 8, as: Double.self) }
        return Double(integer(at: row))
    }

    func isEmptyField(_ row: Int) -> Bool { (missing[row >> 6] >> UInt64(row & 63)) & 1 == 1 }

    var missingWordCount: Int { (count + 63) >> 6 }

    @inline(never)
    private mutating func grow() {
        let newCapacity = max(capacity * 2, 4096)
        guard let raw = realloc(values, newCapacity * width.byteSize) else {
            preconditionFailure("out of memory growing a column to \(newCapacity) rows")
        }
        values = raw
        capacity = newCapacity
        let words = (newCapacity + 63) >> 6
        while missing.count < words { missing.append(0) }
    }

    @inline(never)
    private mutating func widen(to newWidth: NumericWidth) {
        guard newWidth > width else { return }
        let newCapacity = max(capacity, 4096)
        guard let raw = malloc(newCapacity * newWidth.byteSize) else {
            preconditionFailure("out of memory widening a column to \(newCapacity) rows")
        }
        for row in 0..<count {
            if newWidth == .double {
                raw.storeBytes(of: double(at: row), toByteOffset: row * 8, as: Double.self)
            } else {
                let value = integer(at: row)
                switch newWidth {
                case .int16: raw.storeBytes(of: Int16(truncatingIfNeeded: value), toByteOffset: row * 2, as: Int16.self)
                case .int32: raw.storeBytes(of: Int32(truncatingIfNeeded: value), toByteOffset: row * 4, as: Int32.self)
                default: raw.storeBytes(of: value, toByteOffset: row * 8, as: Int64.self)
                }
            }
        }
        free(values)
        values = raw
        let words = (newCapacity + 63) >> 6
        while missing.count < words { missing.append(0) }
        capacity = newCapacity
        width = newWidth
    }

    mutating func deallocate() {
        free(values)
        values = nil
        capacity = 0
        count = 0
        missing.deallocate()
        tokenRows.deallocate()
        tokenCodes.deallocate()
        tokens.deallocate()
    }
}
