#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Parsing of cell values straight from the bytes libxml2 hands out, with no String in between.
enum NumberParsing {
    private static let exactPowersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    /// An `xsd:double` such as `42`, `-2.5`, `1E-300` or `6.02214076E+023`, or nil if malformed.
    ///
    /// Integers and short decimals (at most 15 significant digits and 22 fraction digits) are
    /// exact as `mantissa / 10^k` because both operands are exact doubles and IEEE division
    /// rounds correctly; anything else goes to `strtod`, which is correctly rounded too.
    static func double(_ text: UnsafePointer<UInt8>, count: Int) -> Double? {
        var i = 0
        while i < count && isSpace(text[i]) { i += 1 }
        var end = count
        while end > i && isSpace(text[end - 1]) { end -= 1 }
        guard i < end else { return nil }
        let start = i
        var negative = false
        if text[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        } else if text[i] == UInt8(ascii: "+") {
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var sawPoint = false
        var simple = true
        while i < end {
            let byte = text[i]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                mantissa = mantissa &* 10 &+ UInt64(byte - UInt8(ascii: "0"))
                digits += 1
                if sawPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                simple = false
                break
            }
            i += 1
        }
        if simple && digits > 0 && digits <= 15 && fractionDigits <= 22 {
            var value = Double(mantissa)
            if fractionDigits > 0 { value /= exactPowersOfTen[fractionDigits] }
            return negative ? -value : value
        }
        return slowDouble(text + start, count: end - start)
    }

    private static func slowDouble(_ text: UnsafePointer<UInt8>, count: Int) -> Double? {
        // Only the characters of a decimal number are allowed through to strtod, which would
        // otherwise also accept hex floats, "inf" and "nan".
        var buffer = [CChar](repeating: 0, count: count + 1)
        for k in 0..<count {
            let byte = text[k]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
                UInt8(ascii: "+"), UInt8(ascii: "-"):
                buffer[k] = CChar(bitPattern: byte)
            default:
                return nil
            }
        }
        return buffer.withUnsafeBufferPointer { chars -> Double? in
            var endPointer: UnsafeMutablePointer<CChar>?
            let value = strtod(chars.baseAddress!, &endPointer)
            guard let endPointer, endPointer - UnsafeMutablePointer(mutating: chars.baseAddress!) == count else {
                return nil
            }
            return value
        }
    }

    /// A non-negative decimal integer (shared-string indexes, style indexes, row numbers).
    static func integer(_ text: UnsafePointer<UInt8>, count: Int) -> Int? {
        var i = 0
        while i < count && isSpace(text[i]) { i += 1 }
        var end = count
        while end > i && isSpace(text[end - 1]) { end -= 1 }
        guard i < end, end - i <= 18 else { return nil }
        var value = 0
        while i < end {
            let byte = text[i]
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            i += 1
        }
        return value
    }

    static func integer(_ text: UnsafePointer<UInt8>) -> Int? {
        integer(text, count: strlen(text))
    }

    /// An A1 reference (`AAB300`, `$C$3`) as zero-based (row, column) without allocating.
    @inline(__always)
    static func cellReference(_ text: UnsafePointer<UInt8>, count: Int) -> (row: Int, column: Int)? {
        var column = 0
        var row = 0
        var letters = 0
        var digits = 0
        for i in 0..<count {
            let byte = text[i]
            switch byte {
            case UInt8(ascii: "$"):
                break
            case UInt8(ascii: "A")...UInt8(ascii: "Z") where digits == 0:
                column = column * 26 + Int(byte - UInt8(ascii: "A")) + 1
                letters += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z") where digits == 0:
                column = column * 26 + Int(byte - UInt8(ascii: "a")) + 1
                letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9") where letters > 0:
                row = row * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            default:
                return nil
            }
            if column > 16_384 || row > 1_048_576 { return nil }
        }
        guard letters > 0, digits > 0, row >= 1 else { return nil }
        return (row - 1, column - 1)
    }

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
