internal import CLibXML2

/// How a worksheet is read: SAX2 events (see ``SAXParser``) turned into ``SheetContent`` calls,
/// with libxml2's errors and checks.
///
/// Names are compared by dictionary pointer and attribute values are read straight from
/// libxml2's bytes.
struct SheetSAXHandler: SAXState {
    typealias Name = SAXParser.Name

    private struct Names {
        let sheetData, row, c, v, inlineString, t, rPh, r, s, mergeCell, ref: Name?

        init(_ dictionary: xmlDictPtr?) {
            func name(_ text: String) -> Name? { dictionary.map { SAXParser.intern(text, in: $0) } }
            sheetData = name("sheetData")
            row = name("row")
            c = name("c")
            v = name("v")
            inlineString = name("is")
            t = name("t")
            rPh = name("rPh")
            r = name("r")
            s = name("s")
            mergeCell = name("mergeCell")
            ref = name("ref")
        }

        @inline(__always)
        func element(_ name: Name) -> SheetContent.Element {
            if name == c { return .c }
            if name == v { return .v }
            if name == t { return .t }
            if name == inlineString { return .inlineString }
            if name == rPh { return .rPh }
            if name == row { return .row }
            if name == sheetData { return .sheetData }
            if name == mergeCell { return .mergeCell }
            return .other
        }

        @inline(__always)
        func attribute(_ name: Name) -> SheetContent.Attribute {
            if name == r { return .r }
            if name == t { return .t }
            if name == s { return .s }
            if name == ref { return .ref }
            return .other
        }
    }

    /// libxml2's attribute array with each name classified.
    private struct Attributes: SheetAttributes {
        let list: SAXParser.Attributes
        let names: Names

        @inline(__always)
        func forEach(_ body: (SheetContent.Attribute, UnsafeBufferPointer<UInt8>) throws(XLSXError) -> Void)
            throws(XLSXError)
        {
            try list.forEach { (name, value) throws(XLSXError) in try body(names.attribute(name), value) }
        }
    }

    var status = SAXStatus()
    private var content: SheetContent
    private var names = Names(nil)

    private init(content: SheetContent) {
        self.content = content
    }

    /// Parses `bytes` into `content` and returns the merged ranges.
    static func parse(_ bytes: [UInt8], content: SheetContent) throws -> [CellRange] {
        let parser = content.parser
        let state = UnsafeMutablePointer<SheetSAXHandler>.allocate(capacity: 1)
        state.initialize(to: SheetSAXHandler(content: content))
        defer {
            state.deinitialize(count: 1)
            state.deallocate()
        }
        do {
            try SAXParser.parse(bytes, file: parser.file, part: parser.part, state: state) { dictionary in
                state.pointee.names = Names(dictionary)
            }
        } catch {
            throw state.pointee.content.callerError ?? error
        }
        return state.pointee.content.merged.sorted()
    }

    static let callbacks = SAXParser.Callbacks(
        startElement: { context, name, _, _, _, _, attributeCount, _, attributes in
            let state = context!.assumingMemoryBound(to: SheetSAXHandler.self)
            guard !state.pointee.status.stopped, let name else { return }
            let names = state.pointee.names
            do throws(XLSXError) {
                try state.pointee.content.startElement(
                    names.element(name),
                    Attributes(list: SAXParser.Attributes(base: attributes, count: Int(attributeCount)), names: names))
            } catch {
                state.pointee.status.stop(error)
            }
        },
        endElement: { context, name, _, _ in
            let state = context!.assumingMemoryBound(to: SheetSAXHandler.self)
            guard !state.pointee.status.stopped, let name else { return }
            do throws(XLSXError) {
                try state.pointee.content.endElement(state.pointee.names.element(name))
            } catch {
                state.pointee.status.stop(error)
            }
        },
        characters: { context, text, count in
            let state = context!.assumingMemoryBound(to: SheetSAXHandler.self)
            guard let text, count > 0 else { return }
            state.pointee.content.characters(UnsafeBufferPointer(start: text, count: Int(count)))
        },
        internalSubset: { context, _, _, _ in
            context!.assumingMemoryBound(to: SheetSAXHandler.self).pointee.status.stopForDoctype()
        },
        error: { context, error in
            guard let error else { return }
            context!.assumingMemoryBound(to: SheetSAXHandler.self).pointee.status.record(error)
        })
}
