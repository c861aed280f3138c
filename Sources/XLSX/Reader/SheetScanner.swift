#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A byte scanner for worksheet XML, several times faster than libxml2 on the markup writers
/// produce, feeding the same ``SheetContent`` as the libxml2 path.
///
/// It is a strict, well-formedness-checking reader of a subset of XML 1.0: UTF-8 (with or without
/// a BOM and an `<?xml version="1.0" encoding="UTF-8"?>` declaration), elements and attributes
/// with ASCII names and namespace prefixes, `'` or `"` quotes, the five predefined entities and
/// character references in text, CDATA sections, comments and processing instructions. Whatever
/// lies outside that subset, or breaks a rule the scanner checks (tag nesting, duplicate
/// attributes, characters XML forbids, `]]>` in text, `--` in a comment, a DOCTYPE), makes it
/// stop and report ``Outcome/unsupported``: the caller then reads the part with libxml2, which
/// accepts what is valid and gives its own error and line for what is not. Being stricter than
/// libxml2 only costs time; being laxer would change results, so every doubt is a hand-back.
///
/// Namespaces are not resolved: like the libxml2 path, which compares local names only, the
/// scanner strips prefixes, and `xmlns` declarations are not attributes.
///
/// Non-copyable: it owns its work buffers and frees them once, in `deinit`.
struct SheetScanner: ~Copyable {
    /// Where a name lies in the part.
    struct Span: Equatable {
        var start: Int
        var count: Int
    }

    /// Why a scan stopped early: markup to hand to libxml2, or a content error to report.
    private enum Stop: Error {
        case unsupported
        case content(XLSXError)
    }

    private struct OpenElement {
        var name: Span
        var element: SheetContent.Element
    }

    private struct AttributeSpan {
        var name: Span
        /// Where the local name starts (after any prefix).
        var local: Int
        var value: Span
        var isNamespaceDeclaration: Bool
    }

    /// Deeper nesting is handed to libxml2, which refuses more than 256 levels.
    private static let maxDepth = 200
    private static let maxAttributes = 64
    /// Longer names, attribute values, comments and the like are handed to libxml2 and its limits.
    private static let maxNameLength = 1_000
    private static let maxMarkupLength = 1 << 20

    private let base: UnsafePointer<UInt8>
    private let end: Int
    private var i: Int
    private let stack: UnsafeMutablePointer<OpenElement>
    private var depth = 0
    private var rootSeen = false
    private let attributes: UnsafeMutablePointer<AttributeSpan>
    /// Room for one character decoded from a reference or a line end.
    private let scratch: UnsafeMutablePointer<UInt8>
    /// Per byte, which of the ``ByteClass`` sets it belongs to.
    private let classes: UnsafeMutablePointer<UInt8>

    /// Bit sets of bytes, looked up once per byte on the hot paths.
    private enum ByteClass {
        /// Ends a run of plain text: `<`, `&`, `]`, CR, other controls, non-ASCII.
        static let textStop: UInt8 = 1
        /// An ASCII name start character (letters, `_`).
        static let nameStart: UInt8 = 2
        /// An ASCII name character other than `:`.
        static let name: UInt8 = 4
        /// Ends a run of plain attribute value: quotes, `<`, `&`, controls, non-ASCII.
        static let valueStop: UInt8 = 8
    }

