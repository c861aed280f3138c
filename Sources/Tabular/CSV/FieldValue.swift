import Foundation

/// What one field's bytes say, before a column decides how to store it.
public enum FieldValue: Sendable, Equatable {
    /// An empty field.
    case missing
    /// A whole number, however written: `2`, `-1`, `2.0`, `2.`, `1e3`.
    case integer(Int64)
    /// A number with a fractional part: `0.5`, `1.5e-3`.
    case double(Double)
    /// Anything else: `X`, `XX`, `1A`, `D19_UNBEKANNT`, `1992-02-10 00:00:00`.
    case token

    /// Reads `base[start..<end]` (non-empty). Plain integers and `N.0` are decoded inline;
    /// fractions and exponents go through `strtod` for correct rounding.
    @inline(__always)
    static func parse(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> FieldValue {
        var i = start
        var negative = false
        let first = base[i]
        if first == 0x2D {  // -
            negative = true
            i += 1
        } else if first == 0x2B {  // +
            i += 1
        }
        let (value, integerDigits) = scanDigits(base, &i, end)
        if i == end {
            if integerDigits == 0 { return .token }
            if integerDigits > 18 { return parseSlow(base, start, end) }
            return .integer(negative ? -value : value)
        }
        if base[i] == 0x2E {  // .
            i += 1
            var fractionDigits = 0
            var allZero = true
            while i < end {
                let digit = base[i] &- 0x30
                if digit > 9 { break }
                if digit != 0 { allZero = false }
                fractionDigits += 1
                i += 1
            }
            if integerDigits + fractionDigits == 0 { return .token }
            if i == end && allZero && integerDigits <= 18 {
                return .integer(negative ? -value : value)
            }
        }
        return parseSlow(base, start, end)
    }

    /// Reads the decimal digits from `base[i]` on (stopping at `end` or the first other byte)
    /// and moves `i` past them: their value and how many there were. Past 18 digits the value
    /// wraps, so callers check the count. Shared by every byte-level number reader (this
    /// parser, and the scorer's one-pass line reader in ModelFormat).
    @inlinable @inline(__always)
    public static func scanDigits(_ base: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int) -> (value: Int64, digits: Int) {
        let start = i
        var value: Int64 = 0
        while i < end {
            let digit = base[i] &- 0x30
            if digit > 9 { break }
            value = value &* 10 &+ Int64(digit)
            i += 1
        }
        return (value, i - start)
    }

    /// Fractions, exponents and very long numbers. Only strings made of a sign, digits, one
    /// dot and one exponent reach `strtod`, so `nan` or `inf` stay tokens.
    @inline(never)
    static func parseSlow(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> FieldValue {
        let length = end - start
        guard length < 64, isNumberShaped(base, start, end) else { return .token }
        var scratch = [CChar](repeating: 0, count: length + 1)
        for k in 0..<length { scratch[k] = CChar(bitPattern: base[start + k]) }
        var parsed = 0.0
        var consumed = 0
        scratch.withUnsafeBufferPointer { text in
            var stop: UnsafeMutablePointer<CChar>?
            parsed = strtod(text.baseAddress!, &stop)
            consumed = stop.map { text.baseAddress!.distance(to: UnsafePointer($0)) } ?? 0
        }
        guard consumed == length, parsed.isFinite else { return .token }
        if parsed == parsed.rounded(), abs(parsed) < 9.0e18 { return .integer(Int64(parsed)) }
        return .double(parsed)
    }

    /// sign? digits* (. digits*)? ([eE] sign? digits+)? with at least one mantissa digit.
    private static func isNumberShaped(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        func isDigit(_ b: UInt8) -> Bool { b &- 0x30 <= 9 }
        if base[i] == 0x2D || base[i] == 0x2B { i += 1 }
        var mantissaDigits = 0
        while i < end && isDigit(base[i]) { i += 1; mantissaDigits += 1 }
        if i < end && base[i] == 0x2E {
            i += 1
            while i < end && isDigit(base[i]) { i += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return false }
        if i < end && (base[i] == 0x65 || base[i] == 0x45) {
            i += 1
            if i < end && (base[i] == 0x2D || base[i] == 0x2B) { i += 1 }
            var exponentDigits = 0
            while i < end && isDigit(base[i]) { i += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return false }
        }
        return i == end
    }
}
