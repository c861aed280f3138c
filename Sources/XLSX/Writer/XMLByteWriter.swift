/// An append-only UTF-8 byte buffer for generating OOXML parts.
///
/// Worksheets are written cell by cell; appending bytes to one array avoids the
/// allocation a `String` per cell would cost.
struct XMLByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Markup written verbatim: the caller guarantees it is well-formed.
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text known to need no escaping (numbers, cell references, ids).
    mutating func rawText(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    /// A non-negative integer in decimal, without going through `String`.
    mutating func decimal(_ value: Int) {
        precondition(value >= 0)
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes, room for Int.max
        var count = 0
        var n = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while n > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[i]) }
        }
    }

    /// An A1 cell reference such as `AB12` for a zero-based row and column.
    mutating func cellReference(row: Int, column: Int) {
        columnLetters(column)
        decimal(row + 1)
    }

    mutating func columnLetters(_ column: Int) {
        // At most three letters: Excel's last column is XFD (16 384).
        var n = column + 1
        var letters: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &letters) { buffer in
            while n > 0, count < 4 {
                buffer[count] = UInt8(ascii: "A") + UInt8((n - 1) % 26)
                n = (n - 1) / 26
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[i]) }
        }
    }

    /// Text content or an attribute value with XML's special characters escaped and
    /// characters XML 1.0 cannot carry written in OOXML's `_xHHHH_` notation.
    ///
    /// - `&` `<` `>` `"` become entities.
    /// - Control characters other than tab and line feed, and U+FFFE/U+FFFF, become
    ///   `_xHHHH_` (Excel's ST_Xstring escape, which spreadsheet readers decode).
    /// - Carriage return becomes `&#13;` so XML's line-end normalisation keeps it.
    /// - An underscore that would otherwise start a `_xHHHH_` sequence is written as
    ///   `_x005F_`, so literal text like `_x0041_` survives a reader's unescaping.
    mutating func escaped(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            var i = 0
            let count = utf8.count
            while i < count {
                let b = utf8[i]
                let replacement: Replacement
                switch b {
                case UInt8(ascii: "&"): replacement = .literal("&amp;")
                case UInt8(ascii: "<"): replacement = .literal("&lt;")
                case UInt8(ascii: ">"): replacement = .literal("&gt;")
                case UInt8(ascii: "\""): replacement = .literal("&quot;")
                case 0x0D: replacement = .literal("&#13;")
                case 0x09, 0x0A: replacement = .none
                case 0x00..<0x20: replacement = .codeUnit(UInt16(b), width: 1)
                case UInt8(ascii: "_") where Self.startsEscapeSequence(utf8, at: i):
                    replacement = .literal("_x005F_")
                case 0xEF where i + 2 < count && utf8[i + 1] == 0xBF && (utf8[i + 2] == 0xBE || utf8[i + 2] == 0xBF):
                    replacement = .codeUnit(0xFF00 | UInt16(utf8[i + 2] - 0xBE + 0xFE), width: 3)
                default: replacement = .none
                }
                switch replacement {
                case .none:
                    i += 1
                case .literal(let entity):
                    bytes.append(contentsOf: utf8[runStart..<i])
                    raw(entity)
                    i += 1
                    runStart = i
                case .codeUnit(let unit, let width):
                    bytes.append(contentsOf: utf8[runStart..<i])
                    escapeSequence(unit)
                    i += width
                    runStart = i
                }
            }
            bytes.append(contentsOf: utf8[runStart..<count])
        }
    }

    private enum Replacement {
        case none
        case literal(StaticString)
        case codeUnit(UInt16, width: Int)
    }

    /// `_xHHHH_` for one UTF-16 code unit, upper-case hex like Excel writes.
    private mutating func escapeSequence(_ unit: UInt16) {
        raw("_x")
        for shift in stride(from: 12, through: 0, by: -4) {
            let nibble = UInt8((unit >> UInt16(shift)) & 0xF)
            bytes.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10)
        }
        byte(UInt8(ascii: "_"))
    }

    /// Whether `_xHHHH_` (any hex case) starts at `index`.
    private static func startsEscapeSequence(_ utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + 7 <= utf8.count, utf8[index + 1] == UInt8(ascii: "x"), utf8[index + 6] == UInt8(ascii: "_")
        else { return false }
        for j in index + 2..<index + 6 {
            switch utf8[j] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
                UInt8(ascii: "A")...UInt8(ascii: "F"):
                continue
            default:
                return false
            }
        }
        return true
    }
}