    private init(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) {
        base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        end = buffer.count
        i = start
        stack = .allocate(capacity: Self.maxDepth + 1)
        attributes = .allocate(capacity: Self.maxAttributes)
        scratch = .allocate(capacity: 8)
        classes = .allocate(capacity: 256)
        for value in 0..<256 {
            let byte = UInt8(value)
            var bits: UInt8 = 0
            let plainText = (byte >= 0x20 && byte < 0x80) || byte == 0x09 || byte == 0x0A
            if !plainText || byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "]") {
                bits |= ByteClass.textStop
            }
            if isNameStart(byte) { bits |= ByteClass.nameStart | ByteClass.name }
            if isNameByte(byte) { bits |= ByteClass.name }
            if byte < 0x20 || byte >= 0x80 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
                || byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&")
            {
                bits |= ByteClass.valueStop
            }
            classes[value] = bits
        }
    }

    deinit {
        stack.deallocate()
        attributes.deallocate()
        scratch.deallocate()
        classes.deallocate()
    }

    // MARK: - Entry points

    /// Scans a whole part into `content`; false means "read it with libxml2" (rows already
    /// emitted are counted in `content.rowsEmitted`). Content errors are thrown as they would be
    /// by the libxml2 path, because the markup before them has been checked as strictly.
    static func scanDocument(_ buffer: UnsafeBufferPointer<UInt8>, into content: inout SheetContent)
        throws(XLSXError) -> Bool
    {
        var scanner = SheetScanner(buffer, from: 0)
        return try scanner.outcome {
            (scanner: inout SheetScanner) throws(Stop) in
            try scanner.prolog()
            try scanner.run(until: scanner.end, &content)
            guard scanner.rootSeen && scanner.depth == 0 else { throw .unsupported }
        }
    }

    /// Scans `buffer[..<cut]`, which must end between two children of `<sheetData>` whose open
    /// elements are `openElements` (root, then sheetData), so that ``scanTail`` can go on from there.
    static func scanHead(
        _ buffer: UnsafeBufferPointer<UInt8>, to cut: Int, openElements: [Span], into content: inout SheetContent
    ) throws(XLSXError) -> Bool {
        var scanner = SheetScanner(buffer, from: 0)
        return try scanner.outcome {
            (scanner: inout SheetScanner) throws(Stop) in
            try scanner.prolog()
            try scanner.run(until: cut, &content)
            guard scanner.i == cut, scanner.depth == openElements.count, content.inSheetData else {
                throw .unsupported
            }
            for (level, span) in openElements.enumerated() {
                guard scanner.equal(scanner.stack[level].name, span) else { throw .unsupported }
            }
        }
    }

    /// Scans `buffer[cut...]` as the rest of a document whose open elements at `cut` are
    /// `openElements`; ``scanHead`` must confirm that they are.
    static func scanTail(
        _ buffer: UnsafeBufferPointer<UInt8>, from cut: Int, openElements: [Span], into content: inout SheetContent
    ) throws(XLSXError) -> Bool {
        var scanner = SheetScanner(buffer, from: cut)
        return try scanner.outcome {
            (scanner: inout SheetScanner) throws(Stop) in
            for span in openElements {
                scanner.stack[scanner.depth] = OpenElement(
                    name: span, element: scanner.classifyElement(scanner.localStart(span), span.start + span.count))
                scanner.depth += 1
            }
            scanner.rootSeen = true
            try scanner.run(until: scanner.end, &content)
            guard scanner.depth == 0 else { throw .unsupported }
        }
    }

    private mutating func outcome(_ body: (inout SheetScanner) throws(Stop) -> Void) throws(XLSXError) -> Bool {
        do {
            try body(&self)
            return true
        } catch {
            switch error {
            case .unsupported: return false
            case .content(let error): throw error
            }
        }
    }

    // MARK: - Document structure

    /// A UTF-8 byte order mark and the XML declaration, if present.
    private mutating func prolog() throws(Stop) {
        if end >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { i = 3 }
        guard matches("<?xml", at: i), i + 5 < end, isSpace(base[i + 5]) else { return }
        var j = i + 5
        var stage = 0  // 0: version next, 1: encoding or standalone, 2: standalone, 3: nothing more
        while true {
            let hadSpace = skipSpaces(&j)
            guard j + 1 < end else { throw .unsupported }
            if base[j] == UInt8(ascii: "?") && base[j + 1] == UInt8(ascii: ">") {
                guard stage > 0 else { throw .unsupported }
                i = j + 2
                return
            }
            guard hadSpace else { throw .unsupported }
            let name = try pseudoAttribute(&j)
            let value = UnsafeBufferPointer(start: base + name.value.start, count: name.value.count)
            switch (stage, name.key) {
            case (0, "version"):
                guard value.elementsEqual("1.0".utf8) else { throw .unsupported }
                stage = 1
            case (1, "encoding"):
                guard value.map({ $0 | 0x20 }).elementsEqual("utf-8".utf8) else { throw .unsupported }
                stage = 2
            case (1, "standalone"), (2, "standalone"):
                guard value.elementsEqual("yes".utf8) || value.elementsEqual("no".utf8) else { throw .unsupported }
                stage = 3
            default:
                throw .unsupported
            }
        }
    }

    /// `name = "value"` inside the XML declaration.
    private func pseudoAttribute(_ j: inout Int) throws(Stop) -> (key: String, value: Span) {
        let nameStart = j
        while j < end, base[j] >= UInt8(ascii: "a") && base[j] <= UInt8(ascii: "z") { j += 1 }
        let key = String(decoding: UnsafeBufferPointer(start: base + nameStart, count: j - nameStart), as: UTF8.self)
        _ = skipSpaces(&j)
        guard j < end, base[j] == UInt8(ascii: "=") else { throw .unsupported }
        j += 1
        _ = skipSpaces(&j)
        guard j < end, base[j] == UInt8(ascii: "\"") || base[j] == UInt8(ascii: "'") else { throw .unsupported }
        let quote = base[j]
        j += 1
        let valueStart = j
        while j < end, base[j] != quote {
            guard base[j] >= 0x20 && base[j] < 0x80 else { throw .unsupported }
            j += 1
        }
        guard j < end else { throw .unsupported }
        j += 1
        return (key, Span(start: valueStart, count: j - 1 - valueStart))
    }

    /// Tokens until `limit`: a token that starts before it may end after it, which callers check.
    private mutating func run(until limit: Int, _ content: inout SheetContent) throws(Stop) {
        while i < limit {
            if base[i] != UInt8(ascii: "<") {
                try text(&content)
                continue
            }
            guard i + 1 < end else { throw .unsupported }
            switch base[i + 1] {
            case UInt8(ascii: "/"):
                try endTag(&content)
            case UInt8(ascii: "!"):
                if matches("<!--", at: i) {
                    try comment()
                } else if depth > 0 && matches("<![CDATA[", at: i) {
                    try cdata(&content)
                } else {
                    throw .unsupported  // a DOCTYPE, or a CDATA section outside the root
                }
            case UInt8(ascii: "?"):
                try processingInstruction()
            default:
                try startTag(&content)
            }
        }
    }

    // MARK: - Tags

    private mutating func startTag(_ content: inout SheetContent) throws(Stop) {
        let nameStart = i + 1
        var j = nameStart
        let local = try qualifiedName(&j)
        let nameEnd = j
        var count = 0
        var selfClosing = false
        while true {
            let hadSpace = skipSpaces(&j)
            guard j < end else { throw .unsupported }
            let byte = base[j]
            if byte == UInt8(ascii: ">") {
                j += 1
                break
            }
            if byte == UInt8(ascii: "/") {
                guard j + 1 < end, base[j + 1] == UInt8(ascii: ">") else { throw .unsupported }
                selfClosing = true
                j += 2
                break
            }
            guard hadSpace, count < Self.maxAttributes else { throw .unsupported }
            let attributeStart = j
            let attributeLocal = try qualifiedName(&j)
            let name = Span(start: attributeStart, count: j - attributeStart)
            _ = skipSpaces(&j)
            guard j < end, base[j] == UInt8(ascii: "=") else { throw .unsupported }
            j += 1
            _ = skipSpaces(&j)
            guard j < end, base[j] == UInt8(ascii: "\"") || base[j] == UInt8(ascii: "'") else { throw .unsupported }
            let quote = base[j]
            j += 1
            let valueStart = j
            try attributeValue(&j, quote: quote)
            let value = Span(start: valueStart, count: j - valueStart)
            j += 1
            for k in 0..<count where equal(attributes[k].name, name) { throw .unsupported }
            let isDeclaration =
                (name.count == 5 && matches("xmlns", at: attributeStart))
                || (attributeLocal == attributeStart + 6 && matches("xmlns:", at: attributeStart))
            attributes[count] = AttributeSpan(
                name: name, local: attributeLocal, value: value, isNamespaceDeclaration: isDeclaration)
            count += 1
        }

        if depth == 0 {
            guard !rootSeen else { throw .unsupported }  // a second root element
            rootSeen = true
        }
        guard depth < Self.maxDepth else { throw .unsupported }
        let element = classifyElement(local, nameEnd)
        let list = ScannedAttributes(base: base, attributes: attributes, count: count)
        do {
            try content.startElement(element, list)
            if selfClosing { try content.endElement(element) }
        } catch {
            throw .content(error)
        }
        if !selfClosing {
            stack[depth] = OpenElement(name: Span(start: nameStart, count: nameEnd - nameStart), element: element)
            depth += 1
        }
        i = j
    }

    private mutating func endTag(_ content: inout SheetContent) throws(Stop) {
        guard depth > 0 else { throw .unsupported }
        let open = stack[depth - 1]
        let nameStart = i + 2
        var j = nameStart + open.name.count
        guard j < end, sameBytes(base + nameStart, base + open.name.start, open.name.count),
            !isNameByte(base[j])
        else { throw .unsupported }
        _ = skipSpaces(&j)
        guard j < end, base[j] == UInt8(ascii: ">") else { throw .unsupported }
        depth -= 1
        do {
            try content.endElement(open.element)
        } catch {
            throw .content(error)
        }
        i = j + 1
    }

    /// A name with at most one prefix, ASCII only; returns where the local name starts.
    @inline(__always)
    private func qualifiedName(_ j: inout Int) throws(Stop) -> Int {
        let start = j
        var local = start
        guard j < end, classes[Int(base[j])] & ByteClass.nameStart != 0 else { throw .unsupported }
        j += 1
        while j < end {
            let byte = base[j]
            if classes[Int(byte)] & ByteClass.name != 0 {
                j += 1
            } else if byte == UInt8(ascii: ":") && local == start {
                guard j + 1 < end, isNameStart(base[j + 1]) else { throw .unsupported }
                j += 1
                local = j
            } else {
                break
            }
        }
        guard j < end, j - start <= Self.maxNameLength else { throw .unsupported }
        return local
    }

    /// Up to the closing quote; `<`, `&`, control characters (tabs and line ends included,
    /// which XML would normalise) and malformed UTF-8 are handed to libxml2.
    @inline(__always)
    private func attributeValue(_ j: inout Int, quote: UInt8) throws(Stop) {
        let start = j
        while j < end {
            let byte = base[j]
            if classes[Int(byte)] & ByteClass.valueStop == 0 {
                j += 1
                continue
            }
            if byte == quote { break }
            if byte >= 0x80 {
                j += try utf8Length(at: j)
                continue
            }
            guard byte >= 0x20, byte != UInt8(ascii: "<"), byte != UInt8(ascii: "&") else { throw .unsupported }
            j += 1
        }
        guard j < end, j - start <= Self.maxMarkupLength else { throw .unsupported }
    }

    @inline(__always)
    private func classifyElement(_ local: Int, _ nameEnd: Int) -> SheetContent.Element {
        let p = base + local
        switch nameEnd - local {
        case 1:
            switch p[0] {
            case UInt8(ascii: "c"): return .c
            case UInt8(ascii: "v"): return .v
            case UInt8(ascii: "t"): return .t
            default: return .other
            }
        case 2:
            return p[0] == UInt8(ascii: "i") && p[1] == UInt8(ascii: "s") ? .inlineString : .other
        case 3:
            if memcmp(p, "row", 3) == 0 { return .row }
            if memcmp(p, "rPh", 3) == 0 { return .rPh }
            return .other
        case 9:
            if memcmp(p, "sheetData", 9) == 0 { return .sheetData }
            if memcmp(p, "mergeCell", 9) == 0 { return .mergeCell }
            return .other
        default:
            return .other
        }
    }

    private func localStart(_ name: Span) -> Int {
        var k = name.start
        while k < name.start + name.count {
            if base[k] == UInt8(ascii: ":") { return k + 1 }
            k += 1
        }
        return name.start
    }

    // MARK: - Character data

    /// Text up to the next `<`, with references decoded and line ends normalised as XML does.
    private mutating func text(_ content: inout SheetContent) throws(Stop) {
        if depth == 0 {
            // Outside the root only white space may stand.
            while i < end, base[i] != UInt8(ascii: "<") {
                guard isSpace(base[i]) else { throw .unsupported }
                i += 1
            }
            return
        }
        var segment = i
        while i < end {
            let byte = base[i]
            if classes[Int(byte)] & ByteClass.textStop == 0 {
                i += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "<"):
                flush(segment, &content)
                return
            case UInt8(ascii: "&"):
                flush(segment, &content)
                try reference(&content)
                segment = i
            case UInt8(ascii: "]"):
                if i + 2 < end && base[i + 1] == UInt8(ascii: "]") && base[i + 2] == UInt8(ascii: ">") {
                    throw .unsupported
                }
                i += 1
            case 0x0D:
                flush(segment, &content)
                lineEnd(&content)
                segment = i
            default:
                guard byte >= 0x80 else { throw .unsupported }  // a control character
                i += try utf8Length(at: i)
            }
        }
        flush(segment, &content)
    }

    @inline(__always)
    private func flush(_ segment: Int, _ content: inout SheetContent) {
        if i > segment { content.characters(UnsafeBufferPointer(start: base + segment, count: i - segment)) }
    }

    /// CR LF and a lone CR both read as LF (XML 1.0 §2.11).
    private mutating func lineEnd(_ content: inout SheetContent) {
        i += 1
        if i < end && base[i] == 0x0A { i += 1 }
        scratch[0] = 0x0A
        content.characters(UnsafeBufferPointer(start: scratch, count: 1))
    }

    /// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#NN;` or `&#xHH;`.
    private mutating func reference(_ content: inout SheetContent) throws(Stop) {
        var j = i + 1
        let start = j
        while j < end, j - start <= 10, base[j] != UInt8(ascii: ";") { j += 1 }
        guard j < end, base[j] == UInt8(ascii: ";"), j > start else { throw .unsupported }
        let name = UnsafeBufferPointer(start: base + start, count: j - start)
        var scalar: UInt32
        if name[0] == UInt8(ascii: "#") {
            let hex = name.count > 1 && name[1] == UInt8(ascii: "x")
            let digits = name[(hex ? 2 : 1)...]
            guard !digits.isEmpty, digits.count <= 7 else { throw .unsupported }
            scalar = 0
            for byte in digits {
                guard let digit = hex ? hexValue(byte) : decimalValue(byte) else { throw .unsupported }
                scalar = scalar * (hex ? 16 : 10) + UInt32(digit)
            }
            guard isXMLCharacter(scalar) else { throw .unsupported }
        } else if name.elementsEqual("amp".utf8) {
            scalar = 0x26
        } else if name.elementsEqual("lt".utf8) {
            scalar = 0x3C
        } else if name.elementsEqual("gt".utf8) {
            scalar = 0x3E
        } else if name.elementsEqual("quot".utf8) {
            scalar = 0x22
        } else if name.elementsEqual("apos".utf8) {
            scalar = 0x27
        } else {
            throw .unsupported  // an entity that only a DTD could declare
        }
        let count = encodeUTF8(scalar, into: scratch)
        content.characters(UnsafeBufferPointer(start: scratch, count: count))
        i = j + 1
    }

    private mutating func cdata(_ content: inout SheetContent) throws(Stop) {
        i += 9
        let start = i
        var segment = i
        while i < end {
            let byte = base[i]
            if byte == UInt8(ascii: "]") && i + 2 < end && base[i + 1] == UInt8(ascii: "]")
                && base[i + 2] == UInt8(ascii: ">")
            {
                flush(segment, &content)
                i += 3
                return
            }
            if byte == 0x0D {
                flush(segment, &content)
                lineEnd(&content)
                segment = i
            } else if byte >= 0x80 {
                i += try utf8Length(at: i)
            } else {
                guard byte >= 0x20 || byte == 0x09 || byte == 0x0A else { throw .unsupported }
                i += 1
            }
            guard i - start <= Self.maxMarkupLength else { throw .unsupported }
        }
        throw .unsupported
    }

    private mutating func comment() throws(Stop) {
        var j = i + 4
        while j < end {
            let byte = base[j]
            if byte == UInt8(ascii: "-") && j + 1 < end && base[j + 1] == UInt8(ascii: "-") {
                guard j + 2 < end, base[j + 2] == UInt8(ascii: ">") else { throw .unsupported }
                i = j + 3
                return
            }
            j += try markupCharacter(at: j)
            guard j - i <= Self.maxMarkupLength else { throw .unsupported }
        }
        throw .unsupported
    }

    /// `<?target …?>`; a target named `xml` (a misplaced declaration) is handed to libxml2.
    private mutating func processingInstruction() throws(Stop) {
        var j = i + 2
        let targetStart = j
        while j < end, isNameByte(base[j]) || base[j] == UInt8(ascii: ":") { j += 1 }
        guard j > targetStart, isNameStart(base[targetStart]) else { throw .unsupported }
        let target = UnsafeBufferPointer(start: base + targetStart, count: j - targetStart)
        guard !target.map({ $0 | 0x20 }).elementsEqual("xml".utf8) else { throw .unsupported }
        guard j + 1 < end else { throw .unsupported }
        if !(base[j] == UInt8(ascii: "?") && base[j + 1] == UInt8(ascii: ">")) {
            guard isSpace(base[j]) else { throw .unsupported }
        }
        while j + 1 < end {
            if base[j] == UInt8(ascii: "?") && base[j + 1] == UInt8(ascii: ">") {
                i = j + 2
                return
            }
            j += try markupCharacter(at: j)
            guard j - i <= Self.maxMarkupLength else { throw .unsupported }
        }
        throw .unsupported
    }

    /// The length of the XML character at `j` in a comment or instruction.
    @inline(__always)
    private func markupCharacter(at j: Int) throws(Stop) -> Int {
        let byte = base[j]
        if byte >= 0x80 { return try utf8Length(at: j) }
        guard byte >= 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { throw .unsupported }
        return 1
    }

    /// The length of a well-formed UTF-8 sequence at `j` that encodes an XML character
    /// (no surrogates, no U+FFFE or U+FFFF, nothing past U+10FFFF).
    private func utf8Length(at j: Int) throws(Stop) -> Int {
        let lead = base[j]
        @inline(__always) func continuation(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            j + k < end && base[j + k] >= low && base[j + k] <= high
        }
        switch lead {
        case 0xC2...0xDF:
            guard continuation(1) else { throw .unsupported }
            return 2
        case 0xE0...0xEF:
            let (low, high): (UInt8, UInt8) = lead == 0xE0 ? (0xA0, 0xBF) : lead == 0xED ? (0x80, 0x9F) : (0x80, 0xBF)
            guard continuation(1, low, high), continuation(2) else { throw .unsupported }
            if lead == 0xEF && base[j + 1] == 0xBF && base[j + 2] >= 0xBE { throw .unsupported }
            return 3
        case 0xF0...0xF4:
            let (low, high): (UInt8, UInt8) = lead == 0xF0 ? (0x90, 0xBF) : lead == 0xF4 ? (0x80, 0x8F) : (0x80, 0xBF)
            guard continuation(1, low, high), continuation(2), continuation(3) else { throw .unsupported }
            return 4
        default:
            throw .unsupported
        }
    }

    /// The attributes of the start tag just scanned, in document order, without `xmlns` declarations.
    private struct ScannedAttributes: SheetAttributes {
        let base: UnsafePointer<UInt8>
        let attributes: UnsafeMutablePointer<AttributeSpan>
        let count: Int

        @inline(__always)
        func forEach(_ body: (SheetContent.Attribute, UnsafeBufferPointer<UInt8>) throws(XLSXError) -> Void)
            throws(XLSXError)
        {
            for k in 0..<count {
                let attribute = attributes[k]
                if attribute.isNamespaceDeclaration { continue }
                let p = base + attribute.local
                let length = attribute.name.start + attribute.name.count - attribute.local
                let name: SheetContent.Attribute
                switch length {
                case 1:
                    switch p[0] {
                    case UInt8(ascii: "r"): name = .r
                    case UInt8(ascii: "t"): name = .t
                    case UInt8(ascii: "s"): name = .s
                    default: name = .other
                    }
                case 3:
                    name = memcmp(p, "ref", 3) == 0 ? .ref : .other
                default:
                    name = .other
                }
                try body(name, UnsafeBufferPointer(start: base + attribute.value.start, count: attribute.value.count))
            }
        }
    }

    // MARK: - Bytes

    @inline(__always)
    private func skipSpaces(_ j: inout Int) -> Bool {
        let start = j
        while j < end && isSpace(base[j]) { j += 1 }
        return j > start
    }

    @inline(__always)
    private func matches(_ literal: StaticString, at j: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        return j + count <= end && memcmp(base + j, literal.utf8Start, count) == 0
    }

    @inline(__always)
    private func equal(_ a: Span, _ b: Span) -> Bool {
        a.count == b.count && sameBytes(base + a.start, base + b.start, a.count)
    }
}

