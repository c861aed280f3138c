#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte-level helpers for the text of SpreadsheetML parts.
enum TextDecoding {
    /// Appends a NUL-terminated libxml2 string to `buffer`.
    @inline(__always)
    static func append(_ text: UnsafePointer<UInt8>, to buffer: inout [UInt8]) {
        let count = strlen(text)
        buffer.append(contentsOf: UnsafeBufferPointer(start: text, count: count))
    }

    /// A string of an ST_Xstring value: UTF-8 with `_xHHHH_` escapes decoded.
    ///
    /// ECMA-376 Part 1 §22.9.2.19: characters XML cannot hold (control characters such as
    /// CR or BEL) are written as `_xHHHH_`, a UTF-16 code unit in hex; `_x005F_` escapes the
    /// underscore itself, so `_x005F_x0041_` reads as the literal `_x0041_`. Decoding is one
    /// left-to-right pass, never repeated over its own output.
    static func string(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { string($0) }
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard containsEscapeStart(bytes) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        let n = bytes.count
        while i < n {
            if let unit = escapedUnit(bytes, at: i) {
                var scalar: Unicode.Scalar?
                var consumed = 7
                if (0xD800...0xDBFF).contains(unit) {
                    if let low = escapedUnit(bytes, at: i + 7), (0xDC00...0xDFFF).contains(low) {
                        scalar = Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
                        consumed = 14
                    }
                } else {
                    scalar = Unicode.Scalar(UInt32(unit))
                }
                out.append(contentsOf: String(Character(scalar ?? "\u{FFFD}")).utf8)
                i += consumed
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    private static func containsEscapeStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 7 else { return false }
        for i in 0..<(bytes.count - 6) where bytes[i] == UInt8(ascii: "_") && bytes[i + 1] == UInt8(ascii: "x") {
            return true
        }
        return false
    }

    /// The code unit of an `_xHHHH_` escape starting at `i`, if there is one.
    private static func escapedUnit(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt16? {
        guard i + 7 <= bytes.count, bytes[i] == UInt8(ascii: "_"), bytes[i + 1] == UInt8(ascii: "x"),
            bytes[i + 6] == UInt8(ascii: "_")
        else { return nil }
        var unit: UInt16 = 0
        for k in 2..<6 {
            guard let digit = hexValue(bytes[i + k]) else { return nil }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }
}
