/// Where one field of a record lies in the input bytes.
///
/// For a quoted field the range excludes the surrounding quotes; if the content holds
/// doubled quotes (`""`), ``hasEscapedQuotes`` is set and ``CSVTokenizer/text(of:in:)``
/// collapses them.
public struct CSVField: Sendable, Equatable {
    /// Offset of the field's first byte (after an opening quote).
    public var start: Int
    /// Offset just past the field's last byte (before a closing quote).
    public var end: Int
    /// True when the field was written in quotes.
    public var isQuoted: Bool
    /// True when the quoted content holds doubled quotes, which reading the text collapses.
    public var hasEscapedQuotes: Bool

    /// A field at `start..<end` of the input.
    public init(start: Int, end: Int, isQuoted: Bool = false, hasEscapedQuotes: Bool = false) {
        self.start = start
        self.end = end
        self.isQuoted = isQuoted
        self.hasEscapedQuotes = hasEscapedQuotes
    }

    /// True for an empty field (`;;` or `""`): a missing value.
    public var isEmpty: Bool { start == end }
}

/// A quote problem found while tokenizing, at a byte offset (the caller turns it into a line).
public enum CSVTokenizerError: Error, Equatable, Sendable {
    /// A quoted field runs to the end of the input without its closing quote.
    case unterminatedQuote(recordStart: Int)
    /// A closing quote is followed by something other than a separator or the line end.
    case textAfterClosingQuote(recordStart: Int)
}

/// Splits records into fields: the one tokenizer behind the bulk reader and the per-record
/// API the scorer uses, so both see the same fields for the same bytes.
///
/// Records end at `\n`; a `\r` before it is dropped. Fields end at the separator. A field
/// starting with `"` is quoted (RFC 4180): it may hold separators, newlines and `""`.
public struct CSVTokenizer: Sendable {
    /// The byte that ends a field (`;` or `,` in the Arvato files).
    public let separator: UInt8

    /// A tokenizer for fields separated by `separator`.
    public init(separator: UInt8) {
        self.separator = separator
    }

    /// Tokenizes the record starting at `offset` into `fields` (cleared first; reuse the
    /// array across calls to avoid allocation) and returns the offset just past the record's
    /// line end. `offset` must be below `bytes.count`.
    public func record(
        in bytes: UnsafeBufferPointer<UInt8>, from offset: Int, into fields: inout [CSVField]
    ) throws(CSVTokenizerError) -> Int {
        fields.removeAll(keepingCapacity: true)
        guard let base = bytes.baseAddress, offset < bytes.count else { return bytes.count }
        var position = offset
        while true {
            let field = try scanField(base, &position, bytes.count, recordStart: offset)
            fields.append(field.field)
            if field.endsRecord { return position }
        }
    }

    /// The field's text, with doubled quotes collapsed.
    public static func text(of field: CSVField, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        let content = UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])
        if !field.hasEscapedQuotes { return String(decoding: content, as: UTF8.self) }
        var collapsed: [UInt8] = []
        collapsed.reserveCapacity(content.count)
        appendUnescaped(content, to: &collapsed)
        return String(decoding: collapsed, as: UTF8.self)
    }

    /// The field read as a number the way the bulk reader reads it (`2.0` is the integer 2).
    public static func value(of field: CSVField, in bytes: UnsafeBufferPointer<UInt8>) -> FieldValue {
        if field.isEmpty { return .missing }
        if field.hasEscapedQuotes { return .token }
        return FieldValue.parse(bytes.baseAddress!, field.start, field.end)
    }

    /// Copies a quoted field's content with every `""` collapsed to `"`.
    static func appendUnescaped(_ content: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var i = 0
        while i < content.count {
            out.append(content[i])
            i += content[i] == quote ? 2 : 1
        }
    }

    static let quote: UInt8 = 0x22
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D

    /// One scanned field plus whether it ended its record.
    struct Scanned {
        var field: CSVField
        var endsRecord: Bool
    }

    /// Scans the field at `position` and moves `position` past its terminator. The
    /// unquoted case is the hot path of the whole reader: one tight byte loop.
    @inline(__always)
    func scanField(
        _ base: UnsafePointer<UInt8>, _ position: inout Int, _ end: Int, recordStart: Int
    ) throws(CSVTokenizerError) -> Scanned {
        let start = position
        if start < end && base[start] == CSVTokenizer.quote {
            return try scanQuotedField(base, &position, end, recordStart: recordStart)
        }
        var p = start
        let separator = self.separator
        while p < end {
            let byte = base[p]
            if byte == separator || byte == CSVTokenizer.newline { break }
            p += 1
        }
        let endsRecord = p >= end || base[p] == CSVTokenizer.newline
        var fieldEnd = p
        if endsRecord && fieldEnd > start && base[fieldEnd - 1] == CSVTokenizer.carriageReturn {
            fieldEnd -= 1
        }
        position = p + 1
        return Scanned(field: CSVField(start: start, end: fieldEnd), endsRecord: endsRecord)
    }

    @inline(never)
    func scanQuotedField(
        _ base: UnsafePointer<UInt8>, _ position: inout Int, _ end: Int, recordStart: Int
    ) throws(CSVTokenizerError) -> Scanned {
        let contentStart = position + 1
        var p = contentStart
        var escaped = false
        while true {
            guard p < end else { throw .unterminatedQuote(recordStart: recordStart) }
            if base[p] == CSVTokenizer.quote {
                if p + 1 < end && base[p + 1] == CSVTokenizer.quote {
                    escaped = true
                    p += 2
                    continue
                }
                break
            }
            p += 1
        }
        let contentEnd = p
        p += 1  // closing quote
        if p < end && base[p] == CSVTokenizer.carriageReturn
            && (p + 1 >= end || base[p + 1] == CSVTokenizer.newline)
        {
            p += 1
        }
        let endsRecord: Bool
        if p >= end || base[p] == CSVTokenizer.newline {
            endsRecord = true
        } else if base[p] == separator {
            endsRecord = false
        } else {
            throw .textAfterClosingQuote(recordStart: recordStart)
        }
        position = p + 1
        return Scanned(
            field: CSVField(start: contentStart, end: contentEnd, isQuoted: true, hasEscapedQuotes: escaped),
            endsRecord: endsRecord)
    }
}
