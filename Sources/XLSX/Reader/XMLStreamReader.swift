internal import CLibXML2

/// A thin, safe wrapper over libxml2's pull parser (`xmlTextReader`) for one package part:
/// relationships, the workbook, styles and shared strings (worksheets, where speed matters,
/// go through ``SAXParser``).
///
/// Secure by construction: no network (`XML_PARSE_NONET`), no DTD loading and no entity
/// substitution (neither `XML_PARSE_DTDLOAD` nor `XML_PARSE_NOENT` is passed), and any
/// document type declaration is refused outright, as ECMA-376 Part 2 [M1.18] requires, so no
/// external entity is ever fetched and no entity chain is ever expanded. libxml2's messages
/// are captured into ``XLSXError/malformedXML(file:part:line:message:)`` instead of stderr.
///
/// Element and attribute names come back as pointers into the parser's name dictionary, so a
/// name test is a pointer comparison against a name interned once with ``intern(_:)``.
final class XMLStreamReader {
    typealias Name = UnsafePointer<xmlChar>

    let file: String
    let part: String
    private let reader: xmlTextReaderPtr
    private let errors: ErrorSink

    static let options: Int32 = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_COMPACT.rawValue | XML_PARSE_NOCDATA.rawValue)

    /// Parses `bytes` with a reader handed to `body`; the bytes are only borrowed for its duration.
    static func parse<R>(
        _ bytes: [UInt8], file: String, part: String, _ body: (XMLStreamReader) throws(XLSXError) -> R
    ) throws(XLSXError) -> R {
        try refuseDoctype(bytes, file: file, part: part)
        return try bytes.withUnsafeBufferPointer { (buffer) throws(XLSXError) -> R in
            let reader = try XMLStreamReader(buffer, file: file, part: part)
            return try body(reader)
        }
    }

    private init(_ buffer: UnsafeBufferPointer<UInt8>, file: String, part: String) throws(XLSXError) {
        self.file = file
        self.part = part
        libxml2Initialised.touch()
        // An empty part is not XML; libxml2 would say so less clearly.
        guard buffer.count > 0, buffer.count <= Int(Int32.max) else {
            throw .malformedXML(file: file, part: part, line: 0, message: "the part is empty or too large")
        }
        let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
        guard let reader = xmlReaderForMemory(base, Int32(buffer.count), nil, nil, Self.options) else {
            throw .malformedXML(file: file, part: part, line: 0, message: "libxml2 could not start a reader")
        }
        self.reader = reader
        self.errors = ErrorSink()
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error else { return }
            let sink = Unmanaged<ErrorSink>.fromOpaque(context).takeUnretainedValue()
            sink.record(error.pointee)
        }, Unmanaged.passUnretained(errors).toOpaque())
    }

    deinit {
        xmlFreeTextReader(reader)
    }

    /// The dictionary pointer of `name`, for pointer comparison with ``localName``.
    func intern(_ name: String) -> Name {
        xmlTextReaderConstString(reader, name)
    }

    /// Advances to the next node; false at the end of the document.
    @inline(__always)
    func read() throws(XLSXError) -> Bool {
        let status = xmlTextReaderRead(reader)
        if status == 1 {
            if xmlTextReaderNodeType(reader) == XML_READER_TYPE_DOCUMENT_TYPE.rawValue {
                throw .doctypeForbidden(file: file, part: part)
            }
            return true
        }
        if status == 0 && errors.message == nil { return false }
        throw .malformedXML(
            file: file, part: part, line: errors.line ?? Int(xmlTextReaderGetParserLineNumber(reader)),
            message: errors.message ?? "the document is not well formed")
    }

    @inline(__always) var nodeType: Int32 { xmlTextReaderNodeType(reader) }
    @inline(__always) var isElement: Bool { nodeType == XML_READER_TYPE_ELEMENT.rawValue }
    @inline(__always) var isEndElement: Bool { nodeType == XML_READER_TYPE_END_ELEMENT.rawValue }
    /// Text, CDATA and whitespace nodes: all are character data of the enclosing element.
    @inline(__always) var isText: Bool {
        let type = nodeType
        return type == XML_READER_TYPE_TEXT.rawValue || type == XML_READER_TYPE_CDATA.rawValue
            || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue
            || type == XML_READER_TYPE_WHITESPACE.rawValue
    }
    /// `<x/>`: no end-element node follows.
    @inline(__always) var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }
    @inline(__always) var localName: Name? { xmlTextReaderConstLocalName(reader) }
    /// The current text or attribute node's value, NUL-terminated.
    @inline(__always) var value: Name? { xmlTextReaderConstValue(reader) }
    var lineNumber: Int { Int(xmlTextReaderGetParserLineNumber(reader)) }

    /// Walks the current element's attributes as (local name, value) and returns to the element.
    @inline(__always)
    func forEachAttribute<E: Error>(_ body: (Name, Name) throws(E) -> Void) throws(E) {
        guard xmlTextReaderHasAttributes(reader) == 1 else { return }
        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
            if let name = xmlTextReaderConstLocalName(reader), let value = xmlTextReaderConstValue(reader) {
                try body(name, value)
            }
        }
        xmlTextReaderMoveToElement(reader)
    }

    /// Refuses a DOCTYPE in the prolog before libxml2 sees it: nothing in it is parsed at all.
    /// (UTF-16 parts slip past this byte scan; ``read()`` catches their DOCTYPE node instead.)
    static func refuseDoctype(_ bytes: [UInt8], file: String, part: String) throws(XLSXError) {
        let doctype = Array("<!DOCTYPE".utf8)
        var i = 0
        let n = bytes.count
        if n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        while i < n {
            let byte = bytes[i]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { i += 1; continue }
            guard byte == UInt8(ascii: "<"), i + 1 < n else { return }
            switch bytes[i + 1] {
            case UInt8(ascii: "?"):  // XML declaration or processing instruction
                guard let end = find(Array("?>".utf8), in: bytes, from: i + 2) else { return }
                i = end + 2
            case UInt8(ascii: "!"):
                if i + 3 < n && bytes[i + 2] == UInt8(ascii: "-") && bytes[i + 3] == UInt8(ascii: "-") {
                    guard let end = find(Array("-->".utf8), in: bytes, from: i + 4) else { return }
                    i = end + 3
                } else if i + doctype.count <= n,
                    zip(bytes[i..<i + doctype.count], doctype).allSatisfy({ $0 | 0x20 == $1 | 0x20 })
                {
                    throw .doctypeForbidden(file: file, part: part)
                } else {
                    return
                }
            default:
                return  // the root element: the prolog is over
            }
        }
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        var i = start
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0] && bytes[i..<i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

/// The first error libxml2 reports for one reader.
private final class ErrorSink {
    var message: String?
    var line: Int?

    func record(_ error: xmlError) {
        guard message == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        var text = error.message.map { String(cString: $0) } ?? "XML error \(error.code)"
        while text.last?.isNewline == true { text.removeLast() }
        message = text
        line = Int(error.line)
    }
}

/// `xmlInitParser` once per process, before any thread uses libxml2.
private enum libxml2Initialised {
    static let done: Bool = {
        xmlInitParser()
        return true
    }()

    static func touch() { _ = done }
}
