internal import CLibXML2

/// libxml2's SAX2 push parser, which reads every worksheet.
///
/// The pull reader (``XMLStreamReader``) builds and frees a tree node for every element, which
/// cost more than half of a sheet read; SAX2 hands names and attribute values straight from the
/// parser's buffer. Security is the same as the reader's: `XML_PARSE_NONET`, no DTD loading, no
/// entity substitution, a DOCTYPE refused (prolog scan first, then the `internalSubset` event),
/// libxml2's messages captured instead of printed. Input is fed in 1 MiB chunks and only the
/// handler's state is kept, so memory does not grow with the part.
///
/// The handler's callbacks are plain C functions given a pointer to the handler's state (no
/// class, no retain/release, no exclusivity checks on the hot path); their state starts with
/// the ``SAXStatus`` these shared callbacks record into.
enum SAXParser {
    typealias Name = UnsafePointer<xmlChar>

    /// libxml2's attribute array: five pointers per attribute (local name, prefix, URI,
    /// value start, value end); values are not NUL-terminated.
    struct Attributes {
        let base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
        let count: Int

        @inline(__always)
        func forEach(_ body: (Name, UnsafeBufferPointer<UInt8>) throws(XLSXError) -> Void) throws(XLSXError) {
            guard let base else { return }
            for i in 0..<count {
                guard let name = base[5 * i], let start = base[5 * i + 3], let end = base[5 * i + 4] else { continue }
                try body(name, UnsafeBufferPointer(start: start, count: end - start))
            }
        }
    }

    /// The C callbacks of a ``SAXState``; each is handed a pointer to that state.
    struct Callbacks {
        var startElement: startElementNsSAX2Func
        var endElement: endElementNsSAX2Func
        var characters: charactersSAXFunc
        var internalSubset: internalSubsetSAXFunc
        var error: xmlStructuredErrorFunc
    }

    /// Runs the parser over `bytes` with `state` as the callbacks' context.
    static func parse<State: SAXState>(
        _ bytes: [UInt8], file: String, part: String, state: UnsafeMutablePointer<State>,
        prepare: (xmlDictPtr) -> Void
    ) throws(XLSXError) {
        let callbacks = State.callbacks
        try XMLStreamReader.refuseDoctype(bytes, file: file, part: part)
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = callbacks.startElement
        sax.endElementNs = callbacks.endElement
        sax.characters = callbacks.characters
        sax.ignorableWhitespace = callbacks.characters
        sax.cdataBlock = callbacks.characters
        sax.internalSubset = callbacks.internalSubset
        sax.serror = callbacks.error
        guard let context = xmlCreatePushParserCtxt(&sax, UnsafeMutableRawPointer(state), nil, 0, nil) else {
            throw .malformedXML(file: file, part: part, line: 0, message: "libxml2 could not start a parser")
        }
        defer { xmlFreeParserCtxt(context) }
        xmlCtxtUseOptions(context, XMLStreamReader.options)
        state.pointee.status.context = context
        state.pointee.status.file = file
        state.pointee.status.part = part
        prepare(context.pointee.dict)

        try bytes.withUnsafeBufferPointer { (buffer) throws(XLSXError) in
            let chunkSize = 1 << 20
            var offset = 0
            repeat {
                let count = min(chunkSize, buffer.count - offset)
                let last = offset + count == buffer.count
                let base = buffer.baseAddress.map { UnsafeRawPointer($0 + offset).assumingMemoryBound(to: CChar.self) }
                let result = xmlParseChunk(context, base, Int32(count), last ? 1 : 0)
                if let failure = state.pointee.status.failure { throw failure }
                if result != 0 || context.pointee.wellFormed == 0 {
                    let message = state.pointee.status.message
                    throw .malformedXML(
                        file: file, part: part, line: message?.line ?? Int(xmlSAX2GetLineNumber(context)),
                        message: message?.text ?? "the document is not well formed")
                }
                offset += count
            } while offset < buffer.count
        }
    }

    static func intern(_ name: String, in dictionary: xmlDictPtr) -> Name {
        xmlDictLookup(dictionary, name, -1)
    }
}

/// A handler's state, which its C callbacks receive a pointer to.
protocol SAXState {
    static var callbacks: SAXParser.Callbacks { get }
    var status: SAXStatus { get set }
}

/// Where SAX callbacks leave an error and stop the parse.
struct SAXStatus {
    var context: xmlParserCtxtPtr?
    var file = ""
    var part = ""
    /// Set once, with the first error; the parser is stopped and later events are ignored.
    var failure: XLSXError?
    var stopped = false
    /// libxml2's first error message.
    var message: (text: String, line: Int)?

    mutating func stop(_ error: XLSXError) {
        guard !stopped else { return }
        stopped = true
        failure = error
        if let context { xmlStopParser(context) }
    }

    mutating func stopForDoctype() {
        stop(.doctypeForbidden(file: file, part: part))
    }

    mutating func record(_ error: UnsafePointer<xmlError>) {
        guard message == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        var text = error.pointee.message.map { String(cString: $0) } ?? "XML error \(error.pointee.code)"
        while text.last?.isNewline == true { text.removeLast() }
        message = (text, Int(error.pointee.line))
    }
}