/// Names are short: a loop beats a call to `memcmp`.
@inline(__always)
private func sameBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var k = 0
    while k < count {
        if a[k] != b[k] { return false }
        k += 1
    }
    return true
}

@inline(__always)
private func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
}

/// ASCII name start characters; anything else (a non-ASCII name included) goes to libxml2.
@inline(__always)
private func isNameStart(_ byte: UInt8) -> Bool {
    let lower = byte | 0x20
    return (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
}

/// ASCII name characters other than the prefix colon.
@inline(__always)
private func isNameByte(_ byte: UInt8) -> Bool {
    isNameStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
        || byte == UInt8(ascii: ".")
}

@inline(__always)
private func decimalValue(_ byte: UInt8) -> UInt8? {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : nil
}

/// XML 1.0's Char production.
private func isXMLCharacter(_ scalar: UInt32) -> Bool {
    switch scalar {
    case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
    default: return false
    }
}

private func encodeUTF8(_ scalar: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
    switch scalar {
    case ..<0x80:
        out[0] = UInt8(scalar)
        return 1
    case ..<0x800:
        out[0] = UInt8(0xC0 | scalar >> 6)
        out[1] = UInt8(0x80 | scalar & 0x3F)
        return 2
    case ..<0x10000:
        out[0] = UInt8(0xE0 | scalar >> 12)
        out[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
        out[2] = UInt8(0x80 | scalar & 0x3F)
        return 3
    default:
        out[0] = UInt8(0xF0 | scalar >> 18)
        out[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
        out[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
        out[3] = UInt8(0x80 | scalar & 0x3F)
        return 4
    }
}
